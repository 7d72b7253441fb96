import type {App, Domain, Org, Process, Route, ServiceInstance, Snapshot, Space} from '../model/snapshot.js'
import {pushTo} from '../util/multimap.js'

/** In-memory indexes over a snapshot, built once per snapshot and shared by every rule. */
export interface SnapshotIndex {
  orgs: Map<string, Org>
  spaces: Map<string, Space>
  apps: Map<string, App>
  domains: Map<string, Domain>
  routes: Map<string, Route>
  serviceInstances: Map<string, ServiceInstance>
  /** app guid → its processes */
  processesByApp: Map<string, Process[]>
  /** app guid → routes with a destination to it */
  routesByApp: Map<string, Route[]>
}

const cache = new WeakMap<Snapshot, SnapshotIndex>()

export function indexSnapshot(s: Snapshot): SnapshotIndex {
  const hit = cache.get(s)
  if (hit) return hit
  const byGuid = <T extends {guid: string}>(items: T[]) => new Map(items.map((i) => [i.guid, i]))
  const processesByApp = new Map<string, Process[]>()
  for (const p of s.processes) pushTo(processesByApp, p.appGuid, p)
  const routesByApp = new Map<string, Route[]>()
  for (const r of s.routes) {
    for (const appGuid of new Set(r.destinations.map((d) => d.appGuid))) pushTo(routesByApp, appGuid, r)
  }
  const ix: SnapshotIndex = {
    orgs: byGuid(s.orgs),
    spaces: byGuid(s.spaces),
    apps: byGuid(s.apps),
    domains: byGuid(s.domains),
    routes: byGuid(s.routes),
    serviceInstances: byGuid(s.serviceInstances),
    processesByApp,
    routesByApp,
  }
  cache.set(s, ix)
  return ix
}

/** Space and org names for a space guid (null when not visible). */
export function placeOf(
  ix: SnapshotIndex,
  spaceGuid: string | null,
): {space: string | null; org: string | null} {
  const space = spaceGuid ? ix.spaces.get(spaceGuid) : undefined
  const org = space ? ix.orgs.get(space.orgGuid) : undefined
  return {space: space?.name ?? null, org: org?.name ?? null}
}
