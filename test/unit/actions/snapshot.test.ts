import {expect} from 'chai'

import {parseBaselineFile} from '../../../src/actions/audit.js'
import {SNAPSHOT_KIND, isSnapshotDocument, toSnapshotDocument} from '../../../src/actions/snapshot.js'
import {routeBaselineOfDocument} from '../../../src/derive/baseline.js'
import {app, destination, domain, proc, route, snapshot} from '../../helpers/snapshot.js'

const state = () =>
  snapshot({
    apps: [app()],
    processes: [proc()],
    domains: [domain()],
    routes: [
      route({destinations: [destination({port: 8081})]}),
      route({guid: 'route-2', host: 'old', destinations: []}),
    ],
  })

describe('snapshot document (actions/snapshot)', () => {
  it('is the Snapshot with the kind marker and how it was taken in front', () => {
    const doc = toSnapshotDocument(state(), false, '1.2.3')
    expect(Object.keys(doc).slice(0, 5)).to.deep.equal([
      'kind',
      'cfguardVersion',
      'secretsRead',
      'schemaVersion',
      'target',
    ])
    expect(doc).to.include({kind: SNAPSHOT_KIND, cfguardVersion: '1.2.3', secretsRead: false})
    expect(isSnapshotDocument(doc)).to.equal(true)
    expect(isSnapshotDocument({...doc, kind: 'something-else'})).to.equal(false)
    expect(isSnapshotDocument(JSON.parse(JSON.stringify(doc)))).to.equal(true)
  })

  it('is what --baseline reads as the reviewed route state, with no findings to filter', () => {
    const text = JSON.stringify(toSnapshotDocument(state(), true))
    const input = parseBaselineFile(text, 'snap.json')
    expect(input.findings).to.equal(null)
    expect(
      input.routes?.routes.map((r) => [r.url, r.destinations.map((d) => `${d.appName}:${d.port}`)]),
    ).to.deep.equal([
      ['billing.apps.example.com', ['billing-api:8081']],
      ['old.apps.example.com', []],
    ])
    expect(routeBaselineOfDocument(JSON.parse(text))?.generatedAt).to.equal(state().collectedAt)
  })
})
