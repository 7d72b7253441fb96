import {expect} from 'chai'

import {batchGuidFilters, buildQuery, describeFilters} from '../../../../src/cf/ccv3/query.js'
import {
  compareVersions,
  MIN_CC_VERSION,
  requireVersion,
  supports,
  versionAtLeast,
} from '../../../../src/cf/ccv3/minimum-version.js'

describe('cf/ccv3 query building and version gates', () => {
  it('names filters as CC does and keeps list commas literal', () => {
    expect(
      buildQuery({
        appGuids: ['a', 'b'],
        perPage: 5000,
        labelSelector: ['env=prod', 'tier in (web,api)'],
        include: 'space',
      }),
    ).to.equal(
      'app_guids=a,b&per_page=5000&label_selector=env%3Dprod%2Ctier%20in%20(web%2Capi)&include=space',
    )
  })

  it('escapes a comma inside one value so CC does not split it', () => {
    // CC decodes the query, splits on commas, then unescapes each item.
    expect(buildQuery({names: ['a,b', 'c%d', 'e f']})).to.equal('names=a%252Cb,c%2525d,e%20f')
  })

  it('writes relational and exclusion filters and fields', () => {
    expect(
      buildQuery({
        createdAts: {gt: new Date('2026-01-01T00:00:00.123Z'), lte: '2026-02-01T00:00:00Z'},
        targetGuids: {not: ['x', 'y']},
        fields: {space: ['guid', 'name'], 'space.organization': ['name']},
      }),
    ).to.equal(
      'created_ats[lte]=2026-02-01T00%3A00%3A00Z&created_ats[gt]=2026-01-01T00%3A00%3A00Z&target_guids[not]=x,y&fields[space]=guid,name&fields[space.organization]=name',
    )
  })

  it('batches GUID filters by 200, deduplicated, across every oversized filter', () => {
    const guids = Array.from({length: 450}, (_, i) => `g${i}`)
    const batches = batchGuidFilters({appGuids: [...guids, 'g1'], names: ['x']})
    expect(batches.map((b) => b.appGuids.length)).to.deep.equal([200, 200, 50])
    expect(batches.every((b) => b.names[0] === 'x')).to.equal(true)
    expect(batches.flatMap((b) => b.appGuids)).to.deep.equal(guids)
    const two = batchGuidFilters({appGuids: guids.slice(0, 201), spaceGuids: guids.slice(0, 250)})
    expect(two).to.have.length(4)
    expect(batchGuidFilters({appGuids: guids.slice(0, 200)})).to.have.length(1)
  })

  it('describes filters for messages without long lists', () => {
    expect(describeFilters({names: ['acme'], spaceGuids: ['a', 'b', 'c', 'd'], perPage: 2})).to.equal(
      'names=acme space_guids=(4)',
    )
  })

  it('compares versions numerically and gates features', () => {
    expect(compareVersions('3.99.0', '3.205.0')).to.equal(-1)
    expect(compareVersions('3.205.0', '3.205')).to.equal(0)
    expect(versionAtLeast('3.228.0', MIN_CC_VERSION.routePolicies)).to.equal(true)
    expect(versionAtLeast('3.211.0-rc1', '3.211.0')).to.equal(true)
    expect(supports('3.204.9', 'bindingStrategyMultiple')).to.equal(false)
    expect(() => requireVersion('3.200.0', 'bindingStrategyMultiple')).to.throw(
      /3\.205\.0 or newer; this foundation runs 3\.200\.0/,
    )
    requireVersion('3.205.0', 'bindingStrategyMultiple')
  })
})
