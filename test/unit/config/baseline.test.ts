import {expect} from 'chai'

import {applyBaseline, loadBaseline, parseBaseline, type Baseline} from '../../../src/config/baseline.js'
import type {Finding} from '../../../src/model/finding.js'
import {FIXTURES, rejection} from './policy-fixtures.js'

function finding(rule: string, fingerprint: string): Finding {
  return {
    rule,
    severity: 'medium',
    title: rule,
    message: rule,
    resource: {kind: 'app', guid: fingerprint, name: fingerprint},
    related: [],
    evidence: {},
    remediation: 'fix it',
    fingerprint,
  }
}

async function baselineError(name: string) {
  const err = await rejection(() => loadBaseline({cwd: FIXTURES, path: `baseline/${name}`}))
  expect(err.code).to.equal('CONFIG_INVALID')
  expect(err.exitCode).to.equal(2)
  expect(err.message).to.not.include('\n')
  return err.message
}

const HOW = 'use a file written by `cfguard audit --json > baseline.json`'

describe('baselines', () => {
  it('reads the --json envelope of a previous audit', async () => {
    expect(await loadBaseline({cwd: FIXTURES, path: 'baseline/envelope.json'})).to.deep.equal({
      source: 'baseline/envelope.json',
      generatedAt: '2026-11-01T08:00:00Z',
      entries: [
        {fingerprint: 'fp-secret-billing', rule: 'identity/secret-in-env'},
        {fingerprint: 'fp-orphan-old', rule: 'routes/orphan'},
      ],
    })
  })

  it('reads a bare audit result the same way', async () => {
    const bare = await loadBaseline({cwd: FIXTURES, path: 'baseline/bare.json'})
    const envelope = await loadBaseline({cwd: FIXTURES, path: 'baseline/envelope.json'})
    expect(bare.entries).to.deep.equal(envelope.entries)
  })

  it('accepts a file that starts with a byte-order mark', () => {
    const baseline = parseBaseline(
      '\uFEFF{"findings": [{"rule": "routes/orphan", "fingerprint": "fp-1"}]}',
      'b.json',
    )
    expect(baseline.entries).to.deep.equal([{fingerprint: 'fp-1', rule: 'routes/orphan'}])
  })

  it('keeps only the findings the baseline does not have, and lists the ones gone', () => {
    const baseline: Baseline = {
      source: 'b.json',
      generatedAt: null,
      entries: [
        {fingerprint: 'fp-1', rule: 'routes/orphan'},
        {fingerprint: 'fp-2', rule: 'identity/drift'},
      ],
    }
    const known = finding('routes/orphan', 'fp-1')
    const fresh = finding('routes/orphan', 'fp-3')
    const out = applyBaseline([known, fresh], baseline)
    expect(out.new).to.deep.equal([fresh])
    expect(out.known).to.deep.equal([known])
    expect(out.gone).to.deep.equal([{fingerprint: 'fp-2', rule: 'identity/drift'}])
  })

  it('keys on the fingerprint only: the same rule on another resource is new', () => {
    const baseline = parseBaseline(
      '{"findings": [{"rule": "routes/orphan", "fingerprint": "fp-1"}]}',
      'b.json',
    )
    const out = applyBaseline([finding('routes/orphan', 'fp-9')], baseline)
    expect(out.new.map((f) => f.fingerprint)).to.deep.equal(['fp-9'])
    expect(out.known).to.deep.equal([])
  })

  it('a file that is not JSON (a table) is one located error line, exit 2', async () => {
    expect(await baselineError('not-json.txt')).to.equal(
      `baseline/not-json.txt:1:1: the baseline is not valid JSON (unexpected "R"); ${HOW}`,
    )
  })

  it('a truncated JSON file points at its end', async () => {
    expect(await baselineError('truncated.json')).to.equal(
      `baseline/truncated.json:7:1: the baseline is not valid JSON (it ends too early); ${HOW}`,
    )
  })

  it('a JSON syntax error points at the offending character', () => {
    expect(() => parseBaseline('{\n  "findings": [\n    {"rule": x}\n  ]\n}', 'b.json')).to.throw(
      `b.json:3:14: the baseline is not valid JSON (unexpected "x"); ${HOW}`,
    )
  })

  it('a finding without a fingerprint is the wrong shape', async () => {
    expect(await baselineError('wrong-shape.json')).to.equal(
      `baseline/wrong-shape.json:7:7: result.findings[1] has no fingerprint (a non-empty string); ${HOW}`,
    )
  })

  it('a result without findings (another command’s output) is the wrong shape', async () => {
    expect(await baselineError('no-findings.json')).to.equal(
      `baseline/no-findings.json:3:13: result must be an audit result, not a list; ${HOW}`,
    )
  })

  it('an error envelope is not a baseline', async () => {
    expect(await baselineError('error-envelope.json')).to.equal(
      `baseline/error-envelope.json:1:1: the baseline is a cfguard error report (status 4), not an audit result; ${HOW}`,
    )
  })

  it('a result of another schema version is refused', () => {
    expect(() => parseBaseline('{"schemaVersion": 2,\n "findings": []}', 'b.json')).to.throw(
      `b.json:1:19: schemaVersion 2 is not one this cfguard reads (1); ${HOW}`,
    )
  })

  it('a missing --baseline file is a usage error', async () => {
    const err = await rejection(() => loadBaseline({cwd: FIXTURES, path: 'baseline/none.json'}))
    expect(err.exitCode).to.equal(2)
    expect(err.message).to.equal('baseline/none.json (from --baseline / CFGUARD_BASELINE) does not exist')
  })
})
