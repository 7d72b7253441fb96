/**
 * Progress of credential rotations, rendered from the engine's events only (the machine knows no
 * UI): a listr2 task list on a terminal, one plain timestamped line per event without one (`eventToLine`),
 * nothing under --json (the events are in the result). Everything goes to stderr, so stdout stays
 * the result.
 *
 * listr2 runs functions; here each task function waits for the events of its target: a target's
 * `plan` event turns into one subtask per step, each settled by that step's done / skip / failed
 * event; the `done` event settles the target (and a following `plan`, as when a cron run retires
 * then rotates one instance, opens the next group).
 */
import {createInterface} from 'node:readline/promises'
import type {Writable} from 'node:stream'

import {Listr, ListrLogger, ProcessOutput, type ListrTask, type ListrTaskWrapper} from 'listr2'

import {eventToLine, type RotationEvent} from '../../rotate/events.js'
import {activeStatus} from './status.js'
import type {RotationPlan} from '../../rotate/plan.js'
import {redactText} from '../../redact.js'

export type ProgressMode = 'tasks' | 'lines' | 'silent'

export interface ProgressTarget {
  guid: string
  name: string
}

/** What actions report progress to (see actions/credentials/change.ts). */
export interface Progress {
  /** Drawn live at a terminal (worth reading instance counts for). */
  live?: boolean
  /** The targets whose events follow (before the first event). */
  begin(targets: ProgressTarget[]): void
  event(event: RotationEvent): void
  /** All events were delivered; resolves when the last line is drawn. */
  end(): Promise<void>
}

export function progressMode(options: {json: boolean; isTTY: boolean}): ProgressMode {
  if (options.json) return 'silent'
  return options.isTTY ? 'tasks' : 'lines'
}

export interface ProgressOptions {
  stream?: Writable
  /** listr2 renderer for `tasks` mode (tests use `simple`). */
  renderer?: 'default' | 'simple'
}

export function createProgress(mode: ProgressMode, options: ProgressOptions = {}): Progress {
  const stream = options.stream ?? process.stderr
  if (mode === 'silent') return {begin() {}, event() {}, end: async () => {}}
  if (mode === 'lines') {
    return {
      begin() {},
      // Without a terminal (cron logs, CI): each line carries when it happened.
      event: (e) => {
        stream.write(`${e.at} ${eventToLine(e)}\n`)
      },
      end: async () => {},
    }
  }
  return new TaskProgress(stream as NodeJS.WriteStream, options.renderer ?? 'default')
}

/** A target's events in arrival order, handed to the task functions that wait for them. */
class Feed {
  private readonly queue: RotationEvent[] = []
  private closed = false
  private wake: (() => void) | null = null

  push(e: RotationEvent): void {
    this.queue.push(e)
    this.notify()
  }

  close(): void {
    this.closed = true
    this.notify()
  }

  private notify(): void {
    const w = this.wake
    this.wake = null
    w?.()
  }

  /** The next event without taking it; null once closed and drained. */
  async peek(): Promise<RotationEvent | null> {
    while (this.queue.length === 0) {
      if (this.closed) return null
      await new Promise<void>((resolve) => (this.wake = resolve))
    }
    return this.queue[0]!
  }

  async take(): Promise<RotationEvent | null> {
    const next = await this.peek()
    if (next) this.queue.shift()
    return next
  }
}

type Wrapper = ListrTaskWrapper<unknown, never, never>
const OK_STATUSES = new Set(['completed', 'grace', 'retired', 'rolled-back', 'dry-run'])

class TaskProgress implements Progress {
  readonly live = true
  private readonly feeds = new Map<string, Feed>()
  private run: Promise<unknown> | null = null

  constructor(
    private readonly stream: NodeJS.WriteStream,
    private readonly renderer: 'default' | 'simple',
  ) {}

  begin(targets: ProgressTarget[]): void {
    // The task list has the terminal from here on: the status line steps aside.
    activeStatus()?.pause()
    for (const t of targets) if (!this.feeds.has(t.guid)) this.feeds.set(t.guid, new Feed())
    const logger = new ListrLogger({processOutput: new ProcessOutput(this.stream, this.stream)})
    const tasks: ListrTask[] = targets.map((t) => ({
      title: t.name,
      task: (_ctx, task) => this.target(this.feeds.get(t.guid)!, task as unknown as Wrapper),
    }))
    const list = new Listr(tasks, {
      concurrent: true,
      exitOnError: false,
      renderer: this.renderer,
      fallbackRenderer: 'simple',
      rendererOptions: {logger, collapseSubtasks: false, collapseSkips: false, showErrorMessage: true},
      fallbackRendererOptions: {logger},
    } as ConstructorParameters<typeof Listr>[1])
    this.run = list.run().catch(() => undefined)
  }

  event(e: RotationEvent): void {
    this.feeds.get(e.target.guid)?.push(e)
  }

  async end(): Promise<void> {
    for (const feed of this.feeds.values()) feed.close()
    await this.run
  }

  /** One target: wait for a plan (or the end), then its steps as subtasks. */
  private async target(feed: Feed, task: Wrapper): Promise<Listr | void> {
    for (;;) {
      const next = await feed.take()
      if (next === null) {
        task.skip('nothing to do')
        return
      }
      if (next.type === 'done') return settle(task, next)
      if (next.type === 'plan') return this.group(feed, task, next)
    }
  }

  private async group(
    feed: Feed,
    task: Wrapper,
    plan: Extract<RotationEvent, {type: 'plan'}>,
  ): Promise<Listr | void> {
    task.title = `${plan.action} ${plan.target.name}`
    task.output = redactText(planLine(plan.plan))
    const after = await feed.peek()
    // Refused or dry run: no step ran, the outcome says it all.
    if (after === null) return
    if (after.type === 'done') {
      await feed.take()
      return settle(task, after)
    }
    const steps: ListrTask[] = plan.plan.steps.map((s) => ({
      title: s.title,
      task: (_ctx, sub) => step(feed, s.id, sub as unknown as Wrapper),
    }))
    steps.push({
      title: 'result',
      task: async (_ctx, sub) => {
        const w = sub as unknown as Wrapper
        const done = await feed.take()
        if (done === null) return w.skip('no result (interrupted)')
        if (done.type === 'plan') return this.group(feed, w, done)
        if (done.type === 'done') return settle(w, done)
      },
    })
    return task.newListr(steps, {concurrent: false, exitOnError: false}) as unknown as Listr
  }
}

/** A step's subtask: settled by its own terminal event; an early `done` leaves it not run. */
async function step(feed: Feed, id: string, task: Wrapper): Promise<void> {
  for (;;) {
    const e = await feed.peek()
    if (e === null || e.type === 'done' || e.type === 'plan') {
      task.skip('not run')
      return
    }
    if (e.step !== id) {
      // An event for another step: the plan and the run disagree; show it, do not hang.
      if (e.type === 'warning') {
        await feed.take()
        task.output = redactText(e.detail)
        continue
      }
      task.skip('not run')
      return
    }
    await feed.take()
    switch (e.type) {
      case 'step-start':
        task.output = 'running'
        continue
      case 'step-progress':
        task.output = redactText(e.detail)
        continue
      case 'warning':
        task.output = redactText(e.detail)
        continue
      case 'step-skip':
        task.skip(redactText(e.detail))
        return
      case 'step-done':
        if (e.detail) task.title = `${task.title}: ${redactText(e.detail)}`
        return
      case 'step-failed':
        throw new Error(redactText(`${e.title}: ${e.detail}`))
    }
  }
}

function settle(task: Wrapper, done: Extract<RotationEvent, {type: 'done'}>): void {
  const message = redactText(done.outcome.message)
  if (!OK_STATUSES.has(done.outcome.status)) throw new Error(`${done.outcome.status}: ${message}`)
  task.title = `${done.target.name}: ${message}`
}

function planLine(plan: RotationPlan): string {
  const runs = plan.steps.filter((s) => s.run).length
  return `${plan.kind ?? 'unknown kind'}, ${plan.resume ? `resuming ${plan.rotationId}` : `phase ${plan.phase}`}, ${runs} of ${plan.steps.length} steps to run`
}

/** A yes/no question on the terminal (stderr); anything but y/yes is no. */
export async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({input: process.stdin, output: process.stderr})
  try {
    const answer = await rl.question(`${question} [y/N] `)
    return /^y(es)?$/i.test(answer.trim())
  } finally {
    rl.close()
  }
}
