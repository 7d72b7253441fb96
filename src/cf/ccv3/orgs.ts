/** `/v3/organizations` */
import {type CcCore, enc} from './core.js'
import {decodeOrg} from './decode.js'
import type {CommonListOptions} from './query.js'
import type {CcOrg} from './types.js'
import type {WireOrg} from './wire.js'

export interface OrgListOptions extends CommonListOptions {
  names?: readonly string[]
}

export function orgsResource(core: CcCore) {
  return {
    ...core.lister<WireOrg, CcOrg, OrgListOptions>('/v3/organizations', decodeOrg, 'organization'),
    get: async (guid: string): Promise<CcOrg> =>
      decodeOrg(await core.get<WireOrg>(`/v3/organizations/${enc(guid)}`)),
  }
}
