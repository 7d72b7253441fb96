/**
 * The live status line of a command at a terminal (stderr): what is being read, requests done,
 * list pages left and 429 back-off waits, from the transport's activity events. It is drawn on the
 * first request (so it shows within milliseconds of the first network call), then at most every
 * 100 ms; anything else written to stderr goes above it (`write`), and it is cleared before the
 * result is printed or a task list (rotation progress) takes over the terminal.
 *
 * Without a terminal there is no status line: logs get the plain lines they always got.
 */
import type {ActivityEvent, ActivityListener} from '../../cf/http/activity.js'
import {terminalSafe} from '../../redact.js'

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏']
const CLEAR = '\r\u001b[2K'
export const STATUS_INTERVAL_MS = 100

export interface StatusStream {
  write(text: string): unknown
  columns?: number
}

export interface StatusOptions {
  stream: StatusStream
  /** Milliseconds (monotonic); default performance.now. */
  now?: () => number
  /** Starts the redraw timer; default setInterval (unref'd). Returns a stop function. */
  every?: (ms: number, fn: () => void) => () => void
}

interface ListPages {
  label: string
  total: number
  seen: Set<number>
}

export class StatusLine {
  private readonly inFlight = new Map<number, string>()
  private readonly lists = new Map<string, ListPages>()
  private done = 0
  private waitUntil = 0
  private waitWhy = ''
  private frame = 0
  /** What the line says while no request is in flight. */
  private idle = 'working'
  private shown = false
  private lastDraw = -Infinity
  private paused = false
  private stopped = false
  private stopTimer: (() => void) | null = null
  private readonly now: () => number
  private readonly every: (ms: number, fn: () => void) => () => void

  constructor(private readonly options: StatusOptions) {
    this.now = options.now ?? (() => performance.now())
    this.every =
      options.every ??
      ((ms, fn) => {
        const t = setInterval(fn, ms)
        t.unref()
        return () => clearInterval(t)
      })
  }

  readonly listener: ActivityListener = (e: ActivityEvent) => {
    if (this.stopped) return
    switch (e.type) {
      case 'request':
        this.inFlight.set(e.id, e.label)
        break
      case 'finished':
        if (this.inFlight.delete(e.id)) this.done++
        break
      case 'page': {
        const list = this.lists.get(e.list) ?? {label: e.label, total: e.totalPages, seen: new Set()}
        list.total = e.totalPages
        list.seen.add(e.page)
        this.lists.set(e.list, list)
        break
      }
      case 'wait':
        this.waitUntil = Math.max(this.waitUntil, this.now() + e.ms)
        this.waitWhy =
          e.reason === 'rate-limit' ? `429: rate limited by ${e.service}` : `then retrying ${e.service}`
        break
    }
    // The first sign of work is drawn at once; later ones at most every interval.
    if (!this.shown || this.now() - this.lastDraw >= STATUS_INTERVAL_MS) this.draw()
    this.stopTimer ??= this.every(STATUS_INTERVAL_MS, () => this.draw())
  }

  /** Draws `what` (e.g. `starting`) until the first request says what is read. */
  start(what: string): void {
    if (this.stopped || this.shown) return
    this.idle = what
    this.draw()
    this.stopTimer ??= this.every(STATUS_INTERVAL_MS, () => this.draw())
  }

  /** The line as it would be drawn now (without the spinner), for tests and logs. */
  text(): string {
    const labels = [...new Set(this.inFlight.values())]
    const reading =
      labels.length === 0
        ? this.idle
        : `reading ${labels.slice(0, 3).join(', ')}${labels.length > 3 ? ` and ${labels.length - 3} more` : ''}`
    const parts = [reading]
    if (this.done > 0 || labels.length > 0)
      parts.push(`${this.done} ${this.done === 1 ? 'request' : 'requests'} done`)
    const pagesLeft = [...this.lists.values()].reduce((n, l) => n + Math.max(0, l.total - l.seen.size), 0)
    if (pagesLeft > 0) parts.push(`${pagesLeft} ${pagesLeft === 1 ? 'page' : 'pages'} left`)
    const waitMs = this.waitUntil - this.now()
    if (waitMs > 0) parts.push(`waiting ${Math.ceil(waitMs / 1000)} s (${this.waitWhy})`)
    return terminalSafe(parts.join(' · '))
  }

  /** Writes `text` (whole lines) to the stream above the status line. */
  write(text: string): void {
    if (this.shown) this.options.stream.write(CLEAR)
    this.options.stream.write(text)
    this.shown = false
    if (!this.paused && !this.stopped && this.stopTimer) this.draw()
  }

  /** Clears the line and draws nothing until `resume` (a task list or a question has the terminal). */
  pause(): void {
    this.clear()
    this.paused = true
  }

  resume(): void {
    this.paused = false
  }

  /** Clears the line for good. */
  stop(): void {
    this.clear()
    this.stopped = true
    this.stopTimer?.()
    this.stopTimer = null
  }

  private clear(): void {
    if (this.shown) this.options.stream.write(CLEAR)
    this.shown = false
  }

  private draw(): void {
    if (this.paused || this.stopped) return
    this.lastDraw = this.now()
    this.frame = (this.frame + 1) % FRAMES.length
    const columns =
      this.options.stream.columns && this.options.stream.columns > 10 ? this.options.stream.columns : 80
    let line = `${FRAMES[this.frame]} ${this.text()}`
    // One row only: a wrapped status line could not be cleared with one escape.
    if (line.length > columns - 1) line = `${line.slice(0, columns - 2)}…`
    this.options.stream.write(`${CLEAR}${line}`)
    this.shown = true
  }
}

let active: StatusLine | null = null

/** The command's status line, if it has one (set by the base command at a terminal). */
export function activeStatus(): StatusLine | null {
  return active
}

export function setActiveStatus(status: StatusLine | null): void {
  active = status
}
