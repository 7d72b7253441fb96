/**
 * The one set of metadata keys cfguard writes on the platform (annotations and labels): the
 * rotation engine writes them, the identity audit and the credential list read them.
 */

export const ANNOTATION = {
  /** JSON Lease: who rotates this instance now, until when. */
  lease: 'cfguard.io/lease',
  /** ISO time the last rotation finished (apps run the new credentials). */
  rotatedAt: 'cfguard.io/rotated-at',
  rotatedBy: 'cfguard.io/rotated-by',
  /**
   * Which credential of the instance that rotation was (`ups-uaa`, `managed-binding`,
   * `service-key/<family>`…): a key rotation must not count as a recent binding rotation.
   */
  rotatedKind: 'cfguard.io/rotated-kind',
  rotationId: 'cfguard.io/rotation-id',
  /** ISO time after which the old secret / bindings / keys may be retired. */
  retireAfter: 'cfguard.io/retire-after',
  /** ISO time cfguard last changed the credentials; written in the same PATCH as the credentials. */
  credentialsUpdatedAt: 'cfguard.io/credentials-updated-at',
  /**
   * Written with it: when the secret the service now holds was first put in place (ISO, or
   * `unknown`), the credential's age. A rotation writes the change time; a rollback writes the
   * restored secret's original time, kept on the rotation state as `previous-secret-set-at`.
   */
  secretSetAt: 'cfguard.io/secret-set-at',
  /** On the rotation state: `secret-set-at` of the secret the rotation replaces. */
  previousSecretSetAt: 'cfguard.io/previous-secret-set-at',
  /**
   * On the rotation state: the target's rotation record before this rotation (JSON of rotated-at,
   * -by, -kind, rotation-id), put back by a rollback: an undone rotation is no recent rotation.
   */
  previousRotation: 'cfguard.io/previous-rotation',
  /** JSON Journal of a binding or key rotation in progress (no secrets). */
  journal: 'cfguard.io/rotation-journal',
  rolledBackAt: 'cfguard.io/rolled-back-at',
  /** On service keys: the key family (name of the first key) a rotated key replaces. */
  keyFamily: 'cfguard.io/key-family',
  /** On service keys: when its credentials were handed to the output sink. */
  deliveredAt: 'cfguard.io/delivered-at',
  /**
   * The OAuth client id a UPS holds (written by cfguard on the UPS and on its rotation state), so
   * a dry run can name the UAA client without reading the credentials (no `*.show` audit event).
   */
  clientId: 'cfguard.io/client-id',
  /** On the rotation-state companion: `ups-uaa` or `ups-external`, and when the rotation started. */
  rotationKind: 'cfguard.io/rotation-kind',
  startedAt: 'cfguard.io/started-at',
} as const

export const LABEL = {
  /** `rotation-state` on the companion user-provided service that holds a pending secret. */
  role: 'cfguard.io/role',
  /** On the companion: guid of the service instance it belongs to. */
  rotationTarget: 'cfguard.io/rotation-target',
  /**
   * On deployments cfguard creates: which credential change they roll out (a compact time for a
   * UPS, the new binding's guid for managed bindings). A deployment takes its environment when it
   * is created, so only one labelled with the current change proves the app runs it.
   */
  credentialsChange: 'cfguard.io/credentials-change',
} as const
