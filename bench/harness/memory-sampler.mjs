/**
 * Preloaded into the process under test by `bench/memory.ts` (`node --import` this file): writes
 * `process.memoryUsage()` every CFGUARD_BENCH_MEM_MS (default 50) ms, and the time of the first
 * write to stdout (the report starting), as JSON lines to the file named by CFGUARD_BENCH_MEM_LOG.
 * Sizes only: nothing of the process's data is read.
 */
import {appendFileSync, writeFileSync} from 'node:fs'
import {getHeapSpaceStatistics} from 'node:v8'

const file = process.env.CFGUARD_BENCH_MEM_LOG
if (file) {
  const t0 = performance.now()
  const every = Number(process.env.CFGUARD_BENCH_MEM_MS ?? 50)
  writeFileSync(file, '')
  const sample = (mark) => {
    const m = process.memoryUsage()
    const line = {
      t: Math.round(performance.now() - t0),
      rss: m.rss,
      heapUsed: m.heapUsed,
      heapTotal: m.heapTotal,
      external: m.external,
      arrayBuffers: m.arrayBuffers,
    }
    line.spaces = Object.fromEntries(
      getHeapSpaceStatistics().map((x) => [x.space_name, x.physical_space_size]),
    )
    if (mark) line.mark = mark
    appendFileSync(file, JSON.stringify(line) + '\n')
  }
  setInterval(() => sample(), every).unref()
  const write = process.stdout.write.bind(process.stdout)
  let first = true
  process.stdout.write = (...args) => {
    if (first) {
      first = false
      sample('first-stdout')
    }
    return write(...args)
  }
  process.on('exit', () => sample('exit'))
}
