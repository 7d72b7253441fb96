import {mkdirSync, openSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {expect} from 'chai'

import {describeError} from '../../../src/cli/base-command.js'
import {CfguardError, ExitCode} from '../../../src/errors.js'

/** The error a real file-system call throws (so `code`, `syscall` and `path` are Node's own). */
function thrownBy(call: () => unknown): unknown {
  try {
    call()
  } catch (err) {
    return err
  }
  throw new Error('expected the call to throw')
}

describe('cli describeError', () => {
  const dir = join(tmpdir(), `cfguard-describe-${process.pid}`)
  before(() => {
    mkdirSync(dir, {recursive: true})
    writeFileSync(join(dir, 'plain'), 'x')
  })

  it('a file that cannot be written is a usage error naming the path and the reason', () => {
    const err = thrownBy(() => mkdirSync(join(dir, 'plain', 'sub'), {recursive: true}))
    const e = describeError(err, 'snapshot')
    expect(e.exitCode).to.equal(ExitCode.Usage)
    expect(e.code).to.equal('USAGE')
    expect(e.message).to.match(/^cannot mkdir .*plain(\/sub)?: /)
    expect(e.suggestions[0]).to.match(/^check the path/)
  })

  it('a missing file read names ENOENT in words', () => {
    const missing = join(dir, 'missing.json')
    const e = describeError(thrownBy(() => openSync(missing, 'r')))
    expect(e).to.deep.include({
      code: 'USAGE',
      exitCode: ExitCode.Usage,
      message: `cannot open ${missing}: no such file or directory`,
    })
  })

  it('a network socket error is not mistaken for a file error: it stays a bug report', () => {
    const err = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), {
      code: 'ECONNREFUSED',
      syscall: 'connect',
    })
    const e = describeError(err)
    expect(e.exitCode).to.equal(ExitCode.Bug)
    expect(e.code).to.equal('BUG')
  })

  it('a typed error keeps its code, exit code and suggestions; a plain one is a bug with a report link', () => {
    const typed = describeError(
      new CfguardError('NOT_LOGGED_IN', 'not logged in', {suggestions: ['cfguard login']}),
    )
    expect(typed).to.deep.equal({
      code: 'NOT_LOGGED_IN',
      message: 'not logged in',
      suggestions: ['cfguard login'],
      exitCode: ExitCode.Auth,
    })
    const bug = describeError(new TypeError('x is undefined'))
    expect(bug.exitCode).to.equal(ExitCode.Bug)
    expect(bug.message).to.equal('unexpected error: x is undefined')
    expect(bug.suggestions[0]).to.contain('this is a bug in cfguard')
  })

  it("drops oclif's `Parsing --flag … See more help` wrapper around a flag parser's own message", () => {
    const err = new CfguardError('USAGE', 'invalid --max-age "5x": use a number with a unit, e.g. 90d')
    err.message = `Parsing --max-age \n\t${err.message}\nSee more help with --help`
    expect(describeError(err, 'credentials:list')).to.deep.equal({
      code: 'USAGE',
      message: 'invalid --max-age "5x": use a number with a unit, e.g. 90d',
      suggestions: ['see `cfguard credentials list --help`'],
      exitCode: ExitCode.Usage,
    })
  })
})
