/**
 * cfguard as a library: the pieces the CLI itself runs, for scripts (docs/library.md). A session
 * gives the Cloud Controller, UAA, policy server and Log Cache clients behind the one transport;
 * `collectSnapshot` reads a foundation; the checks are pure functions over the snapshot; the
 * rotation engine plans and runs rotations against a platform built from a session. Nothing here
 * loads oclif.
 */
export {createContext, type RunContext} from './context.js'
export {openSession, type SessionOptions} from './actions/session.js'
export {
  openRotation,
  resolveServiceInstance,
  type RotationConnection,
} from './actions/credentials/platform.js'
export type {Session, Scope} from './cf/session.js'
export type {CcClient} from './cf/ccv3/client.js'
export type {UaaClient} from './cf/uaa/client.js'
export {collectSnapshot, type CollectOptions, type CollectResult} from './collect/index.js'
export {
  ALL_RULES,
  findRule,
  runChecks,
  selectRules,
  type CheckRun,
  type CheckSelection,
} from './checks/index.js'
export {loadOrCreateSalt} from './config/salt.js'
export {DEFAULT_POLICY, type Policy} from './model/policy.js'
export type {Snapshot} from './model/snapshot.js'
export type {Finding} from './model/finding.js'
export type {Rule} from './model/rule.js'
export {createCfRotationPlatform, type CfPlatformDeps} from './rotate/platform-cf.js'
export type {RotationPlatform} from './rotate/platform.js'
export {
  planOnly,
  retire,
  rollback,
  rotate,
  type EngineOptions,
  type RotationRequest,
} from './rotate/engine.js'
export type {RotationEvent, RotationOutcome} from './rotate/events.js'
export type {RotationPlan} from './rotate/plan.js'
export {CfguardError, isCfguardError} from './errors.js'
