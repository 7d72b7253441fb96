/** `demo`: a small foundation with one planted occurrence of every rule (see README.md). */
import type {SimState} from '../core/state.js'
import {buildBase, type BaseFoundation} from './base.js'

export function buildDemo(state: SimState): BaseFoundation {
  return buildBase(state)
}
