/**
 * Joins the step catalog (what runs when, pure) with the step implementations (how), so each
 * step's `when` is exactly the one the plan simulated.
 */

import {stepCatalog, stepWhen, type StepSpec} from '../catalog.js'
import type {Step} from '../machine.js'
import type {RotationAction, RotationKind, StepId} from '../types.js'
import {
  createBindings,
  deleteOldBindings,
  finalizeAnnotations,
  recordJournal,
  rollBindings,
  verifyBindings,
} from './binding.js'
import {createKey, deleteOldKeys, deliverKey} from './key.js'
import {leaseStep} from './lease.js'
import {isGrace, type RunState} from './state.js'
import {finalizeRollback, restoreCredentials, revertClient} from './rollback.js'
import {finalizeUps, rollUps, updateCredentials, verifyUps} from './ups.js'
import {retireSecret} from './ups-retire.js'
import {addSecret, persistSecret, verifySecret} from './ups-secret.js'

type When = Step<RunState>['when']
type Factory = (when: When, spec: StepSpec) => Step<RunState>

function factories(action: RotationAction, kind: RotationKind): Partial<Record<StepId, Factory>> {
  const ups = kind === 'ups-uaa' || kind === 'ups-external'
  if (ups && action === 'rollback') {
    return {
      lease: (w, s) => leaseStep(w, s.title),
      'restore-credentials': (w) => restoreCredentials(w),
      'roll-apps': (w) => rollUps(w),
      'verify-instances': (w) => verifyUps(w, 'rb-rolled'),
      'revert-client': (w) => revertClient(w),
      finalize: (w) => finalizeRollback(w),
    }
  }
  if (ups) {
    return {
      lease: (w, s) => leaseStep(w, s.title),
      'persist-secret': (w) => persistSecret(w),
      'add-secret': (w) => addSecret(w),
      'verify-secret': (w) => verifySecret(w),
      'update-credentials': (w) => updateCredentials(w),
      'roll-apps': (w) => rollUps(w),
      'verify-instances': (w) => verifyUps(w, action === 'retire' ? 'grace' : 'rolled'),
      'retire-secret': (w) => retireSecret(w, action === 'retire' ? 'recorded' : 'retired'),
      finalize: (w) => finalizeUps(w),
    }
  }
  return {
    lease: (w, s) => leaseStep(w, s.title),
    'record-journal': (w) => recordJournal(w),
    'create-bindings': (w) => createBindings(w),
    'roll-apps': (w) => rollBindings(w),
    'verify-instances': (w) => verifyBindings(w),
    'delete-old-bindings': (w) => deleteOldBindings(w),
    'create-key': (w) => createKey(w),
    'deliver-key': (w) => deliverKey(w),
    'delete-old-keys': (w) => deleteOldKeys(w),
    finalize: (w) => finalizeAnnotations(w),
  }
}

export function buildSteps(action: RotationAction, kind: RotationKind): Step<RunState>[] {
  const specs = stepCatalog(action, kind)
  if (!specs) return []
  const made = factories(action, kind)
  return specs.map((spec) => {
    const factory = made[spec.id]
    if (!factory) throw new TypeError(`no implementation for step ${spec.id} of ${action} ${kind}`)
    const when: When = (state) => stepWhen(spec, state.phase, {grace: isGrace(state.options)})
    const step = factory(when, spec)
    return {...step, title: spec.title}
  })
}
