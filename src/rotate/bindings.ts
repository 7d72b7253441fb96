/**
 * Reading a list of credential bindings or service keys (pure): which ones failed to create, the
 * newest one, the newest usable one, the apps they bind. The observation, the plan and the steps
 * all read bindings this way.
 */

import {ANNOTATION} from '../model/annotations.js'
import type {BindingInfo} from './platform.js'

export const createFailed = (b: BindingInfo): boolean =>
  b.lastOperation.type === 'create' && b.lastOperation.state === 'failed'

export const createSucceeded = (b: BindingInfo): boolean =>
  b.lastOperation.type === 'create' && b.lastOperation.state === 'succeeded'

/** The most recently created, or null. */
export function newest(bindings: BindingInfo[]): BindingInfo | null {
  return [...bindings].sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0] ?? null
}

/** Without a rotation in progress, the binding (or key) in use is the newest one created successfully. */
export const newestUsable = (bindings: BindingInfo[]): BindingInfo | null =>
  newest(bindings.filter(createSucceeded))

/** The apps the bindings belong to (keys belong to none). */
export const appGuidsOf = (bindings: BindingInfo[]): string[] =>
  bindings.flatMap((b) => (b.appGuid ? [b.appGuid] : []))

/** The key family a service key belongs to: the one cfguard annotated, else its own name. */
export const keyFamilyOf = (key: BindingInfo): string =>
  key.annotations[ANNOTATION.keyFamily] ?? key.name ?? ''
