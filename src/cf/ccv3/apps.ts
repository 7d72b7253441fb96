/**
 * `/v3/apps` (+ env, environment_variables, start/stop/restart, permissions) —
 * docs/platform-facts.md §3.1–3.3, §3.6.
 */
import {type CcCore, enc} from './core.js'
import {decodeApp, decodeAppEnv} from './decode.js'
import type {MetadataPatch} from './metadata.js'
import type {CommonListOptions} from './query.js'
import type {CcApp, CcAppEnv, CcAppPermissions, JobRef} from './types.js'
import type {WireApp, WireAppEnv, WireAppPermissions, WireEnvironmentVariables} from './wire.js'

export interface AppListOptions extends CommonListOptions {
  names?: readonly string[]
  spaceGuids?: readonly string[]
  organizationGuids?: readonly string[]
  stacks?: readonly string[]
  lifecycleType?: 'buildpack' | 'cnb' | 'docker'
  include?: 'space' | 'space.organization' | readonly ('space' | 'space.organization')[]
}

export interface AppCreate {
  name: string
  spaceGuid: string
  environmentVariables?: Record<string, string>
  metadata?: MetadataPatch
}

export function appsResource(core: CcCore) {
  const path = (guid: string, rest = '') => `/v3/apps/${enc(guid)}${rest}`
  const action = async (guid: string, name: 'start' | 'stop' | 'restart') =>
    decodeApp(await core.post<WireApp>(path(guid, `/actions/${name}`)))

  return {
    ...core.lister<WireApp, CcApp, AppListOptions>('/v3/apps', decodeApp, 'app'),
    get: async (guid: string): Promise<CcApp> => decodeApp(await core.get<WireApp>(path(guid))),
    async create(input: AppCreate): Promise<CcApp> {
      return decodeApp(
        await core.post<WireApp>('/v3/apps', {
          name: input.name,
          relationships: {space: {data: {guid: input.spaceGuid}}},
          ...(input.environmentVariables ? {environment_variables: input.environmentVariables} : {}),
          ...(input.metadata ? {metadata: input.metadata} : {}),
        }),
      )
    },
    async update(guid: string, patch: {name?: string; metadata?: MetadataPatch}): Promise<CcApp> {
      return decodeApp(await core.patch<WireApp>(path(guid), patch))
    },
    async delete(guid: string): Promise<JobRef | null> {
      return (await core.sendMaybeJob('DELETE', path(guid))).job ?? null
    },
    /** The full runtime environment. Secrets; writes `audit.app.environment.show` on every call. */
    async env(guid: string): Promise<CcAppEnv> {
      return decodeAppEnv(await core.get<WireAppEnv>(path(guid, '/env')))
    },
    /** The app's own variables. Secrets; writes `audit.app.environment_variables.show`. */
    async environmentVariables(guid: string): Promise<Record<string, string>> {
      return (await core.get<WireEnvironmentVariables>(path(guid, '/environment_variables'))).var ?? {}
    },
    /** Merge: given keys set, `null` deletes, others untouched. Returns the resulting variables. */
    async updateEnvironmentVariables(
      guid: string,
      vars: Record<string, string | null>,
    ): Promise<Record<string, string>> {
      return (
        (await core.patch<WireEnvironmentVariables>(path(guid, '/environment_variables'), {var: vars})).var ??
        {}
      )
    },
    start: (guid: string) => action(guid, 'start'),
    stop: (guid: string) => action(guid, 'stop'),
    /** Stop + start: causes downtime (a rolling deployment does not). */
    restart: (guid: string) => action(guid, 'restart'),
    async permissions(guid: string): Promise<CcAppPermissions> {
      const w = await core.get<WireAppPermissions>(path(guid, '/permissions'))
      return {readBasicData: w.read_basic_data === true, readSensitiveData: w.read_sensitive_data === true}
    },
  }
}
