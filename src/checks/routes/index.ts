import type {Rule} from '../../model/rule.js'
import {driftRule} from './drift.js'
import {healthCheckRule} from './health-check.js'
import {internalExposedRule} from './internal-exposed.js'
import {internalUnreachableRule} from './internal-unreachable.js'
import {lbHashMissingHeaderRule} from './lb-hash-missing-header.js'
import {lbIneffectiveRule} from './lb-ineffective.js'
import {lbInconsistentRule} from './lb-inconsistent.js'
import {multipleAppsRule} from './multiple-apps.js'
import {noHealthyInstancesRule} from './no-healthy-instances.js'
import {orphanRule} from './orphan.js'
import {policyAnyRule} from './policy-any.js'
import {policyMissingRule} from './policy-missing.js'
import {protocolMismatchRule} from './protocol-mismatch.js'
import {routeServiceDownRule} from './route-service-down.js'
import {routeServiceLoopRule} from './route-service-loop.js'
import {sensitivePathPublicRule} from './sensitive-path-public.js'
import {sharedAcrossSpacesRule} from './shared-across-spaces.js'
import {stoppedAppRule} from './stopped-app.js'
import {trafficImbalanceRule} from './traffic-imbalance.js'
import {unroutedAppRule} from './unrouted-app.js'
import {weightsIgnoredRule} from './weights-ignored.js'

/** Every route rule, one file each (docs/architecture.md, Rules). */
export const routeRules: Rule[] = [
  orphanRule,
  stoppedAppRule,
  noHealthyInstancesRule,
  protocolMismatchRule,
  healthCheckRule,
  internalExposedRule,
  internalUnreachableRule,
  sensitivePathPublicRule,
  lbHashMissingHeaderRule,
  lbInconsistentRule,
  lbIneffectiveRule,
  weightsIgnoredRule,
  routeServiceLoopRule,
  routeServiceDownRule,
  policyMissingRule,
  policyAnyRule,
  sharedAcrossSpacesRule,
  multipleAppsRule,
  unroutedAppRule,
  trafficImbalanceRule,
  driftRule,
]
