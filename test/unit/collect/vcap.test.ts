import {expect} from 'chai'

import {decodeVcap, matchEntry, type BindingRef} from '../../../src/collect/vcap.js'

describe('collect/vcap: decoding GET /v3/apps/:guid/env', () => {
  const ups = {
    name: 'billing-oidc',
    binding_guid: 'b-1',
    binding_name: null,
    instance_guid: 'si-1',
    instance_name: 'billing-oidc',
    label: 'user-provided',
    tags: ['oidc'],
    credentials: {client_id: 'billing', client_secret: 'x'},
  }
  const managed = {
    name: 'sso',
    binding_guid: 'b-2',
    instance_guid: 'si-2',
    instance_name: 'sso',
    label: 'p-identity',
    plan: 'standard',
    credentials: {client_id: 'sso-1'},
  }

  it('reads every binding of VCAP_SERVICES across labels', () => {
    const d = decodeVcap({VCAP_SERVICES: {'user-provided': [ups], 'p-identity': [managed]}})
    expect(d.visibility).to.equal('visible')
    expect(d.entries.map((e) => [e.bindingGuid, e.instanceGuid, e.label])).to.deep.equal([
      ['b-1', 'si-1', 'user-provided'],
      ['b-2', 'si-2', 'p-identity'],
    ])
    expect(d.entries[0]?.credentials).to.deep.equal({client_id: 'billing', client_secret: 'x'})
  })

  it('parses a VCAP_SERVICES sent as a JSON string, and ignores garbage', () => {
    expect(decodeVcap({VCAP_SERVICES: JSON.stringify({'user-provided': [ups]})}).entries).to.have.length(1)
    expect(decodeVcap({VCAP_SERVICES: '{not json'}).entries).to.deep.equal([])
    expect(decodeVcap({VCAP_SERVICES: {x: 'not a list', y: [null, 3]}}).entries).to.deep.equal([])
    expect(decodeVcap({}).visibility).to.equal('visible')
  })

  it('says why VCAP_SERVICES is hidden: supporter redaction, file-based and k8s bindings', () => {
    expect(decodeVcap({redacted_message: '[PRIVATE DATA HIDDEN]'}).visibility).to.equal('redacted')
    expect(
      decodeVcap({VCAP_SERVICES_FILE_PATH: '/etc/cf-service-bindings/vcap_services'}).visibility,
    ).to.equal('file-based-vcap-services')
    expect(decodeVcap({SERVICE_BINDING_ROOT: '/etc/cf-service-bindings'}).visibility).to.equal(
      'service-binding-k8s',
    )
  })

  it('reads the pre-3.95 names binding_id / instance_id', () => {
    const old = {
      name: 'legacy',
      binding_id: 'b-9',
      instance_id: 'si-9',
      label: 'user-provided',
      credentials: {},
    }
    const [e] = decodeVcap({VCAP_SERVICES: {'user-provided': [old]}}).entries
    expect([e?.bindingGuid, e?.instanceGuid, e?.instanceName]).to.deep.equal(['b-9', 'si-9', 'legacy'])
  })

  describe('matchEntry', () => {
    const b1: BindingRef = {guid: 'b-1', serviceInstanceGuid: 'si-1'}
    const b1new: BindingRef = {guid: 'b-1-new', serviceInstanceGuid: 'si-1'}
    const bindings = new Map([
      ['b-1', b1],
      ['b-1-new', b1new],
    ])
    const active = new Map([['si-1', b1new]])
    const byName = new Map([['billing-oidc', 'si-1']])

    it('matches by binding guid first', () => {
      const [e] = decodeVcap({VCAP_SERVICES: {'user-provided': [ups]}}).entries
      expect(matchEntry(e!, bindings, active, byName)).to.equal(b1)
    })

    it('falls back to the instance (newest binding) and, before CC 3.95, to the instance name', () => {
      const noGuid = {...ups, binding_guid: undefined}
      const [e] = decodeVcap({VCAP_SERVICES: {'user-provided': [noGuid]}}).entries
      expect(matchEntry(e!, bindings, active, byName)).to.equal(b1new)
      const nameOnly = {name: 'billing-oidc', label: 'user-provided', credentials: {}}
      const [n] = decodeVcap({VCAP_SERVICES: {'user-provided': [nameOnly]}}).entries
      expect(matchEntry(n!, bindings, active, byName)).to.equal(b1new)
    })

    it('returns null for an entry of no known binding', () => {
      const stranger = {...ups, binding_guid: 'b-x', instance_guid: 'si-x', instance_name: 'other'}
      const [e] = decodeVcap({VCAP_SERVICES: {'user-provided': [stranger]}}).entries
      expect(matchEntry(e!, bindings, active, byName)).to.equal(null)
    })
  })
})
