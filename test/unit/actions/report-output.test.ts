import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import {expect} from 'chai'

import {createContext} from '../../../src/context.js'
import {emitReport} from '../../../src/actions/report-output.js'
import {tempDir} from '../../helpers/cli.js'
import {RULES, auditResult} from '../../helpers/report-fixtures.js'

describe('emitReport', () => {
  const request = {format: 'table' as const, failOn: 'high' as const}
  const input = () => ({result: auditResult(), rules: RULES, routeMap: null})

  it('hands the rendered text back for stdout without --json', () => {
    const report = emitReport(createContext({json: false}), request, input())
    expect(report.stdout).to.be.a('string').and.contain('identity/secret-in-env')
    expect(report.exitCode).to.equal(3)
  })

  it('under --json leaves stdout to the envelope (nothing rendered) and still gates the exit code', () => {
    const report = emitReport(createContext({json: true}), request, input())
    expect(report.stdout).to.equal(null)
    expect(report.exitCode).to.equal(3)
    expect(report.result.findings).to.have.length(auditResult().findings.length)
  })

  it('under --json with --output still writes the report file', () => {
    const output = join(tempDir('cfguard-report-'), 'report.md')
    const report = emitReport(createContext({json: true}), {...request, format: 'markdown', output}, input())
    expect(report.stdout).to.equal(null)
    expect(readFileSync(output, 'utf8')).to.contain('identity/secret-in-env')
  })
})
