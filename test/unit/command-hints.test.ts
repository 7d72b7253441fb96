/**
 * Every `cfguard …` command cfguard suggests or shows as an example parses against the real
 * command and flag definitions (the oclif manifest): suggestions and remediation in the sources,
 * the commands' help examples, the README and docs/. Placeholders (`SERVICE_INSTANCE`, `<name>`,
 * `…`, computed values) stand for arguments and flag values.
 */
import {expect} from 'chai'
import {readdirSync} from 'node:fs'
import {join} from 'node:path'

import {ROOT} from '../helpers/cli.js'
import {
  commandTable,
  commandsInText,
  hintsInManifestExamples,
  hintsInMarkdown,
  hintsInSources,
  whyNotParse,
  type Hint,
} from '../helpers/command-hints.js'

const table = commandTable()

function unparsable(hints: Hint[]): string[] {
  return hints.flatMap((h) => {
    const why = whyNotParse(h.command, table)
    return why ? [`${h.from}: \`${h.command}\`: ${why}`] : []
  })
}

describe('suggested cfguard commands parse', () => {
  describe('the checker', () => {
    const literal = commandTable([
      {
        id: 'login',
        aliases: ['auth'],
        args: {},
        flags: {
          'client-id': {name: 'client-id', type: 'option'},
          org: {name: 'org', char: 'o', type: 'option'},
          'sso-passcode': {name: 'sso-passcode', type: 'boolean'},
        },
      },
      {
        id: 'credentials:rotate',
        aliases: ['rotate-credentials'],
        args: {service_instance: {}},
        flags: {
          'dry-run': {name: 'dry-run', type: 'boolean'},
          kind: {name: 'kind', type: 'option', options: ['ups-uaa', 'service-key']},
        },
      },
    ])
    const ok = (line: string) => expect(whyNotParse(line, literal), line).to.equal(null)
    const bad = (line: string, why: RegExp) => expect(whyNotParse(line, literal), line).to.match(why)

    it('refuses flags, commands, values and arguments that do not exist', () => {
      bad('cfguard login --client-credentials', /login has no flag --client-credentials/)
      bad('cfguard login -x', /no flag -x/)
      bad('cfguard login --sso-passcode=yes', /takes no value/)
      bad('cfguard login --client-id', /needs a value/)
      bad('cfguard logon', /no command "logon"/)
      bad('cfguard credentials rotate a b', /takes 1 argument/)
      bad('cfguard credentials rotate a --kind managed', /does not accept "managed"/)
    })

    it('accepts ids with spaces, aliases, shorthands, placeholders and shell around the command', () => {
      ok('cfguard login --client-id CLIENT_ID -o acme')
      ok('cfguard auth --client-id=bot --sso-passcode')
      ok('cfguard credentials rotate SERVICE_INSTANCE --dry-run')
      ok('cfguard rotate-credentials <name> --kind ups-uaa')
      ok('cfguard credentials rotate VALUE --kind VALUE')
      ok('cfguard credentials rotate billing-oidc > plan.txt')
      ok('cfguard …')
      ok('cfguard login --client-id bot …')
    })

    it('finds backticked commands, and unquoted ones only when they start with a command word', () => {
      expect(
        commandsInText(
          'run `cfguard login --client-credentials`; cfguard reads it; log in first: cfguard login --name NAME --api URL, then retry',
          literal,
        ),
      ).to.deep.equal(['cfguard login --client-credentials', 'cfguard login --name NAME --api URL'])
    })
  })

  it('in the sources: errors, refusals, suggestions, rule docs and remediation', () => {
    const hints = hintsInSources(join(ROOT, 'src'), table)
    // The scan must see the suggestions it is meant to check (not pass by finding nothing).
    expect(hints.length).to.be.greaterThan(40)
    expect(
      hints.some((h) => h.from === 'src/rotate/refusals.ts' && h.command.startsWith('cfguard login')),
    ).to.equal(true)
    expect(unparsable(hints)).to.deep.equal([])
  })

  it('in the help examples of every command (oclif manifest)', () => {
    const hints = hintsInManifestExamples()
    expect(hints.length).to.be.greaterThan(30)
    expect(unparsable(hints)).to.deep.equal([])
  })

  it('in the README and docs/', () => {
    const files = [
      join(ROOT, 'README.md'),
      ...readdirSync(join(ROOT, 'docs'))
        .filter((f) => f.endsWith('.md'))
        .map((f) => join(ROOT, 'docs', f)),
    ]
    const hints = files.flatMap((f) => hintsInMarkdown(f))
    expect(hints.length).to.be.greaterThan(30)
    expect(unparsable(hints)).to.deep.equal([])
  })
})
