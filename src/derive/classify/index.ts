/** Collection-time classification (pure): secrets become shapes, key names and keyed fingerprints. */
export {classifyCredentials} from './credentials.js'
export {classifyEnvValue, classifyEnvVars} from './env.js'
export {fingerprintSecret} from '../../model/fingerprint.js'
export {looksRandom, shannonEntropy} from './entropy.js'
export {secretKeyTier} from './key-names.js'
export {hasIdentityHint, isSsoOffering} from './sso.js'
export {sanitizeEndpoint} from './url.js'
export {SECRET_VALUE_CLASSES, classifyValue, isSecretClass, secretShape} from './value.js'
