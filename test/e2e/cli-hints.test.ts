/**
 * End to end: the next steps cfguard prints when a command fails or is refused name commands that
 * exist. Runs a set of failing commands against the simulator, collects every `cfguard …` command
 * in their output and parses each against the manifest (test/helpers/command-hints.ts).
 */
import {expect} from 'chai'

import {runCli, type CliResult} from '../helpers/cli.js'
import {commandTable, hintsInOutput, whyNotParse, type Hint} from '../helpers/command-hints.js'
import {withSimulator} from '../helpers/sim.js'
import {cliEnv, upsWorld} from './rotate-world.js'

const table = commandTable()

describe('next steps printed by failing commands parse', function () {
  this.timeout(120_000)

  it('not logged in, bad flags, unknown names, refusals: every suggested command exists', async () => {
    await withSimulator({ccVersion: '3.200.0', instanceStartupMs: 100}, async (sim) => {
      const w = upsWorld(sim)
      const admin = cliEnv(sim)
      const developer = {
        CFGUARD_API: sim.apiUrl,
        CFGUARD_USERNAME: sim.users.spaceDeveloper.username,
        CFGUARD_PASSWORD: sim.users.spaceDeveloper.password,
        CFGUARD_ORG: 'acme',
        CFGUARD_SPACE: 'dev',
      }
      const runs: [string, string[], Record<string, string>][] = [
        ['not logged in', ['credentials', 'list'], {}],
        ['audit not logged in', ['audit'], {}],
        ['space without org', ['target', '-s', 'dev'], {CFGUARD_API: sim.apiUrl}],
        ['unknown stored target', ['audit', '--targets', 'nope,other'], {}],
        ['unknown service', ['credentials', 'rotate', 'no-such-service', '--dry-run'], admin],
        ['nothing to retire', ['credentials', 'retire', w.ups.name, '--yes'], admin],
        ['nothing to roll back', ['credentials', 'rollback', w.ups.name, '--yes'], admin],
        ['token cannot change secrets', ['credentials', 'rotate', w.ups.name, '--dry-run'], developer],
        ['unknown rule', ['rules', 'identity/no-such-rule'], {}],
      ]
      const results: [string, CliResult][] = []
      for (const [what, args, env] of runs) results.push([what, await runCli(args, {env})])
      sim.state.diegoUnavailable = true
      results.push(['diego down', await runCli(['credentials', 'rotate', w.ups.name, '--yes'], {env: admin})])

      const hints: Hint[] = results.flatMap(([what, r]) =>
        hintsInOutput(`${r.stderr}\n${r.stdout}`, table, what),
      )
      const failed = results.filter(([, r]) => r.code !== 0).map(([what]) => what)
      expect(failed.length, 'the runs are meant to fail').to.be.greaterThan(6)
      expect(hints.length).to.be.greaterThan(5)
      expect(
        hints.some(
          (h) =>
            h.from === 'token cannot change secrets' && h.command.startsWith('cfguard login --client-id'),
        ),
        'the refusal suggests a client login',
      ).to.equal(true)
      const bad = hints.flatMap((h) => {
        const why = whyNotParse(h.command, table)
        return why ? [`${h.from}: \`${h.command}\`: ${why}`] : []
      })
      expect(bad).to.deep.equal([])
    })
  })
})
