import {expect} from 'chai'

import type {SimUserName} from '../../src/sim/index.js'
import {Api, ccAs, useSimulator} from '../helpers/sim.js'

/** §11: what each role may do; R = allowed but redacted. */
type Cell = number | 'R'
const ROLES: SimUserName[] = [
  'admin',
  'adminReadOnly',
  'globalAuditor',
  'spaceDeveloper',
  'spaceSupporter',
  'spaceAuditor',
]
//                                   admin  adminRO  gAuditor  dev   supporter  auditor
const MATRIX: Record<string, Cell[]> = {
  'list apps': [200, 200, 200, 200, 200, 200],
  'process command': [200, 200, 'R', 200, 'R', 'R'],
  'process stats': [200, 200, 200, 200, 200, 200],
  'GET env': [200, 200, 403, 200, 'R', 403],
  'GET environment_variables': [200, 200, 403, 200, 200, 403],
  'PATCH environment_variables': [200, 403, 403, 200, 200, 403],
  'UPS credentials': [200, 200, 403, 200, 403, 403],
  'binding details': [200, 200, 404, 200, 404, 404],
  'create app binding': [201, 403, 403, 201, 201, 403],
  'PATCH UPS': [200, 403, 403, 200, 403, 403],
  'create deployment': [201, 403, 403, 201, 201, 403],
  'map route': [200, 403, 403, 200, 200, 403],
  'create route policy': [201, 403, 403, 201, 403, 403],
  'c2c policies': [200, 403, 403, 403, 403, 403],
  'Log Cache read': [200, 200, 200, 200, 200, 200],
}

describe('contract: roles (§11)', () => {
  const ctx = useSimulator({})
  const g: Record<string, string> = {}

  before(async () => {
    const admin = await ccAs(ctx.sim, 'admin')
    const space = (await admin.get('/v3/spaces?names=dev')).json.resources[0].guid
    g.space = space
    g.app = (
      await admin.post('/v3/apps', {name: 'roles-app', relationships: {space: {data: {guid: space}}}})
    ).json.guid
    g.process = (await admin.get(`/v3/apps/${g.app}/processes/web`)).json.guid
    g.ups = (
      await admin.post('/v3/service_instances', {
        type: 'user-provided',
        name: 'roles-ups',
        credentials: {secret: 'x'},
        relationships: {space: {data: {guid: space}}},
      })
    ).json.guid
    g.ups2 = (
      await admin.post('/v3/service_instances', {
        type: 'user-provided',
        name: 'roles-ups2',
        relationships: {space: {data: {guid: space}}},
      })
    ).json.guid
    g.binding = (
      await admin.post('/v3/service_credential_bindings', {
        type: 'app',
        relationships: {service_instance: {data: {guid: g.ups}}, app: {data: {guid: g.app}}},
      })
    ).json.guid
    const domain = (await admin.get('/v3/domains?names=secure.cfguard.test')).json.resources[0].guid
    g.route = (
      await admin.post('/v3/routes', {
        host: 'roles',
        relationships: {space: {data: {guid: space}}, domain: {data: {guid: domain}}},
      })
    ).json.guid
    await admin.post(`/v3/apps/${g.app}/actions/start`)
  })

  const calls: Record<string, (api: Api, who: SimUserName) => Promise<Cell>> = {
    'list apps': async (api) => (await api.get('/v3/apps')).status,
    'process command': async (api) => {
      const res = await api.get(`/v3/processes/${g.process}`)
      return res.json.command === '[PRIVATE DATA HIDDEN]' ? 'R' : res.status
    },
    'process stats': async (api) => (await api.get(`/v3/processes/${g.process}/stats`)).status,
    'GET env': async (api) => {
      const res = await api.get(`/v3/apps/${g.app}/env`)
      return res.status === 200 && res.json.system_env_json.redacted_message ? 'R' : res.status
    },
    'GET environment_variables': async (api) =>
      (await api.get(`/v3/apps/${g.app}/environment_variables`)).status,
    'PATCH environment_variables': async (api) =>
      (await api.patch(`/v3/apps/${g.app}/environment_variables`, {var: {X: '1'}})).status,
    'UPS credentials': async (api) => (await api.get(`/v3/service_instances/${g.ups}/credentials`)).status,
    'binding details': async (api) =>
      (await api.get(`/v3/service_credential_bindings/${g.binding}/details`)).status,
    'create app binding': async (api) => {
      const res = await api.post('/v3/service_credential_bindings', {
        type: 'app',
        relationships: {service_instance: {data: {guid: g.ups2}}, app: {data: {guid: g.app}}},
      })
      if (res.status === 201)
        await (await ccAs(ctx.sim, 'admin')).delete(`/v3/service_credential_bindings/${res.json.guid}`)
      return res.status
    },
    'PATCH UPS': async (api) => (await api.patch(`/v3/service_instances/${g.ups2}`, {tags: ['x']})).status,
    'create deployment': async (api) =>
      (await api.post('/v3/deployments', {relationships: {app: {data: {guid: g.app}}}})).status,
    'map route': async (api) =>
      (await api.post(`/v3/routes/${g.route}/destinations`, {destinations: [{app: {guid: g.app}}]})).status,
    'create route policy': async (api, who) => {
      const res = await api.post('/v3/route_policies', {
        source: `cf:space:${who}`,
        relationships: {route: {data: {guid: g.route}}},
      })
      return res.status
    },
    'c2c policies': async (api) =>
      (await new Api(`${ctx.sim.apiUrl}/networking/v1/external`, api.token).get('/policies')).status,
    'Log Cache read': async (api) =>
      (await new Api(ctx.sim.logCacheUrl, api.token).get(`/api/v1/read/${g.app}?limit=1`)).status,
  }

  for (const [call, expected] of Object.entries(MATRIX)) {
    it(call, async () => {
      const got: Cell[] = []
      for (const who of ROLES) got.push(await calls[call]!(await ccAs(ctx.sim, who), who))
      expect(got).to.deep.equal(expected)
    })
  }
})
