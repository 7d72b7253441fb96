import {expect} from 'chai'
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs'
import {hostname} from 'node:os'
import {join} from 'node:path'

import {openAuditLog, takeLocalLock, writePrivateFile} from '../../../src/actions/credentials/files.js'
import {fileSink} from '../../../src/rotate/sink.js'
import type {RotationEvent} from '../../../src/rotate/events.js'
import {registerSecret} from '../../../src/redact.js'
import {tempDir} from '../../helpers/cli.js'

const event = (detail: string): RotationEvent => ({
  type: 'step-done',
  step: 'update-credentials',
  title: 'Update the service credentials',
  at: '2026-11-28T12:00:00.000Z',
  action: 'rotate',
  target: {guid: 'si-1', name: 'billing-oidc'},
  rotationId: 'r1',
  detail,
  data: {pending_fingerprint: 'hmac:abcd'},
})

describe('rotation audit log', () => {
  it('creates the log 0600', () => {
    const path = join(tempDir(), 'audit.jsonl')
    openAuditLog(path).close()
    expect(statSync(path).mode & 0o777).to.equal(0o600)
  })

  it('appends one JSON line per event to an existing log, never chmod-ing it; secrets masked', () => {
    const dir = tempDir()
    const path = join(dir, 'audit.jsonl')
    // Not created by cfguard (it may be a link to a shared file): appended to, mode left alone.
    writeFileSync(path, '{"earlier":true}\n', {mode: 0o640})
    chmodSync(path, 0o640)
    const secret = 'canary-secret-value-1234567'
    registerSecret(secret)
    const log = openAuditLog(path)
    log.write(event('the service holds hmac:abcd'))
    log.write(event(`oops ${secret}`))
    log.close()
    const text = readFileSync(path, 'utf8')
    const lines = text.trim().split('\n')
    expect(lines).to.have.length(3)
    expect(JSON.parse(lines[1]!)).to.include({
      event: 'step-done',
      step: 'update-credentials',
      rotation_id: 'r1',
    })
    expect(text.includes(secret)).to.equal(false, 'secret leaked into the audit log')
    expect(statSync(path).mode & 0o777).to.equal(0o640)
  })

  it('a path that cannot be opened fails before anything runs', () => {
    expect(() => openAuditLog(join(tempDir(), 'missing', 'dir', 'audit.jsonl'))).to.throw(
      /cannot open the audit log/,
    )
  })
})

describe('local lock', () => {
  it('a second holder on this host is refused while the first lives; released locks can be taken', () => {
    const home = tempDir()
    const release = takeLocalLock(home, 'rotate-si-1', 'billing-oidc')
    expect(() => takeLocalLock(home, 'rotate-si-1', 'billing-oidc')).to.throw(
      /another cfguard process on this host/,
    )
    expect(takeLocalLock(home, 'rotate-si-2', 'other')).to.be.a('function')
    release()
    takeLocalLock(home, 'rotate-si-1', 'billing-oidc')()
  })

  it('a lock left by a process that no longer runs (killed) is taken over', () => {
    const home = tempDir()
    mkdirSync(join(home, 'locks'), {recursive: true})
    // A pid above the kernel's maximum (2^22) is never alive.
    writeFileSync(
      join(home, 'locks', 'rotate-si-1.lock'),
      JSON.stringify({pid: 2 ** 22 + 12345, host: hostname(), startedAt: '2026-01-01T00:00:00Z'}),
    )
    expect(takeLocalLock(home, 'rotate-si-1', 'billing-oidc')).to.be.a('function')
  })
  it('an empty lock (another process between creating and writing it) is not taken over', () => {
    const home = tempDir()
    mkdirSync(join(home, 'locks'), {recursive: true})
    writeFileSync(join(home, 'locks', 'rotate-si-1.lock'), '')
    expect(() => takeLocalLock(home, 'rotate-si-1', 'billing-oidc')).to.throw(/another cfguard process/)
    expect(existsSync(join(home, 'locks', 'rotate-si-1.lock'))).to.equal(true)
  })

  it('an unreadable lock that stayed so for long (its writer was killed) is taken over', () => {
    const home = tempDir()
    const path = join(home, 'locks', 'rotate-si-1.lock')
    mkdirSync(join(home, 'locks'), {recursive: true})
    writeFileSync(path, '')
    utimesSync(path, new Date('2026-01-01T00:00:00Z'), new Date('2026-01-01T00:00:00Z'))
    expect(takeLocalLock(home, 'rotate-si-1', 'billing-oidc')).to.be.a('function')
  })

  it('release removes only its own lock, not the one that replaced it', () => {
    const home = tempDir()
    const path = join(home, 'locks', 'rotate-si-1.lock')
    const release = takeLocalLock(home, 'rotate-si-1', 'billing-oidc')
    const other = JSON.stringify({pid: process.ppid, host: hostname(), startedAt: '2026-01-01T00:00:00Z'})
    writeFileSync(path, other)
    release()
    expect(readFileSync(path, 'utf8')).to.equal(other)
  })
})

describe('a new key written to --output', () => {
  it('through a symbolic link: the link stays, the file it names gets the key, 0600', async () => {
    const dir = tempDir()
    const real = join(dir, 'real-key.json')
    const link = join(dir, 'key.json')
    writeFileSync(real, '{}')
    symlinkSync(real, link)
    await fileSink(link, writePrivateFile).deliver({
      serviceInstanceGuid: 'g',
      serviceInstanceName: 'partner-api',
      keyGuid: 'k',
      keyName: 'ci',
      credentials: {client_id: 'c'},
    })
    expect(lstatSync(link).isSymbolicLink(), 'still a link').to.equal(true)
    expect(JSON.parse(readFileSync(real, 'utf8')).key).to.equal('ci')
    expect(statSync(real).mode & 0o777).to.equal(0o600)
  })
})
