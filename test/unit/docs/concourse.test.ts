/**
 * The Concourse tasks (concourse/*.yml) and the example pipeline agree with the CLI: the command
 * they run exists, every CFGUARD_* parameter is the environment twin of one of its flags (or a
 * documented setting), values fit the flag, secrets come only from the credential manager, the
 * image is the release of this version.
 */
import {existsSync, readFileSync} from 'node:fs'
import {join} from 'node:path'

import {expect} from 'chai'
import {parse as parseYaml} from 'yaml'

import {ROOT} from '../../helpers/cli.js'

interface ManifestFlag {
  env?: string
  type: 'boolean' | 'option'
  options?: string[]
  char?: string
}
interface Manifest {
  commands: Record<string, {id: string; flags: Record<string, ManifestFlag>}>
}
interface Task {
  platform: string
  image_resource: {type: string; source: {repository: string; tag: string}}
  inputs?: {name: string; optional?: boolean}[]
  outputs?: {name: string}[]
  caches?: {path: string}[]
  params: Record<string, string | null>
  run: {path: string; args: string[]}
}
interface Step {
  task?: string
  file?: string
  params?: Record<string, string>
  in_parallel?: Step[]
  get?: string
}
interface Pipeline {
  resources: {name: string; type: string; source: Record<string, string>}[]
  jobs: {name: string; serial?: boolean; plan: Step[]}[]
}

const MANIFEST = JSON.parse(readFileSync(join(ROOT, 'oclif.manifest.json'), 'utf8')) as Manifest
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {version: string}).version
const README = readFileSync(join(ROOT, 'README.md'), 'utf8')
const TASKS = ['audit.yml', 'rotate.yml']
/** Read from the environment by every command without being a flag (README, "Install and log in"). */
const SETTINGS = new Set(['CFGUARD_CLIENT_ID', 'CFGUARD_CLIENT_SECRET', 'CFGUARD_HOME', 'CFGUARD_TIMEOUT'])
const SECRETS = ['CFGUARD_CLIENT_SECRET', 'CFGUARD_PASSWORD']

const load = <T>(file: string) => parseYaml(readFileSync(join(ROOT, 'concourse', file), 'utf8')) as T

/** The command a task runs and its flags: the longest command id its leading words name. */
function commandOf(task: Task): {id: string; flags: Record<string, ManifestFlag>; argFlags: string[]} {
  const words = task.run.args.filter((a) => !a.startsWith('-'))
  const id = words.join(':')
  const command = MANIFEST.commands[id]
  expect(command, `${task.run.args.join(' ')}: no such command`).to.not.equal(undefined)
  return {id, flags: command!.flags, argFlags: task.run.args.filter((a) => a.startsWith('-'))}
}

/** Checks a CFGUARD_* parameter against the command's flags; returns the problem or null. */
function paramProblem(
  flags: Record<string, ManifestFlag>,
  name: string,
  value: string | null,
): string | null {
  if (!name.startsWith('CFGUARD_')) return `${name} is not a cfguard setting`
  const flag = Object.values(flags).find((f) => f.env === name)
  if (!flag) {
    if (!SETTINGS.has(name)) return `${name} is neither a flag's env twin nor a documented setting`
    if (!README.includes(name)) return `${name} is not documented in README.md`
    return null
  }
  if (value === null) return null
  if (flag.type === 'boolean' && !['true', 'false'].includes(value))
    return `${name}: ${value} is not true/false`
  if (flag.options && !flag.options.includes(value))
    return `${name}: ${value} is not one of ${flag.options.join(', ')}`
  return null
}

describe('Concourse tasks and pipeline (concourse/)', () => {
  for (const file of TASKS) {
    describe(file, () => {
      const task = load<Task>(file)

      it('runs the cfguard image of this version, by its executable', () => {
        expect(task.platform).to.equal('linux')
        expect(task.image_resource).to.deep.equal({
          type: 'registry-image',
          source: {repository: 'ghcr.io/cfguard/cfguard', tag: VERSION},
        })
        expect(task.run.path).to.equal('cfguard')
      })

      it("runs an existing command with its own flags; every parameter is one of that command's settings", () => {
        const {flags, argFlags} = commandOf(task)
        for (const arg of argFlags) {
          const name = arg.replace(/^--/, '').split('=')[0]!
          expect(flags, `${file}: ${arg}`).to.have.property(name)
        }
        const problems = Object.entries(task.params)
          .map(([k, v]) => paramProblem(flags, k, v))
          .filter((p) => p !== null)
        expect(problems).to.deep.equal([])
      })

      it('holds no secret and no endpoint: those come from the pipeline', () => {
        for (const name of ['CFGUARD_API', 'CFGUARD_CLIENT_ID', 'CFGUARD_CLIENT_SECRET']) {
          expect(task.params, file).to.have.property(name)
          expect(task.params[name], `${file}: ${name} must be left for the pipeline`).to.equal(null)
        }
        for (const s of SECRETS) if (task.params[s] !== undefined) expect(task.params[s]).to.equal(null)
      })

      it('writes where Concourse keeps things: outputs and caches it declares', () => {
        const home = task.params.CFGUARD_HOME
        expect((task.caches ?? []).map((c) => c.path)).to.include(home)
        const output = task.params.CFGUARD_OUTPUT
        if (output) expect((task.outputs ?? []).map((o) => o.name)).to.include(output.split('/')[0])
        const policy = task.params.CFGUARD_POLICY
        if (policy) expect((task.inputs ?? []).map((i) => i.name)).to.include(policy.split('/')[0])
      })
    })
  }

  it('audit.yml writes SARIF and gates; rotate.yml is the unattended --all-due run with consent', () => {
    const audit = load<Task>('audit.yml')
    expect(commandOf(audit).id).to.equal('audit')
    expect(audit.params.CFGUARD_FORMAT).to.equal('sarif')
    const rotate = load<Task>('rotate.yml')
    expect(commandOf(rotate).id).to.equal('credentials:rotate')
    expect(rotate.run.args).to.include('--all-due')
    expect(rotate.params.CFGUARD_YES).to.equal('true')
  })

  it('the example pipeline uses the tasks of a pinned release, valid parameters and credential-manager secrets', () => {
    const pipeline = load<Pipeline>('pipeline.yml')
    const repo = pipeline.resources.find((r) => r.name === 'cfguard')!
    expect(repo.source).to.deep.include({
      uri: 'https://github.com/cfguard/cfguard.git',
      tag_filter: `v${VERSION}`,
    })
    const steps = pipeline.jobs.flatMap((j) => j.plan.flatMap((s) => [s, ...(s.in_parallel ?? [])]))
    const tasks = steps.filter((s) => s.task)
    expect(tasks.map((t) => t.file)).to.have.members(TASKS.map((f) => `cfguard/concourse/${f}`))
    for (const step of tasks) {
      const file = step.file!.replace('cfguard/concourse/', '')
      expect(existsSync(join(ROOT, 'concourse', file))).to.equal(true)
      const task = load<Task>(file)
      const {flags} = commandOf(task)
      const problems = Object.entries(step.params ?? {})
        .map(([k, v]) => paramProblem(flags, k, v))
        .filter((p) => p !== null)
      expect(problems, `${step.task}`).to.deep.equal([])
      for (const name of ['CFGUARD_API', 'CFGUARD_CLIENT_ID', 'CFGUARD_CLIENT_SECRET'])
        expect(step.params, `${step.task} sets ${name}`).to.have.property(name)
      for (const s of SECRETS) {
        if (step.params?.[s] !== undefined)
          expect(step.params[s], `${step.task}: ${s} from the credential manager`).to.match(
            /^\(\([\w.-]+\)\)$/,
          )
      }
      const inputs = new Set(steps.filter((s) => s.get).map((s) => s.get))
      for (const input of task.inputs ?? [])
        if (!input.optional) expect(inputs, input.name).to.include(input.name)
    }
    const rotate = pipeline.jobs.find((j) => j.plan.some((s) => s.task === 'rotate'))!
    expect(rotate.serial).to.equal(true)
  })

  it('the parameter check is real', () => {
    const flags = MANIFEST.commands.audit!.flags
    expect(paramProblem(flags, 'CFGUARD_FORMAT', 'pdf')).to.match(/not one of/)
    expect(paramProblem(flags, 'CFGUARD_NO_SUCH', 'x')).to.match(/neither/)
    expect(paramProblem(flags, 'CFGUARD_ALL', 'yes')).to.match(/true\/false/)
    expect(paramProblem(MANIFEST.commands['credentials:rotate']!.flags, 'CFGUARD_FORMAT', 'sarif')).to.match(
      /neither/,
    )
    expect(paramProblem(flags, 'CFGUARD_FAIL_ON', 'high')).to.equal(null)
  })
})
