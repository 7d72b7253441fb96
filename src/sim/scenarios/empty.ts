/** `empty`: the base only (an admin, the role users, org `acme` / space `dev`). */
import type {SimState} from '../core/state.js'
import {buildBase, type BaseFoundation} from './base.js'

export function buildEmpty(state: SimState): BaseFoundation {
  return buildBase(state)
}
