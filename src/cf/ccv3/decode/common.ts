/** Shared pieces of the decoders: relationships, metadata, last operations, instance states. Pure functions (see ../decode.ts). */
import type {InstanceState, Labels, Metadata} from '../../../model/snapshot.js'
import type {LastOperation} from '../types.js'
import type {WireLastOperation, WireMetadata, WireToOne} from '../wire.js'

const INSTANCE_STATES = new Set(['RUNNING', 'CRASHED', 'STARTING', 'STOPPING', 'DOWN'])

export function guidOf(rel: WireToOne | undefined): string | null {
  return rel?.data?.guid ?? null
}

function labels(map: Record<string, string | null> | undefined): Labels {
  const out: Labels = {}
  for (const [k, v] of Object.entries(map ?? {})) if (typeof v === 'string') out[k] = v
  return out
}

export function decodeMetadata(m: WireMetadata | undefined): Metadata {
  return {labels: labels(m?.labels), annotations: labels(m?.annotations)}
}

export function instanceState(state: string): InstanceState {
  return INSTANCE_STATES.has(state) ? (state as InstanceState) : 'UNKNOWN'
}

export function decodeLastOperation(op: WireLastOperation | null | undefined): LastOperation | null {
  if (!op) return null
  return {
    type: op.type ?? '',
    state: op.state ?? '',
    description: op.description ?? null,
    updatedAt: op.updated_at ?? null,
  }
}
