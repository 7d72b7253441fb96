/**
 * Container-to-container network policies (policy server external API v1, docs/platform-facts.md §10), at the
 * root `network_policy_v1` link. Listing needs `network.admin` or `network.write` (or
 * self-service): a space auditor gets 403, which callers report as a coverage gap.
 */
import type {NetworkPolicy} from '../../model/snapshot.js'
import type {Transport} from '../http/transport.js'
import {joinUrl} from '../http/url.js'
import {GUID_BATCH_SIZE} from '../ccv3/query.js'

export const POLICY_SERVER = 'policy server'

interface WirePolicy {
  source: {id: string}
  destination: {id: string; protocol: string; ports?: {start: number; end: number}; port?: number}
}

interface WirePolicies {
  total_policies?: number
  policies?: WirePolicy[]
}

export function decodePolicy(w: WirePolicy): NetworkPolicy {
  const start = w.destination.ports?.start ?? w.destination.port ?? 0
  return {
    sourceAppGuid: w.source.id,
    destinationAppGuid: w.destination.id,
    protocol: w.destination.protocol,
    portStart: start,
    portEnd: w.destination.ports?.end ?? start,
  }
}

function wirePolicy(p: NetworkPolicy): WirePolicy {
  return {
    source: {id: p.sourceAppGuid},
    destination: {
      id: p.destinationAppGuid,
      protocol: p.protocol,
      ports: {start: p.portStart, end: p.portEnd},
    },
  }
}

export function createNetworkClient(transport: Transport, baseUrl: string) {
  const url = (path: string) => joinUrl(baseUrl, path)
  return {
    baseUrl,
    /** All policies the token may see; `ids` (app GUIDs, either side) are sent in batches of 200. */
    async listPolicies(filter: {ids?: readonly string[]} = {}): Promise<NetworkPolicy[]> {
      const batches: (string | undefined)[] = []
      if (filter.ids === undefined) batches.push(undefined)
      else
        for (let i = 0; i < filter.ids.length; i += GUID_BATCH_SIZE)
          batches.push(filter.ids.slice(i, i + GUID_BATCH_SIZE).join(','))
      const seen = new Set<string>()
      const out: NetworkPolicy[] = []
      for (const ids of batches) {
        const res = await transport.request<WirePolicies>({
          method: 'GET',
          url: url('/policies'),
          query: {id: ids},
          service: POLICY_SERVER,
        })
        for (const w of res.data?.policies ?? []) {
          const p = decodePolicy(w)
          const key = `${p.sourceAppGuid}>${p.destinationAppGuid}/${p.protocol}:${p.portStart}-${p.portEnd}`
          if (seen.has(key)) continue
          seen.add(key)
          out.push(p)
        }
      }
      return out
    },
    async createPolicies(policies: NetworkPolicy[]): Promise<void> {
      await transport.request({
        method: 'POST',
        url: url('/policies'),
        json: {policies: policies.map(wirePolicy)},
        accept: 'none',
        service: POLICY_SERVER,
      })
    },
    async deletePolicies(policies: NetworkPolicy[]): Promise<void> {
      await transport.request({
        method: 'POST',
        url: url('/policies/delete'),
        json: {policies: policies.map(wirePolicy)},
        accept: 'none',
        service: POLICY_SERVER,
      })
    },
  }
}

export type NetworkClient = ReturnType<typeof createNetworkClient>
