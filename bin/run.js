#!/usr/bin/env node
// `cfguard --version` is answered without loading oclif (its ~160 modules are most of the CLI's
// start-up time), in oclif's own format: `<name>/<version> <platform>-<arch> node-<version>`.
if (process.argv[2] === '--version') {
  const {printVersion} = await import('./version.js')
  printVersion()
} else {
  const {execute} = await import('@oclif/core')
  await execute({dir: import.meta.url})
}
