/**
 * The lease: an annotation on the service instance naming who rotates it, which rotation and
 * until when. Taken by write-then-re-read (the last writer wins; the loser sees someone else's
 * token and backs off without touching anything else), checked before every step, renewed while
 * waiting, released at the end. An unexpired lease of another owner refuses the run (LEASE_HELD);
 * an expired one, or one of the same owner (a re-run after a crash), is taken over.
 *
 * Two runs of the same owner at once are told apart by the token: the later one takes over and
 * the earlier stops at its next step. Overlapping cron runs on one host should still hold a local
 * lock (the action layer's job); the lease is what protects against other hosts and people.
 */

import {randomUUID} from 'node:crypto'

import {decodeLease, encodeLease, type Lease} from '../annotations.js'
import {ANNOTATION} from '../../model/annotations.js'
import {leaseHeld} from '../halt.js'
import type {Step} from '../machine.js'
import type {RotationPlatform, ServiceInstanceInfo} from '../platform.js'
import type {RunState} from './state.js'
import {CfguardError} from '../../errors.js'

async function readInstance(platform: RotationPlatform, guid: string): Promise<ServiceInstanceInfo> {
  const si = await platform.getServiceInstance(guid)
  if (si === null)
    throw new CfguardError('NOT_FOUND', `service instance ${guid} disappeared during the rotation`)
  return si
}

function describe(lease: Lease): string {
  return `${lease.owner} (rotation ${lease.rotationId}) until ${lease.expiresAt}`
}

export async function acquireLease(platform: RotationPlatform, state: RunState): Promise<void> {
  const guid = state.target.guid
  const now = platform.now()
  const current = decodeLease((await readInstance(platform, guid)).annotations[ANNOTATION.lease])
  if (current === null) {
    throw leaseHeld(
      `the rotation lease on ${state.target.name} cannot be read`,
      'remove the annotation cfguard.io/lease if no rotation is running',
    )
  }
  if (current && current.owner !== state.options.owner && Date.parse(current.expiresAt) > now.getTime()) {
    throw leaseHeld(
      `${state.target.name} is being rotated by ${describe(current)}`,
      'wait for that run to finish, or re-run after the lease expires',
    )
  }
  const lease: Lease = {
    owner: state.options.owner,
    rotationId: state.rotationId,
    token: randomUUID(),
    acquiredAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + state.options.leaseTtlMs).toISOString(),
  }
  // Known before it is written: a run interrupted from here on (Ctrl-C during the settle pause)
  // gives back what it may have written. `releaseLease` only drops a lease carrying this token.
  state.leaseToken = lease.token
  await platform.updateServiceInstance(guid, {
    metadata: {annotations: {[ANNOTATION.lease]: encodeLease(lease)}},
  })
  // Another run may have written between our read and write; the re-read says who won.
  await platform.sleep(state.options.leaseSettleMs)
  const again = await readInstance(platform, guid)
  const winner = decodeLease(again.annotations[ANNOTATION.lease])
  if (!winner || winner.token !== lease.token) {
    state.leaseToken = null
    throw leaseHeld(
      `${state.target.name} is being rotated by ${winner ? describe(winner) : 'another run'}`,
      'wait for that run to finish, or re-run after the lease expires',
    )
  }
  state.target = again
  state.leaseExpiresAt = Date.parse(lease.expiresAt)
  state.lastLeaseCheck = platform.now().getTime()
}

/** Before each step: still ours? Renew when half the time is gone. Refreshes `state.target`. */
export async function ensureLease(platform: RotationPlatform, state: RunState): Promise<void> {
  const si = await readInstance(platform, state.target.guid)
  const lease = decodeLease(si.annotations[ANNOTATION.lease])
  if (!lease || lease.token !== state.leaseToken) {
    state.leaseToken = null
    throw leaseHeld(
      `the lease on ${state.target.name} was taken over${lease ? ` by ${describe(lease)}` : ''}; this run stops`,
      'the run holding the lease continues the rotation',
    )
  }
  state.target = si
  const now = platform.now().getTime()
  state.lastLeaseCheck = now
  if (Date.parse(lease.expiresAt) - now < state.options.leaseTtlMs / 2) {
    const renewed: Lease = {...lease, expiresAt: new Date(now + state.options.leaseTtlMs).toISOString()}
    await platform.updateServiceInstance(si.guid, {
      metadata: {annotations: {[ANNOTATION.lease]: encodeLease(renewed)}},
    })
    state.leaseExpiresAt = Date.parse(renewed.expiresAt)
    state.target = {...si, annotations: {...si.annotations, [ANNOTATION.lease]: encodeLease(renewed)}}
  }
}

/** While waiting: check (and renew) the lease at most every quarter of its lifetime. */
export async function leaseHeartbeat(platform: RotationPlatform, state: RunState): Promise<void> {
  if (state.leaseToken === null) return
  if (platform.now().getTime() - state.lastLeaseCheck >= state.options.leaseTtlMs / 4)
    await ensureLease(platform, state)
}

/** Best effort (after a failure): drop the lease if it is still ours. */
export async function releaseLease(platform: RotationPlatform, state: RunState): Promise<boolean> {
  if (state.leaseToken === null) return false
  try {
    const si = await readInstance(platform, state.target.guid)
    const lease = decodeLease(si.annotations[ANNOTATION.lease])
    if (lease?.token !== state.leaseToken) return false
    await platform.updateServiceInstance(si.guid, {metadata: {annotations: {[ANNOTATION.lease]: null}}})
    state.leaseToken = null
    return true
  } catch {
    return false
  }
}

export function leaseStep(when: (s: RunState) => boolean | string, title: string): Step<RunState> {
  return {
    id: 'lease',
    title,
    when,
    async run(platform, state) {
      await acquireLease(platform, state)
      return {
        detail: `held by ${state.options.owner} until ${new Date(state.leaseExpiresAt).toISOString()}`,
        data: {rotation_id: state.rotationId, owner: state.options.owner},
      }
    },
  }
}
