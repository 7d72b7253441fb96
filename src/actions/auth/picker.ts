/** `cf login`'s org and space picker, at a terminal. */
import type {createCcClient} from '../../cf/ccv3/client.js'
import type {NamedRef} from '../../config/store.js'
import type {SecretInput} from './secret-input.js'

/** Most entries a picker lists; more than that, and the hint says how to target by name. */
export const PICKER_MAX = 50

/** The org, then a space of it, chosen at the terminal (the only one is chosen without asking). */
export async function pickScope(
  cc: ReturnType<typeof createCcClient>,
  io: SecretInput,
): Promise<{org: NamedRef | null; space: NamedRef | null}> {
  const orgs = (await cc.orgs.listAll()).sort((a, b) => a.name.localeCompare(b.name))
  const o = await pickOne(io, 'org', orgs)
  if (!o) return {org: null, space: null}
  const spaces = (await cc.spaces.listAll({organizationGuids: [o.guid]})).sort((a, b) =>
    a.name.localeCompare(b.name),
  )
  const s = await pickOne(io, 'space', spaces)
  return {org: {guid: o.guid, name: o.name}, space: s ? {guid: s.guid, name: s.name} : null}
}

/**
 * One choice from a numbered list (`cf login`'s picker): the only item without asking, none when
 * there are none or too many to list, else asked until a valid answer or Enter (skip).
 */
export async function pickOne<T extends {name: string}>(
  io: SecretInput,
  kind: 'org' | 'space',
  items: readonly T[],
): Promise<T | null> {
  if (items.length === 0 || items.length > PICKER_MAX) return null
  if (items.length === 1) return items[0]!
  const names = items.map((i) => i.name)
  for (let attempt = 0; attempt < 3; attempt++) {
    const answer = await io.prompt(pickerQuestion(kind, names), false)
    const chosen = parsePick(answer, names)
    if (chosen === null) return null
    if (chosen !== undefined) return items[chosen]!
  }
  return null
}

/** The numbered list and the question, as `cf login` asks it. Pure. */
export function pickerQuestion(kind: 'org' | 'space', names: readonly string[]): string {
  const list = names.map((n, i) => `${i + 1}. ${n}`).join('\n')
  return `Select ${kind === 'org' ? 'an org' : 'a space'}:\n${list}\n\n${kind === 'org' ? 'Org' : 'Space'} (number or name, Enter to skip): `
}

/** The index an answer picks; null for Enter (skip); undefined when it picks nothing. Pure. */
export function parsePick(answer: string, names: readonly string[]): number | null | undefined {
  const a = answer.trim()
  if (a === '') return null
  if (/^\d+$/.test(a)) {
    const n = Number(a)
    return n >= 1 && n <= names.length ? n - 1 : undefined
  }
  const i = names.indexOf(a)
  return i >= 0 ? i : undefined
}
