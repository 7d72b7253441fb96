/** A small path router: `/v3/apps/:guid/env` style patterns, exact segments, decoded params. */
export interface RouteMatch<H> {
  handler: H
  params: Record<string, string>
}

interface Entry<H> {
  method: string
  regex: RegExp
  names: string[]
  handler: H
}

export class Router<H> {
  private readonly entries: Entry<H>[] = []

  add(method: string, pattern: string, handler: H): this {
    const names: string[] = []
    const source = pattern
      .split('/')
      .map((seg) => {
        if (seg.startsWith(':')) {
          names.push(seg.slice(1))
          return '([^/]+)'
        }
        return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
      })
      .join('/')
    this.entries.push({method, regex: new RegExp(`^${source}/?$`), names, handler})
    return this
  }

  /** `null` = no route; `'method'` = the path exists for another method. */
  match(method: string, path: string): RouteMatch<H> | 'method' | null {
    let pathMatched = false
    for (const e of this.entries) {
      const m = e.regex.exec(path)
      if (!m) continue
      pathMatched = true
      if (e.method !== method) continue
      const params: Record<string, string> = {}
      e.names.forEach((name, i) => {
        params[name] = safeDecode(m[i + 1] ?? '')
      })
      return {handler: e.handler, params}
    }
    return pathMatched ? 'method' : null
  }
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}
