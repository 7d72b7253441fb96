/**
 * What a consumer of the npm package relies on besides the CLI: the licence text, where the
 * project lives, and the JSON Schemas importable by path with `$id`s naming this version.
 */
import {readFileSync, readdirSync} from 'node:fs'
import {createRequire} from 'node:module'
import {join} from 'node:path'

import {expect} from 'chai'

import {ROOT} from '../../helpers/cli.js'

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  name: string
  version: string
  license: string
  repository: {type: string; url: string}
  homepage: string
  bugs: {url: string}
  exports: Record<string, string>
}
const SCHEMAS = readdirSync(join(ROOT, 'schemas')).filter((f) => f.endsWith('.schema.json'))

describe('package hygiene', () => {
  it('ships the full Apache-2.0 licence text it declares', () => {
    expect(pkg.license).to.equal('Apache-2.0')
    const text = readFileSync(join(ROOT, 'LICENSE'), 'utf8')
    expect(text).to.match(/^\s+Apache License\n\s+Version 2\.0, January 2004\n/)
    for (const section of [
      '1. Definitions.',
      '9. Accepting Warranty or Additional Liability.',
      'END OF TERMS AND CONDITIONS',
    ])
      expect(text).to.contain(section)
    expect(text.length).to.be.greaterThan(11_000)
  })

  it('says where the project lives: repository, homepage, bugs', () => {
    expect(pkg.repository).to.deep.equal({type: 'git', url: 'git+https://github.com/cfguard/cfguard.git'})
    expect(pkg.homepage).to.equal('https://github.com/cfguard/cfguard#readme')
    expect(pkg.bugs).to.deep.equal({url: 'https://github.com/cfguard/cfguard/issues'})
  })

  it('exports every JSON Schema by path; each $id names this version', async () => {
    expect(SCHEMAS).to.have.members([
      'audit-result.schema.json',
      'policy.schema.json',
      'suppressions.schema.json',
    ])
    const require = createRequire(join(ROOT, 'package.json'))
    for (const file of SCHEMAS) {
      // Self-reference by package name goes through "exports", as an installed package would.
      const resolved = require.resolve(`${pkg.name}/schemas/${file}`)
      expect(resolved).to.equal(join(ROOT, 'schemas', file))
      const schema = (await import(`${pkg.name}/schemas/${file}`, {with: {type: 'json'}})) as {
        default: {$id: string}
      }
      expect(schema.default.$id, `${file}: set the $id to this version's tag`).to.equal(
        `https://raw.githubusercontent.com/cfguard/cfguard/v${pkg.version}/schemas/${file}`,
      )
    }
    expect(() => require.resolve(`${pkg.name}/src/index.ts`)).to.throw(/is not defined by "exports"/)
  })

  it('docs point at the schemas of this version', () => {
    for (const doc of ['README.md', 'docs/policy.md', 'docs/audit.md']) {
      const text = readFileSync(join(ROOT, doc), 'utf8')
      for (const m of text.matchAll(/raw\.githubusercontent\.com\/cfguard\/cfguard\/([^/]+)\/schemas\//g))
        expect(m[1], doc).to.equal(`v${pkg.version}`)
    }
  })
})
