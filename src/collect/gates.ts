/**
 * "Stop asking once the role is clearly denied", decided per space and kind of read: the first
 * read of a kind in a space is a probe; the others of that space wait for it. When the probe is
 * denied (403 on env or UPS credentials, 404 on binding details), the rest of the space is
 * skipped without a request; when it succeeds (or fails for another reason) they go ahead.
 * A feature-flag denial (CF-FeatureDisabled) closes the kind everywhere.
 */
import type {Limiter} from './limiter.js'
import {classifyReadError, type SecretRead} from './read-errors.js'

export type GateResult<T> = {ok: true; value: T} | {ok: false; read: 'denied' | 'failed'; why: string}

interface Gate {
  state: 'probing' | 'open' | 'denied'
  why: string
  settled: Promise<void>
  settle: () => void
}

export class Gates {
  private readonly gates = new Map<string, Gate>()
  private readonly closed = new Map<SecretRead, string>()

  constructor(
    private readonly limiter: Limiter,
    private readonly hintFor: (space: string) => string,
  ) {}

  /** Runs `task` under the limiter unless the space (or the whole kind) is denied. */
  async run<T>(kind: SecretRead, space: string, task: () => Promise<T>): Promise<GateResult<T>> {
    const key = `${kind}:${space}`
    let gate = this.gates.get(key)
    if (!gate) {
      gate = newGate('probing')
      this.gates.set(key, gate)
      return this.attempt(kind, space, gate, task)
    }
    if (gate.state === 'probing') await gate.settled
    const closed = this.closed.get(kind)
    if (closed) return {ok: false, read: 'denied', why: closed}
    if (gate.state === 'denied') return {ok: false, read: 'denied', why: gate.why}
    return this.attempt(kind, space, gate, task)
  }

  /** Marks a space denied for a kind without asking (e.g. env was refused there). */
  deny(kind: SecretRead, space: string, why: string): void {
    const gate = this.gates.get(`${kind}:${space}`)
    if (!gate) {
      const denied = newGate('denied', why)
      denied.settle()
      this.gates.set(`${kind}:${space}`, denied)
    } else if (gate.state === 'open') {
      gate.state = 'denied'
      gate.why = why
    }
  }

  isDenied(kind: SecretRead, space: string): string | null {
    const closed = this.closed.get(kind)
    if (closed) return closed
    const gate = this.gates.get(`${kind}:${space}`)
    return gate?.state === 'denied' ? gate.why : null
  }

  private async attempt<T>(kind: SecretRead, space: string, gate: Gate, task: () => Promise<T>) {
    const closed = this.closed.get(kind)
    if (closed) {
      settle(gate, 'denied', closed)
      return {ok: false as const, read: 'denied' as const, why: closed}
    }
    try {
      const value = await this.limiter.run(task)
      settle(gate, 'open')
      return {ok: true as const, value}
    } catch (err) {
      let failure
      try {
        failure = classifyReadError(err, kind, this.hintFor(space))
      } catch (fatal) {
        settle(gate, 'open')
        throw fatal
      }
      if (failure.kind === 'denied') {
        if (failure.global) this.closed.set(kind, failure.why)
        settle(gate, 'denied', failure.why)
        return {ok: false as const, read: 'denied' as const, why: failure.why}
      }
      settle(gate, 'open')
      return {ok: false as const, read: 'failed' as const, why: failure.why}
    }
  }
}

function newGate(state: Gate['state'], why = ''): Gate {
  let settle = () => {}
  const settled = new Promise<void>((resolve) => (settle = resolve))
  return {state, why, settled, settle}
}

/** The probe's outcome decides the gate; a denial seen later by a non-probe also closes it. */
function settle(gate: Gate, state: 'open' | 'denied', why = ''): void {
  if (state === 'denied') {
    gate.state = 'denied'
    gate.why = why
  } else if (gate.state === 'probing') {
    gate.state = 'open'
  }
  gate.settle()
}
