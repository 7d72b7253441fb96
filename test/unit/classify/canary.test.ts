import {expect} from 'chai'

import {classifyCredentials} from '../../../src/derive/classify/credentials.js'
import {classifyEnvVars} from '../../../src/derive/classify/env.js'

const SALT = 'test-installation-salt-0123456789'

/** Every secret position in the inputs below holds one of these; none may survive classification. */
const CANARIES = [
  'CANARYsecret7f3a',
  'CANARYpass92be',
  'CANARYtoken5d1c',
  'CANARYkey0e44',
  'CANARYquery8b2f',
  'CANARYfrag3c9d',
  'CANARYjwt',
  'CANARYpem',
]

const jwtWithCanary = [
  Buffer.from('{"alg":"HS256","typ":"JWT"}').toString('base64url'),
  Buffer.from('{"sub":"CANARYjwt"}').toString('base64url'),
  'CANARYjwt',
].join('.')
const pemWithCanary = '-----BEGIN PRIVATE KEY-----\nCANARYpem\n-----END PRIVATE KEY-----'

const CREDENTIALS: unknown[] = [
  {client_id: 'a', client_secret: 'CANARYsecret7f3a', issuer: 'https://u:CANARYpass92be@login.example.com/x'},
  {clientid: 'b', clientsecret: 'CANARYsecret7f3a', url: 'https://u:CANARYpass92be@login.example.com'},
  {
    uaa: {
      clientid: 'c',
      clientsecret: 'CANARYsecret7f3a',
      url: 'https://x.example.com?api_key=CANARYquery8b2f',
    },
  },
  {client_id: 'd', secret: 'CANARYsecret7f3a', token_url: 'https://x.example.com/t#CANARYfrag3c9d'},
  {
    realm: 'r',
    resource: 'e',
    'auth-server-url': 'https://kc.example.com',
    credentials: {secret: 'CANARYkey0e44'},
  },
  {client_id: 'f', key: pemWithCanary, url: 'https://x.example.com'},
  {
    username: 'u',
    password: 'CANARYpass92be',
    uri: 'postgres://u:CANARYpass92be@db/x',
    tokens: ['CANARYtoken5d1c'],
  },
  {access_token: jwtWithCanary, nested: {deeper: {api_key: 'CANARYkey0e44'}}},
  {
    discovery_url: 'https://u:CANARYpass92be@login.example.com/.well-known/openid-configuration',
    client_id: 'g',
  },
  'CANARYsecret7f3a',
]

const ENV: Record<string, string> = {
  CLIENT_SECRET: 'CANARYsecret7f3a',
  DATABASE_URL: 'postgres://u:CANARYpass92be@db/x',
  AUTH_HEADER: 'Bearer CANARYtoken5d1c0123456789',
  ID_TOKEN: jwtWithCanary,
  TLS_KEY: pemWithCanary,
  JAVA_OPTS: '-Xmx1g -Dsso.client-secret=CANARYkey0e44',
  CALLBACK: 'https://hooks.example.com/x?token=CANARYquery8b2f',
  SPRING_APPLICATION_JSON: '{"sso":{"client_secret":"CANARYsecret7f3a"}}',
  HMAC_KEY: 'CANARYfrag3c9dQ8zX2vL7nB4mK1pW',
}

describe('no secret value survives classification (canaries)', () => {
  it('credential views hold no canary', () => {
    for (const input of CREDENTIALS) {
      const out = JSON.stringify(classifyCredentials(input, SALT))
      for (const canary of CANARIES) expect(out.includes(canary)).to.equal(false, 'canary leaked into a view')
    }
  })

  it('env var views hold no canary, and every canary-bearing variable is flagged', () => {
    const views = classifyEnvVars(ENV, SALT)
    const out = JSON.stringify(views)
    for (const canary of CANARIES)
      expect(out.includes(canary)).to.equal(false, 'canary leaked into env views')
    const notFlagged = views.filter((v) => v.fingerprint === null).map((v) => v.name)
    expect(notFlagged).to.deep.equal([])
  })
})
