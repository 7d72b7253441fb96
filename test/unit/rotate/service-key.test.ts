import {expect} from 'chai'
import {mkdtemp, readFile, rm, stat} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {ANNOTATION} from '../../../src/model/annotations.js'
import {collect, retire, rotate} from '../../../src/rotate/engine.js'
import {fileSink, revealSink, type KeyDelivery} from '../../../src/rotate/sink.js'
import {baseOptions, keyWorld} from './world.js'

const DAY = 86_400_000

function memorySink() {
  const got: KeyDelivery[] = []
  return {got, sink: {deliver: async (d: KeyDelivery) => (got.push(d), 'kept in memory')}}
}

describe('rotate: service key', () => {
  it('creates a new key, hands its credentials over, deletes the older key of the family', async () => {
    const w = keyWorld()
    const oldClient = w.fake.bindings.get(w.keyGuid)!.credentials.client_id as string
    const {got, sink} = memorySink()
    const {outcome, events} = await collect(
      rotate(w.fake, {serviceInstanceGuid: w.si, keyName: 'ci-deployer'}, baseOptions({keySink: sink})),
    )
    expect(outcome.status).to.equal('completed')
    expect(got).to.have.length(1)
    const delivered = got[0]!
    const client = w.fake.client(delivered.credentials.client_id as string)!
    expect(client.secrets.includes(delivered.credentials.client_secret as string)).to.equal(
      true,
      'usable credentials',
    )
    expect(delivered.keyName.startsWith('ci-deployer-')).to.equal(true)
    const keys = w.fake.bindingsOf(w.si, 'key')
    expect(keys.map((k) => k.name).sort()).to.deep.equal([delivered.keyName, 'other-consumer'].sort())
    expect(keys.find((k) => k.name === delivered.keyName)!.annotations[ANNOTATION.keyFamily]).to.equal(
      'ci-deployer',
    )
    expect(w.fake.client(oldClient)).to.equal(undefined, 'the old key is gone')
    expect(events.filter((e) => e.type === 'step-done').map((e) => e.step)).to.deep.equal([
      'lease',
      'record-journal',
      'create-key',
      'deliver-key',
      'delete-old-keys',
      'finalize',
    ])
  })

  it('rotates the same family again: the cfguard-made key is replaced too', async () => {
    const w = keyWorld()
    const {got, sink} = memorySink()
    await collect(
      rotate(w.fake, {serviceInstanceGuid: w.si, keyName: 'ci-deployer'}, baseOptions({keySink: sink})),
    )
    const second = await collect(
      rotate(
        w.fake,
        {serviceInstanceGuid: w.si, keyName: 'ci-deployer'},
        baseOptions({keySink: sink, force: true}),
      ),
    )
    expect(second.outcome.status).to.equal('completed')
    const names = w.fake.bindingsOf(w.si, 'key').map((k) => k.name)
    expect(names).to.have.length(2)
    expect(names).to.include(got[1]!.keyName)
    expect(names).to.not.include(got[0]!.keyName)
  })

  it('keeps older keys through the grace period; retire deletes them', async () => {
    const w = keyWorld()
    const {sink} = memorySink()
    const first = await collect(
      rotate(
        w.fake,
        {serviceInstanceGuid: w.si, keyName: 'ci-deployer'},
        baseOptions({keySink: sink, graceMs: DAY}),
      ),
    )
    expect(first.outcome.status).to.equal('grace')
    expect(w.fake.bindingsOf(w.si, 'key')).to.have.length(3)
    w.fake.advance(DAY + 1)
    const done = await collect(
      retire(w.fake, {serviceInstanceGuid: w.si, keyName: 'ci-deployer'}, baseOptions()),
    )
    expect(done.outcome.status).to.equal('retired')
    expect(w.fake.bindingsOf(w.si, 'key')).to.have.length(2)
  })

  it('refuses without an output for the credentials, before creating anything', async () => {
    const w = keyWorld()
    const {outcome} = await collect(
      rotate(w.fake, {serviceInstanceGuid: w.si, keyName: 'ci-deployer'}, baseOptions()),
    )
    expect(outcome.status).to.equal('refused')
    expect(outcome.error!.suggestions.join(' ')).to.contain('--output FILE')
    expect(w.fake.calls.some((c) => c.mutating)).to.equal(false)
  })

  it('refuses an unknown key family', async () => {
    const w = keyWorld()
    const {sink} = memorySink()
    const {outcome} = await collect(
      rotate(w.fake, {serviceInstanceGuid: w.si, keyName: 'nope'}, baseOptions({keySink: sink})),
    )
    expect(outcome.status).to.equal('refused')
    expect(outcome.message).to.contain('no service key named "nope"')
  })
})

describe('key sinks', () => {
  it('fileSink writes the credentials with mode 0600', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cfguard-sink-'))
    try {
      const path = join(dir, 'key.json')
      const where = await fileSink(path).deliver({
        serviceInstanceGuid: 'g',
        serviceInstanceName: 'partner-api',
        keyGuid: 'k',
        keyName: 'ci-deployer-x',
        credentials: {client_id: 'c', client_secret: 'sink-canary-123456'},
      })
      expect(where).to.equal(`written to ${path} (0600)`)
      expect((await stat(path)).mode & 0o777).to.equal(0o600)
      const doc = JSON.parse(await readFile(path, 'utf8'))
      expect(doc.credentials.client_id).to.equal('c')
      expect(where.includes('sink-canary-123456')).to.equal(false)
    } finally {
      await rm(dir, {recursive: true, force: true})
    }
  })

  it('revealSink refuses unless reveal was asked for', () => {
    expect(() => revealSink(() => {}, false)).to.throw('--reveal')
    const lines: string[] = []
    return revealSink((t) => lines.push(t), true)
      .deliver({
        serviceInstanceGuid: 'g',
        serviceInstanceName: 's',
        keyGuid: 'k',
        keyName: 'n',
        credentials: {a: 'b'},
      })
      .then((where) => {
        expect(where).to.contain('--reveal')
        expect(JSON.parse(lines[0]!).credentials).to.deep.equal({a: 'b'})
      })
  })
})
