import {expect} from 'chai'

import {decodeMetadata, decodeProcess} from '../../../src/cf/ccv3/decode.js'
import type {WireProcess} from '../../../src/cf/ccv3/wire.js'
import {intern, internStrings, sharedRecord} from '../../../src/util/intern.js'

const NOW = new Date('2026-12-07T12:00:00Z')

function wireProcess(guid: string): WireProcess {
  return {
    guid,
    type: 'web',
    instances: 2,
    command: 'java -jar app.jar',
    health_check: {type: 'http', data: {endpoint: '/health', timeout: 60, invocation_timeout: 1}},
    relationships: {app: {data: {guid: `app-${guid}`}}},
    created_at: '2026-12-01T00:00:00Z',
    updated_at: '2026-12-01T00:00:00Z',
    process_instances: [{index: 0, state: 'RUNNING', since: 60}],
  } as unknown as WireProcess
}

describe('intern / sharedRecord (one copy per value while a collection runs)', () => {
  it('is the identity for values, held or not', () => {
    expect(intern('abc')).to.equal('abc')
    expect(intern(null)).to.equal(null)
    const release = internStrings()
    try {
      expect(intern('abc')).to.equal('abc')
      expect(intern(undefined)).to.equal(undefined)
    } finally {
      release()
    }
  })

  it('shares one record per key while held, and makes a new one each time after release', () => {
    const make = () => ({type: 'port'})
    const release = internStrings()
    const a = sharedRecord('k', make)
    const b = sharedRecord('k', make)
    expect(a).to.equal(b)
    expect(sharedRecord('other', make)).not.to.equal(a)
    release()
    expect(sharedRecord('k', make)).not.to.equal(sharedRecord('k', make))
  })

  it('keeps the table while any holder holds it (concurrent collections), and a second release is a no-op', () => {
    const first = internStrings()
    const second = internStrings()
    const a = sharedRecord('k', () => ({n: 1}))
    first()
    first()
    expect(sharedRecord('k', () => ({n: 2}))).to.equal(a)
    second()
    expect(sharedRecord('k', () => ({n: 3}))).to.deep.equal({n: 3})
  })

  it('decodes the same processes with or without interning; health checks are shared only while held', () => {
    const plain = [decodeProcess(wireProcess('p1'), NOW), decodeProcess(wireProcess('p2'), NOW)]
    expect(plain[0]!.healthCheck).not.to.equal(plain[1]!.healthCheck)
    const release = internStrings()
    let held
    try {
      held = [decodeProcess(wireProcess('p1'), NOW), decodeProcess(wireProcess('p2'), NOW)]
    } finally {
      release()
    }
    expect(held).to.deep.equal(plain)
    expect(held[0]!.healthCheck).to.equal(held[1]!.healthCheck)
    expect(held[0]!.healthCheck).to.deep.equal({
      type: 'http',
      endpoint: '/health',
      timeout: 60,
      invocationTimeout: 1,
    })
  })

  it('gives resources without labels one frozen empty record, and real labels their own', () => {
    const none = decodeMetadata(undefined)
    expect(none).to.deep.equal({labels: {}, annotations: {}})
    expect(Object.isFrozen(none.labels)).to.equal(true)
    const some = decodeMetadata({labels: {team: 'a', gone: null}, annotations: {}})
    expect(some.labels).to.deep.equal({team: 'a'})
    expect(Object.isFrozen(some.labels)).to.equal(false)
  })
})
