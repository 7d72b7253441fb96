/**
 * Errors that catch typos (issue 16): a filter that matches nothing is exit 2 naming what was not
 * found and the closest names, never an empty report that passes; the correct filter still passes.
 * Unknown commands and flags get "did you mean", `-h` is help, and nothing asks a question.
 */
import {expect} from 'chai'

import {runCli, type CliResult} from '../helpers/cli.js'
import {useSimulator, type Simulator} from '../helpers/sim.js'

function asAdmin(sim: Simulator, extra: Record<string, string> = {}): Record<string, string> {
  return {
    CFGUARD_API: sim.apiUrl,
    CFGUARD_CLIENT_ID: sim.admin.clientId,
    CFGUARD_CLIENT_SECRET: sim.admin.clientSecret,
    ...extra,
  }
}

/** Exit 2, the first stderr line names the typo and the closest name, no stack, nothing on stdout. */
function expectTypo(r: CliResult, line: RegExp): void {
  expect(r.code, r.stderr).to.equal(2)
  expect(r.stdout).to.equal('')
  const errors = r.stderr.split('\n').filter((l) => l.startsWith('cfguard: '))
  expect(errors, r.stderr).to.have.length(1)
  expect(errors[0]).to.match(line)
  expect(r.stderr).not.to.match(/\n\s+at /)
}

describe('e2e: a typo in a filter is exit 2 with the closest name', function () {
  this.timeout(120_000)
  const ctx = useSimulator({scenario: 'demo'})
  const cli = (args: string[], extra: Record<string, string> = {}) =>
    runCli(args, {env: asAdmin(ctx.sim, extra)})

  describe('routes report', () => {
    it('--app', async () => {
      expectTypo(
        await cli(['routes', 'report', '--all', '--app', 'serch']),
        /^cfguard: no app named "serch" in scope \(\d+ apps read\); did you mean "search"\?$/,
      )
      const ok = await cli(['routes', 'report', '--all', '--app', 'search', '--fail-on', 'never'])
      expect(ok.code, ok.stderr).to.equal(0)
      expect(ok.stdout).to.contain('search')
    })

    it('--domain', async () => {
      expectTypo(
        await cli(['routes', 'report', '--all', '--domain', 'apps.cfguard.tst']),
        /^cfguard: no domain named "apps\.cfguard\.tst"; did you mean "apps\.cfguard\.test"\?$/,
      )
      const ok = await cli([
        'routes',
        'report',
        '--all',
        '--domain',
        'apps.cfguard.test',
        '--fail-on',
        'never',
      ])
      expect(ok.code, ok.stderr).to.equal(0)
    })
  })

  describe('-o and -s (every command that scopes by org and space)', () => {
    for (const command of [
      ['audit'],
      ['identity', 'list'],
      ['identity', 'audit'],
      ['routes', 'report'],
      ['credentials', 'list'],
    ]) {
      it(`${command.join(' ')} -o / -s`, async () => {
        expectTypo(
          await cli([...command, '-o', 'acm']),
          /^cfguard: no organization named "acm"; did you mean "acme"\?$/,
        )
        expectTypo(
          await cli([...command, '-o', 'acme', '-s', 'prd']),
          /^cfguard: no space named "prd" in that organization; did you mean "prod"\?$/,
        )
        const ok = await cli([...command, '-o', 'acme', '-s', 'prod', '--json'], {CFGUARD_FAIL_ON: 'never'})
        expect(ok.code, ok.stderr).to.equal(0)
      })
    }
  })

  describe('credentials', () => {
    it('--selector (list and rotate --all-due)', async () => {
      const billing = [...ctx.sim.state.serviceInstances.all()].find((si) => si.name === 'billing-oidc')!
      billing.metadata.labels.team = 'payments'
      expectTypo(
        await cli(['credentials', 'list', '--all', '--selector', 'team=paymnts']),
        /^cfguard: no service instance in scope matches --selector team=paymnts \(\d+ read\); did you mean "team=payments"\?$/,
      )
      expectTypo(
        await cli(['credentials', 'rotate', '--all-due', '--all', '--dry-run', '--selector', 'team=paymnts']),
        /did you mean "team=payments"\?$/,
      )
      const ok = await cli(['credentials', 'list', '--all', '--selector', 'team=payments', '--json'])
      expect(ok.code, ok.stderr).to.equal(0)
      const doc = JSON.parse(ok.stdout) as {result: {credentials: {serviceInstance: {name: string}}[]}}
      expect(doc.result.credentials.map((c) => c.serviceInstance.name)).to.deep.equal(['billing-oidc'])
    })

    for (const action of ['rotate', 'retire', 'rollback']) {
      it(`${action}: a service instance name`, async () => {
        expectTypo(
          await cli(['credentials', action, 'biling-oidc', '-o', 'acme', '-s', 'prod', '--dry-run']),
          /^cfguard: no service instance named "biling-oidc" in space prod; did you mean "billing-oidc"\?$/,
        )
        // the right name is found: what follows is the action's own answer, not a lookup error
        const ok = await cli(['credentials', action, 'billing-oidc', '-o', 'acme', '-s', 'prod', '--dry-run'])
        expect(ok.stderr).not.to.contain('no service instance named')
        expect(ok.stdout + ok.stderr).to.match(
          action === 'rotate' ? /dry-run: nothing was changed/ : /billing-oidc: refused: .*nothing to/,
        )
      })
    }

    it('rotate --app', async () => {
      expectTypo(
        await cli([
          'credentials',
          'rotate',
          'customer-sso',
          '--app',
          'custmer-portal',
          '-o',
          'acme',
          '-s',
          'prod',
          '--dry-run',
        ]),
        /^cfguard: no app named "custmer-portal" in the space of customer-sso; did you mean "customer-portal"\?$/,
      )
      const ok = await cli(['credentials', 'rotate', 'billing-oidc', '-o', 'acme', '-s', 'prod', '--dry-run'])
      expect(ok.code, ok.stderr).to.equal(0)
      expect(ok.stdout).to.contain('billing-oidc: dry-run: nothing was changed')
      expect(ok.stdout).not.to.match(/dry.run: dry.run/)
    })
  })
})

describe('e2e: unknown commands and flags, -h', function () {
  this.timeout(60_000)

  it('an unknown command exits 2 with the closest commands and asks nothing', async () => {
    const r = await runCli(['audti'])
    expect(r.code).to.equal(2)
    expect(r.stdout).to.equal('')
    expect(r.stderr).to.equal(
      'cfguard: "audti" is not a cfguard command; did you mean "cfguard audit"?\n  next: `cfguard --help` lists the commands\n',
    )
    const sub = await runCli(['routes', 'reprot'])
    expect(sub.code).to.equal(2)
    expect(sub.stderr.split('\n')[0]).to.equal(
      'cfguard: "routes reprot" is not a cfguard command; did you mean "cfguard routes report"?',
    )
    const json = await runCli(['audti', '--json'])
    expect(json.code).to.equal(2)
    expect(JSON.parse(json.stdout)).to.deep.include({status: 2})
  })

  it('an unknown flag gets "did you mean"', async () => {
    const r = await runCli(['audit', '--fial-on', 'high'])
    expect(r.code).to.equal(2)
    expect(r.stderr).to.equal(
      'cfguard: unknown flag --fial-on; did you mean --fail-on?\n  next: see `cfguard audit --help`\n',
    )
  })

  it('-h prints the same help as --help, exit 0', async () => {
    for (const argv of [[], ['audit'], ['routes', 'report'], ['credentials']]) {
      const [short, long] = await Promise.all([runCli([...argv, '-h']), runCli([...argv, '--help'])])
      expect(short.code, short.stderr).to.equal(0)
      expect(short.stdout).to.equal(long.stdout)
      expect(short.stdout).to.contain('USAGE')
    }
  })
})
