/**
 * Fault injection for reliability and rotation tests. Random decisions come from a seeded
 * generator so a fault run is reproducible.
 */
import {Random} from '../core/random.js'
import type {FailNthRule, FaultController, FaultSettings, Origin} from '../types.js'

export type FaultDecision =
  | {kind: 'serve'; cut: boolean}
  | {kind: 'drop'}
  | {kind: 'status'; status: number}
  | {kind: 'throttle'; retryAfterSeconds: number}

interface ActiveRule extends FailNthRule {
  seen: number
}

export class Faults implements FaultController {
  private settings: FaultSettings = {}
  private rules: ActiveRule[] = []
  private burstLeft = 0
  private burstRetryAfter = 1
  private readonly random: Random

  constructor(seed: number) {
    this.random = new Random(seed ^ 0x5eed)
  }

  set(settings: FaultSettings): void {
    for (const rate of [settings.errorRate, settings.dropRate, settings.stallRate]) {
      if (rate !== undefined && (rate < 0 || rate > 1)) throw new Error('fault rates are between 0 and 1')
    }
    this.settings = {...this.settings, ...settings}
    if (settings.burst429) {
      this.burstLeft = settings.burst429.count
      this.burstRetryAfter = settings.burst429.retryAfterSeconds
    }
  }

  failNth(rule: FailNthRule): void {
    if (!Number.isInteger(rule.nth) || rule.nth < 1) throw new Error('failNth: nth is a positive integer')
    this.rules.push({...rule, method: rule.method.toUpperCase(), seen: 0})
  }

  clear(): void {
    this.settings = {}
    this.rules = []
    this.burstLeft = 0
  }

  pending(): number {
    return this.rules.length
  }

  private applies(origin: Origin): boolean {
    return !this.settings.origins || this.settings.origins.includes(origin)
  }

  /** Delay before anything else (latency and stalls), in real ms. */
  delayMs(origin: Origin): number {
    if (!this.applies(origin)) return 0
    let ms = this.settings.latencyMs ?? 0
    if (this.settings.stallRate && this.random.chance(this.settings.stallRate))
      ms += this.settings.stallMs ?? 30_000
    return ms
  }

  decide(origin: Origin, method: string, path: string): FaultDecision {
    let cut = false
    for (const rule of [...this.rules]) {
      if (rule.origin && rule.origin !== origin) continue
      if (rule.method !== method) continue
      if (typeof rule.path === 'string' ? rule.path !== path : !rule.path.test(path)) continue
      rule.seen += 1
      if (rule.seen !== rule.nth) continue
      this.rules = this.rules.filter((r) => r !== rule)
      if (rule.mode === 'cut') cut = true
      else return {kind: 'status', status: rule.status ?? 500}
    }
    if (this.applies(origin)) {
      if (this.settings.dropRate && this.random.chance(this.settings.dropRate)) return {kind: 'drop'}
      if (this.burstLeft > 0) {
        this.burstLeft -= 1
        return {kind: 'throttle', retryAfterSeconds: this.burstRetryAfter}
      }
      if (this.settings.errorRate && this.random.chance(this.settings.errorRate)) {
        return {kind: 'status', status: this.random.pick([500, 502, 503])}
      }
    }
    return {kind: 'serve', cut}
  }
}
