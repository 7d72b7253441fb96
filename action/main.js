#!/usr/bin/env node
// Entry point of the cfguard GitHub Action (action.yml, `runs.using: node24`). Plain JavaScript
// with no dependencies: the runner starts it straight from the action's checkout.
//
// The runner hands every input over as an environment variable: `INPUT_` + the input's name in
// upper case with spaces turned into `_` (hyphens are kept: `fail-on` → `INPUT_FAIL-ON`), set for
// every input action.yml declares (its default, or empty). The client secret is never an input:
// it comes from the step's `env: CFGUARD_CLIENT_SECRET`, and is passed on by name only.
//
// cfguard itself runs
//   - from this checkout when it is built (`npm ci && npm run build`, e.g. `uses: ./` in cfguard's
//     own CI), or
//   - from the container image of the same version (ghcr.io/cfguard/cfguard:<version>), with
//     `docker run`: no npm install at run time, and the version pinned by the action's ref.
// `runner: local | image` forces one; the default `auto` picks local when it is built.
//
// Exit code: cfguard's (0 ok, 2 usage, 3 findings at or above `fail-on`, 4 auth, 5 API).
import {spawn} from 'node:child_process'
import {appendFileSync, existsSync, readFileSync, statSync} from 'node:fs'
import {dirname, isAbsolute, join, resolve} from 'node:path'
import {randomBytes} from 'node:crypto'
import {constants} from 'node:os'
import {fileURLToPath} from 'node:url'

export const ACTION_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
export const IMAGE = 'ghcr.io/cfguard/cfguard'

const COMMANDS = {
  audit: ['audit'],
  'identity-audit': ['identity', 'audit'],
  'routes-report': ['routes', 'report'],
}
const EXTENSIONS = {sarif: 'sarif', json: 'json', junit: 'xml', markdown: 'md', html: 'html', table: 'txt'}

/** `getInput` as @actions/core reads it: `INPUT_<NAME>` (spaces → `_`, upper case), trimmed. */
export function input(env, name) {
  return (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim()
}

class UsageError extends Error {}

/** A workflow command's message, escaped as the runner reads it (`%`, CR, LF). */
function annotate(message) {
  const data = message.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A')
  process.stdout.write(`::error title=cfguard::${data}\n`)
}

/** The cfguard command line and environment for these inputs (no I/O). */
export function plan(env) {
  if (input(env, 'client-secret') !== '') {
    throw new UsageError(
      'client-secret is not an input: a secret in `with:` ends up in logs and workflow files. ' +
        'next: set `env: CFGUARD_CLIENT_SECRET: ${{ secrets.… }}` on the step',
    )
  }
  const api = input(env, 'api')
  if (api === '')
    throw new UsageError('the `api` input is required. next: `with: api: https://api.sys.example.com`')
  const commandName = input(env, 'command') || 'audit'
  const command = COMMANDS[commandName]
  if (!command) {
    throw new UsageError(
      `command ${JSON.stringify(commandName)} is not one of ${Object.keys(COMMANDS).join(', ')}. next: fix \`command\``,
    )
  }
  const format = input(env, 'format') || 'sarif'
  const output = input(env, 'output') || `cfguard.${EXTENSIONS[format] ?? format}`
  const args = [...command, '--api', api, ...scopeArgs(input(env, 'scope') || 'all')]
  args.push('--format', format, '--output', output, '--fail-on', input(env, 'fail-on') || 'high')
  const policy = input(env, 'policy')
  if (policy !== '') args.push('--policy', policy)

  // Settings for cfguard: the step's own CFGUARD_* variables (the secret among them), plus the
  // client id input. Nothing else of the action's inputs goes into cfguard's environment.
  const cfguardEnv = {}
  for (const [k, v] of Object.entries(env)) if (k.startsWith('CFGUARD_') && v !== undefined) cfguardEnv[k] = v
  const clientId = input(env, 'client-id')
  if (clientId !== '') cfguardEnv.CFGUARD_CLIENT_ID = clientId
  // Inputs set these as flags; a stray step variable must not fight them.
  for (const k of [
    'CFGUARD_API',
    'CFGUARD_ALL',
    'CFGUARD_ORG',
    'CFGUARD_SPACE',
    'CFGUARD_TARGET',
    'CFGUARD_TARGETS',
  ])
    delete cfguardEnv[k]
  return {args, env: cfguardEnv, format, output, command: command.join(' ')}
}

/** `all`, `ORG` or `ORG/SPACE`. */
function scopeArgs(scope) {
  if (scope === 'all') return ['--all']
  const slash = scope.indexOf('/')
  if (slash < 0) return ['--org', scope]
  const org = scope.slice(0, slash)
  const space = scope.slice(slash + 1)
  if (org === '' || space === '') {
    throw new UsageError(`scope ${JSON.stringify(scope)} is not all, ORG or ORG/SPACE. next: fix \`scope\``)
  }
  return ['--org', org, '--space', space]
}

/** Whether this checkout has a built cfguard (lib/ and its dependencies). */
export function localBuild(root = ACTION_ROOT) {
  return (
    existsSync(join(root, 'lib/index.js')) && existsSync(join(root, 'node_modules/@oclif/core/package.json'))
  )
}

/** The process to start: `node bin/run.js …` here, or `docker run … image …`. */
export function invocation(planned, env, root = ACTION_ROOT) {
  const runner = input(env, 'runner') || 'auto'
  if (!['auto', 'local', 'image'].includes(runner)) {
    throw new UsageError(`runner ${JSON.stringify(runner)} is not auto, local or image. next: fix \`runner\``)
  }
  const local = runner === 'local' || (runner === 'auto' && localBuild(root))
  const childEnv = {...withoutInputs(env), ...planned.env}
  if (local) {
    if (!localBuild(root))
      throw new UsageError('runner local: this checkout is not built. next: npm ci && npm run build')
    return {file: process.execPath, args: [join(root, 'bin/run.js'), ...planned.args], env: childEnv}
  }
  const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version
  const workspace = env.GITHUB_WORKSPACE || process.cwd()
  const uid = typeof process.getuid === 'function' ? `${process.getuid()}:${process.getgid()}` : null
  // `-e NAME` without a value: docker copies it from this process's environment, so no secret
  // is ever on a command line. The workspace is mounted at its own path so that relative and
  // absolute paths (policy, output) mean the same inside. The runner's user writes the report.
  const docker = ['run', '--rm', '-v', `${workspace}:${workspace}`, '-w', process.cwd()]
  if (uid) docker.push('--user', uid)
  docker.push('-e', 'HOME=/tmp', '-e', 'CFGUARD_HOME=/tmp/cfguard')
  for (const k of Object.keys(planned.env).sort()) if (k !== 'CFGUARD_HOME') docker.push('-e', k)
  if (env.NODE_EXTRA_CA_CERTS) docker.push('-e', 'NODE_EXTRA_CA_CERTS')
  docker.push(`${IMAGE}:${version}`, ...planned.args)
  return {file: 'docker', args: docker, env: childEnv}
}

function withoutInputs(env) {
  return Object.fromEntries(Object.entries(env).filter(([k]) => !k.startsWith('INPUT_')))
}

/** `name<<DELIMITER` form of GITHUB_OUTPUT, safe for any value. */
function setOutput(env, name, value) {
  if (!env.GITHUB_OUTPUT) return
  const delimiter = `cfguard_${randomBytes(8).toString('hex')}`
  appendFileSync(env.GITHUB_OUTPUT, `${name}<<${delimiter}\n${value}\n${delimiter}\n`)
}

/** What the SARIF says: its categories and result count (nothing when it is unreadable). */
export function readSarif(path) {
  try {
    const log = JSON.parse(readFileSync(path, 'utf8'))
    const ids = log.runs.map((r) => r.automationDetails?.id ?? '')
    const categories = ids.map((id) => (id.lastIndexOf('/') < 0 ? id : id.slice(0, id.lastIndexOf('/'))))
    const results = log.runs.reduce((n, r) => n + (r.results?.length ?? 0), 0)
    return {categories, results}
  } catch {
    return null
  }
}

/** The file's modification time in ns, or null when there is none. */
function modified(path) {
  try {
    return statSync(path, {bigint: true}).mtimeNs
  } catch {
    return null
  }
}

const MEANING = {
  2: 'usage or configuration error',
  3: 'findings at or above fail-on',
  4: 'authentication or authorization failed',
  5: 'the API was unreachable or failing',
}

async function main() {
  const env = process.env
  let planned
  let run
  try {
    planned = plan(env)
    run = invocation(planned, env)
  } catch (error) {
    if (!(error instanceof UsageError)) throw error
    annotate(error.message)
    process.exitCode = 2
    return
  }
  process.stderr.write(`cfguard ${planned.args.join(' ')}\n`)
  const reportPath = isAbsolute(planned.output) ? planned.output : resolve(planned.output)
  // A report left by an earlier step is not this run's: only a file this run wrote counts.
  const before = modified(reportPath)
  const code = await new Promise((done) => {
    const child = spawn(run.file, run.args, {env: run.env, stdio: 'inherit'})
    child.on('error', (error) => {
      annotate(`could not start ${run.file}: ${error.message}`)
      done(1)
    })
    child.on('exit', (status, signal) =>
      done(status ?? 128 + (signal ? (constants.signals[signal] ?? 1) : 1)),
    )
  })
  const after = modified(reportPath)
  const written = after !== null && after !== before
  if (written) setOutput(env, 'report-file', planned.output)
  if (written && planned.format === 'sarif') {
    setOutput(env, 'sarif-file', planned.output)
    const sarif = readSarif(reportPath)
    if (sarif) {
      setOutput(env, 'category', sarif.categories[0] ?? '')
      setOutput(env, 'results', String(sarif.results))
      if (env.GITHUB_STEP_SUMMARY) {
        appendFileSync(
          env.GITHUB_STEP_SUMMARY,
          `### cfguard ${planned.command}\n\n${sarif.results} result(s) in ${planned.output} ` +
            `(category \`${sarif.categories.join('`, `')}\`), exit ${code}\n`,
        )
      }
    }
  }
  setOutput(env, 'exit-code', String(code))
  if (code !== 0) annotate(`exit ${code}: ${MEANING[code] ?? 'see the log above'}`)
  process.exitCode = code
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main()
}
