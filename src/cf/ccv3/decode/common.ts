/** Shared pieces of the decoders: relationships, metadata, last operations, instance states. Pure functions (see ../decode.ts). */
import type {InstanceState, Labels, Metadata} from '../../../model/snapshot.js'
import type {LastOperation} from '../types.js'
import type {WireLastOperation, WireMetadata, WireToOne} from '../wire.js'
import {intern} from '../../../util/intern.js'

export {intern, sharedRecord} from '../../../util/intern.js'

const INSTANCE_STATES = new Set(['RUNNING', 'CRASHED', 'STARTING', 'STOPPING', 'DOWN'])

export function guidOf(rel: WireToOne | undefined): string | null {
  return intern(rel?.data?.guid ?? null)
}

/**
 * Resources without labels (most of them) share one frozen empty record instead of one `{}`
 * each (~56 bytes, twice per resource): nothing writes to a decoded resource's metadata.
 */
const NO_LABELS: Labels = Object.freeze({})

function labels(map: Record<string, string | null> | undefined): Labels {
  let out: Labels | null = null
  for (const [k, v] of Object.entries(map ?? {})) if (typeof v === 'string') (out ??= {})[k] = v
  return out ?? NO_LABELS
}

export function labelsOf(m: WireMetadata | undefined): Labels {
  return labels(m?.labels)
}

export function annotationsOf(m: WireMetadata | undefined): Labels {
  return labels(m?.annotations)
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
    type: intern(op.type ?? ''),
    state: intern(op.state ?? ''),
    description: intern(op.description ?? null),
    updatedAt: intern(op.updated_at ?? null),
  }
}
