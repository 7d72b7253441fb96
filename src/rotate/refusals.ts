/**
 * Why a rotate / retire / rollback must not start: the preflight checks of docs/architecture.md's rotation
 * protocol (lease, permissions, active deployments, version gates, grace periods, states a person
 * must look at), as data for the plan. Pure.
 */

import {rotatedKindOf} from './annotations.js'
import {ANNOTATION} from '../model/annotations.js'
import type {Observation} from './observe.js'
import {existingRotationId} from './phase.js'
import type {PlanOptions, Refusal, VersionGate} from './plan.js'
import type {Phase, RotationAction} from './types.js'

const CLIENT_SECRET_SCOPES = ['clients.secret', 'clients.admin', 'uaa.admin']

function leaseRefusal(obs: Observation, owner: string, now: Date): Refusal | null {
  if (obs.lease === undefined) return null
  if (obs.lease === null) {
    return {
      code: 'LEASE_HELD',
      message: `the rotation lease on ${obs.target.name} cannot be read`,
      suggestions: [
        'remove the annotation cfguard.io/lease from the service instance if no rotation is running',
      ],
    }
  }
  if (obs.lease.owner === owner || Date.parse(obs.lease.expiresAt) <= now.getTime()) return null
  return {
    code: 'LEASE_HELD',
    message: `${obs.target.name} is being rotated by ${obs.lease.owner} (rotation ${obs.lease.rotationId}) until ${obs.lease.expiresAt}`,
    suggestions: ['wait for that run to finish, or re-run after the lease expires'],
  }
}

export function refusals(
  action: RotationAction,
  obs: Observation,
  phase: Phase,
  reason: string,
  options: PlanOptions,
  now: Date,
  gates: VersionGate[],
): Refusal[] {
  const name = obs.target.name
  if (obs.kind === null) {
    return [
      {
        code: 'ROTATION_REFUSED',
        message: `cannot ${action} ${name}: ${obs.problem ?? 'unknown credential kind'}`,
        suggestions: ['list rotatable credentials with `cfguard credentials list`'],
      },
    ]
  }
  const out: Refusal[] = []
  const lease = leaseRefusal(obs, options.owner, now)
  if (lease) out.push(lease)
  if (obs.ups?.foreignStore) {
    out.push({
      code: 'ROTATION_REFUSED',
      message: `a service named cfguard-rotation-${obs.target.guid} exists in the space but is not cfguard's rotation state`,
      suggestions: ['rename or delete that service, then re-run'],
    })
  }
  if (phase === 'needs-human') {
    out.push({
      code: 'ROTATION_HALTED',
      message: `${name}: ${reason}; cfguard changes nothing in this state`,
      suggestions: [
        'compare the secret the service holds with the UAA client and the apps, fix it by hand, then re-run',
      ],
      needsHuman: true,
    })
    return out
  }
  if (phase === 'unknown') {
    out.push({
      code: 'API_UNAVAILABLE',
      message: `${name}: ${reason}`,
      suggestions: ['re-run when UAA answers'],
    })
    return out
  }
  if (action === 'rollback' && (obs.kind === 'managed-binding' || obs.kind === 'service-key')) {
    out.push({
      code: 'ROTATION_REFUSED',
      message: `rollback covers secrets in user-provided services; the older ${obs.kind === 'service-key' ? 'keys' : 'bindings'} of ${name} stay until retirement`,
      suggestions: ['keep using the older ones until `cfguard credentials retire`; nothing to roll back'],
    })
    return out
  }
  if (action === 'rollback' && (phase === 'idle' || phase === 'retired')) {
    out.push({code: 'ROTATION_REFUSED', message: `${name}: ${reason}`, suggestions: []})
  }
  const blind = obs.apps.filter((a) => a.state === 'STARTED' && a.instancesUnknown !== undefined)
  if (blind.length > 0) {
    // Every action ends by checking each instance runs the change; blind, it could retire a
    // secret an instance still uses. A dry run only looks, so it shows the plan anyway.
    out.push({
      code: 'API_UNAVAILABLE',
      message: `cannot verify the instances of ${blind.length} app(s) (${blind.map((a) => a.name).join(', ')}): ${blind[0]!.instancesUnknown}; the ${action} does not start until they can be read`,
      suggestions: [
        `re-run when Cloud Controller reports instances again (Diego healthy); meanwhile \`cfguard credentials ${action} ${name} --dry-run\` shows the plan`,
      ],
      dryRunProceeds: true,
    })
  }
  if (action === 'retire') out.push(...retireRefusals(obs, phase, reason, options, now))
  if (action === 'rotate') out.push(...rotateRefusals(obs, phase, options, now, gates))
  return out
}

function retireRefusals(
  obs: Observation,
  phase: Phase,
  reason: string,
  options: PlanOptions,
  now: Date,
): Refusal[] {
  const name = obs.target.name
  if (phase !== 'grace' && phase !== 'recorded' && phase !== 'retired') {
    const inProgress = existingRotationId(obs) !== null && phase !== 'idle'
    return [
      {
        code: 'ROTATION_REFUSED',
        message: inProgress
          ? `${name}: a rotation is in progress (${reason}); nothing to retire yet`
          : `${name}: nothing to retire (${reason})`,
        suggestions: inProgress ? [`finish it with \`cfguard credentials rotate ${name}\``] : [],
      },
    ]
  }
  const after = obs.ups?.retireAfter ?? obs.binding?.retireAfter ?? obs.key?.retireAfter ?? null
  if (phase === 'grace' && after !== null && Date.parse(after) > now.getTime() && !options.force) {
    return [
      {
        code: 'ROTATION_REFUSED',
        message: `${name}: the grace period runs until ${after}`,
        suggestions: ['retire after that time (the next cron run does), or pass --force'],
      },
    ]
  }
  return []
}

function rotateRefusals(
  obs: Observation,
  phase: Phase,
  options: PlanOptions,
  now: Date,
  gates: VersionGate[],
): Refusal[] {
  const name = obs.target.name
  const out: Refusal[] = []
  if (phase === 'grace') {
    const after = obs.ups?.retireAfter ?? obs.binding?.retireAfter ?? obs.key?.retireAfter
    out.push({
      code: 'ROTATION_REFUSED',
      message: `${name}: the previous rotation is in its grace period until ${after}`,
      suggestions: [
        `retire it first: \`cfguard credentials retire ${name}\` (with --force before that time)`,
      ],
    })
    return out
  }
  if (obs.kind === 'service-key' && !options.keySinkGiven) {
    out.push({
      code: 'USAGE',
      message: `${name}: the new key's credentials need somewhere to go`,
      suggestions: ['pass --output FILE (written 0600), or --reveal to print them'],
    })
  }
  if (phase !== 'idle') return out
  // A fresh start: the preflight of docs/architecture.md's rotation protocol.
  // Only the same credential: a key family and the app bindings of one instance rotate apart.
  const same =
    obs.rotatedKind === null ||
    obs.kind === null ||
    obs.rotatedKind === rotatedKindOf(obs.kind, obs.key?.keyName ?? null)
  const last = obs.rotatedAt === null || !same ? NaN : Date.parse(obs.rotatedAt)
  if (!options.force && now.getTime() - last < options.minIntervalMs) {
    out.push({
      code: 'ROTATION_REFUSED',
      message: `${name} was rotated at ${obs.rotatedAt} (rotation ${obs.target.annotations[ANNOTATION.rotationId] ?? 'unknown'}); that rotation is complete`,
      suggestions: ['to rotate again this soon, pass --force'],
    })
  }
  for (const d of obs.activeDeployments) {
    const app = obs.apps.find((a) => a.guid === d.appGuid)
    out.push({
      code: 'ROTATION_REFUSED',
      message: `app ${app?.name ?? d.appGuid} has an active deployment (${d.guid}, ${d.statusReason})`,
      suggestions: ['wait for it to finish (or cancel it), then re-run'],
    })
  }
  const ups = obs.ups
  const client = ups?.clientId ?? '(read at run time)'
  if (ups && ups.kind === 'ups-uaa') out.push(...uaaRefusals(name, ups, client))
  if (ups && ups.kind === 'ups-external' && !options.secretSupplied) {
    out.push({
      code: 'ROTATION_REFUSED',
      message: `${name}: the new secret of client ${client} must come from its identity provider`,
      suggestions: ['add a second secret at the provider, then pass it with --secret-file or on stdin'],
    })
  }
  if (obs.kind === 'managed-binding') {
    if (obs.apps.length === 0) {
      out.push({
        code: 'ROTATION_REFUSED',
        message: `${name}: no app is bound; nothing to rotate`,
        suggestions: ['to rotate a service key, pass --key NAME'],
      })
    }
    for (const gate of gates) {
      if (!gate.ok && !options.allowDowntime) {
        out.push({
          code: 'VERSION_UNSUPPORTED',
          message: `${gate.feature} needs Cloud Controller ${gate.required} or newer (this one is ${gate.actual}); rotating without it means downtime`,
          suggestions: ['upgrade the foundation, or accept downtime with --allow-downtime'],
        })
      }
    }
  }
  return out
}

/** A UAA secret: the client must be this UAA's, the token must change secrets, the current secret must work. */
function uaaRefusals(name: string, ups: NonNullable<Observation['ups']>, client: string): Refusal[] {
  const out: Refusal[] = []
  if (ups.uaaClient === null) {
    out.push({
      code: 'ROTATION_REFUSED',
      message: `${name}: client ${client} is not a client of this foundation's UAA`,
      suggestions: [
        'if another identity provider issued it, supply the new secret with --secret-file or on stdin',
      ],
    })
  } else if (ups.uaaClient === 'forbidden') {
    out.push({
      code: 'FORBIDDEN',
      message: `cannot read UAA client ${client}: the token lacks clients.read`,
      suggestions: ['log in as a client or user with clients.read and clients.secret (or clients.admin)'],
    })
  }
  const scopes = ups.callerScopes ?? []
  if (!scopes.some((s) => CLIENT_SECRET_SCOPES.includes(s) || /^zones\.[^.]+\.admin$/.test(s))) {
    out.push({
      code: 'FORBIDDEN',
      message: `the token cannot change client secrets at UAA (needs clients.secret, clients.admin or uaa.admin)`,
      suggestions: [
        'log in as a client that has clients.secret: `cfguard login --client-id CLIENT_ID` (its secret from CFGUARD_CLIENT_SECRET or stdin)',
      ],
    })
  }
  if (ups.currentProbe === 'rejected') {
    out.push({
      code: 'ROTATION_HALTED',
      message: `${name}: UAA rejects the secret the service holds now; bound apps already fail to authenticate`,
      suggestions: ['set a known secret by hand (changeMode UPDATE) and update the service, then rotate'],
      needsHuman: true,
    })
  } else if (ups.currentProbe === 'error') {
    out.push({
      code: 'API_UNAVAILABLE',
      message: `${name}: the token endpoint could not check the current secret`,
      suggestions: ['re-run when UAA answers'],
    })
  }
  return out
}
