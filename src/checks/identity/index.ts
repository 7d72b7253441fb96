import type {Rule} from '../../model/rule.js'
import {credentialsRejected} from './credentials-rejected.js'
import {credentialDrift} from './drift.js'
import {incompleteCredentials} from './incomplete-credentials.js'
import {insecureIssuer} from './insecure-issuer.js'
import {issuerUnreachable} from './issuer-unreachable.js'
import {identityMissing} from './missing.js'
import {orphanCredential} from './orphan-credential.js'
import {overprivilegedClient} from './overprivileged-client.js'
import {redirectUriTakeover} from './redirect-uri-takeover.js'
import {secretInEnv} from './secret-in-env.js'
import {sharedClient} from './shared-client.js'
import {staleCredential} from './stale-credential.js'

/** Every identity rule, one file each (docs/architecture.md, Rules). */
export const identityRules: Rule[] = [
  secretInEnv,
  identityMissing,
  incompleteCredentials,
  sharedClient,
  staleCredential,
  credentialDrift,
  insecureIssuer,
  issuerUnreachable,
  credentialsRejected,
  orphanCredential,
  overprivilegedClient,
  redirectUriTakeover,
]
