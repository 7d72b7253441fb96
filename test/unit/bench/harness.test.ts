import {expect} from 'chai'

import {apiMinimum} from '../../../bench/harness/api-minimum.js'
import {costCounts} from '../../../bench/harness/cost.js'
import {endpointOf} from '../../../bench/harness/endpoints.js'
import type {FoundationCounts} from '../../../bench/harness/protocol.js'
import {requestBreakdown} from '../../../src/collect/cost.js'
import {
  CONCURRENCY,
  DEPENDENT_CHAIN,
  figure,
  formatNumber,
  lowerBoundMs,
} from '../../../bench/harness/figures.js'
import {figuresTable} from '../../../bench/harness/report.js'
import {median, ratio} from '../../../bench/harness/stats.js'

describe('bench harness (pure parts)', () => {
  it('lower bound = latency × (dependent chain + ceil(per-item reads / concurrency))', () => {
    expect(DEPENDENT_CHAIN).to.equal(3)
    expect(CONCURRENCY).to.equal(16)
    expect(lowerBoundMs(25, 6433)).to.equal(25 * (3 + 403))
    expect(lowerBoundMs(10, 0)).to.equal(30)
    expect(lowerBoundMs(10, 16)).to.equal(40)
    expect(lowerBoundMs(10, 17)).to.equal(50)
    expect(lowerBoundMs(10, 17, 1)).to.equal(200)
  })

  it('judges each figure against its target, and an unmeasurable one as n/a (never as met)', () => {
    expect(figure('requestsOverMinimum', 'x', 1, '').met).to.equal(true)
    expect(figure('requestsOverMinimum', 'x', 1.001, '').met).to.equal(false)
    expect(figure('requestsOverApiMinimum', 'x', 1.001, '').met).to.equal(false)
    expect(figure('wallOverCurl', 'x', 1, '').met).to.equal(true)
    expect(figure('wallOverCurl', 'x', 1.01, '').met).to.equal(false)
    expect(figure('clientCpuOverRaw', 'x', 1.51, '').met).to.equal(false)
    expect(figure('firstRequestOverNode', 'x', 2.5, '').met).to.equal(true)
    // a per-foundation limit (wall / lower bound: 1.5 at 1,000 apps, 1.3 at 10,000)
    expect(figure('wallOverLowerBound', 'x', 1.4, '', undefined, 1.3)).to.include({
      met: false,
      target: '≤ 1.3',
    })
    expect(figure('wallOverLowerBound', 'x', 1.4, '')).to.include({met: true, target: '≤ 1.5'})
    // reported, never judged
    expect(figure('cpuOverCurl', 'x', 0.5, '')).to.include({met: null, target: 'reported', value: 0.5})
    expect(figure('naiveOverCfguard', 'x', 19.9, '').met).to.equal(false)
    expect(figure('naiveOverCfguard', 'x', 20, '').met).to.equal(true)
    expect(figure('cachedOverFirst', 'x', 0.2, '').met).to.equal(true)
    expect(figure('peakRssMb', 'x', 301, '').met).to.equal(false)
    expect(figure('startupOverNode', 'x', 2.5, '').met).to.equal(true)
    expect(figure('wallOverLowerBound', 'x', 1.51, '').met).to.equal(false)
    const unmeasured = figure('requestsOverMinimum', 'x', Number.NaN, '', 'no minimum')
    expect(unmeasured).to.include({value: null, met: null, note: 'no minimum'})
    expect(figure('peakRssMb', 'x', null, '').met).to.equal(null)
  })

  it('prints the measured value beside the target in a markdown table', () => {
    const table = figuresTable([
      figure('requestsOverMinimum', '1,000 apps', 1.0123, '1,012 / 1,000'),
      figure('peakRssMb', '10,000 apps', 412.4, 'cfguard process'),
      figure('cachedOverFirst', '10,000 apps', null, 'n/a', 'not measured'),
    ])
    const lines = table.split('\n')
    expect(lines).to.have.length(5)
    expect(lines[2]).to.equal(
      "| requests / minimum (cfguard's cost model) | 1,000 apps | 1.01 | ≤ 1 | **missed** | 1,012 / 1,000 |",
    )
    expect(lines[3]).to.equal(
      '| peak RSS of cfguard (MB) | 10,000 apps | 412 | ≤ 300 | **missed** | cfguard process |',
    )
    expect(lines[4]).to.contain('| n/a | ≤ 0.2 | n/a | n/a — not measured |')
  })

  it('shows megabytes without decimals and ratios with two', () => {
    const table = figuresTable([
      figure('peakRssMb', 'a', 91.8, ''),
      figure('wallOverLowerBound', 'b', 1.234, ''),
      figure('cachedOverFirst', 'c', 0.0033, ''),
    ])
    expect(table).to.contain('| 92 | ≤ 300 |')
    expect(table).to.contain('| 1.23 | ≤ 1.5 |')
    expect(table).to.contain('| 0.003 | ≤ 0.2 |')
  })

  it('feeds the simulator counts of a 10,000-app foundation into the collector minimum', () => {
    // The generated scenario at 10,000 apps, seed 1, as the simulator process counts it.
    const counts: FoundationCounts = {
      orgs: 50,
      spaces: 400,
      apps: 10_000,
      processes: 10_985,
      processInstances: 20_985,
      domains: 4,
      routes: 15_010,
      destinations: 15_010,
      routePolicies: 0,
      routeBindings: 0,
      serviceOfferings: 4,
      servicePlans: 4,
      serviceInstances: 6433,
      userProvidedServiceInstances: 6033,
      managedServiceInstances: 400,
      credentialBindings: 11_944,
      appBindings: 11_944,
      serviceKeys: 0,
      deployments: 0,
      activeDeployments: 0,
      auditEvents: 20_457,
      recentUpsAuditEvents: 2471,
      unboundUserProvided: 0,
      hiddenManagedBindings: 0,
      networkPolicies: 0,
      uaaClients: 5073,
    }
    const breakdown = requestBreakdown(costCounts(counts), {
      ccVersion: '3.228.0',
      families: ['identity', 'routes'],
      secrets: true,
      scope: 'all',
      session: true,
      uaaClientsReadable: true,
      networkPolicyServer: true,
    })
    expect(breakdown).to.include({session: 2, apps: 2, processes: 3, routes: 4, uaaClients: 11, env: 10_000})
    expect(Object.values(breakdown).reduce((a, b) => a + b, 0)).to.equal(10_033)
  })

  it('writes the minimum down from the API: one page per 5000 rows, 500 UAA clients a page, /env per app', () => {
    const counts = {
      orgs: 50,
      spaces: 400,
      apps: 10_000,
      processes: 11_000,
      processInstances: 20_000,
      domains: 3,
      routes: 15_010,
      destinations: 15_000,
      routePolicies: 0,
      routeBindings: 0,
      serviceOfferings: 4,
      servicePlans: 4,
      serviceInstances: 6433,
      userProvidedServiceInstances: 6033,
      managedServiceInstances: 400,
      credentialBindings: 11_944,
      appBindings: 11_944,
      serviceKeys: 2,
      deployments: 0,
      activeDeployments: 0,
      auditEvents: 20_457,
      recentUpsAuditEvents: 2471,
      unboundUserProvided: 5,
      hiddenManagedBindings: 1,
      networkPolicies: 0,
      uaaClients: 5073,
    }
    const min = apiMinimum(counts)
    expect(min.terms).to.include({
      'GET /v3/apps': 2,
      'GET /v3/processes?embed=process_instances': 3,
      'GET /v3/routes?include=route_policies': 4,
      'GET /v3/deployments?status_values=ACTIVE': 1,
      'GET uaa:/oauth/clients': 11,
      'GET /v3/apps/:guid/env': 10_000,
      'GET /v3/service_instances/:guid/credentials': 5,
      'GET /v3/service_credential_bindings/:guid/details': 3,
    })
    expect(min.perItem).to.equal(10_008)
    expect(min.total).to.equal(10_008 + 2 + 2 + 1 + 3 + 4 + 1 + 1 + 2 + 3 + 1 + 1 + 11 + 1)
  })

  it('groups request paths by endpoint', () => {
    expect(endpointOf('/v3/apps/0f4e1c2a-1b2c-4d3e-8f90-a1b2c3d4e5f6/processes/web/stats')).to.equal(
      '/v3/apps/:guid/processes/web/stats',
    )
    expect(endpointOf('/v3/processes/0F4E1C2A-1B2C-4D3E-8F90-A1B2C3D4E5F6/instances/3')).to.equal(
      '/v3/processes/:guid/instances/:n',
    )
    expect(endpointOf('/oauth/clients/billing-client')).to.equal('/oauth/clients/:id')
    expect(endpointOf('/oauth/clients')).to.equal('/oauth/clients')
    expect(endpointOf('/v3/apps')).to.equal('/v3/apps')
  })

  it('median and ratio', () => {
    expect(median([3, 1, 2])).to.equal(2)
    expect(median([4, 1, 2, 3])).to.equal(2.5)
    expect(Number.isNaN(median([]))).to.equal(true)
    expect(ratio(3, 2)).to.equal(1.5)
    expect(ratio(3, 0)).to.equal(null)
    expect(ratio(null, 2)).to.equal(null)
    expect(formatNumber(1234.5)).to.equal('1,235')
    expect(formatNumber(0.123)).to.equal('0.12')
    expect(formatNumber(null)).to.equal('n/a')
  })
})
