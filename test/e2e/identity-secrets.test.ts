/**
 * No secret value leaves cfguard: canary values planted in UPS credentials (bound and unbound), an
 * app's env vars, a managed binding's and a service key's details must not appear in any report
 * format, in --json, in `identity list`, in the trace, or in any file under $CFGUARD_HOME (cache,
 * salt) — while the run demonstrably read them (their fingerprints are reported). The SARIF of the
 * run validates against the SARIF 2.1.0 schema and the JUnit is well-formed XML.
 */
import {randomBytes} from 'node:crypto'
import {readFileSync, readdirSync, statSync} from 'node:fs'
import {join} from 'node:path'

import {expect} from 'chai'
import AjvDraft04Module from 'ajv-draft-04'
import addFormatsModule from 'ajv-formats'
import {XMLParser, XMLValidator} from 'fast-xml-parser'

import type {AuditResult} from '../../src/model/finding.js'
import type {IdentityInventory} from '../../src/actions/identity-list.js'
import {ROOT, parseJson, runCli, tempDir, type CliResult} from '../helpers/cli.js'
import {ccAs, useSimulator, waitForJob} from '../helpers/sim.js'
import {adminEnv, demoPolicy} from './identity-support.js'
import type {Log} from 'sarif'
import {codeScanningProblems} from '../helpers/code-scanning.js'

const SARIF_SCHEMA = join(ROOT, 'node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json')
type AjvDraft04 = InstanceType<typeof AjvDraft04Module.default>
const AjvDraft04 = AjvDraft04Module.default
const addFormats = ((addFormatsModule as unknown as {default?: unknown}).default ?? addFormatsModule) as (
  ajv: AjvDraft04,
) => AjvDraft04

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? filesUnder(path) : [path]
  })
}

const canary = (what: string) => `canary-${what}-${randomBytes(9).toString('hex')}`

describe('identity audit never prints or stores a secret value', function () {
  this.timeout(180_000)
  const ctx = useSimulator({scenario: 'demo'})
  const canaries = {
    ups: canary('ups'),
    unbound: canary('unbound'),
    env: canary('env'),
    envUrl: canary('envurl'),
    binding: canary('binding'),
    key: canary('key'),
  }

  before(async () => {
    const {sim} = ctx
    const api = await ccAs(sim, 'adminClient')
    const app = (name: string) => [...sim.state.apps.all()].find((a) => a.name === name)!
    const billing = app('billing-api')
    const issuer = `${sim.uaaUrl}/oauth/token`
    const bound = await api.post('/v3/service_instances', {
      type: 'user-provided',
      name: 'canary-oidc',
      credentials: {client_id: 'canary-client', client_secret: canaries.ups, issuer},
      relationships: {space: {data: {guid: billing.spaceGuid}}},
    })
    expect(bound.status).to.equal(201)
    const bind = await api.post('/v3/service_credential_bindings', {
      type: 'app',
      relationships: {service_instance: {data: {guid: bound.json.guid}}, app: {data: {guid: billing.guid}}},
    })
    expect(bind.status).to.equal(201)
    const unbound = await api.post('/v3/service_instances', {
      type: 'user-provided',
      name: 'canary-db',
      credentials: {
        uri: 'postgres://db.data.cfguard.test:5432/x',
        username: 'app',
        password: canaries.unbound,
      },
      relationships: {space: {data: {guid: billing.spaceGuid}}},
    })
    expect(unbound.status).to.equal(201)
    const env = await api.patch(`/v3/apps/${billing.guid}/environment_variables`, {
      var: {
        API_TOKEN: canaries.env,
        DATABASE_URL: `postgres://app:${canaries.envUrl}@db.data.cfguard.test/x`,
      },
    })
    expect(env.status).to.equal(200)
    // The managed SSO binding of customer-portal, and a service key of that instance.
    const sso = [...sim.state.serviceInstances.all()].find((si) => si.name === 'customer-sso')!
    const appBinding = sim.state.bindings.lookup('instance', sso.guid).find((b) => b.type === 'app')!
    appBinding.credentials = {...appBinding.credentials, client_secret: canaries.binding}
    const key = await api.post('/v3/service_credential_bindings', {
      type: 'key',
      name: 'ci-key',
      relationships: {service_instance: {data: {guid: sso.guid}}},
    })
    expect(key.status).to.equal(202)
    expect((await waitForJob(sim, api, key.headers.get('location')!)).state).to.equal('COMPLETE')
    const created = sim.state.bindings.lookup('instance', sso.guid).find((b) => b.type === 'key')!
    created.credentials = {client_id: 'ci-key-client', client_secret: canaries.key, issuer}
  })

  it('in every format, --json, identity list, the trace and every file under $CFGUARD_HOME', async () => {
    const {sim} = ctx
    const home = tempDir('cfguard-home-')
    const out = tempDir('cfguard-out-')
    const env = adminEnv(sim, {CFGUARD_HOME: home, CFGUARD_TRACE: join(home, 'trace.log')})
    const runs: CliResult[] = []
    const run = async (args: string[]) => {
      const r = await runCli(args, {env})
      runs.push(r)
      expect([0, 3], `cfguard ${args.join(' ')} failed: ${r.stderr.slice(0, 300)}`).to.include(r.code)
      return r
    }
    const audit = ['identity', 'audit', '--policy', demoPolicy(), '--check-issuers', '--verify-credentials']
    const first = await run([...audit, '--json'])
    const json = parseJson<AuditResult>(first)
    expect(json.result, first.stdout.slice(0, 300)).to.be.an('object')
    for (const format of ['table', 'json', 'sarif', 'junit', 'markdown', 'html']) {
      await run([...audit, '--format', format])
      await run([...audit, '--format', format, '--output', join(out, `report.${format}`)])
    }
    await run([...audit, '--no-cache', '--json'])
    const inventory = parseJson<IdentityInventory>(await run(['identity', 'list', '--json'])).result
    await run(['identity', 'list'])

    // The run did read the planted values: each shows up as a fingerprint.
    const envFinding = json.result.findings.find(
      (f) => f.rule === 'identity/secret-in-env' && f.evidence.variable === 'API_TOKEN',
    )
    expect(envFinding?.evidence.fingerprint).to.match(/^hmac:[0-9a-f]{24}$/)
    expect(
      json.result.findings.some(
        (f) => f.rule === 'identity/secret-in-env' && f.evidence.variable === 'DATABASE_URL',
      ),
    ).to.equal(true)
    const canaryUps = inventory.entries.find((e) => e.serviceInstance?.name === 'canary-oidc')
    expect(canaryUps?.secretFingerprint).to.match(/^hmac:/)
    expect(inventory.entries.some((e) => e.source === 'key' && e.clientId === 'ci-key-client')).to.equal(true)
    expect(
      json.result.findings.some(
        (f) => f.rule === 'identity/credentials-rejected' && f.resource.name === 'canary-oidc',
      ),
    ).to.equal(true)

    const texts: [string, string][] = []
    for (const [i, r] of runs.entries())
      texts.push([`stdout of run ${i}`, r.stdout], [`stderr of run ${i}`, r.stderr])
    const files = [...filesUnder(home), ...filesUnder(out)]
    expect(files.some((f) => f.endsWith('env.json'))).to.equal(true)
    expect(files.some((f) => f.endsWith('trace.log'))).to.equal(true)
    for (const f of files) texts.push([f, readFileSync(f).toString('latin1')])
    for (const [where, text] of texts) {
      for (const [name, value] of Object.entries(canaries)) {
        expect(text.includes(value)).to.equal(false, `the ${name} canary leaked into ${where}`)
      }
    }
  })

  it('the SARIF validates against the SARIF 2.1.0 schema; the JUnit is well-formed', async () => {
    const {sim} = ctx
    const sarif = await runCli(['identity', 'audit', '--policy', demoPolicy(), '--format', 'sarif'], {
      env: adminEnv(sim),
    })
    expect(sarif.code).to.equal(3)
    const ajv = new AjvDraft04({allErrors: true, strict: false, unicodeRegExp: false})
    addFormats(ajv)
    const validate = ajv.compile(JSON.parse(readFileSync(SARIF_SCHEMA, 'utf8')) as object)
    const log = JSON.parse(sarif.stdout) as Log
    expect(validate(log), ajv.errorsText(validate.errors)).to.equal(true)
    expect(codeScanningProblems(log)).to.deep.equal([])
    expect(log.runs[0]?.automationDetails?.id).to.match(/^cfguard\/identity-audit\/127\.0\.0\.1%3A\d+\/$/)
    expect(log.runs[0]?.results?.map((r) => r.ruleId)).to.include('identity/secret-in-env')

    const junit = await runCli(['identity', 'audit', '--policy', demoPolicy(), '--format', 'junit'], {
      env: adminEnv(sim),
    })
    expect(XMLValidator.validate(junit.stdout), 'not well-formed XML').to.equal(true)
    const parsed = new XMLParser({ignoreAttributes: false}).parse(junit.stdout) as Record<string, unknown>
    expect(parsed).to.have.property('testsuites')
    expect(junit.stdout).to.contain('identity/secret-in-env')
  })
})
