/** The apps a target reaches, with their instances and the deployments that tell whether they rolled. */

import {LABEL} from '../model/annotations.js'
import type {AppInfo, DeploymentInfo, RotationPlatform} from './platform.js'

export interface LoadedApps {
  apps: AppInfo[]
  activeDeployments: DeploymentInfo[]
  /** Deployments cfguard made for a credential change (labelled), any status. */
  changeDeployments: DeploymentInfo[]
}

export async function loadApps(platform: RotationPlatform, appGuids: string[]): Promise<LoadedApps> {
  const unique = [...new Set(appGuids)].sort()
  if (unique.length === 0) return {apps: [], activeDeployments: [], changeDeployments: []}
  const [apps, activeDeployments, changeDeployments] = await Promise.all([
    platform.listApps(unique),
    platform.listDeployments({appGuids: unique, statusValues: ['ACTIVE']}),
    platform.listDeployments({appGuids: unique, labelSelector: LABEL.credentialsChange}),
  ])
  return {apps: [...apps].sort((a, b) => a.guid.localeCompare(b.guid)), activeDeployments, changeDeployments}
}
