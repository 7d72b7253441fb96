import {expect} from 'chai'
import {mkdirSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import {hostname} from 'node:os'
import {join} from 'node:path'

import {openAuditLog, takeLocalLock} from '../../../src/actions/credentials-files.js'
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
  it('appends one JSON line per event, mode 0600, secrets registered in the process masked', () => {
    const dir = tempDir()
    const path = join(dir, 'audit.jsonl')
    writeFileSync(path, '{"earlier":true}\n', {mode: 0o644})
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
    expect(statSync(path).mode & 0o777).to.equal(0o600)
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
})
