/**
 * The Dockerfile's promises (issue 19), read from the file: where no container engine runs (this
 * machine), this is what holds them; .ci/run builds and runs the image where one does.
 */
import {expect} from 'chai'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import {ROOT} from '../../helpers/cli.js'

const DOCKERFILE = readFileSync(join(ROOT, 'Dockerfile'), 'utf8')

/** Instructions (continuation lines joined, comments dropped), split into stages at each FROM. */
function stages(text: string): string[][] {
  const lines = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
  const out: string[][] = [[]]
  for (const line of lines) {
    if (/^FROM\s/i.test(line)) out.push([])
    out.at(-1)!.push(line)
  }
  return out
}

describe('Dockerfile', () => {
  const [preamble, ...built] = stages(DOCKERFILE)
  const final = built.at(-1)!

  it('pins a Node 24 base by tag and digest, named in a comment too, for every stage', () => {
    const arg = preamble!.find((l) => l.startsWith('ARG NODE_IMAGE='))
    const m = /^ARG NODE_IMAGE=node:(24\.\d+\.\d+)-[a-z]+-slim@(sha256:[0-9a-f]{64})$/.exec(arg ?? '')
    expect(m, arg).to.not.equal(null)
    expect(DOCKERFILE).to.contain(`#   node:${m![1]}-`).and.to.contain(`#   ${m![2]}`)
    expect(built.map((s) => s[0]!.split(/\s+/)[1])).to.deep.equal(built.map(() => '${NODE_IMAGE}'))
    expect(built.length).to.be.greaterThan(1)
  })

  it('installs through scripts/pack-install.js (the steps test/e2e/package.test.ts runs) in a build stage', () => {
    expect(built[0]!.some((l) => /^RUN npm ci\b/.test(l))).to.equal(true)
    expect(
      built[0]!.some((l) => /^RUN npm run build && node scripts\/pack-install\.js \/opt\/cfguard$/.test(l)),
    ).to.equal(true)
    expect(final).to.include('COPY --from=build /opt/cfguard /opt/cfguard')
  })

  it('runs cfguard as a non-root user, with no npm in the final stage, config on a volume', () => {
    const run = final.filter((l) => l.startsWith('RUN '))
    expect(run.join(' ')).to.match(
      /rm -rf \/usr\/local\/lib\/node_modules \/usr\/local\/bin\/npm \/usr\/local\/bin\/npx /,
    )
    expect(run.join(' ')).not.to.match(/\bnpm (ci|install|run)\b/)
    const user = final.filter((l) => l.startsWith('USER ')).at(-1)
    expect(user).to.match(/^USER [1-9]\d*:[1-9]\d*$/)
    expect(final).to.include('ENTRYPOINT ["cfguard"]')
    expect(final).to.include('VOLUME ["/config"]')
    expect(final.join(' ')).to.match(/CFGUARD_HOME=\/config/)
    // without SHELL, oclif looks the user up and fails for a uid with no passwd entry
    expect(final.join(' ')).to.match(/\bSHELL=\/bin\/sh\b/)
    expect(final.filter((l) => /^(ARG|ENV)\b.*(SECRET|PASSWORD|TOKEN)/i.test(l))).to.deep.equal([])
  })
})
