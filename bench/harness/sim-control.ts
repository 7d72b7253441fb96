/** Starts `bench/sim-server.ts` as a child process and talks to it over IPC. */
import {fork, type ChildProcess} from 'node:child_process'
import {join} from 'node:path'

import type {FoundationCounts, RequestSummary, SimOptions, SimReply} from './protocol.js'

const SERVER = join(import.meta.dirname, '..', 'sim-server.ts')

export interface SimProcess {
  apiUrl: string
  ccVersion: string
  admin: {clientId: string; clientSecret: string}
  counts: FoundationCounts
  buildMs: number
  pid: number
  resetRequests(): Promise<void>
  requests(): Promise<RequestSummary>
  stop(): Promise<void>
}

export async function startSimProcess(options: SimOptions): Promise<SimProcess> {
  const child = fork(SERVER, [JSON.stringify(options)], {
    execArgv: ['--import', 'tsx', '--max-old-space-size=4096'],
    env: {...process.env, NODE_OPTIONS: ''},
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  const ready = await nextReply(child, 120_000)
  if (ready.type !== 'ready') {
    child.kill()
    throw new Error(`simulator did not start: ${ready.type === 'error' ? ready.message : ready.type}`)
  }
  const ask = async (cmd: 'reset' | 'requests'): Promise<SimReply> => {
    const reply = nextReply(child, 60_000)
    child.send({cmd})
    return reply
  }
  return {
    apiUrl: ready.apiUrl,
    ccVersion: ready.ccVersion,
    admin: ready.admin,
    counts: ready.counts,
    buildMs: ready.buildMs,
    pid: child.pid ?? -1,
    async resetRequests() {
      await ask('reset')
    },
    async requests() {
      const reply = await ask('requests')
      if (reply.type !== 'requests') throw new Error(`unexpected simulator reply ${reply.type}`)
      return reply.summary
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve()
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
        child.once('exit', () => {
          clearTimeout(timer)
          resolve()
        })
        child.send({cmd: 'stop'})
      }),
  }
}

function nextReply(child: ChildProcess, timeoutMs: number): Promise<SimReply> {
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      clearTimeout(timer)
      child.off('message', onMessage)
      child.off('exit', onExit)
    }
    const onMessage = (message: SimReply) => {
      cleanup()
      resolve(message)
    }
    const onExit = (code: number | null) => {
      cleanup()
      reject(new Error(`simulator process exited (${code}) before answering`))
    }
    const timer = setTimeout(() => {
      cleanup()
      reject(new Error(`simulator process did not answer within ${timeoutMs} ms`))
    }, timeoutMs)
    child.on('message', onMessage)
    child.once('exit', onExit)
  })
}
