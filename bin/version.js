// oclif's `config.userAgent` without loading oclif (see run.js). Kept in step with
// @oclif/core's Config: arch `ia32` is `x86`, and Linux under WSL is `wsl` (as wsl-utils decides
// outside containers: the kernel release or /proc/version names Microsoft).
import {readFileSync} from 'node:fs'
import {arch, platform, release} from 'node:os'

function isWsl() {
  if (platform() !== 'linux') return false
  if (release().toLowerCase().includes('microsoft')) return true
  try {
    return readFileSync('/proc/version', 'utf8').toLowerCase().includes('microsoft')
  } catch {
    return false
  }
}

export function userAgent() {
  const pjson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
  const cpu = arch() === 'ia32' ? 'x86' : arch()
  return `${pjson.name}/${pjson.version} ${isWsl() ? 'wsl' : platform()}-${cpu} node-${process.version}`
}

export function printVersion() {
  process.stdout.write(`${userAgent()}\n`)
}
