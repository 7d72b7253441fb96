/** A resource as findings name it: kind, guid, name and where it lives (pure). */
import type {ResourceRef} from '../model/finding.js'
import type {App, Route, ServiceInstance, Snapshot} from '../model/snapshot.js'
import {indexSnapshot, placeOf} from './lookup.js'

export function appRef(s: Snapshot, app: App): ResourceRef {
  return {kind: 'app', guid: app.guid, name: app.name, ...placeOf(indexSnapshot(s), app.spaceGuid)}
}

export function routeRef(s: Snapshot, route: Route): ResourceRef {
  return {kind: 'route', guid: route.guid, name: route.url, ...placeOf(indexSnapshot(s), route.spaceGuid)}
}

export function serviceInstanceRef(s: Snapshot, si: ServiceInstance): ResourceRef {
  return {kind: 'service_instance', guid: si.guid, name: si.name, ...placeOf(indexSnapshot(s), si.spaceGuid)}
}
