/** Snapshot of what `cfguard sim` prints for people (issue 16: getting started on the simulator). */
import {expect} from 'chai'

import {type SimServing} from '../../../src/actions/sim.js'
import {renderSimServing} from '../../../src/cli/views/sim.js'

const serving: SimServing = {
  scenario: 'demo',
  ccVersion: '3.228.0',
  apiUrl: 'http://127.0.0.1:40001',
  uaaUrl: 'http://127.0.0.1:40002',
  logCacheUrl: 'http://127.0.0.1:40003',
  admin: {clientId: 'cfguard-sim-admin', clientSecret: 'Ly9xx4UB3gfYNIOFpGajCSDf'},
  users: {
    admin: {username: 'admin', password: 'YSSdVYr7L7SCOyB9IDbg_C4m'},
    globalAuditor: {username: 'global-auditor', password: 'jsSOLGGzsJz7x33evsLfSEi6'},
    spaceDeveloper: {username: 'dev@acme.test', password: 'not-shown'},
  },
}

describe('cfguard sim banner', () => {
  it('prints export lines and one login line per user that work when pasted', () => {
    expect(renderSimServing(serving)).to.equal(
      [
        'cfguard simulator: scenario demo, CC API 3.228.0, on loopback',
        '  API        http://127.0.0.1:40001',
        '  UAA        http://127.0.0.1:40002',
        '  Log Cache  http://127.0.0.1:40003',
        '',
        'Every credential below is throwaway and works on this simulator only. Paste into a shell:',
        '',
        '  # the admin client: no login needed',
        '  export CFGUARD_API=http://127.0.0.1:40001',
        '  export CFGUARD_CLIENT_ID=cfguard-sim-admin',
        '  export CFGUARD_CLIENT_SECRET=Ly9xx4UB3gfYNIOFpGajCSDf',
        '',
        '  # or log in as a user (in a shell without the exports above, which would win)',
        '  # admin (cloud_controller.admin)',
        '  CFGUARD_PASSWORD=YSSdVYr7L7SCOyB9IDbg_C4m cfguard login --api http://127.0.0.1:40001 -u admin',
        '  # auditor (cloud_controller.global_auditor: reads everything, changes nothing)',
        '  CFGUARD_PASSWORD=jsSOLGGzsJz7x33evsLfSEi6 cfguard login --api http://127.0.0.1:40001 -u global-auditor',
        '',
        'Then: cfguard audit --all',
        'Serving until Ctrl-C.',
      ].join('\n'),
    )
  })

  it('never puts a password on argv, and quotes what a shell would split', () => {
    const odd = {
      ...serving,
      users: {...serving.users, admin: {username: 'ad min', password: "it's $HOME"}},
    }
    const text = renderSimServing(odd)
    expect(text).to.contain(
      `  CFGUARD_PASSWORD='it'\\''s $HOME' cfguard login --api http://127.0.0.1:40001 -u 'ad min'`,
    )
    for (const line of text.split('\n').filter((l) => l.includes(' login '))) {
      expect(line.split(' login ')[1]).not.to.match(/YSSdV|jsSOL|it's/)
    }
  })

  it('under --tls, the CA file is in the exports and on each login line, so pasted lines trust it', () => {
    const tls = {
      ...serving,
      apiUrl: 'https://api.sys.cfguard.test:40001',
      caCertFile: '/tmp/cfguard-sim-ca/ca.pem',
    }
    const lines = renderSimServing(tls).split('\n')
    expect(lines).to.include(
      '  CA cert    /tmp/cfguard-sim-ca/ca.pem (trust it with --ca-cert or CFGUARD_CA_CERT)',
    )
    expect(lines).to.include('  export CFGUARD_CA_CERT=/tmp/cfguard-sim-ca/ca.pem')
    const logins = lines.filter((l) => l.includes(' cfguard login '))
    expect(logins).to.have.length(2)
    for (const line of logins) expect(line).to.contain(' --ca-cert /tmp/cfguard-sim-ca/ca.pem ')
  })
})
