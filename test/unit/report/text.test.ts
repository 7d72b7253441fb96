import {expect} from 'chai'

import {clean, mdCode, mdEscape, xmlEscape} from '../../../src/report/escape.js'
import {wrap} from '../../../src/report/text.js'

describe('report/text and escaping', () => {
  it('wraps on spaces with a hanging indent and never breaks a word, a URL or a command', () => {
    expect(wrap('one two three four', 9, '  ')).to.deep.equal(['one two', '  three', '  four'])
    // Issue 16: words longer than a line used to be cut (`https://very` / `-long-host.e` …).
    expect(wrap('abcdefghijkl', 5)).to.deep.equal(['abcdefghijkl'])
    expect(wrap('a https://very-long-host.example.com/path', 12, '', 12)).to.deep.equal([
      'a',
      'https://very-long-host.example.com/path',
    ])
    // A command in backticks is one word: on its own line, moved left to fit the width.
    expect(
      wrap('fix: run `cfguard credentials rotate billing-oidc --dry-run` then look', 56, '        ', 50),
    ).to.deep.equal([
      'fix: run',
      '     `cfguard credentials rotate billing-oidc --dry-run`',
      '        then look',
    ])
    expect(wrap('see `cf events x` now', 80, '  ')).to.deep.equal(['see `cf events x` now'])
    expect(wrap('short', 40, '    ', 10)).to.deep.equal(['short'])
    expect(wrap('', 10)).to.deep.equal([''])
  })

  it('escapes XML and drops characters XML cannot hold', () => {
    expect(xmlEscape(`<a b="c" d='e'>&</a>`)).to.equal(
      '&lt;a b=&quot;c&quot; d=&apos;e&apos;&gt;&amp;&lt;/a&gt;',
    )
    expect(xmlEscape('bell\u0007 nul\u0000 lone\uD800 ok😀')).to.equal('bell\uFFFD nul\uFFFD lone\uFFFD ok😀')
  })

  it('escapes Markdown table cells: pipes, backticks, HTML and mentions', () => {
    expect(mdEscape('a|b `c` <script> @team *x* [l](u)\nnext')).to.equal(
      'a\\|b \\`c\\` &lt;script&gt; &#64;team \\*x\\* \\[l\\](u)<br>next',
    )
    expect(mdCode('ab')).to.equal('`ab`')
    expect(mdCode('a`b')).to.equal('``a`b``')
    expect(mdCode('x|y')).to.equal('`x\\|y`')
  })

  it('cleans free text: redacts by shape and removes terminal escapes', () => {
    expect(clean('see https://user:pa55word@host/x')).to.equal('see https://[REDACTED]@host/x')
    expect(clean('\u001b[31mred\u001b[0m')).to.equal('red')
    expect(clean(null)).to.equal('')
    expect(clean('line one\nline\ttwo')).to.equal('line one\nline\ttwo')
  })
})
