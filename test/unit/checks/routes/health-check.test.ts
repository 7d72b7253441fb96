import {expect} from 'chai'

import {healthCheckRule} from '../../../../src/checks/routes/health-check.js'
import {proc} from '../../../helpers/snapshot.js'
import {routedSnapshot, runRule} from '../../../helpers/route-fixtures.js'

const check = (type: string, endpoint: string | null = null) => ({
  type,
  endpoint,
  timeout: null,
  invocationTimeout: null,
})

describe('routes/health-check', () => {
  it('fires on a routed process with a process-type health check, naming the routes', () => {
    const s = routedSnapshot({processes: [proc({healthCheck: check('process')})]})
    const findings = runRule(healthCheckRule, s)
    expect(findings).to.have.length(1)
    expect(findings[0]?.resource).to.include({kind: 'process', guid: 'proc-1', name: 'billing-api/web'})
    expect(findings[0]?.related.map((r) => r.name)).to.deep.equal(['billing.apps.example.com'])
    expect(findings[0]?.remediation).to.contain('cf set-health-check billing-api http --endpoint /health')
  })

  it('fires on http checks without an endpoint, liveness and readiness alike', () => {
    const s = routedSnapshot({
      processes: [proc({healthCheck: check('http'), readinessCheck: check('http')})],
    })
    expect(runRule(healthCheckRule, s).map((f) => f.remediation)).to.deep.equal([
      'cf set-health-check billing-api http --endpoint /health',
      'cf set-readiness-health-check billing-api http --endpoint /health',
    ])
  })

  it('accepts a process liveness check guarded by a port/http readiness check', () => {
    const s = routedSnapshot({
      processes: [proc({healthCheck: check('process'), readinessCheck: check('http', '/ready')})],
    })
    expect(runRule(healthCheckRule, s)).to.deep.equal([])
  })

  it('ignores processes no route reaches (workers)', () => {
    const s = routedSnapshot({routes: [], processes: [proc({healthCheck: check('process')})]})
    expect(runRule(healthCheckRule, s)).to.deep.equal([])
  })

  it('does not judge a process whose app is not visible', () => {
    const s = routedSnapshot({apps: [], processes: [proc({healthCheck: check('process')})]})
    expect(runRule(healthCheckRule, s)).to.deep.equal([])
  })
})
