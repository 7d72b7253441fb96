/** `/v3/domains` — docs/platform-facts.md §4.6. */
import {type CcCore, enc} from './core.js'
import {decodeDomain} from './decode.js'
import type {CommonListOptions} from './query.js'
import type {CcDomain} from './types.js'
import type {WireDomain} from './wire.js'

export interface DomainListOptions extends CommonListOptions {
  names?: readonly string[]
  organizationGuids?: readonly string[]
}

export function domainsResource(core: CcCore) {
  return {
    ...core.lister<WireDomain, CcDomain, DomainListOptions>('/v3/domains', decodeDomain, 'domain'),
    get: async (guid: string): Promise<CcDomain> =>
      decodeDomain(await core.get<WireDomain>(`/v3/domains/${enc(guid)}`)),
  }
}
