import {expect} from 'chai'
import {readdirSync, readFileSync} from 'node:fs'
import {join, relative} from 'node:path'

import {ROOT, parseJson, runCli} from '../helpers/cli.js'

function commandIdsFromSources(): string[] {
  const dir = join(ROOT, 'src/commands')
  const walk = (d: string): string[] =>
    readdirSync(d, {withFileTypes: true}).flatMap((e) =>
      e.isDirectory() ? walk(join(d, e.name)) : e.name.endsWith('.ts') ? [join(d, e.name)] : [],
    )
  return walk(dir)
    .map((f) =>
      relative(dir, f)
        .replace(/\.ts$/, '')
        .replace(/\/index$/, '')
        .split('/')
        .join(':'),
    )
    .sort()
}

describe('CLI surface', () => {
  it('oclif.manifest.json lists exactly the commands under src/commands', () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'oclif.manifest.json'), 'utf8'))
    expect(Object.keys(manifest.commands).sort()).to.deep.equal(commandIdsFromSources())
  })

  it('every flag of every command has a CFGUARD_* environment twin', () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'oclif.manifest.json'), 'utf8'))
    const missing: string[] = []
    for (const [id, cmd] of Object.entries<{flags: Record<string, {env?: string}>}>(manifest.commands)) {
      for (const [name, flag] of Object.entries(cmd.flags)) {
        if (!flag.env?.startsWith('CFGUARD_')) missing.push(`${id} --${name}`)
      }
    }
    expect(missing).to.deep.equal([])
  })

  it('--help lists the commands and exits 0', async () => {
    const r = await runCli(['--help'])
    expect(r.code).to.equal(0)
    expect(r.stdout).to.contain('rules')
  })

  it('an unknown rule is one error line with a next step and exit 2', async () => {
    const r = await runCli(['rules', 'no/such-rule'])
    expect(r.code).to.equal(2)
    const lines = r.stderr.trim().split('\n')
    expect(lines[0]).to.equal('cfguard: unknown rule "no/such-rule"')
    expect(lines[1]).to.match(/next: run `cfguard rules`/)
    expect(r.stdout).to.equal('')
  })

  it('--json prints one envelope with the error and the same exit code', async () => {
    const r = await runCli(['rules', 'no/such-rule', '--json'])
    expect(r.code).to.equal(2)
    const doc = JSON.parse(r.stdout)
    expect(doc).to.include({status: 2})
    expect(doc.error.code).to.equal('USAGE')
  })

  it('CFGUARD_JSON=true is the env twin of --json', async () => {
    const r = await runCli(['rules'], {env: {CFGUARD_JSON: 'true'}})
    expect(r.code).to.equal(0)
    expect(parseJson(r).status).to.equal(0)
  })
})
