import {expect} from 'chai'

import {parseJson, runCli} from '../helpers/cli.js'
import {withSimulator} from '../helpers/sim.js'
import {Builder} from '../../src/sim/index.js'
import {cliEnv, managedWorld, upsWorld} from './rotate-world.js'

const SIM = {instanceStartupMs: 100, jobDurationMs: 150}

interface Listed {
  serviceInstance: {name: string}
  kind: string | null
  keyName: string | null
  clientId: string | null
  apps: {name: string}[]
  ageDays: number
  due: boolean
  drift: {instances: number; apps: string[]}
  state: {status: string}
}

describe('credentials list, end to end', function () {
  this.timeout(60_000)

  it('lists kind, apps, age, drift, state and due date, and reads no secret', async () => {
    await withSimulator(SIM, async (sim) => {
      const u = upsWorld(sim)
      managedWorld(sim, {keys: ['ci']})
      const drifting = upsWorld(sim, {name: 'ledger-oidc', clientId: 'ledger'})
      // Credentials changed 2 days ago; the instances started 10 days ago still hold the old ones.
      const si = sim.state.serviceInstances.get(drifting.ups.guid)!
      new Builder(sim.state).updateUps(si, {...si.credentials, client_secret: 'x'.repeat(12)}, 2 * 86_400_000)
      const eventsBefore = sim.auditEvents().length

      const r = await runCli(['credentials', 'list', '--json'], {env: cliEnv(sim)})
      expect(r.code, r.stderr).to.equal(0)
      const list = parseJson<{credentials: Listed[]; maxAgeDays: number}>(r).result
      const by = Object.fromEntries(
        list.credentials.map((c) => [`${c.serviceInstance.name}${c.keyName ? `/${c.keyName}` : ''}`, c]),
      )
      expect(Object.keys(by).sort()).to.deep.equal([
        'billing-oidc',
        'billing-sso',
        'billing-sso/ci',
        'ledger-oidc',
      ])
      expect(by['billing-oidc']).to.include({ageDays: 120, due: true})
      expect(by['billing-oidc']!.apps.map((a) => a.name)).to.deep.equal([
        'billing-oidc-api',
        'billing-oidc-batch',
        'billing-oidc-web',
      ])
      expect(by['billing-sso']).to.include({kind: 'managed-binding', ageDays: 100})
      expect(by['billing-sso/ci']).to.include({kind: 'service-key'})
      expect(by['ledger-oidc']).to.include({ageDays: 2, due: false})
      expect(by['ledger-oidc']!.drift).to.deep.equal({
        instances: 5,
        apps: ['ledger-oidc-api', 'ledger-oidc-web'],
      })
      expect(list.maxAgeDays).to.equal(90)
      expect(sim.auditEvents().length).to.equal(eventsBefore, 'listing wrote no audit event (no secret read)')

      // After a rotation with a grace period: young, in its grace period, client known from cfguard's mark.
      const rot = await runCli(['credentials', 'rotate', u.ups.name, '--grace', '1h', '--yes'], {
        env: cliEnv(sim),
      })
      expect(rot.code, rot.stderr).to.equal(0)
      // Wide enough for every cell on one line (fitting the terminal is test/e2e/terminal.test.ts's).
      const after = await runCli(['credentials'], {env: cliEnv(sim, {COLUMNS: '200'})})
      expect(after.code, after.stderr).to.equal(0)
      const line = after.stdout.split('\n').find((l) => l.startsWith('billing-oidc '))!
      // The drift column is held by the next test: here it only passed when the whole rotation
      // fitted in one second of CC's whole-second uptimes.
      expect(line).to.match(/UPS \(UAA client\)\s+3\s+0d\s+\S+\s+grace until \d{4}-\d\d-\d\dT\d\d:\d\dZ/)
      expect(after.stdout).to.match(/4 credential\(s\), 2 due \(max age 90d\)/)
    })
  })

  // Issue 13 item 2 (own rotation reported as drift): un-skip when it is fixed. Instances take 1.5 s
  // to start, longer than CC's whole-second uptime resolution, so the answer no longer depends on
  // how fast the machine is: today it fails on every run (instances rolled first count as drift).
  it('after a finished rotation, no instance of a rolled app counts as drift', async () => {
    await withSimulator({...SIM, instanceStartupMs: 1500}, async (sim) => {
      const u = upsWorld(sim)
      const rot = await runCli(['credentials', 'rotate', u.ups.name, '--yes'], {env: cliEnv(sim)})
      expect(rot.code, rot.stderr).to.equal(0)
      const r = await runCli(['credentials', 'list', '--json'], {env: cliEnv(sim)})
      expect(r.code, r.stderr).to.equal(0)
      const listed = parseJson<{credentials: Listed[]}>(r).result.credentials
      expect(listed.find((c) => c.serviceInstance.name === 'billing-oidc')!.drift).to.deep.equal({
        instances: 0,
        apps: [],
      })
    })
  })

  it('--selector filters by service instance label; --max-age moves the due date', async () => {
    await withSimulator(SIM, async (sim) => {
      const u = upsWorld(sim)
      upsWorld(sim, {name: 'other-oidc', clientId: 'other'})
      sim.state.serviceInstances.get(u.ups.guid)!.metadata.labels.team = 'payments'
      const r = await runCli(
        ['credentials', 'list', '--selector', 'team=payments', '--max-age', '200d', '--json'],
        {
          env: cliEnv(sim),
        },
      )
      expect(r.code, r.stderr).to.equal(0)
      const list = parseJson<{credentials: Listed[]}>(r).result
      expect(list.credentials.map((c) => [c.serviceInstance.name, c.due])).to.deep.equal([
        ['billing-oidc', false],
      ])
    })
  })

  it('a UPS with an ordinary name holding a client: counted as unjudged, judged with --read-credentials, rotated by --all-due', async () => {
    await withSimulator(SIM, async (sim) => {
      upsWorld(sim)
      // Real names carry no identity word: the client is only visible in the credentials.
      const ignition = upsWorld(sim, {name: 'ignition-config', clientId: 'ignition'})
      const {b, space} = {
        b: new Builder(sim.state),
        space: [...sim.state.spaces.all()].find((x) => x.name === 'dev')!,
      }
      b.ups(space, 'smtp-relay', {host: 'smtp.cfguard.test', username: 'mailer', password: 'p'.repeat(16)})
      const shows = () => sim.auditEvents({type: 'audit.user_provided_service_instance.show'}).length

      // Without reading: not listed, but counted with a reason (text and JSON), and no audit event.
      const plain = await runCli(['credentials', 'list', '--json'], {env: cliEnv(sim)})
      expect(plain.code, plain.stderr).to.equal(0)
      const list = parseJson<{
        credentials: Listed[]
        unjudged: {serviceInstance: {name: string}; read: string}[]
        gaps: {what: string; why: string}[]
        auditEventsCreated: number
      }>(plain).result
      expect(list.credentials.map((c) => c.serviceInstance.name)).to.deep.equal(['billing-oidc'])
      expect(list.unjudged.map((u) => [u.serviceInstance.name, u.read])).to.deep.equal([
        ['ignition-config', 'skipped'],
        ['smtp-relay', 'skipped'],
      ])
      expect(list.gaps.map((g) => g.what)).to.include(
        '2 user-provided service(s) not judged (no identity word in name, tags or labels)',
      )
      expect(list.auditEventsCreated).to.equal(0)
      expect(shows()).to.equal(0, 'plain credentials list reads no secret')
      const text = await runCli(['credentials', 'list'], {env: cliEnv(sim)})
      // The line is wrapped to the width (100 here): read it as one.
      expect(text.stdout.replace(/\s*\n\s*/g, ' ')).to.match(
        /not checked: 2 user-provided service\(s\) not judged .*--read-credentials/,
      )

      // Reading the two unjudged services' credentials (one audit event each) judges them.
      const read = await runCli(['credentials', 'list', '--read-credentials', '--json'], {env: cliEnv(sim)})
      expect(read.code, read.stderr).to.equal(0)
      const judged = parseJson<typeof list>(read).result
      expect(judged.credentials.map((c) => [c.serviceInstance.name, c.kind, c.clientId])).to.deep.equal([
        // Named like identity: judged without a read, its client not read (as before).
        ['billing-oidc', null, null],
        ['ignition-config', 'ups-uaa', 'ignition'],
      ])
      expect(judged.unjudged).to.deep.equal([])
      expect(judged.gaps.filter((g) => g.what.includes('not judged'))).to.deep.equal([])
      expect(judged.auditEventsCreated).to.equal(2)
      expect(shows()).to.equal(2)

      // identity list (which reads secrets) agrees on which services hold identity credentials.
      const inv = await runCli(['identity', 'list', '--json', '--no-cache'], {env: cliEnv(sim)})
      expect(inv.code, inv.stderr).to.equal(0)
      const entries = parseJson<{
        entries: {serviceInstance: {name: string} | null; identity: string}[]
      }>(inv).result.entries
      const identities = [
        ...new Set(entries.filter((e) => e.identity === 'yes').map((e) => e.serviceInstance?.name)),
      ].sort()
      expect(identities).to.deep.equal(judged.credentials.map((c) => c.serviceInstance.name))

      // A dry run does not read to judge: it warns what the real run would read. It changes
      // nothing; its only audit events are the reads of the search for other holders of the
      // client it would rotate.
      const eventsBeforeDry = sim.auditEvents().length
      const dry = await runCli(['credentials', 'rotate', '--all-due', '--dry-run', '--json'], {
        env: cliEnv(sim),
      })
      expect(dry.code, dry.stderr).to.equal(0)
      const dryEvents = sim.auditEvents().slice(eventsBeforeDry)
      expect(dryEvents.filter((e) => !e.type.endsWith('.show')).map((e) => e.type)).to.deep.equal([])
      expect(parseJson(dry).warnings.join('\n')).to.match(
        /not rotated unattended: 2 user-provided service\(s\) not judged .*a dry run reads no secret/,
      )

      // The cron run reads what it cannot judge and rotates the due ignition-config.
      const cron = await runCli(['credentials', 'rotate', '--all-due', '--yes', '--json'], {env: cliEnv(sim)})
      expect(cron.code, cron.stderr).to.equal(0)
      const done = parseJson<{items: {target: {name: string}; status: string}[]; unjudged: unknown[]}>(cron)
      expect(Object.fromEntries(done.result.items.map((i) => [i.target.name, i.status]))).to.deep.equal({
        'billing-oidc': 'completed',
        'ignition-config': 'completed',
      })
      expect(done.result.unjudged).to.deep.equal([])
      expect(sim.uaaAccepts(ignition.clientId, ignition.initialSecret)).to.equal(false)
    })
  })
})
