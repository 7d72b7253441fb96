/** Vocabulary shared by the plan, the steps, the machine and the events. */

/**
 * - `ups-uaa`: a user-provided service holding a client secret of this foundation's UAA;
 * - `managed-binding`: app bindings of a managed instance, rotated with `strategy: multiple`;
 * - `service-key`: a service key family of a managed instance (new key, hand over, delete old);
 * - `ups-external`: a user-provided service holding a secret of another identity provider; the
 *   new secret comes from the operator (stdin / file), cfguard does the platform side.
 */
export const ROTATION_KINDS = ['ups-uaa', 'managed-binding', 'service-key', 'ups-external'] as const
export type RotationKind = (typeof ROTATION_KINDS)[number]

export type RotationAction = 'rotate' | 'retire' | 'rollback'

/**
 * Where a rotation stands, derived from platform state alone (see phase.ts for the tables).
 * UPS kinds: idle → generated → added → updated → rolled → retired → recorded → (done | grace).
 * Binding kind: idle → started → bound → rolled → retired → done. Key kind: idle → started →
 * created → delivered → retired → done. Rollback (UPS kinds): rb-ready → rb-restored → rb-rolled
 * → rb-reverted → done.
 */
export type Phase =
  | 'idle'
  | 'generated'
  | 'added'
  | 'updated'
  | 'rolled'
  | 'retired'
  | 'recorded'
  | 'grace'
  | 'started'
  | 'bound'
  | 'created'
  | 'delivered'
  | 'rb-ready'
  | 'rb-restored'
  | 'rb-rolled'
  | 'rb-reverted'
  | 'done'
  /** The platform is in a state cfguard will not act on; a person must look. */
  | 'needs-human'
  /** A probe could not tell (token endpoint unreachable): act on nothing, retry later. */
  | 'unknown'

export type StepId =
  | 'lease'
  | 'persist-secret'
  | 'add-secret'
  | 'verify-secret'
  | 'update-credentials'
  | 'roll-apps'
  | 'verify-instances'
  | 'retire-secret'
  | 'record-journal'
  | 'create-bindings'
  | 'delete-old-bindings'
  | 'create-key'
  | 'deliver-key'
  | 'delete-old-keys'
  | 'restore-credentials'
  | 'revert-client'
  | 'finalize'

export type RotationStatus =
  /** Every step done; the old secret/bindings/keys are gone. */
  | 'completed'
  /** Apps run the new credentials; the old ones stay valid until retire-after. */
  | 'grace'
  | 'retired'
  | 'rolled-back'
  | 'dry-run'
  | 'refused'
  | 'lease-held'
  /** Stopped part-way; state is on the platform and a re-run resumes (exit 6). */
  | 'halted'
  /** Stopped in a state cfguard will not touch; nothing was changed by this run (exit 6). */
  | 'needs-human'
  /** Failed before changing anything (auth 4, API 5, bug 1). */
  | 'failed'
