/**
 * docs/commands.md is generated from oclif.manifest.json by scripts/render-commands.js
 * (`npm run docs`); this fails while it is out of date, so a new flag cannot ship undocumented.
 */
import {spawnSync} from 'node:child_process'
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {expect} from 'chai'

import {ROOT, tempDir} from '../../helpers/cli.js'

const SCRIPT = join(ROOT, 'scripts/render-commands.js')
const DOC = join(ROOT, 'docs/commands.md')
const MANIFEST = join(ROOT, 'oclif.manifest.json')

interface ManifestFlag {
  env?: string
  hidden?: boolean
}
interface Manifest {
  commands: Record<
    string,
    {id: string; hidden?: boolean; aliases?: string[]; flags: Record<string, ManifestFlag>}
  >
}

function check(args: string[] = []) {
  return spawnSync(process.execPath, [SCRIPT, '--check', ...args], {cwd: ROOT, encoding: 'utf8'})
}

describe('docs/commands.md (generated command reference)', () => {
  it('is up to date with oclif.manifest.json (else: npm run build && npm run docs)', () => {
    const r = check()
    expect(r.status, r.stderr).to.equal(0)
  })

  it('the check is real: a new flag in the manifest, or an edit to the doc, makes it fail', () => {
    const dir = tempDir('cfguard-docs-')
    const manifest = JSON.parse(readFileSync(MANIFEST, 'utf8')) as Manifest
    manifest.commands.audit!.flags['brand-new'] = {env: 'CFGUARD_BRAND_NEW'}
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest))
    const stale = check(['--manifest', join(dir, 'manifest.json')])
    expect(stale.status).to.equal(1)
    expect(stale.stderr).to.contain('is out of date').and.to.contain('next: npm run build && npm run docs')

    const edited = join(dir, 'commands.md')
    writeFileSync(edited, readFileSync(DOC, 'utf8').replace('CFGUARD_FAIL_ON', 'CFGUARD_FAILON'))
    expect(check(['--out', edited]).status).to.equal(1)
  })

  it('names every command, alias, flag and env twin', () => {
    const doc = readFileSync(DOC, 'utf8')
    const manifest = JSON.parse(readFileSync(MANIFEST, 'utf8')) as Manifest
    const commands = Object.values(manifest.commands).filter((c) => !c.hidden)
    expect(commands.length).to.be.greaterThan(10)
    for (const c of commands) {
      expect(doc, c.id).to.contain(`## \`cfguard ${c.id.replaceAll(':', ' ')}\``)
      for (const alias of c.aliases ?? [])
        expect(doc, alias).to.contain(`\`cfguard ${alias.replaceAll(':', ' ')}\``)
      for (const [name, flag] of Object.entries(c.flags)) {
        if (flag.hidden) continue
        expect(doc, `${c.id} --${name}`).to.match(new RegExp(`--(\\[no-\\])?${name}\\b`))
        if (flag.env) expect(doc, `${c.id} ${flag.env}`).to.contain(`\`${flag.env}\``)
      }
    }
  })
})
