/**
 * `--output` to what is not a plain file (issue 14 item 3), end to end: a device node is written
 * through and stays a device (as root the old rename replaced it, as `--output /dev/null` would
 * replace /dev/null), a symbolic link stays a link, a FIFO delivers the report to its reader.
 * Device nodes are made with mknod in a temp directory, never the real /dev/null.
 */
import {execFileSync} from 'node:child_process'
import {
  closeSync,
  constants,
  lstatSync,
  openSync,
  readFileSync,
  readlinkSync,
  readSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import {join} from 'node:path'

import {expect} from 'chai'

import {runCli, tempDir} from '../helpers/cli.js'
import {withSimulator, type Simulator} from '../helpers/sim.js'

const env = (sim: Simulator) => ({
  CFGUARD_API: sim.apiUrl,
  CFGUARD_CLIENT_ID: sim.admin.clientId,
  CFGUARD_CLIENT_SECRET: sim.admin.clientSecret,
})
const audit = (sim: Simulator, output: string) =>
  runCli(['audit', '--all', '--fail-on', 'never', '--format', 'json', '--output', output], {env: env(sim)})

describe('--output to a device node, a symbolic link, a FIFO', function () {
  this.timeout(90_000)

  it('each keeps its kind; the report reaches the file behind the link and the FIFO reader', async () => {
    await withSimulator({scenario: 'generated', apps: 4, seed: 3}, async (sim) => {
      const dir = tempDir('cfguard-out-')

      if (process.getuid?.() === 0) {
        const dev = join(dir, 'null')
        execFileSync('mknod', ['-m', '0666', dev, 'c', '1', '3'])
        const r = await audit(sim, dev)
        expect(r.code, r.stderr).to.equal(0)
        expect(lstatSync(dev).isCharacterDevice(), 'still a character device').to.equal(true)
        expect(lstatSync(dev).mode & 0o777).to.equal(0o666)
      }

      const real = join(dir, 'latest.json')
      writeFileSync(real, '{}')
      const link = join(dir, 'report.json')
      symlinkSync(real, link)
      const viaLink = await audit(sim, link)
      expect(viaLink.code, viaLink.stderr).to.equal(0)
      expect(lstatSync(link).isSymbolicLink(), 'still a link').to.equal(true)
      expect(readlinkSync(link)).to.equal(real)
      expect(JSON.parse(readFileSync(real, 'utf8'))).to.have.property('findings')

      // The test holds the read end (opened without waiting); the report (~12 KB) fits in the
      // pipe's buffer (64 KB), so it is read after the run, with no race against a reader.
      const fifo = join(dir, 'pipe')
      execFileSync('mkfifo', [fifo])
      const fd = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK)
      const viaFifo = await audit(sim, fifo)
      expect(viaFifo.code, viaFifo.stderr).to.equal(0)
      const buf = Buffer.alloc(65_536)
      const read = buf.subarray(0, readSync(fd, buf)).toString('utf8')
      closeSync(fd)
      expect(lstatSync(fifo).isFIFO(), 'still a FIFO').to.equal(true)
      expect(JSON.parse(read)).to.have.property('findings')
    })
  })
})
