/** Audit events, feature flags, jobs and users. Pure functions (see ../decode.ts). */
import type {CcAuditEvent, CcFeatureFlag, CcJob, CcUser} from '../types.js'
import type {WireAuditEvent, WireFeatureFlag, WireJob, WireUser} from '../wire.js'

export function decodeAuditEvent(w: WireAuditEvent): CcAuditEvent {
  const data = w.data ?? {}
  const request = data.request
  return {
    guid: w.guid,
    type: w.type,
    createdAt: w.created_at,
    actor: {guid: w.actor?.guid ?? '', type: w.actor?.type ?? '', name: w.actor?.name ?? ''},
    target: {guid: w.target?.guid ?? '', type: w.target?.type ?? '', name: w.target?.name ?? ''},
    spaceGuid: w.space?.guid ?? null,
    organizationGuid: w.organization?.guid ?? null,
    requestKeys:
      request !== null && typeof request === 'object' && !Array.isArray(request)
        ? Object.keys(request).sort()
        : [],
    data,
  }
}

export function decodeFeatureFlag(w: WireFeatureFlag): CcFeatureFlag {
  return {
    name: w.name,
    enabled: w.enabled === true,
    updatedAt: w.updated_at ?? null,
    customErrorMessage: w.custom_error_message ?? null,
  }
}

export function decodeJob(w: WireJob): CcJob {
  return {
    guid: w.guid,
    operation: w.operation,
    state: w.state,
    errors: (w.errors ?? []).map((e) => ({code: e.code, title: e.title, detail: e.detail})),
    warnings: (w.warnings ?? []).map((x) => x.detail).filter((d): d is string => typeof d === 'string'),
    createdAt: w.created_at ?? null,
    updatedAt: w.updated_at ?? null,
  }
}

export function decodeUser(w: WireUser): CcUser {
  return {
    guid: w.guid,
    username: w.username ?? null,
    presentationName: w.presentation_name ?? w.username ?? w.guid,
    origin: w.origin ?? null,
  }
}
