/**
 * Steps 5a/5b: a rolling deployment of every started app that still runs instances older than the
 * credential change (apps in parallel up to `parallelApps`, `max_in_flight` per app), waiting for
 * FINALIZED/DEPLOYED within `timeoutMs`; then the check that no instance predates the change.
 * Deployments carry the rotation id, so a re-run waits for its own instead of starting another.
 */

import pLimit from 'p-limit'

import {ANNOTATION, LABEL} from '../../model/annotations.js'
import {halted} from '../halt.js'
import type {StepContext, StepResult} from '../machine.js'
import {isAppRolled, staleInstances, UPTIME_GRANULARITY_MS, type RollTarget} from '../phase.js'
import type {AppInfo, DeploymentInfo, RotationPlatform} from '../platform.js'
import type {RunState} from './state.js'
import {CfguardError} from '../../errors.js'

/** Per app: the credential change it must run (null = none to roll to yet). */
export type RollTargetOf = (app: AppInfo) => RollTarget | null

async function readApps(platform: RotationPlatform, appGuids: string[]) {
  const [apps, active, labelled] = await Promise.all([
    platform.listApps(appGuids),
    platform.listDeployments({appGuids, statusValues: ['ACTIVE']}),
    platform.listDeployments({appGuids, labelSelector: LABEL.credentialsChange}),
  ])
  return {apps, active, labelled}
}

export async function rollApps(
  platform: RotationPlatform,
  state: RunState,
  ctx: StepContext,
  appGuids: string[],
  targetOf: RollTargetOf,
): Promise<StepResult> {
  if (appGuids.length === 0) return {detail: 'no bound apps'}
  const {apps, active, labelled} = await readApps(platform, appGuids)
  for (const a of apps.filter((x) => x.state !== 'STARTED')) {
    ctx.warn(`app ${a.name} is stopped: not rolled, it picks up ${credentialsWord(state)} when it starts`)
  }
  const toRoll = apps.filter((a) => !isAppRolled(a, targetOf(a), labelled))
  const board = new RollBoard(ctx, toRoll)
  const deadline = platform.now().getTime() + state.options.timeoutMs
  const limit = pLimit(state.options.parallelApps)
  const deployments = await Promise.all(
    toRoll.map((app) =>
      limit(async () => {
        const target = targetOf(app)
        if (target === null) throw halted(`app ${app.name} has no new credentials to roll out yet`, 're-run')
        const mine = active.filter((d) => d.appGuid === app.guid)
        // Ours for this change: wait for it. Ours for an earlier change: supersede it. Someone else's: stop.
        const current = mine.find((d) => d.labels[LABEL.credentialsChange] === target.marker)
        const foreign = mine.filter(
          (d) => d !== current && d.annotations[ANNOTATION.rotationId] !== state.rotationId,
        )
        if (foreign.length > 0) {
          throw halted(
            `app ${app.name} has an active deployment not started by this rotation (${foreign[0]!.guid})`,
            'wait for it to finish, then re-run to continue the rotation',
          )
        }
        // Instance ages come in whole seconds: instances started within a second of the change
        // could not be told apart from older ones, so a deployment starts a second after it.
        const gap = Date.parse(target.since) + UPTIME_GRANULARITY_MS - platform.now().getTime()
        if (!current && gap > 0) {
          await platform.sleep(gap)
          // Another run may have taken the rotation over meanwhile: it deploys, not this one.
          await ctx.checkLease()
        }
        const deployment =
          current ??
          (await platform.createDeployment({
            appGuid: app.guid,
            maxInFlight: state.options.maxInFlight,
            metadata: {
              labels: {[LABEL.credentialsChange]: target.marker},
              annotations: {[ANNOTATION.rotationId]: state.rotationId},
            },
          }))
        state.changed = true
        await board.update(app.guid, {status: 'deploying'})
        await waitForDeployment(platform, state, ctx, app, deployment, deadline, target, board)
        await board.update(app.guid, {status: 'deployed', fresh: board.total(app.guid)})
        return deployment.guid
      }),
    ),
  )
  const skipped = apps.length - toRoll.length
  return {
    detail: `${toRoll.length} app(s) rolled${skipped > 0 ? `, ${skipped} already current or stopped` : ''}`,
    data: {apps: toRoll.map((a) => a.guid), deployments},
  }
}

async function waitForDeployment(
  platform: RotationPlatform,
  state: RunState,
  ctx: StepContext,
  app: AppInfo,
  first: DeploymentInfo,
  deadline: number,
  target: RollTarget,
  board: RollBoard,
): Promise<void> {
  const marker = target.marker
  let d = first
  for (;;) {
    if (d.statusValue === 'FINALIZED') {
      if (d.statusReason === 'DEPLOYED') return
      if (d.statusReason === 'SUPERSEDED') {
        // Superseded by a deployment of the same credential change (another run of this
        // rotation): that one rolls the same environment; wait for it instead.
        const next = (
          await platform.listDeployments({
            appGuids: [app.guid],
            labelSelector: `${LABEL.credentialsChange}=${marker}`,
          })
        )
          .filter((x) => x.guid !== d.guid && x.createdAt >= d.createdAt)
          .sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0]
        if (next) {
          d = next
          continue
        }
      }
      throw halted(
        `the deployment of app ${app.name} ended ${d.statusReason}${d.error ? `: ${d.error}` : ''}`,
        'look at the app (`cf events`), then re-run to roll it again',
      )
    }
    if (platform.now().getTime() >= deadline) {
      throw halted(
        `the deployment of app ${app.name} (${d.guid}) is still ${d.statusReason} after the timeout`,
        're-run to keep waiting (or raise --timeout); the old credentials stay valid meanwhile',
      )
    }
    await ctx.heartbeat()
    await platform.sleep(pollDelay(platform, state, deadline))
    d = await platform.getDeployment(d.guid)
    if (state.options.countInstances && d.statusValue === 'ACTIVE')
      await countFresh(platform, app, target, board)
  }
}

/** Instances of `app` started after the change, for the live display; a failed read is no news. */
async function countFresh(
  platform: RotationPlatform,
  app: AppInfo,
  target: RollTarget,
  board: RollBoard,
): Promise<void> {
  let now: AppInfo | undefined
  try {
    ;[now] = await platform.listApps([app.guid])
  } catch (err) {
    // An API failure of this read only delays the display to the next poll.
    if (err instanceof CfguardError) return
    throw err
  }
  if (!now) return
  const live = now.webInstances.filter((i) => i.state !== 'DOWN').length
  const stale = staleInstances(now, target.since).length
  await board.update(app.guid, {
    fresh: Math.max(0, live - stale),
    total: Math.max(live, board.total(app.guid)),
  })
}

interface AppRoll {
  name: string
  status: 'waiting' | 'deploying' | 'deployed'
  fresh: number
  total: number
}

/** What the rolling step reports while it waits: apps deployed and instances replaced, of totals. */
class RollBoard {
  private readonly apps = new Map<string, AppRoll>()

  constructor(
    private readonly ctx: StepContext,
    apps: AppInfo[],
  ) {
    for (const a of apps) {
      const total = a.webInstances.filter((i) => i.state !== 'DOWN').length
      this.apps.set(a.guid, {name: a.name, status: 'waiting', fresh: 0, total})
    }
  }

  total(guid: string): number {
    return this.apps.get(guid)?.total ?? 0
  }

  /** Resolves when the machine has passed the news on (see StepContext.progress). */
  async update(guid: string, change: Partial<Omit<AppRoll, 'name'>>): Promise<void> {
    const app = this.apps.get(guid)
    if (!app) return
    Object.assign(app, change)
    const all = [...this.apps.values()]
    const deployed = all.filter((a) => a.status === 'deployed').length
    const fresh = all.reduce((n, a) => n + Math.min(a.fresh, a.total), 0)
    const total = all.reduce((n, a) => n + a.total, 0)
    const rolling = all.filter((a) => a.status === 'deploying').map((a) => `${a.name} ${a.fresh}/${a.total}`)
    await this.ctx.progress(
      `${deployed} of ${all.length} ${all.length === 1 ? 'app' : 'apps'} deployed, ` +
        `${fresh} of ${total} ${total === 1 ? 'instance' : 'instances'} replaced` +
        (rolling.length > 0 ? ` (rolling: ${rolling.join(', ')})` : ''),
      {apps_deployed: deployed, apps: all.length, instances_replaced: fresh, instances: total},
    )
  }
}

/** Sleep until the next poll, never past the deadline. */
export function pollDelay(platform: RotationPlatform, state: RunState, deadline: number): number {
  return Math.max(1, Math.min(state.options.pollIntervalMs, deadline - platform.now().getTime()))
}

/** What the apps are rolled onto, in messages: a rollback rolls them back onto the previous secret. */
export function credentialsWord(state: Pick<RunState, 'action'>): string {
  return state.action === 'rollback' ? 'the restored credentials' : 'the new credentials'
}

/** Every started app runs the change: a finished deployment for it, no instance older than it. */
export async function verifyInstances(
  platform: RotationPlatform,
  appGuids: string[],
  targetOf: RollTargetOf,
  what = 'the new credentials',
): Promise<StepResult> {
  if (appGuids.length === 0) return {detail: 'no bound apps'}
  const {apps, labelled} = await readApps(platform, appGuids)
  const behind = apps.filter((a) => !isAppRolled(a, targetOf(a), labelled))
  const blind = apps.filter((a) => a.state === 'STARTED' && a.instancesUnknown !== undefined)
  if (blind.length > 0) {
    throw new CfguardError(
      'ROTATION_HALTED',
      `cannot verify the instances of ${blind.length} app(s) (${blind.map((a) => a.name).join(', ')}): ${blind[0]!.instancesUnknown}`,
      {suggestions: ['re-run when Cloud Controller reports instances again: the rotation resumes']},
    )
  }
  if (behind.length > 0) {
    const app = behind[0]!
    const target = targetOf(app)
    const stale = target ? staleInstances(app, target.since) : app.webInstances
    throw new CfguardError(
      'ROTATION_HALTED',
      stale.length > 0
        ? `${behind.length} app(s) still run instances older than the credential change (app ${app.name}, index ${stale[0]!.index})`
        : `${behind.length} app(s) have no finished deployment of the credential change (app ${app.name})`,
      {suggestions: ['re-run to roll them again']},
    )
  }
  const started = apps.filter((a) => a.state === 'STARTED')
  const instances = started.reduce((n, a) => n + a.webInstances.filter((i) => i.state !== 'DOWN').length, 0)
  return {detail: `${instances} instance(s) in ${started.length} started app(s) run ${what}`}
}
