import {expect} from 'chai'

import {REPORT_FORMATS, isReportFormat, renderReport} from '../../../src/report/index.js'
import {RULES, auditResult, routeMap} from '../../helpers/report-fixtures.js'

describe('report registry', () => {
  it('renders every format from one entry point', () => {
    const input = {result: auditResult(), rules: RULES, routeMap: routeMap()}
    const starts: Record<(typeof REPORT_FORMATS)[number], RegExp> = {
      table: /^cfguard audit of https:\/\/api\.sys\.example\.com/,
      json: /^\{\n {2}"schemaVersion": 1,/,
      sarif: /^\{\n {2}"\$schema": "https:\/\/docs\.oasis-open\.org\/sarif/,
      junit: /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites /,
      markdown: /^<!-- cfguard-report -->\n## cfguard audit/,
      html: /^<!doctype html>/,
    }
    for (const format of REPORT_FORMATS) {
      const out = renderReport(format, input, {failOn: 'high'})
      expect(out, format).to.match(starts[format])
      expect(out.endsWith('\n'), `${format} ends with a newline`).to.equal(true)
    }
  })

  it('passes the rule set from the input to the formatter', () => {
    const sarif = JSON.parse(renderReport('sarif', {result: auditResult(), rules: RULES})) as {
      runs: {tool: {driver: {rules: unknown[]}}}[]
    }
    expect(sarif.runs[0]!.tool.driver.rules).to.have.length(RULES.length)
  })

  it('recognises format names', () => {
    expect(isReportFormat('sarif')).to.equal(true)
    expect(isReportFormat('csv')).to.equal(false)
  })
})
