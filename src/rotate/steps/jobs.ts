/**
 * Bindings and keys of managed instances change through broker jobs (docs/platform-facts.md §5.5): create and
 * delete return at once with `last_operation` in progress. These wait for them, bounded by the
 * run's timeout, keeping the lease alive meanwhile.
 */

import {ANNOTATION} from '../../model/annotations.js'
import {halted} from '../halt.js'
import type {StepContext} from '../machine.js'
import type {BindingInfo, RotationPlatform} from '../platform.js'
import {pollDelay} from './roll.js'
import type {RunState} from './state.js'

export const createdByThisRun = (state: RunState) => (b: BindingInfo) =>
  b.annotations[ANNOTATION.rotationId] === state.rotationId

/** Polls a binding or key until its create/delete settles; null once it is gone. */
export async function settle(
  platform: RotationPlatform,
  state: RunState,
  ctx: StepContext,
  binding: BindingInfo,
  what: string,
): Promise<BindingInfo | null> {
  const deadline = platform.now().getTime() + state.options.timeoutMs
  let b: BindingInfo | null = binding
  while (b !== null && (b.lastOperation.state === 'initial' || b.lastOperation.state === 'in progress')) {
    if (platform.now().getTime() >= deadline) {
      throw halted(`${what} (${b.guid}) is still in progress after the timeout`, 're-run to keep waiting')
    }
    await ctx.heartbeat()
    await platform.sleep(pollDelay(platform, state, deadline))
    b = await platform.getBinding(b.guid)
  }
  return b
}

/** Deletes (unless a delete already runs) and waits until the binding or key is gone. */
export async function deleteAndWait(
  platform: RotationPlatform,
  state: RunState,
  ctx: StepContext,
  b: BindingInfo,
  what: string,
): Promise<void> {
  const deleting = b.lastOperation.type === 'delete' && b.lastOperation.state === 'in progress'
  if (!deleting) await platform.deleteBinding(b.guid)
  state.changed = true
  const pending: BindingInfo = {
    ...b,
    lastOperation: {...b.lastOperation, type: 'delete', state: 'in progress'},
  }
  const left = await settle(platform, state, ctx, pending, what)
  if (left !== null) {
    throw halted(
      `${what} (${b.guid}) could not be deleted (${left.lastOperation.state})`,
      're-run to try again',
    )
  }
}
