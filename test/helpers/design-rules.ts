/**
 * The published rule ids (the design's "Rules (stable ids)"; docs/policy.md lists them), copied by
 * hand: the public contract the registries, `cfguard
 * rules` and the policy loader are tested against. Never derived from src/ (it would then agree
 * with any mistake there).
 */
export const DESIGN_IDENTITY_RULE_IDS = [
  'identity/secret-in-env',
  'identity/missing',
  'identity/incomplete-credentials',
  'identity/shared-client',
  'identity/stale-credential',
  'identity/drift',
  'identity/insecure-issuer',
  'identity/issuer-unreachable',
  'identity/credentials-rejected',
  'identity/orphan-credential',
  'identity/overprivileged-client',
  'identity/redirect-uri-takeover',
] as const

export const DESIGN_ROUTE_RULE_IDS = [
  'routes/orphan',
  'routes/stopped-app',
  'routes/no-healthy-instances',
  'routes/protocol-mismatch',
  'routes/health-check',
  'routes/internal-exposed',
  'routes/internal-unreachable',
  'routes/sensitive-path-public',
  'routes/lb-hash-missing-header',
  'routes/lb-inconsistent',
  'routes/lb-ineffective',
  'routes/weights-ignored',
  'routes/route-service-loop',
  'routes/route-service-down',
  'routes/policy-missing',
  'routes/policy-any',
  'routes/shared-across-spaces',
  'routes/multiple-apps',
  'routes/unrouted-app',
  'routes/traffic-imbalance',
  'routes/drift',
] as const

export const DESIGN_RULE_IDS: readonly string[] = [...DESIGN_IDENTITY_RULE_IDS, ...DESIGN_ROUTE_RULE_IDS]
