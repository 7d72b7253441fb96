/**
 * Which kind a service instance is rotated as: auto-detected from the instance, checked against
 * `--kind` and the other flags, narrowed to one app (`--app`) or one key family (`--key`).
 */

import {noMatchMessage} from '../../util/suggest.js'
import {usageError} from '../../errors.js'
import {ANNOTATION} from '../../model/annotations.js'
import {decodeJournal} from '../../rotate/annotations.js'
import {keyFamilyOf} from '../../rotate/bindings.js'
import type {RotationRequest} from '../../rotate/engine.js'
import type {RotationPlatform} from '../../rotate/platform.js'
import type {RotationAction} from '../../rotate/types.js'
import type {CcServiceInstance} from '../../cf/ccv3/types.js'
import type {RotateOptions} from './change.js'
import type {RotationConnection} from './platform.js'

/** The engine request: which kind the instance is rotated as (auto-detected, `--kind` checks it). */
export async function requestFor(
  conn: RotationConnection,
  si: CcServiceInstance,
  action: RotationAction,
  o: RotateOptions,
): Promise<RotationRequest> {
  const external = Boolean(o.secretFile || o.secretStdin)
  if (si.type === 'user-provided') {
    if (o.kind === 'managed-binding' || o.kind === 'service-key')
      throw usageError(`${si.name} is a user-provided service: --kind ${o.kind} is for managed instances`)
    if (o.kind === 'ups-external' && !external) {
      throw usageError(
        `${si.name}: the new secret of another identity provider must be supplied`,
        'pass --secret-file FILE or --secret-stdin',
      )
    }
    if (o.kind === 'ups-uaa' && external)
      throw usageError(
        '--secret-file/--secret-stdin supply a secret of another identity provider (--kind ups-external)',
      )
    if (o.app)
      throw usageError(
        `${si.name}: a user-provided service's credentials change for every bound app; --app is for managed bindings`,
      )
    if (o.key || o.output || o.reveal)
      throw usageError(`${si.name}: user-provided services have no service keys`)
    return {serviceInstanceGuid: si.guid}
  }
  if (o.kind === 'ups-uaa' || o.kind === 'ups-external' || external)
    throw usageError(
      `${si.name} is a managed service instance: its credentials come from its broker, not from a supplied secret`,
    )
  const asKey = o.kind === 'service-key' || Boolean(o.key || o.output || o.reveal)
  if (action === 'rotate' && asKey) {
    if (o.app) throw usageError('--app picks app bindings; a service key belongs to no app')
    return {serviceInstanceGuid: si.guid, keyName: o.key ?? (await onlyKeyFamily(conn, si))}
  }
  if (!o.app)
    return {
      serviceInstanceGuid: si.guid,
      keyName: action === 'rotate' ? null : await keyInProgress(conn.platform, si),
    }
  const apps = await conn.session.cc.apps.listAll({names: [o.app], spaceGuids: [si.spaceGuid]})
  if (apps.length !== 1) {
    const others = await conn.session.cc.apps.listAll({spaceGuids: [si.spaceGuid]}).then(
      (all) => all.map((a) => a.name),
      () => [],
    )
    throw usageError(
      noMatchMessage(`app named "${o.app}" in the space of ${si.name}`, o.app, others),
      'check the name with `cf apps`',
    )
  }
  return {serviceInstanceGuid: si.guid, appGuids: [apps[0]!.guid]}
}

/** retire/rollback of a managed instance: the key family its journal or grace mark names, if any. */
async function keyInProgress(platform: RotationPlatform, si: CcServiceInstance): Promise<string | null> {
  const journal = decodeJournal(si.annotations[ANNOTATION.journal])
  if (journal?.kind === 'service-key' && journal.keyName !== null) return journal.keyName
  if (si.annotations[ANNOTATION.retireAfter] === undefined) return null
  // A key family in its grace period has keys cfguard made (annotated with the family).
  const keys = await platform.listBindings(si.guid, 'key')
  const families = new Set(
    keys.flatMap((k) => (k.annotations[ANNOTATION.keyFamily] ? [k.annotations[ANNOTATION.keyFamily]!] : [])),
  )
  return families.size === 1 ? [...families][0]! : null
}

async function onlyKeyFamily(conn: RotationConnection, si: CcServiceInstance): Promise<string> {
  const keys = await conn.platform.listBindings(si.guid, 'key')
  const families = [...new Set(keys.map(keyFamilyOf))].filter(Boolean).sort()
  if (families.length === 1) return families[0]!
  throw usageError(
    families.length === 0
      ? `${si.name} has no service key to rotate`
      : `${si.name} has ${families.length} service keys (${families.join(', ')})`,
    'name the one to rotate with --key NAME',
  )
}
