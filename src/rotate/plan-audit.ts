/**
 * The CF audit events a run will cause (what `--dry-run` announces), from the steps that run: the
 * kind's own events, then one deployment per rolled app.
 */

import {createFailed} from './bindings.js'
import type {SimulatedStep} from './catalog.js'
import type {Observation} from './observe.js'
import type {PlannedApp, PlannedAuditEvent, PlanOptions} from './plan.js'
import type {RotationAction} from './types.js'

/** Adds an event unless its count is known to be zero; `runs` says whether a step will run. */
interface Recorder {
  add(type: string, count: number | null, why: string): void
  runs(id: SimulatedStep['id']): boolean
}

export function plannedAuditEvents(
  action: RotationAction,
  grace: boolean,
  obs: Observation,
  steps: SimulatedStep[],
  apps: PlannedApp[],
  options: PlanOptions,
): PlannedAuditEvent[] {
  const out: PlannedAuditEvent[] = []
  const r: Recorder = {
    add: (type, count, why) => {
      if (count === null || count > 0) out.push({type, count, why})
    },
    runs: (id) => steps.some((s) => s.id === id && s.run),
  }
  if (obs.ups) upsEvents(r, action, grace, obs.ups)
  else if (obs.binding) bindingEvents(r, action, obs.binding, options)
  else if (obs.key) keyEvents(r, obs.key)
  const rolled = apps.filter((a) => a.roll).length
  if (rolled > 0) r.add('audit.app.deployment.create', rolled, 'one rolling deployment per started app')
  return out
}

function upsEvents(
  {add, runs}: Recorder,
  action: RotationAction,
  grace: boolean,
  ups: NonNullable<Observation['ups']>,
): void {
  add(
    'audit.user_provided_service_instance.show',
    null,
    'cfguard reads the credentials of the service and of its rotation state',
  )
  add(
    'audit.user_provided_service_instance.update',
    null,
    'lease and annotations; one update carries the new credentials',
  )
  if (runs('persist-secret'))
    add('audit.user_provided_service_instance.create', 1, 'the rotation-state service')
  const hasStore = ups.storeGuid !== null || runs('persist-secret')
  const keepsStore = action === 'rotate' && grace
  if (hasStore && runs('finalize') && !keepsStore) {
    add('audit.user_provided_service_instance.delete', 1, 'the rotation-state service, at the end')
  }
}

function bindingEvents(
  {add, runs}: Recorder,
  action: RotationAction,
  binding: NonNullable<Observation['binding']>,
  options: PlanOptions,
): void {
  add('audit.service_instance.update', null, 'lease, journal and annotations on the service instance')
  const needNew = binding.apps.filter((a) => a.ours?.lastOperation.state !== 'succeeded').length
  if (runs('create-bindings')) {
    add('audit.service_binding.start_create', needNew, 'one new binding per app')
    add('audit.service_binding.create', needNew, 'when each new binding is ready')
  }
  // Retire: the older ones. Rotate: every live binding of the apps except the new ones.
  const keep = new Set(binding.apps.flatMap((a) => (a.ours ? [a.ours.guid] : [])))
  const older =
    action === 'retire'
      ? binding.apps.reduce((n, a) => n + a.older.length, 0)
      : binding.bindings.filter(
          (b) =>
            b.appGuid !== null &&
            binding.apps.some((a) => a.appGuid === b.appGuid) &&
            !keep.has(b.guid) &&
            !createFailed(b),
        ).length
  const downtimeDeletes = options.allowDowntime && runs('create-bindings') ? older : 0
  if (runs('delete-old-bindings') || downtimeDeletes > 0) {
    add('audit.service_binding.start_delete', older, 'older bindings')
    add('audit.service_binding.delete', older, 'older bindings')
  }
}

function keyEvents({add, runs}: Recorder, key: NonNullable<Observation['key']>): void {
  add('audit.service_instance.update', null, 'lease, journal and annotations on the service instance')
  if (runs('create-key')) {
    add('audit.service_key.start_create', 1, 'the new key')
    add('audit.service_key.create', 1, 'the new key, when ready')
  }
  if (runs('deliver-key')) {
    add('audit.service_key.show', 1, 'cfguard reads the new key to hand it over')
    add('audit.service_key.update', 1, 'marks the key as handed over')
  }
  if (runs('delete-old-keys')) {
    const older = key.older.length + (key.journal === null && runs('create-key') ? 1 : 0)
    add('audit.service_key.start_delete', older, 'older keys')
    add('audit.service_key.delete', older, 'older keys')
  }
}
