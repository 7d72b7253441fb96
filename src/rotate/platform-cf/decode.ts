/** Cloud Controller's resources → the rotation port's plain records (copies, never CC's objects). */

import type {CcCredentialBinding, CcDeployment, CcServiceInstance} from '../../cf/ccv3/types.js'
import type {BindingInfo, DeploymentInfo, OperationState, ServiceInstanceInfo} from '../platform.js'

export function serviceInstanceInfo(si: CcServiceInstance): ServiceInstanceInfo {
  return {
    guid: si.guid,
    name: si.name,
    type: si.type,
    spaceGuid: si.spaceGuid,
    labels: {...si.labels},
    annotations: {...si.annotations},
    updatedAt: si.updatedAt,
  }
}

const OPERATION_STATES: OperationState[] = ['initial', 'in progress', 'succeeded', 'failed']

export function bindingInfo(b: CcCredentialBinding): BindingInfo {
  const op = b.lastOperation
  const type = op.type === 'delete' || op.type === 'update' ? op.type : 'create'
  const state = (OPERATION_STATES as string[]).includes(op.state) ? (op.state as OperationState) : 'succeeded'
  return {
    guid: b.guid,
    name: b.name,
    type: b.type,
    appGuid: b.appGuid,
    serviceInstanceGuid: b.serviceInstanceGuid,
    createdAt: b.createdAt,
    lastOperation: {type, state, updatedAt: op.updatedAt ?? b.updatedAt ?? b.createdAt},
    labels: {...b.labels},
    annotations: {...b.annotations},
  }
}

export function deploymentInfo(d: CcDeployment): DeploymentInfo {
  return {
    guid: d.guid,
    appGuid: d.appGuid,
    statusValue: d.statusValue === 'FINALIZED' ? 'FINALIZED' : 'ACTIVE',
    statusReason: d.statusReason,
    createdAt: d.createdAt,
    labels: {...d.labels},
    annotations: {...d.annotations},
    error: d.error,
  }
}

export function newest(bindings: CcCredentialBinding[]): CcCredentialBinding | undefined {
  return [...bindings].sort(
    (a, b) => b.createdAt.localeCompare(a.createdAt) || b.guid.localeCompare(a.guid),
  )[0]
}
