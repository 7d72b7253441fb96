/**
 * Output paths that are not regular files (issue 14 item 3): `--output`, the audit log and the
 * trace never replace or chmod a device node, a FIFO or what a symbolic link points at. Device
 * nodes are made with mknod in a temp directory (as root), never the real /dev/null.
 */
import {execFileSync} from 'node:child_process'
import {
  chmodSync,
  closeSync,
  constants,
  lstatSync,
  openSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  readSync,
  statSync,
  symlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {expect} from 'chai'

import {createTracer} from '../../../src/cf/http/trace.js'
import {openForAppend, unwritableReason, writeFileAtomic} from '../../../src/util/atomic-file.js'

const isRoot = process.getuid?.() === 0

/** A character device like /dev/null (1,3) in a temp directory; null when not root. */
function nullDevice(dir: string): string | null {
  if (!isRoot) return null
  const path = join(dir, 'null')
  execFileSync('mknod', ['-m', '0666', path, 'c', '1', '3'])
  return path
}

function fifo(dir: string): string {
  const path = join(dir, 'fifo')
  execFileSync('mkfifo', ['-m', '0644', path])
  return path
}

/** Holds the read end of a FIFO (opened without waiting) and reads what was written so far. */
function fifoReader(path: string): {read(): string} {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK)
  return {
    read() {
      const buf = Buffer.alloc(4096)
      const text = buf.subarray(0, readSync(fd, buf)).toString('utf8')
      closeSync(fd)
      return text
    },
  }
}

describe('output paths that are not regular files', () => {
  let dir: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cfguard-special-'))
  })

  describe('writeFileAtomic (--output)', () => {
    it('a device node is written through, stays a device and keeps its mode', function () {
      const dev = nullDevice(dir)
      if (!dev) this.skip()
      writeFileAtomic(dev!, 'report\n', {mode: 0o644})
      const st = lstatSync(dev!)
      expect(st.isCharacterDevice(), 'still a character device').to.equal(true)
      expect(st.mode & 0o777).to.equal(0o666)
      expect(unwritableReason(dev!)).to.equal(null)
    })

    it('a symbolic link stays a link; the file it points at is replaced', () => {
      const real = join(dir, 'real.html')
      writeFileSync(real, 'old')
      const link = join(dir, 'latest.html')
      symlinkSync(real, link)
      writeFileAtomic(link, 'new\n', {mode: 0o644})
      expect(lstatSync(link).isSymbolicLink(), 'still a link').to.equal(true)
      expect(readlinkSync(link)).to.equal(real)
      expect(readFileSync(real, 'utf8')).to.equal('new\n')
    })

    it('a link to a missing file is refused (up front, and by the write)', () => {
      const link = join(dir, 'dangling')
      symlinkSync(join(dir, 'nowhere'), link)
      expect(unwritableReason(link)).to.equal('it is a symbolic link to a missing file')
      expect(() => writeFileAtomic(link, 'x')).to.throw(/symbolic link to a missing file/)
      expect(lstatSync(link).isSymbolicLink()).to.equal(true)
    })

    it('a FIFO is written through to its reader, not replaced', () => {
      const path = fifo(dir)
      const reader = fifoReader(path)
      writeFileAtomic(path, 'through the pipe\n')
      expect(reader.read()).to.equal('through the pipe\n')
      expect(lstatSync(path).isFIFO(), 'still a FIFO').to.equal(true)
    })

    it('a FIFO without a reader fails at once instead of blocking', () => {
      const path = fifo(dir)
      expect(() => writeFileAtomic(path, 'x')).to.throw(/ENXIO/)
    })

    it('a regular file gets the mode asked for, whatever the umask', () => {
      const path = join(dir, 'r.json')
      const old = process.umask(0o077)
      try {
        writeFileAtomic(path, '{}\n', {mode: 0o644})
      } finally {
        process.umask(old)
      }
      expect(statSync(path).mode & 0o777).to.equal(0o644)
    })
  })

  describe('openForAppend (--audit-log, CFGUARD_TRACE)', () => {
    it('a file it creates is 0600', () => {
      const path = join(dir, 'audit.jsonl')
      closeSync(openForAppend(path))
      expect(statSync(path).mode & 0o777).to.equal(0o600)
    })

    it('a device node is appended to and never chmod-ed', function () {
      const dev = nullDevice(dir)
      if (!dev) this.skip()
      const fd = openForAppend(dev!)
      writeSync(fd, 'line\n')
      closeSync(fd)
      expect(lstatSync(dev!).mode & 0o777).to.equal(0o666)
    })

    it('a symbolic link is followed for writing, but the file it points at keeps its mode', () => {
      const real = join(dir, 'shared.log')
      writeFileSync(real, 'earlier\n')
      chmodSync(real, 0o644)
      const link = join(dir, 'audit.jsonl')
      symlinkSync(real, link)
      const fd = openForAppend(link)
      writeSync(fd, 'more\n')
      closeSync(fd)
      expect(readFileSync(real, 'utf8')).to.equal('earlier\nmore\n')
      expect(statSync(real).mode & 0o777).to.equal(0o644)
    })

    it('a FIFO without a reader fails at once instead of blocking', () => {
      expect(() => openForAppend(fifo(dir))).to.throw(/ENXIO/)
    })

    it('CFGUARD_TRACE opens through it: a device and a link target keep their modes', function () {
      const real = join(dir, 'shared-trace.log')
      writeFileSync(real, '')
      chmodSync(real, 0o644)
      const link = join(dir, 'trace.log')
      symlinkSync(real, link)
      createTracer(link)!.close()
      expect(statSync(real).mode & 0o777).to.equal(0o644)
      const fresh = join(dir, 'new-trace.log')
      createTracer(fresh)!.close()
      expect(statSync(fresh).mode & 0o777).to.equal(0o600)
      const dev = nullDevice(dir)
      if (!dev) this.skip()
      createTracer(dev!)!.close()
      expect(lstatSync(dev!).mode & 0o777).to.equal(0o666)
    })
  })
})
