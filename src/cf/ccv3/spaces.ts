/** `/v3/spaces` */
import {type CcCore, enc} from './core.js'
import {decodeSpace} from './decode.js'
import type {CommonListOptions} from './query.js'
import type {CcSpace} from './types.js'
import type {WireSpace} from './wire.js'

export interface SpaceListOptions extends CommonListOptions {
  names?: readonly string[]
  organizationGuids?: readonly string[]
  include?: 'organization'
}

export function spacesResource(core: CcCore) {
  return {
    ...core.lister<WireSpace, CcSpace, SpaceListOptions>('/v3/spaces', decodeSpace, 'space'),
    get: async (guid: string): Promise<CcSpace> =>
      decodeSpace(await core.get<WireSpace>(`/v3/spaces/${enc(guid)}`)),
  }
}
