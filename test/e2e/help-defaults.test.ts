/**
 * A default shown in help can be typed back (issue 14 item 9): the rollout durations were shown as
 * `[default: 900000]` and `[default: 5000]`, which `--timeout 900000` then refused.
 */
import {expect} from 'chai'

import {runCli} from '../helpers/cli.js'

describe('help shows duration defaults as they are typed', function () {
  this.timeout(60_000)

  for (const command of [
    ['credentials', 'rotate'],
    ['credentials', 'retire'],
    ['credentials', 'rollback'],
  ]) {
    it(`${command.join(' ')} --help`, async () => {
      const r = await runCli([...command, '--help'])
      expect(r.code, r.stderr).to.equal(0)
      const text = r.stdout.replace(/\s+/g, ' ')
      expect(text).not.to.match(/default: (900000|5000)\b/)
      expect(text).to.match(/--timeout=<value> .*\(default 15m\)/)
      expect(text).to.match(/--poll-interval=<value> .*\(default 5s\)/)
    })
  }
})
