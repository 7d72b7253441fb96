/**
 * `cfguard snapshot` end to end: the document, what it reads (and does not), and that no secret
 * value reaches it.
 */
import {expect} from 'chai'
import {readFileSync, statSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {parseJson, runCli, tempDir} from '../helpers/cli.js'
import {ccAs, useSimulator, type Simulator} from '../helpers/sim.js'

function asAdmin(sim: Simulator): Record<string, string> {
  return {
    CFGUARD_API: sim.apiUrl,
    CFGUARD_CLIENT_ID: sim.admin.clientId,
    CFGUARD_CLIENT_SECRET: sim.admin.clientSecret,
  }
}

const showEvents = (sim: Simulator) => sim.auditEvents().filter((e) => e.type.endsWith('.show')).length

describe('e2e: cfguard snapshot', function () {
  this.timeout(120_000)
  const ctx = useSimulator({scenario: 'demo'})

  it('writes the foundation state with its kind marker and reads no secret by default', async () => {
    const dir = tempDir('cfguard-snapshot-')
    const file = join(dir, 'snap.json')
    const before = showEvents(ctx.sim)
    const r = await runCli(['snapshot', '--all', '--output', file, '--json'], {env: asAdmin(ctx.sim)})
    expect(r.code, r.stderr).to.equal(0)
    const summary = parseJson<{
      kind: string
      file: string
      secretsRead: boolean
      counts: Record<string, number>
      auditEventsCreated: number
    }>(r).result
    expect(summary).to.include({kind: 'cfguard-snapshot', file, secretsRead: false, auditEventsCreated: 0})
    expect(showEvents(ctx.sim)).to.equal(before)
    const doc = JSON.parse(readFileSync(file, 'utf8'))
    expect(Object.keys(doc).slice(0, 4)).to.deep.equal([
      'kind',
      'cfguardVersion',
      'secretsRead',
      'schemaVersion',
    ])
    expect(doc.kind).to.equal('cfguard-snapshot')
    expect(doc.routes).to.have.length(summary.counts.routes!)
    expect(doc.apps).to.have.length(summary.counts.apps!)
    expect(doc.routes.length).to.equal(49)
    expect(new Set(doc.env.map((e: {read: string}) => e.read))).to.deep.equal(new Set(['skipped']))
    expect(doc.env.every((e: {variables: unknown[]}) => e.variables.length === 0)).to.equal(true)
    expect(statSync(file).mode & 0o777).to.equal(0o644)
  })

  it('--secrets adds classified credentials and env vars: fingerprints and key names, never a value', async () => {
    const dir = tempDir('cfguard-snapshot-')
    const file = join(dir, 'snap.json')
    const before = showEvents(ctx.sim)
    const r = await runCli(['snapshot', '--all', '--secrets', '--output', file], {env: asAdmin(ctx.sim)})
    expect(r.code, r.stderr).to.equal(0)
    expect(r.stdout).to.equal('')
    expect(r.stderr).to.contain(`written to ${file}`)
    expect(showEvents(ctx.sim)).to.be.greaterThan(before)
    const text = readFileSync(file, 'utf8')
    const doc = JSON.parse(text)
    expect(doc.secretsRead).to.equal(true)
    expect(statSync(file).mode & 0o777).to.equal(0o600)
    const billing = doc.env.find(
      (e: {appGuid: string}) =>
        e.appGuid === doc.apps.find((a: {name: string}) => a.name === 'billing-api').guid,
    )
    const variable = billing.variables.find((v: {name: string}) => v.name === 'CLIENT_SECRET')
    expect(variable.class).to.equal('secret-literal')
    expect(variable.fingerprint).to.match(/^hmac:/)

    // Canaries: secret values the simulator holds must not be in the file.
    const canaries: string[] = [ctx.sim.admin.clientSecret]
    canaries.push(ctx.sim.instances('billing-api')[0]!.environmentVariables.CLIENT_SECRET!)
    const cc = await ccAs(ctx.sim, 'adminClient')
    for (const name of ['billing-oidc', 'ledger-oidc', 'analytics-oidc']) {
      const si = (await cc.get(`/v3/service_instances?names=${name}`)).json.resources[0]
      const creds = (await cc.get(`/v3/service_instances/${si.guid}/credentials`)).json
      canaries.push(creds.client_secret)
    }
    expect(canaries.every((c) => typeof c === 'string' && c.length >= 16)).to.equal(true)
    for (const c of canaries)
      expect(text.includes(c)).to.equal(false, 'a secret value leaked into the snapshot')
  })

  it('without --output the document is the output (stdout, or the --json result)', async () => {
    const plain = await runCli(['snapshot', '--all'], {env: asAdmin(ctx.sim)})
    expect(plain.code, plain.stderr).to.equal(0)
    expect(JSON.parse(plain.stdout).kind).to.equal('cfguard-snapshot')
    const json = await runCli(['snapshot', '--all', '--json'], {env: asAdmin(ctx.sim)})
    expect(parseJson<{kind: string; routes: unknown[]}>(json).result.routes).to.have.length(49)
  })

  it('is read by --baseline as the reviewed route state (no findings filtered, no drift yet)', async () => {
    const dir = tempDir('cfguard-snapshot-')
    const file = join(dir, 'snap.json')
    expect((await runCli(['snapshot', '--all', '--output', file], {env: asAdmin(ctx.sim)})).code).to.equal(0)
    const r = await runCli(
      ['audit', '--all', '--baseline', file, '--rules', 'routes/', '--json', '--fail-on', 'never'],
      {
        env: asAdmin(ctx.sim),
      },
    )
    expect(r.code, r.stderr).to.equal(0)
    const result = parseJson<{
      findings: {rule: string}[]
      suppressed?: unknown[]
      coverage: {gaps: unknown[]}
    }>(r).result
    expect(result.findings.length).to.be.greaterThan(15)
    expect(result.findings.filter((f) => f.rule === 'routes/drift')).to.deep.equal([])
    expect(result.suppressed ?? []).to.deep.equal([])
    expect(result.coverage.gaps).to.deep.equal([])
  })

  it('an --output it cannot write is refused before anything is read: one usage line (exit 2) naming the path', async () => {
    const dir = tempDir('cfguard-snapshot-')
    const notADir = join(dir, 'plain-file')
    writeFileSync(notADir, 'x')
    ctx.sim.resetRequests()
    const file = join(notADir, 'sub', 'snap.json')
    const r = await runCli(['snapshot', '--all', '--output', file], {env: asAdmin(ctx.sim)})
    expect(r.code, r.stderr).to.equal(2)
    const lines = r.stderr.trim().split('\n')
    expect(lines[0]).to.equal(`cfguard: --output ${file} cannot be written: ${notADir} is not a directory`)
    expect(lines[1]).to.match(/^ {2}next: name a file in a directory you can write/)
    expect(r.stderr).not.to.match(/bug|\n\s+at /)
    expect(ctx.sim.requests).to.deep.equal([])
  })
})
