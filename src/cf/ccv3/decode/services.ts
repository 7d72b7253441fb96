/** Service offerings, plans, instances, credential bindings and their details. Pure functions (see ../decode.ts). */
import type {
  CcBindingDetails,
  CcCredentialBinding,
  CcServiceInstance,
  CcServiceOffering,
  CcServicePlan,
} from '../types.js'
import type {
  WireBindingDetails,
  WireCredentialBinding,
  WireServiceInstance,
  WireServiceOffering,
  WireServicePlan,
} from '../wire.js'
import {intern, labelsOf, annotationsOf, guidOf, decodeLastOperation} from './common.js'

export function decodeServiceOffering(w: WireServiceOffering): CcServiceOffering {
  return {
    guid: intern(w.guid),
    name: w.name,
    description: w.description ?? '',
    tags: w.tags ?? [],
    brokerName: null,
    brokerGuid: guidOf(w.relationships?.service_broker),
    available: w.available !== false,
    requires: w.requires ?? [],
    shareable: w.shareable === true,
    labels: labelsOf(w.metadata),
    annotations: annotationsOf(w.metadata),
  }
}

export function decodeServicePlan(w: WireServicePlan): CcServicePlan {
  return {
    guid: intern(w.guid),
    name: w.name,
    offeringGuid: guidOf(w.relationships?.service_offering) ?? '',
    description: w.description ?? '',
    free: w.free === true,
    available: w.available !== false,
    labels: labelsOf(w.metadata),
    annotations: annotationsOf(w.metadata),
  }
}

export function decodeServiceInstance(w: WireServiceInstance): CcServiceInstance {
  return {
    guid: intern(w.guid),
    name: w.name,
    type: intern(w.type),
    spaceGuid: guidOf(w.relationships?.space) ?? '',
    tags: w.tags ?? [],
    planGuid: guidOf(w.relationships?.service_plan),
    routeServiceUrl: w.route_service_url ?? null,
    syslogDrainUrl: w.syslog_drain_url ?? null,
    dashboardUrl: w.dashboard_url ?? null,
    lastOperation: decodeLastOperation(w.last_operation),
    createdAt: intern(w.created_at),
    updatedAt: intern(w.updated_at),
    labels: labelsOf(w.metadata),
    annotations: annotationsOf(w.metadata),
  }
}

export function decodeCredentialBinding(w: WireCredentialBinding): CcCredentialBinding {
  return {
    guid: intern(w.guid),
    name: w.name ?? null,
    type: intern(w.type),
    appGuid: guidOf(w.relationships?.app),
    serviceInstanceGuid: guidOf(w.relationships?.service_instance) ?? '',
    lastOperation: decodeLastOperation(w.last_operation) ?? {
      type: '',
      state: '',
      description: null,
      updatedAt: null,
    },
    createdAt: intern(w.created_at),
    updatedAt: intern(w.updated_at),
    labels: labelsOf(w.metadata),
    annotations: annotationsOf(w.metadata),
  }
}

export function decodeBindingDetails(w: WireBindingDetails): CcBindingDetails {
  return {
    credentials: w.credentials ?? {},
    syslogDrainUrl: w.syslog_drain_url ?? null,
    volumeMounts: w.volume_mounts ?? [],
  }
}
