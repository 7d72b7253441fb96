import {expect} from 'chai'
import type {ServerResponse} from 'node:http'

import {createCcClient, type CcClient} from '../../../../src/cf/ccv3/client.js'
import {discoverRoot} from '../../../../src/cf/ccv3/root.js'
import {createTransport, type Transport} from '../../../../src/cf/http/transport.js'
import {fakeSleep, json, raw, startLoopback, type Loopback, type Recorded} from '../../../helpers/loopback.js'
import {failure} from '../../../helpers/failure.js'

const T = '2026-11-28T20:00:00Z'
const app = (guid: string, space: string) => ({
  guid,
  name: `app-${guid}`,
  state: 'STARTED',
  created_at: T,
  updated_at: T,
  lifecycle: {type: 'buildpack', data: {buildpacks: ['java_buildpack'], stack: 'cflinuxfs4'}},
  relationships: {space: {data: {guid: space}}},
  metadata: {labels: {team: 'billing', gone: null}, annotations: {}},
})
const space = (guid: string) => ({
  guid,
  name: `space-${guid}`,
  created_at: T,
  updated_at: T,
  relationships: {organization: {data: {guid: 'o1'}}},
})

describe('cf/ccv3 client', () => {
  let cc: Loopback
  let other: Loopback
  let transport: Transport
  let client: CcClient
  let sleeper: ReturnType<typeof fakeSleep>
  const warnings: string[] = []

  beforeEach(async () => {
    cc = await startLoopback()
    other = await startLoopback()
    sleeper = fakeSleep()
    warnings.length = 0
    transport = createTransport({sleep: sleeper.sleep, warn: (w) => warnings.push(w)})
    transport.trust({cc: cc.url})
    transport.setTokenProvider({
      accessToken: async () => 'token-abcdefgh',
      renewAfterRejection: async () => 'token-abcdefgh',
    })
    client = createCcClient({
      transport,
      apiUrl: cc.url,
      version: '3.228.0',
      sleep: sleeper.sleep,
      now: () => new Date(T),
    })
  })

  afterEach(async () => {
    transport.close()
    await cc.close()
    await other.close()
  })

  function pages(
    res: ServerResponse,
    r: Recorded,
    n: number,
    total: number,
    resources: unknown[],
    included: unknown,
  ) {
    const next = n < total ? {href: `${cc.url}/v3/apps?page=${n + 1}&per_page=2&include=space`} : null
    json(res, 200, {pagination: {total_results: 5, total_pages: total, next}, resources, included})
  }

  it('follows pagination.next over several pages and merges `included` by guid', async () => {
    cc.handle((r, res) => {
      const page = Number(new URL(r.path, cc.url).searchParams.get('page') ?? '1')
      if (page === 1)
        pages(res, r, 1, 3, [app('a1', 's1'), app('a2', 's2')], {spaces: [space('s1'), space('s2')]})
      else if (page === 2)
        pages(res, r, 2, 3, [app('a3', 's1'), app('a4', 's3')], {spaces: [space('s1'), space('s3')]})
      // a resource shifted across pages while walking: a2 again
      else pages(res, r, 3, 3, [app('a5', 's3'), app('a2', 's2')], {spaces: [space('s3')]})
    })
    const {resources, included} = await client.apps.listWithIncluded({include: 'space'})
    expect(cc.requests.map((r) => r.path)).to.deep.equal([
      '/v3/apps?per_page=5000&include=space',
      '/v3/apps?page=2&per_page=2&include=space',
      '/v3/apps?page=3&per_page=2&include=space',
    ])
    expect(resources.map((a) => a.guid)).to.deep.equal(['a1', 'a2', 'a3', 'a4', 'a5'])
    expect(included.spaces.map((s) => s.guid).sort()).to.deep.equal(['s1', 's2', 's3'])
    expect(resources[0]).to.deep.include({
      spaceGuid: 's1',
      stack: 'cflinuxfs4',
      buildpacks: ['java_buildpack'],
      labels: {team: 'billing'},
    })
    expect(included.spaces[0]?.orgGuid).to.equal('o1')
  })

  it('refuses a pagination.next that points at another host, before sending anything there', async () => {
    cc.handle((_r, res) =>
      json(res, 200, {
        pagination: {total_pages: 2, next: {href: `${other.url}/v3/apps?page=2`}},
        resources: [app('a', 's')],
      }),
    )
    const err = await failure(client.apps.listAll())
    expect(err.code).to.equal('BAD_RESPONSE')
    expect(err.message).to.contain('another host')
    expect(other.requests).to.have.length(0)
  })

  it('refuses a self-referencing or cyclic pagination.next', async () => {
    cc.handle((r, res) =>
      json(res, 200, {
        pagination: {next: {href: `${cc.url}/v3/spaces?page=2`}},
        resources: [space(`s${cc.requests.length}`)],
      }),
    )
    const err = await failure(client.spaces.listAll())
    expect(err.message).to.contain('a page already read')
    expect(cc.requests).to.have.length(2)
  })

  it('sends GUID filters in batches of at most 200', async () => {
    cc.handle((r, res) => {
      const guids = (new URL(r.path, cc.url).searchParams.get('space_guids') ?? '').split(',')
      json(res, 200, {
        pagination: {next: null},
        resources: guids.slice(0, 1).map((g) => app(`app-of-${g}`, g)),
      })
    })
    const spaceGuids = Array.from({length: 401}, (_, i) => `s${String(i).padStart(3, '0')}`)
    const apps = await client.apps.listAll({spaceGuids})
    expect(cc.requests).to.have.length(3)
    const sizes = cc.requests.map(
      (r) => (new URL(r.path, cc.url).searchParams.get('space_guids') ?? '').split(',').length,
    )
    expect(sizes).to.deep.equal([200, 200, 1])
    expect(cc.requests.every((r) => r.path.length < 8192)).to.equal(true)
    expect(apps.map((a) => a.spaceGuid)).to.deep.equal(['s000', 's200', 's400'])
  })

  it('an empty GUID filter matches nothing without a request', async () => {
    expect(await client.apps.listAll({spaceGuids: []})).to.deep.equal([])
    expect(cc.requests).to.have.length(0)
  })

  it('single() errors unless exactly one resource matches', async () => {
    cc.handle((r, res) => {
      const names = new URL(r.path, cc.url).searchParams.get('names')
      const everything = [space('s1'), space('s2')]
      const found =
        names === 'one'
          ? [space('s1')]
          : names === 'two'
            ? [space('s1'), space('s2')]
            : names === null
              ? everything
              : []
      json(res, 200, {
        pagination: {next: found.length && names !== null ? {href: `${cc.url}/v3/spaces?page=2`} : null},
        resources: found,
      })
    })
    expect((await client.spaces.single({names: ['one']})).guid).to.equal('s1')
    expect(cc.requests[0]?.path).to.equal('/v3/spaces?per_page=2&names=one&page=1')
    const none = await failure(client.spaces.single({names: ['spce-s1']}))
    expect(none.code).to.equal('NOT_FOUND')
    // said as a person would, with the closest names there are (one more list, on this path only)
    expect(none.message).to.equal('no space named "spce-s1"; did you mean "space-s1"?')
    expect(cc.requests.at(-1)?.path).to.equal('/v3/spaces?per_page=5000')
    const narrowed = await failure(client.spaces.single({names: ['space-s3'], organizationGuids: ['o1']}))
    expect(narrowed.message).to.equal(
      'no space named "space-s3" in that organization; did you mean "space-s1" or "space-s2"?',
    )
    const many = await failure(client.spaces.single({names: ['two']}))
    expect(many.code).to.equal('USAGE')
  })

  it('creates a managed binding (202 + Location) and polls the job with the injected sleep', async () => {
    let polls = 0
    cc.handle((r, res) => {
      if (r.method === 'POST') return raw(res, 202, '', {Location: `${cc.url}/v3/jobs/job-1`})
      polls++
      const state = polls < 3 ? 'PROCESSING' : 'COMPLETE'
      json(res, 200, {
        guid: 'job-1',
        operation: 'service_bindings.create',
        state,
        errors: [],
        warnings: [{detail: 'broker is slow'}],
      })
    })
    const {binding, job} = await client.serviceCredentialBindings.create({
      type: 'app',
      serviceInstanceGuid: 'si',
      appGuid: 'a',
      name: 'oidc',
      strategy: 'multiple',
    })
    expect(binding).to.equal(undefined)
    expect(job?.jobGuid).to.equal('job-1')
    expect(JSON.parse(cc.requests[0]?.body ?? '{}')).to.deep.equal({
      type: 'app',
      relationships: {service_instance: {data: {guid: 'si'}}, app: {data: {guid: 'a'}}},
      name: 'oidc',
      strategy: 'multiple',
    })
    const done = await client.jobs.poll(job!, {intervalMs: 1500})
    expect(done.state).to.equal('COMPLETE')
    expect(sleeper.waits).to.deep.equal([1500, 1500])
    expect(warnings).to.deep.equal(['broker is slow'])
  })

  it('a FAILED job throws with CC’s error; a job still running past the timeout says so', async () => {
    cc.handle((_r, res) =>
      json(res, 200, {
        guid: 'j',
        operation: 'service_bindings.delete',
        state: 'FAILED',
        errors: [{code: 10008, title: 'CF-UnprocessableEntity', detail: 'broker said no'}],
      }),
    )
    const failed = await failure(client.jobs.poll('j'))
    expect(failed.code).to.equal('UNPROCESSABLE')
    expect(failed.message).to.contain('broker said no')

    let clock = Date.parse(T)
    const slow = createCcClient({
      transport,
      apiUrl: cc.url,
      version: '3.228.0',
      now: () => new Date(clock),
      sleep: async (ms) => void (clock += ms),
    })
    cc.handle((_r, res) => json(res, 200, {guid: 'j', operation: 'app.delete', state: 'PROCESSING'}))
    const late = await failure(slow.jobs.poll('j', {timeoutMs: 10_000, intervalMs: 3000}))
    expect(late.code).to.equal('API_UNAVAILABLE')
    expect(late.message).to.contain('still PROCESSING after 10 s')
  })

  it('a UPS binding answers 201 with the binding; a job Location on another host is refused', async () => {
    cc.handle((_r, res) =>
      json(res, 201, {
        guid: 'b1',
        name: null,
        type: 'app',
        created_at: T,
        updated_at: T,
        last_operation: {type: 'create', state: 'succeeded'},
        relationships: {service_instance: {data: {guid: 'si'}}, app: {data: {guid: 'a'}}},
      }),
    )
    const {binding} = await client.serviceCredentialBindings.create({
      type: 'app',
      serviceInstanceGuid: 'si',
      appGuid: 'a',
    })
    expect(binding).to.deep.include({
      guid: 'b1',
      appGuid: 'a',
      serviceInstanceGuid: 'si',
      lastOperation: {type: 'create', state: 'succeeded', description: null, updatedAt: null},
    })
    cc.handle((_r, res) => raw(res, 202, '', {Location: `${other.url}/v3/jobs/x`}))
    const err = await failure(client.serviceInstances.delete('si'))
    expect(err.message).to.contain('another host')
  })

  it('decodes embedded process instances into times and stats into instances', async () => {
    cc.handle((r, res) => {
      if (r.path.includes('/stats')) {
        return json(res, 200, {
          resources: [
            {
              type: 'web',
              index: 0,
              state: 'RUNNING',
              instance_guid: 'ig',
              routable: true,
              host: '10.0.0.1',
              uptime: 60,
              instance_ports: [{external: 61000, internal: 8080}],
            },
          ],
        })
      }
      json(res, 200, {
        pagination: {next: null},
        resources: [
          {
            guid: 'p1',
            type: 'web',
            instances: 1,
            created_at: T,
            updated_at: T,
            health_check: {type: 'http', data: {endpoint: '/health', timeout: 60}},
            relationships: {app: {data: {guid: 'a'}}},
            process_instances: [{index: 0, state: 'RUNNING', since: 120}],
          },
        ],
      })
    })
    const [p] = await client.processes.listAll({appGuids: ['a'], embed: 'process_instances'})
    expect(cc.requests[0]?.path).to.equal('/v3/processes?per_page=5000&app_guids=a&embed=process_instances')
    expect(p?.actual).to.deep.equal([
      {index: 0, instanceGuid: null, state: 'RUNNING', routable: null, since: '2026-11-28T19:58:00.000Z'},
    ])
    expect(p?.healthCheck).to.deep.equal({
      type: 'http',
      endpoint: '/health',
      timeout: 60,
      invocationTimeout: null,
    })
    const [s] = await client.processes.stats('p1')
    expect(s).to.deep.include({
      instanceGuid: 'ig',
      routable: true,
      host: '10.0.0.1',
      since: '2026-11-28T19:59:00.000Z',
    })
    expect(s?.ports[0]).to.deep.equal({
      external: 61000,
      internal: 8080,
      externalTlsProxy: null,
      internalTlsProxy: null,
    })
  })

  it('PATCHes metadata on any resource', async () => {
    cc.handle((r, res) =>
      json(res, 200, {guid: 'si', metadata: {labels: {}, annotations: {'cfguard.io/rotated-at': T}}}),
    )
    const m = await client.metadata.update('service_instances', 'si', {
      annotations: {'cfguard.io/rotated-at': T, old: null},
    })
    expect(cc.requests[0]?.method).to.equal('PATCH')
    expect(cc.requests[0]?.path).to.equal('/v3/service_instances/si')
    expect(JSON.parse(cc.requests[0]?.body ?? '')).to.deep.equal({
      metadata: {annotations: {'cfguard.io/rotated-at': T, old: null}},
    })
    expect(m.annotations).to.deep.equal({'cfguard.io/rotated-at': T})
  })

  describe('root discovery', () => {
    it('reads endpoints and the CC version from GET /', async () => {
      cc.handle((_r, res) =>
        json(res, 200, {
          links: {
            self: {href: cc.url},
            cloud_controller_v3: {href: `${cc.url}/v3`, meta: {version: '3.228.0'}},
            login: {href: other.url},
            uaa: {href: `${other.url}/`},
            network_policy_v1: {href: `${cc.url}/networking/v1/external`},
            log_cache: null,
            credhub: null,
          },
        }),
      )
      const root = await discoverRoot(transport, `${cc.url}/`)
      expect(root).to.deep.equal({
        api: cc.url,
        ccV3: `${cc.url}/v3`,
        ccVersion: '3.228.0',
        login: other.url,
        uaa: other.url,
        logCache: null,
        networkPolicyV1: `${cc.url}/networking/v1/external`,
        routing: null,
        credhub: null,
      })
      expect(cc.requests[0]?.headers.authorization).to.equal(undefined)
    })

    it('says plainly when the URL is not a Cloud Foundry API', async () => {
      cc.handle((_r, res) => json(res, 200, {hello: 'world'}))
      expect((await failure(discoverRoot(transport, cc.url))).message).to.contain(
        'does not look like a Cloud Foundry API',
      )
      cc.handle((_r, res) => raw(res, 404, 'nope'))
      expect((await failure(discoverRoot(transport, cc.url))).code).to.equal('BAD_RESPONSE')
    })

    it('refuses a root that sends the token endpoint over plain http to a non-loopback host', async () => {
      cc.handle((_r, res) =>
        json(res, 200, {
          links: {
            cloud_controller_v3: {href: `${cc.url}/v3`, meta: {version: '3.228.0'}},
            login: {href: 'http://login.example.com'},
            uaa: {href: 'http://login.example.com'},
          },
        }),
      )
      expect((await failure(discoverRoot(transport, cc.url))).code).to.equal('INSECURE_URL')
    })
  })
})
