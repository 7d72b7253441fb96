/**
 * Mid-deployment, end to end: the demo's `ledger` (2 web instances, credentials changed after its
 * instances started: a rotation waiting for its roll) gets a rolling deployment with
 * max_in_flight 1. CC then runs two `web` processes for it, both routed (docs/platform-facts.md §3.7); the
 * simulator holds that state still because instances take an hour of simulated time to start.
 * `routes report`, `identity audit` and `credentials list` must count the same instances of both
 * processes, and no rule may judge the new process (one STARTING instance) alone.
 */
import {expect} from 'chai'

import type {CredentialList} from '../../src/actions/credentials/list.js'
import type {AuditResult} from '../../src/model/finding.js'
import type {InstanceCounts} from '../../src/model/route-map.js'
import {parseJson, runCli} from '../helpers/cli.js'
import {ccAs, useSimulator, type Simulator} from '../helpers/sim.js'
import {adminEnv} from './identity-support.js'

const STARTUP_MS = 3_600_000

/** Starts a rolling deployment of ledger (max_in_flight 1) and returns its app guid. */
async function deployLedger(sim: Simulator): Promise<string> {
  const admin = await ccAs(sim, 'adminClient')
  const ledger = (await admin.get('/v3/apps?names=ledger')).json.resources[0]
  const res = await admin.post('/v3/deployments', {
    relationships: {app: {data: {guid: ledger.guid}}},
    strategy: 'rolling',
    options: {max_in_flight: 1},
  })
  expect(res.status).to.equal(201)
  return ledger.guid as string
}

/** `routes report --app ledger`: the ledger route's one destination and the no-healthy findings. */
async function ledgerCounts(sim: Simulator): Promise<{route: InstanceCounts; noHealthy: string[]}> {
  const r = await runCli(['routes', 'report', '--app', 'ledger', '--json', '--fail-on', 'never'], {
    env: adminEnv(sim),
  })
  expect(r.code, r.stderr).to.equal(0)
  const result = parseJson<AuditResult>(r).result
  const routes = result.routeMap!.domains.flatMap((d) => d.routes)
  const ledger = routes.find((x) => x.url === 'ledger.apps.cfguard.test')!
  const [destination, ...others] = ledger.destinations
  expect(others).to.deep.equal([])
  const noHealthy = result.findings
    .filter((f) => f.rule === 'routes/no-healthy-instances')
    .map((f) => f.resource.name)
  return {route: destination!.instances, noHealthy}
}

describe('e2e: reports while a rolling deployment runs (two web processes)', function () {
  this.timeout(180_000)
  const ctx = useSimulator({scenario: 'demo', instanceStartupMs: STARTUP_MS})

  async function ledgerDrift(): Promise<Record<string, unknown>> {
    const r = await runCli(['identity', 'audit', '--json', '--fail-on', 'never'], {env: adminEnv(ctx.sim)})
    expect(r.code, r.stderr).to.equal(0)
    const drift = parseJson<AuditResult>(r).result.findings.filter(
      (f) => f.rule === 'identity/drift' && f.resource.name === 'ledger',
    )
    expect(drift).to.have.length(1)
    return drift[0]!.evidence
  }

  async function listedDrift(): Promise<number> {
    const r = await runCli(['credentials', 'list', '--json'], {env: adminEnv(ctx.sim)})
    expect(r.code, r.stderr).to.equal(0)
    const list = parseJson<CredentialList>(r).result
    return list.credentials.find((c) => c.serviceInstance.name === 'ledger-oidc')!.drift.instances
  }

  it('the simulator runs an old and a new web process for the app, both behind its route', async () => {
    const guid = await deployLedger(ctx.sim)
    const admin = await ccAs(ctx.sim, 'adminClient')
    const webs = (await admin.get(`/v3/apps/${guid}/processes?types=web`)).json.resources
    expect(webs.map((p: {instances: number}) => p.instances).sort()).to.deep.equal([1, 2])
    const route = (await admin.get(`/v3/routes?app_guids=${guid}`)).json.resources[0]
    expect(route.destinations.map((d: {app: {process: {type: string}}}) => d.app.process.type)).to.deep.equal(
      ['web'],
    )
  })

  it('first moment (old: 2 RUNNING, new: 1 STARTING): no false outage, and every count includes both', async () => {
    const {route, noHealthy} = await ledgerCounts(ctx.sim)
    expect(noHealthy).to.deep.equal([])
    expect(route).to.deep.include({desired: 3, running: 2, starting: 1, crashed: 0, known: true})
    const drift = await ledgerDrift()
    expect(drift).to.deep.include({staleInstances: 2, currentInstances: 1, deploymentActive: true})
    expect(Number(drift.staleInstances) + Number(drift.currentInstances)).to.equal(
      route.running + route.starting,
    )
    expect(await listedDrift()).to.equal(2)
  })

  it('one step later (old: 1 RUNNING, new: 1 RUNNING + 1 STARTING): the same instances, counted alike', async () => {
    ctx.sim.clock.advance(STARTUP_MS)
    const {route, noHealthy} = await ledgerCounts(ctx.sim)
    expect(noHealthy).to.deep.equal([])
    expect(route).to.deep.include({desired: 3, running: 2, starting: 1, known: true})
    const drift = await ledgerDrift()
    expect(drift).to.deep.include({staleInstances: 1, currentInstances: 2, deploymentActive: true})
    expect(await listedDrift()).to.equal(1)
  })
})

describe('e2e: mid-deployment on CC < 3.211 (instances from /stats per process)', function () {
  this.timeout(180_000)
  const ctx = useSimulator({scenario: 'demo', instanceStartupMs: STARTUP_MS, ccVersion: '3.200.0'})

  it('reads the stats of both web processes and counts them together', async () => {
    await deployLedger(ctx.sim)
    const {route, noHealthy} = await ledgerCounts(ctx.sim)
    expect(noHealthy).to.deep.equal([])
    expect(route).to.deep.include({desired: 3, running: 2, starting: 1, known: true})
  })
})
