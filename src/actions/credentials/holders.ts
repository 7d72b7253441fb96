/**
 * Who else holds the client a rotation changes: a fresh snapshot of everything the token can see
 * (credentials and env read, as `identity audit --all` does; the collector's cache spares reads of
 * what did not change), then `findHolders`, which is pure. The engine calls the finder before it
 * plans, so `--dry-run`, a single rotation and every target of `--all-due` see the same radius.
 */
import {credentialUnits, spaceLabel, unitApps, unitRef} from '../../derive/identity.js'
import {indexSnapshot} from '../../derive/lookup.js'
import {collectSnapshot} from '../../collect/index.js'
import type {Need, Snapshot} from '../../model/snapshot.js'
import {ROLE_ROTATION_STATE} from '../../rotate/annotations.js'
import {LABEL} from '../../model/annotations.js'
import type {Holder, HolderFinder, HolderScan} from '../../rotate/holders.js'
import type {RunContext} from '../../context.js'
import {identityCollection} from './snapshot.js'
import type {Session} from '../../cf/session.js'
import type {SessionOptions} from '../session.js'

const SEARCHED: {need: Need; what: string}[] = [
  {need: 'upsCredentials', what: 'credentials of user-provided services'},
  {need: 'bindingDetails', what: 'credentials of managed bindings and service keys'},
  {need: 'env', what: 'app environment variables'},
]

export function holderFinder(session: Session, ctx: RunContext, options: SessionOptions): HolderFinder {
  return async (guid) => {
    const {snapshot} = await collectSnapshot(
      session,
      ctx,
      identityCollection(ctx, {
        scope: {all: true, org: null, space: null},
        secrets: true,
        cache: true,
        skipSslValidation: options.skipSslValidation ?? false,
      }),
    )
    return findHolders(snapshot, guid)
  }
}

/**
 * Every credential unit and env var, other than the target, that names the target's client id
 * or holds one of the secrets of that client (the target's, or any holder's: during a rotation
 * the holders may be on the old or on the new one). cfguard's own rotation-state services hold
 * both secrets by design and are not holders.
 */
export function findHolders(s: Snapshot, targetGuid: string): HolderScan {
  const units = credentialUnits(s).filter((u) => u.instance.labels[LABEL.role] !== ROLE_ROTATION_STATE)
  const target = units.find((u) => u.guid === targetGuid)
  const clientId = target?.view?.clientId ?? null
  const fingerprint = target?.view?.secretFingerprint ?? null
  const holders: Holder[] = []
  const secrets = new Set(fingerprint ? [fingerprint] : [])
  const others = units.filter((u) => u.guid !== targetGuid && u.view)
  for (const u of others) {
    if (clientId !== null && u.view?.clientId === clientId && u.view.secretFingerprint)
      secrets.add(u.view.secretFingerprint)
  }
  for (const u of others) {
    const view = u.view!
    const byClient = clientId !== null && view.clientId === clientId
    const bySecret = view.secretFingerprint !== null && secrets.has(view.secretFingerprint)
    if (!byClient && !bySecret) continue
    const ref = unitRef(s, u)
    holders.push({
      kind: u.source === 'user-provided' ? 'user-provided' : u.source,
      guid: u.guid,
      name: ref.name,
      space: spaceLabel(s, u.instance.spaceGuid),
      apps: unitApps(s, u).map((a) => a.name),
      match: byClient ? 'client-id' : 'secret',
      secretFingerprint: view.secretFingerprint,
    })
  }
  const ix = indexSnapshot(s)
  for (const env of s.env) {
    const app = ix.apps.get(env.appGuid)
    if (!app || env.read !== 'read') continue
    for (const v of env.variables) {
      if (!v.fingerprint || !secrets.has(v.fingerprint)) continue
      holders.push({
        kind: 'env',
        guid: app.guid,
        name: `${app.name}:${v.name}`,
        space: spaceLabel(s, app.spaceGuid),
        apps: [app.name],
        match: 'secret',
        secretFingerprint: v.fingerprint,
      })
    }
  }
  holders.sort((a, b) => a.space.localeCompare(b.space) || a.name.localeCompare(b.name))
  const spaceNames = Object.fromEntries(s.spaces.map((sp) => [sp.guid, spaceLabel(s, sp.guid)]))
  return {clientId, fingerprint, holders, unseen: unseenPlaces(s), spaceNames}
}

function unseenPlaces(s: Snapshot): string[] {
  const out: string[] = []
  for (const {need, what} of SEARCHED) {
    const access = s.access[need]
    if (access.state !== 'full') out.push(`${what}: ${access.why ?? access.state}`)
  }
  return out
}
