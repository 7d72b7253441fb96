/** After login: the hint when nothing is targeted, and the terminal picker (issue 16). */
import {expect} from 'chai'

import {loginHint} from '../../../src/actions/auth/login.js'
import {parsePick, pickOne, pickerQuestion} from '../../../src/actions/auth/picker.js'
import type {SecretInput} from '../../../src/actions/auth/secret-input.js'

/** Answers the picker's questions in order and records them; reads no stdin. */
function answering(...answers: string[]): SecretInput & {asked: string[]} {
  const asked: string[] = []
  return {
    asked,
    readStdin: async () => '',
    prompt: async (question, hidden) => {
      expect(hidden).to.equal(false, 'a picker echoes what is typed')
      asked.push(question)
      return answers.shift() ?? ''
    },
  }
}

const orgs = [{name: 'acme'}, {name: 'globex'}, {name: 'initech'}]

describe('after login', () => {
  it('says how to target an org and space when none is targeted (snapshot)', () => {
    expect(loginHint({org: null, space: null})).to.equal(
      'No org or space targeted: commands look at everything this login can see.\n' +
        'Target one with `cfguard target -o ORG -s SPACE` (`cfguard audit --all` reads everything on purpose).',
    )
    expect(loginHint({org: {guid: 'o', name: 'acme'}, space: null})).to.equal(
      'No space targeted: commands look at every space of org acme.\nTarget one with `cfguard target -s SPACE`.',
    )
    expect(loginHint({org: {guid: 'o', name: 'acme'}, space: {guid: 's', name: 'dev'}})).to.equal(null)
  })

  it('the picker lists the choices as cf login does (snapshot)', () => {
    expect(pickerQuestion('org', ['acme', 'globex'])).to.equal(
      'Select an org:\n1. acme\n2. globex\n\nOrg (number or name, Enter to skip): ',
    )
  })

  it('parsePick takes a number or a name; Enter skips; anything else picks nothing', () => {
    const names = orgs.map((o) => o.name)
    expect(parsePick('2', names)).to.equal(1)
    expect(parsePick(' initech ', names)).to.equal(2)
    expect(parsePick('', names)).to.equal(null)
    expect(parsePick('0', names)).to.equal(undefined)
    expect(parsePick('4', names)).to.equal(undefined)
    expect(parsePick('acm', names)).to.equal(undefined)
  })

  it('pickOne: the only one without asking, none without asking when there are none', async () => {
    const io = answering()
    expect(await pickOne(io, 'org', [{name: 'acme'}])).to.deep.equal({name: 'acme'})
    expect(await pickOne(io, 'org', [])).to.equal(null)
    expect(io.asked).to.deep.equal([])
  })

  it('pickOne asks again after a wrong answer, and Enter skips', async () => {
    const io = answering('9', 'globex')
    expect(await pickOne(io, 'org', orgs)).to.deep.equal({name: 'globex'})
    expect(io.asked).to.have.length(2)
    expect(await pickOne(answering(''), 'space', orgs)).to.equal(null)
    // three wrong answers: nothing picked, the hint says what to do
    expect(await pickOne(answering('x', 'y', 'z'), 'org', orgs)).to.equal(null)
  })
})
