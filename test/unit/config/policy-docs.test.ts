import {readFileSync} from 'node:fs'
import {resolve} from 'node:path'

import {expect} from 'chai'

import {parsePolicy} from '../../../src/config/policy.js'
import {readSchema} from '../../../src/config/schema.js'
import {parseSuppressions} from '../../../src/config/suppressions.js'
import {CATALOG_RULE_IDS, NOW} from './policy-fixtures.js'

const DOC = readFileSync(resolve(import.meta.dirname, '../../../docs/policy.md'), 'utf8')

/** The fenced block right after `<!-- example: NAME -->`. */
function example(name: string): string {
  const m = new RegExp(
    `<!-- example: ${name.replace(/\./g, '\\.')} -->\\n\`\`\`yaml\\n([\\s\\S]*?)\\n\`\`\``,
  ).exec(DOC)
  expect(m, `docs/policy.md has no example marked ${name}`).to.not.equal(null)
  return (m as RegExpExecArray)[1] as string
}

interface SchemaNode {
  properties?: Record<string, SchemaNode>
  items?: SchemaNode
  $ref?: string
}

type SchemaDoc = SchemaNode & {definitions: Record<string, SchemaNode>}

/** Dotted key paths of a schema (`identity.sharedClient.maxSpaces`, `routes.loadBalancing[].apps`); stops at $refs. */
function keyPaths(node: SchemaNode, prefix = ''): string[] {
  const out: string[] = []
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    const path = prefix === '' ? key : `${prefix}.${key}`
    out.push(path, ...keyPaths(child, path))
    if (child.items) out.push(...keyPaths(child.items, `${path}[]`))
  }
  return out
}

describe('docs/policy.md stays in sync with the schemas', () => {
  it('its complete cfguard.yml example is a valid policy', () => {
    const {policy, warnings} = parsePolicy(example('cfguard.yml'), {
      file: 'docs/policy.md',
      knownRuleIds: CATALOG_RULE_IDS,
      now: NOW,
    })
    expect(warnings).to.deep.equal([])
    expect(policy.maxCredentialAgeDays).to.equal(60)
    expect(policy.suppressions).to.have.length(2)
  })

  it('its suppression file example is a valid suppression file', () => {
    const parsed = parseSuppressions(example('.cfguard-suppressions.yml'), {
      file: 'docs/policy.md',
      knownRuleIds: CATALOG_RULE_IDS,
      now: NOW,
    })
    expect(parsed).to.have.length(2)
  })

  it('the example shows every key of the policy schema (set, or commented out)', () => {
    const text = example('cfguard.yml')
    const keys = new Set(keyPaths(readSchema('policy')).map((p) => p.split('.').pop()?.replace('[]', '')))
    for (const key of keys)
      expect(text, `example lacks ${key}`).to.match(new RegExp(`^\\s*(# )?(- )?${key}:`, 'm'))
  })

  it('the reference documents every key of both schemas, and no key the schemas lack', () => {
    const policy = readSchema('policy') as unknown as SchemaDoc
    const suppressions = readSchema('suppressions') as unknown as SchemaDoc
    const documented = new Set([...DOC.matchAll(/^\| `([\w.[\]]+)` \|/gm)].map((m) => m[1]))
    const expected = new Set([
      ...keyPaths(policy),
      ...keyPaths(policy.definitions.appSelector as SchemaNode),
      ...keyPaths(suppressions.definitions.suppression as SchemaNode),
    ])
    expect(
      [...expected].filter((k) => !documented.has(k)),
      'keys missing from docs/policy.md',
    ).to.deep.equal([])
    expect(
      [...documented].filter((k) => !expected.has(k as string)),
      'docs name keys the schema lacks',
    ).to.deep.equal([])
  })
})
