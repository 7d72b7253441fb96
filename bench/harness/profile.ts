/**
 * Reads a V8 `.cpuprofile` (what `node --cpu-prof` writes) and sums self time by function and by
 * module: a function's self time is the sum of the sampling intervals whose sample landed in it
 * (not in a function it called). Modules: a package under node_modules (`axios`, `@oclif/core`),
 * a file of ours (`lib/cf/http/adapter.js`), `node:<internal area>`, or V8's own pseudo-frames
 * (`(garbage collector)`, `(program)`: compiling and running outside JS, `(idle)`).
 */

export interface CpuProfileNode {
  id: number
  callFrame: {functionName: string; url: string; lineNumber: number; columnNumber: number}
  hitCount?: number
  children?: number[]
}

export interface CpuProfile {
  nodes: CpuProfileNode[]
  /** µs, the profiled process's monotonic clock. */
  startTime: number
  endTime: number
  samples: number[]
  timeDeltas: number[]
}

export interface SelfTime {
  name: string
  selfUs: number
  /** Share of the profile's total sampled time (0–1). */
  share: number
}

export interface ProfileSummary {
  totalUs: number
  byFunction: SelfTime[]
  byModule: SelfTime[]
  /**
   * Self time by the nearest package or file of ours on the stack: node's module loader
   * (compiling, resolving, reading files) counted against the code whose `import`/`require` ran
   * it. What start-up costs per dependency.
   */
  byOwner: SelfTime[]
}

/** The module a script URL belongs to (see the file's comment). */
export function moduleOf(url: string, root?: string): string {
  if (url === '') return '(native / V8)'
  if (url.startsWith('node:')) {
    const parts = url.slice('node:'.length).split('/')
    return parts[0] === 'internal'
      ? `node:internal/${parts[1] ?? ''}`.replace(/\.js$/, '')
      : `node:${parts[0]}`
  }
  const path = url.startsWith('file://') ? decodeURIComponent(url.slice('file://'.length)) : url
  const nm = path.lastIndexOf('/node_modules/')
  if (nm !== -1) {
    const rest = path.slice(nm + '/node_modules/'.length).split('/')
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!
  }
  if (root && path.startsWith(root.endsWith('/') ? root : `${root}/`)) return path.slice(root.length + 1)
  return path
}

/**
 * Self time by function and by module, the top `top` of each. `untilUs` (the profiled process's
 * monotonic clock, as `startTime`) leaves out the samples taken after it, e.g. after a command's
 * first request reached the server.
 */
export function summarise(
  profile: CpuProfile,
  options: {top?: number; root?: string; untilUs?: number} = {},
): ProfileSummary {
  const top = options.top ?? 15
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]))
  const selfByNode = new Map<number, number>()
  let at = profile.startTime
  let totalUs = 0
  for (let i = 0; i < profile.samples.length; i++) {
    const delta = profile.timeDeltas[i] ?? 0
    at += delta
    if (options.untilUs !== undefined && at > options.untilUs) break
    // The sample's interval is the time since the previous sample (what V8 and DevTools count).
    const id = profile.samples[i]!
    selfByNode.set(id, (selfByNode.get(id) ?? 0) + delta)
    totalUs += delta
  }
  const parent = new Map<number, number>()
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id)
  const ownerOf = (id: number): string => {
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const url = nodes.get(at)?.callFrame.url ?? ''
      if (url !== '' && !url.startsWith('node:')) return moduleOf(url, options.root)
    }
    const frame = nodes.get(id)?.callFrame
    return frame?.functionName.startsWith('(') && frame.url === ''
      ? frame.functionName
      : '(node, no package on the stack)'
  }
  const byFunction = new Map<string, number>()
  const byModule = new Map<string, number>()
  const byOwner = new Map<string, number>()
  for (const [id, us] of selfByNode) {
    const owner = ownerOf(id)
    byOwner.set(owner, (byOwner.get(owner) ?? 0) + us)
    const frame = nodes.get(id)?.callFrame
    if (!frame) continue
    const module =
      frame.functionName.startsWith('(') && frame.url === ''
        ? frame.functionName
        : moduleOf(frame.url, options.root)
    const fn =
      frame.url === ''
        ? frame.functionName || '(anonymous)'
        : `${frame.functionName || '(anonymous)'} ${module}:${frame.lineNumber + 1}`
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + us)
    byModule.set(module, (byModule.get(module) ?? 0) + us)
  }
  const rank = (m: Map<string, number>): SelfTime[] =>
    [...m]
      .map(([name, selfUs]) => ({name, selfUs, share: totalUs > 0 ? selfUs / totalUs : 0}))
      .sort((a, b) => b.selfUs - a.selfUs || a.name.localeCompare(b.name))
      .slice(0, top)
  return {totalUs, byFunction: rank(byFunction), byModule: rank(byModule), byOwner: rank(byOwner)}
}

/** A markdown table of one ranking. */
export function selfTimeTable(title: string, rows: SelfTime[]): string {
  const lines = [`| ${title} | self (ms) | share |`, '| --- | ---: | ---: |']
  for (const r of rows) {
    lines.push(
      `| \`${r.name.replaceAll('|', '\\|')}\` | ${(r.selfUs / 1000).toFixed(1)} | ${(r.share * 100).toFixed(1)} % |`,
    )
  }
  return lines.join('\n')
}

/** The call stacks (outermost first, `depth` frames) in which `functionName` spent its self time. */
export function callersOf(
  profile: CpuProfile,
  functionName: string,
  options: {depth?: number; top?: number; root?: string} = {},
): SelfTime[] {
  const depth = options.depth ?? 4
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]))
  const parent = new Map<number, number>()
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id)
  const selfByNode = new Map<number, number>()
  let totalUs = 0
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i]!
    const delta = profile.timeDeltas[i] ?? 0
    totalUs += delta
    if (nodes.get(id)?.callFrame.functionName === functionName)
      selfByNode.set(id, (selfByNode.get(id) ?? 0) + delta)
  }
  const byStack = new Map<string, number>()
  for (const [id, us] of selfByNode) {
    const names: string[] = []
    for (let at = parent.get(id); at !== undefined && names.length < depth; at = parent.get(at)) {
      const f = nodes.get(at)!.callFrame
      if (f.functionName === '(root)') break
      names.unshift(`${f.functionName || '(anonymous)'} ${moduleOf(f.url, options.root)}:${f.lineNumber + 1}`)
    }
    const key = names.join(' → ')
    byStack.set(key, (byStack.get(key) ?? 0) + us)
  }
  return [...byStack]
    .map(([name, selfUs]) => ({name, selfUs, share: totalUs > 0 ? selfUs / totalUs : 0}))
    .sort((a, b) => b.selfUs - a.selfUs)
    .slice(0, options.top ?? 5)
}
