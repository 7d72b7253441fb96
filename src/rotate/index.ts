/** The rotation engine's public surface (the action layer imports from here). */
export {ANNOTATION, LABEL, ROLE_ROTATION_STATE, stateServiceName} from './annotations.js'
export {
  collect,
  planOnly,
  retire,
  rollback,
  rotate,
  type EngineOptions,
  type RotationRequest,
} from './engine.js'
export {
  rotateAllDue,
  summarize,
  type CronCandidate,
  type CronItem,
  type CronOptions,
  type CronSummary,
} from './cron.js'
export {
  auditLine,
  auditRecord,
  eventToLine,
  type AuditRecord,
  type RotationEvent,
  type RotationOutcome,
} from './events.js'
export {keyedFingerprint, type Fingerprint} from '../model/fingerprint.js'
export {planRotation, type RotationPlan} from './plan.js'
export type {RotationPlatform} from './platform.js'
export {fileSink, revealSink, type KeySink} from './sink.js'
export type {Phase, RotationAction, RotationKind, RotationStatus, StepId} from './types.js'
