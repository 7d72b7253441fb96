// oclif writes commands in the order their modules finished loading; sort them so the committed
// manifest only changes when the command surface does.
import {readFileSync, writeFileSync} from 'node:fs'

const path = new URL('../oclif.manifest.json', import.meta.url)
const manifest = JSON.parse(readFileSync(path, 'utf8'))
manifest.commands = Object.fromEntries(Object.entries(manifest.commands).sort(([a], [b]) => a.localeCompare(b)))
writeFileSync(path, `${JSON.stringify(manifest, null, 2)}\n`)
