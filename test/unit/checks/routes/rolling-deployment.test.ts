/**
 * Mid-deployment snapshots: while a rolling deployment is ACTIVE, CC runs two `web` processes for
 * one app (the old one and its clone, docs/platform-facts.md §3.7) and routes to both. Every case runs with the
 * new process sorting before and after the old one (by guid and in the list), because the rules
 * once took whichever `web` process came first.
 */
import {expect} from 'chai'

import {credentialDrift} from '../../../../src/checks/identity/drift.js'
import {indexSnapshot} from '../../../../src/derive/lookup.js'
import {servingStateOf} from '../../../../src/derive/routes.js'
import {healthCheckRule} from '../../../../src/checks/routes/health-check.js'
import {lbIneffectiveRule} from '../../../../src/checks/routes/lb-ineffective.js'
import {noHealthyInstancesRule} from '../../../../src/checks/routes/no-healthy-instances.js'
import {trafficImbalanceRule} from '../../../../src/checks/routes/traffic-imbalance.js'
import {unroutedAppRule} from '../../../../src/checks/routes/unrouted-app.js'
import {DEFAULT_POLICY} from '../../../../src/model/policy.js'
import type {Instance, Process, Snapshot} from '../../../../src/model/snapshot.js'
import {buildRouteMap} from '../../../../src/derive/route-map.js'
import {routedSnapshot, runRule, trafficStat} from '../../../helpers/route-fixtures.js'
import {
  NOW,
  access,
  app,
  auditEvent,
  binding,
  deployment,
  domain,
  instance,
  proc,
  route,
  snapshot,
  ups,
} from '../../../helpers/snapshot.js'

const OLD_CREATED = '2026-11-20T00:00:00Z'
const NEW_CREATED = '2026-11-28T11:55:00Z'

const running = (index: number, guid: string, since = OLD_CREATED): Instance =>
  instance({index, instanceGuid: guid, state: 'RUNNING', routable: true, since})
const starting = (index: number, guid: string): Instance =>
  instance({index, instanceGuid: guid, state: 'STARTING', routable: false, since: NEW_CREATED})

/** Both sort orders: the new process's guid before the old one's, and after it. */
const ORDERS = [
  {name: 'new process sorts first', oldGuid: 'proc-b-old', newGuid: 'proc-a-new'},
  {name: 'old process sorts first', oldGuid: 'proc-a-old', newGuid: 'proc-b-new'},
] as const

interface Pair {
  old: Process
  fresh: Process
}

/** The first moment of a roll of 2 instances: old 2 RUNNING, new 1 STARTING (max_in_flight 1). */
function firstMoment(
  order: (typeof ORDERS)[number],
  o: {old?: Partial<Process>; fresh?: Partial<Process>} = {},
): Pair {
  return {
    old: proc({
      guid: order.oldGuid,
      instances: 2,
      actual: [running(0, 'old-0'), running(1, 'old-1')],
      createdAt: OLD_CREATED,
      ...o.old,
    }),
    fresh: proc({
      guid: order.newGuid,
      instances: 1,
      actual: [starting(0, 'new-0')],
      createdAt: NEW_CREATED,
      ...o.fresh,
    }),
  }
}

/** The snapshot with the processes in guid order (as collection returns them) and reversed. */
function bothListOrders(pair: Pair, o: Partial<Snapshot> = {}): Snapshot[] {
  const sorted = [pair.old, pair.fresh].sort((a, b) => a.guid.localeCompare(b.guid))
  const active = [deployment({appGuid: 'app-1', statusValue: 'ACTIVE', statusReason: 'DEPLOYING'})]
  return [sorted, [...sorted].reverse()].map((processes) =>
    routedSnapshot({processes, deployments: active, ...o}),
  )
}

describe('route rules mid-deployment (two web processes, both routed)', () => {
  for (const order of ORDERS) {
    describe(order.name, () => {
      it('routes/no-healthy-instances: the old process still serves, so no finding', () => {
        for (const s of bothListOrders(firstMoment(order))) {
          expect(runRule(noHealthyInstancesRule, s)).to.deep.equal([])
          expect(servingStateOf(indexSnapshot(s), 'app-1', 'web')).to.deep.equal({
            state: 'serving',
            reason: '2 routable running',
          })
        }
      })

      it('routes/no-healthy-instances still fires when neither process has a running instance', () => {
        const pair = firstMoment(order, {
          old: {actual: [instance({index: 0, instanceGuid: 'old-0', state: 'CRASHED', routable: false})]},
        })
        for (const s of bothListOrders(pair)) {
          const findings = runRule(noHealthyInstancesRule, s)
          expect(findings.map((f) => f.message)).to.deep.equal([
            'route billing.apps.example.com → billing-api/web: none of 2 instance(s) is RUNNING across 2 web processes',
          ])
          expect(findings[0]?.evidence).to.deep.include({desired: 3, running: 0, crashed: 1, starting: 1})
        }
      })

      it('the route map counts the instances of both processes and names the old health check', () => {
        const pair = firstMoment(order, {
          fresh: {healthCheck: {type: 'port', endpoint: null, timeout: null, invocationTimeout: null}},
        })
        for (const s of bothListOrders(pair)) {
          const [destination] = buildRouteMap(s).domains[0]!.routes[0]!.destinations
          expect(destination?.instances).to.deep.equal({
            desired: 3,
            running: 2,
            crashed: 0,
            starting: 1,
            down: 0,
            unroutable: 0,
            known: true,
          })
          expect(destination?.healthCheck).to.equal('http /health')
        }
      })

      it('instances not read for one of the two processes: unknown, not judged on the other alone', () => {
        const pair = firstMoment(order, {
          old: {actual: null},
          fresh: {actual: [instance({index: 0, instanceGuid: 'new-0', state: 'CRASHED', routable: false})]},
        })
        for (const s of bothListOrders(pair)) {
          expect(runRule(noHealthyInstancesRule, s)).to.deep.equal([])
          expect(buildRouteMap(s).domains[0]!.routes[0]!.destinations[0]?.instances.known).to.equal(false)
        }
      })

      it('routes/lb-ineffective: a one-instance app mid-roll has two endpoints behind the route', () => {
        const pair = firstMoment(order, {
          old: {instances: 1, actual: [running(0, 'old-0')]},
        })
        const lc = {options: {loadbalancing: 'least-connection'}}
        for (const s of bothListOrders(pair, {routes: [route(lc)]})) {
          expect(runRule(lbIneffectiveRule, s)).to.deep.equal([])
        }
      })

      it('routes/health-check reports a destination once, on the old process', () => {
        const processCheck = {type: 'process', endpoint: null, timeout: null, invocationTimeout: null}
        const pair = firstMoment(order, {
          old: {healthCheck: processCheck},
          fresh: {healthCheck: processCheck},
        })
        for (const s of bothListOrders(pair)) {
          const findings = runRule(healthCheckRule, s)
          expect(findings.map((f) => [f.resource.guid, f.resource.name])).to.deep.equal([
            [order.oldGuid, 'billing-api/web'],
          ])
        }
      })

      it('routes/unrouted-app counts the running web instances of both processes', () => {
        const pair = firstMoment(order, {fresh: {actual: [running(0, 'new-0', NEW_CREATED)]}})
        for (const s of bothListOrders(pair, {routes: []})) {
          expect(runRule(unroutedAppRule, s).map((f) => f.evidence.runningWebInstances)).to.deep.equal([3])
        }
      })

      it('routes/traffic-imbalance tells the old and the new instance 0 apart', () => {
        const pair = firstMoment(order, {fresh: {actual: [running(0, 'new-0', NEW_CREATED)]}})
        // Old and new instance 0 both fail (same index, two instances); old 1 takes the rest.
        const stats = [
          trafficStat({instanceIndex: 0, instanceGuid: 'old-0', requests: 100, status5xx: 50}),
          trafficStat({instanceIndex: 0, instanceGuid: 'new-0', requests: 100, status5xx: 50}),
          trafficStat({instanceIndex: 1, instanceGuid: 'old-1', requests: 500}),
        ]
        const traffic = {windowSeconds: 900, stats, linesRead: 700, linesSkipped: 0}
        for (const s of bothListOrders(pair, {traffic, access: access({traffic: {state: 'full'}})})) {
          const findings = runRule(trafficImbalanceRule, s)
          const errors = findings.filter((f) => f.evidence.status5xx !== undefined)
          expect(errors.map((f) => f.evidence.instance)).to.deep.equal([
            'billing-api/0 (old-0)',
            'billing-api/0 (new-0)',
          ])
          expect(new Set(errors.map((f) => f.fingerprint)).size).to.equal(2)
          // The share test counts the running instances of both processes.
          const share = findings.filter((f) => f.evidence.shareFactor !== undefined)
          expect(share.map((f) => [f.evidence.instance, f.evidence.instancesRunning])).to.deep.equal([
            ['billing-api/1', 3],
          ])
        }
      })

      it('identity/drift and the route map count the same instances', () => {
        const pair = firstMoment(order)
        const routed = {domains: [domain()], routes: [route()]}
        const identity = {
          apps: [app()],
          serviceInstances: [ups()],
          bindings: [binding()],
          auditEvents: [auditEvent({createdAt: '2026-11-25T00:00:00Z'})],
        }
        for (const listed of [
          [pair.old, pair.fresh],
          [pair.fresh, pair.old],
        ]) {
          const s = snapshot({...identity, ...routed, processes: listed})
          const [drift] = credentialDrift.run(s, DEFAULT_POLICY, NOW)
          const counts = buildRouteMap(s).domains[0]!.routes[0]!.destinations[0]!.instances
          const e = drift!.evidence as Record<string, number>
          expect(e.staleInstances! + e.currentInstances! + e.unknownInstances!).to.equal(
            counts.running + counts.starting,
          )
          expect([e.staleInstances, e.currentInstances]).to.deep.equal([2, 1])
        }
      })
    })
  }
})
