/**
 * The step sequences, as data: which steps an action on a kind runs, in which phases each one
 * applies and which phase it leads to. The plan simulates this table to say what will run; the
 * machine's steps use the same `when` so plan and run cannot disagree. Pure.
 */

import type {Phase, RotationAction, RotationKind, StepId} from './types.js'

export interface CatalogOptions {
  /** Retire later (a grace period was asked for). */
  grace: boolean
}

export interface StepSpec {
  id: StepId
  title: string
  /** Phases in which the step does work. */
  runsIn: Phase[]
  /** Phase after the step did its work. */
  leadsTo: Phase
  /** A reason to skip even in a matching phase (e.g. a grace period defers retirement). */
  skipIf?: (options: CatalogOptions) => string | null
}

const LIVE_UPS: Phase[] = ['idle', 'generated', 'added', 'updated', 'rolled', 'retired', 'recorded']
const graceSkip = (what: string) => (o: CatalogOptions) =>
  o.grace ? `grace period: ${what} stays valid until retire-after (run \`cfguard credentials retire\`)` : null

const lease = (runsIn: Phase[]): StepSpec => ({
  id: 'lease',
  title: 'Take the rotation lease',
  runsIn,
  leadsTo: 'idle',
})

/** A user-provided service's new secret reaches the apps: the credentials, then a rolling restart. */
const UPS_ROLL_OUT: StepSpec[] = [
  {
    id: 'update-credentials',
    title: 'Update the service credentials (only the secret changes)',
    runsIn: ['added'],
    leadsTo: 'updated',
  },
  {id: 'roll-apps', title: 'Rolling deployment of every bound app', runsIn: ['updated'], leadsTo: 'updated'},
  {
    id: 'verify-instances',
    title: 'Check every instance started after the update',
    runsIn: ['updated'],
    leadsTo: 'rolled',
  },
]

const UPS_FINALIZE: StepSpec = {
  id: 'finalize',
  title: 'Record the rotation and release the lease',
  runsIn: ['rolled', 'retired', 'recorded'],
  leadsTo: 'done',
}

const UPS_UAA_ROTATE: StepSpec[] = [
  lease(LIVE_UPS),
  {
    id: 'persist-secret',
    title: 'Generate the new secret and store it on the platform',
    runsIn: ['idle'],
    leadsTo: 'generated',
  },
  {
    id: 'add-secret',
    title: 'Add the new secret to the UAA client (changeMode ADD)',
    runsIn: ['generated'],
    leadsTo: 'added',
  },
  {id: 'verify-secret', title: 'Verify UAA accepts the new secret', runsIn: ['added'], leadsTo: 'added'},
  ...UPS_ROLL_OUT,
  {
    id: 'retire-secret',
    title: 'Retire the old secret (changeMode DELETE)',
    runsIn: ['rolled'],
    leadsTo: 'retired',
    skipIf: graceSkip('the old secret'),
  },
  UPS_FINALIZE,
]

const UPS_EXTERNAL_ROTATE: StepSpec[] = [
  lease(LIVE_UPS),
  {
    id: 'persist-secret',
    title: 'Take the new secret from its source and store it on the platform',
    runsIn: ['idle'],
    leadsTo: 'generated',
  },
  {
    id: 'verify-secret',
    title: 'Verify the identity provider accepts the new secret',
    runsIn: ['generated'],
    leadsTo: 'added',
  },
  ...UPS_ROLL_OUT,
  {
    id: 'retire-secret',
    title: 'Hand retirement of the old secret to the operator',
    runsIn: ['rolled'],
    leadsTo: 'retired',
    skipIf: graceSkip('the old secret'),
  },
  UPS_FINALIZE,
]

const BINDING_ROTATE: StepSpec[] = [
  lease(['idle', 'started', 'bound', 'rolled', 'retired']),
  {
    id: 'record-journal',
    title: 'Record the apps to rotate on the service instance',
    runsIn: ['idle'],
    leadsTo: 'started',
  },
  {
    id: 'create-bindings',
    title: 'Create a new binding per app (strategy multiple)',
    runsIn: ['started'],
    leadsTo: 'bound',
  },
  {id: 'roll-apps', title: 'Rolling deployment of every bound app', runsIn: ['bound'], leadsTo: 'bound'},
  {
    id: 'verify-instances',
    title: 'Check every instance started after its new binding',
    runsIn: ['bound'],
    leadsTo: 'rolled',
  },
  {
    id: 'delete-old-bindings',
    title: 'Delete the older bindings',
    runsIn: ['rolled'],
    leadsTo: 'retired',
    skipIf: graceSkip('older bindings'),
  },
  {
    id: 'finalize',
    title: 'Record the rotation and release the lease',
    runsIn: ['rolled', 'retired'],
    leadsTo: 'done',
  },
]

const KEY_ROTATE: StepSpec[] = [
  lease(['idle', 'started', 'created', 'delivered', 'retired']),
  {
    id: 'record-journal',
    title: 'Record the key rotation on the service instance',
    runsIn: ['idle'],
    leadsTo: 'started',
  },
  {id: 'create-key', title: 'Create the new service key', runsIn: ['started'], leadsTo: 'created'},
  {
    id: 'deliver-key',
    title: 'Hand the new credentials to the output',
    runsIn: ['created'],
    leadsTo: 'delivered',
  },
  {
    id: 'delete-old-keys',
    title: 'Delete the older keys',
    runsIn: ['delivered'],
    leadsTo: 'retired',
    skipIf: graceSkip('older keys'),
  },
  {
    id: 'finalize',
    title: 'Record the rotation and release the lease',
    runsIn: ['delivered', 'retired'],
    leadsTo: 'done',
  },
]

const UPS_RETIRE = (external: boolean): StepSpec[] => [
  lease(['grace', 'recorded']),
  // Apps bound or restarted since the rotation are proven (or rolled) before anything is retired.
  {
    id: 'roll-apps',
    title: 'Roll any bound app not proven to run the new secret',
    runsIn: ['grace'],
    leadsTo: 'grace',
  },
  {
    id: 'verify-instances',
    title: 'Check every instance runs the new secret',
    runsIn: ['grace'],
    leadsTo: 'grace',
  },
  {
    id: 'retire-secret',
    title: external
      ? 'Hand retirement of the old secret to the operator'
      : 'Retire the old secret (changeMode DELETE)',
    runsIn: ['grace'],
    leadsTo: 'recorded',
  },
  {id: 'finalize', title: 'Clear the grace mark and the kept secrets', runsIn: ['recorded'], leadsTo: 'done'},
]

const BINDING_RETIRE: StepSpec[] = [
  lease(['grace', 'retired']),
  {id: 'delete-old-bindings', title: 'Delete the older bindings', runsIn: ['grace'], leadsTo: 'retired'},
  {id: 'finalize', title: 'Clear the grace mark', runsIn: ['retired'], leadsTo: 'done'},
]

const KEY_RETIRE: StepSpec[] = [
  lease(['grace', 'retired']),
  {id: 'delete-old-keys', title: 'Delete the older keys', runsIn: ['grace'], leadsTo: 'retired'},
  {id: 'finalize', title: 'Clear the grace mark', runsIn: ['retired'], leadsTo: 'done'},
]

const UPS_ROLLBACK = (external: boolean): StepSpec[] => [
  lease(['rb-ready', 'rb-restored', 'rb-rolled', 'rb-reverted']),
  {
    id: 'restore-credentials',
    title: 'Put the previous secret back into the service',
    runsIn: ['rb-ready'],
    leadsTo: 'rb-restored',
  },
  {
    id: 'roll-apps',
    title: 'Rolling deployment of every bound app',
    runsIn: ['rb-restored'],
    leadsTo: 'rb-restored',
  },
  {
    id: 'verify-instances',
    title: 'Check every instance started after the restore',
    runsIn: ['rb-restored'],
    leadsTo: 'rb-rolled',
  },
  {
    id: 'revert-client',
    title: external
      ? 'Hand removal of the new secret to the operator'
      : 'Make the previous secret the only one at UAA (changeMode UPDATE)',
    runsIn: ['rb-rolled'],
    leadsTo: 'rb-reverted',
  },
  {
    id: 'finalize',
    title: 'Record the rollback and release the lease',
    runsIn: ['rb-reverted'],
    leadsTo: 'done',
  },
]

export function stepCatalog(action: RotationAction, kind: RotationKind): StepSpec[] | null {
  const external = kind === 'ups-external'
  switch (action) {
    case 'rotate':
      return {
        'ups-uaa': UPS_UAA_ROTATE,
        'ups-external': UPS_EXTERNAL_ROTATE,
        'managed-binding': BINDING_ROTATE,
        'service-key': KEY_ROTATE,
      }[kind]
    case 'retire':
      return kind === 'managed-binding'
        ? BINDING_RETIRE
        : kind === 'service-key'
          ? KEY_RETIRE
          : UPS_RETIRE(external)
    case 'rollback':
      return kind === 'ups-uaa' || kind === 'ups-external' ? UPS_ROLLBACK(external) : null
  }
}

/** Every flow walks these in this order (each kind uses a subset). */
const PHASE_ORDER: Phase[] = [
  'idle',
  'started',
  'generated',
  'created',
  'added',
  'bound',
  'updated',
  'delivered',
  'rolled',
  'rb-ready',
  'rb-restored',
  'rb-rolled',
  'rb-reverted',
  'retired',
  'recorded',
  'grace',
  'done',
]
const rank = (p: Phase) => PHASE_ORDER.indexOf(p)

/** true = do the step now; a string = why it is skipped. */
export function stepWhen(spec: StepSpec, phase: Phase, options: CatalogOptions): true | string {
  if (!spec.runsIn.includes(phase)) {
    const past = spec.runsIn.length > 0 && spec.runsIn.every((p) => rank(p) < rank(phase))
    return past ? `already done (phase ${phase})` : `not needed (phase ${phase})`
  }
  return spec.skipIf?.(options) ?? true
}

export interface SimulatedStep {
  id: StepId
  title: string
  run: boolean
  skipReason: string | null
}

/** Walks the sequence from `phase` as if every step succeeds (the plan's step list). */
export function simulateSteps(specs: StepSpec[], phase: Phase, options: CatalogOptions): SimulatedStep[] {
  let current = phase
  return specs.map((spec) => {
    const when = stepWhen(spec, current, options)
    if (when !== true) return {id: spec.id, title: spec.title, run: false, skipReason: when}
    if (spec.id !== 'lease') current = spec.leadsTo
    return {id: spec.id, title: spec.title, run: true, skipReason: null}
  })
}
