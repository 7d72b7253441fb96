import {readdirSync, statSync} from 'node:fs'
import {join, relative} from 'node:path'

/** Every path under `root` (itself as `.`) with its permission bits. */
export function modes(root: string): {path: string; dir: boolean; mode: number}[] {
  const out: {path: string; dir: boolean; mode: number}[] = [
    {path: '.', dir: true, mode: statSync(root).mode & 0o777},
  ]
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry)
      const st = statSync(path)
      out.push({path: relative(root, path), dir: st.isDirectory(), mode: st.mode & 0o777})
      if (st.isDirectory()) walk(path)
    }
  }
  walk(root)
  return out
}

/** The paths whose mode is not 0700 (directories) or 0600 (files). */
export function looseModes(root: string): {path: string; mode: string}[] {
  return modes(root)
    .filter((e) => e.mode !== (e.dir ? 0o700 : 0o600))
    .map((e) => ({path: e.path, mode: e.mode.toString(8)}))
}
