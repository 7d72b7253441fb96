/** CC v3 error bodies (§2.5): `{"errors":[{"code","title","detail"}]}`. */
import {json, type SimResponse} from '../server/types.js'

export class CcError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly code: number,
    readonly detail: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(detail)
  }

  toResponse(): SimResponse {
    return json(this.status, errorBody(this.title, this.code, this.detail), this.headers)
  }
}

export function errorBody(title: string, code: number, detail: string) {
  return {errors: [{detail, title, code}]}
}

export const notFound = (what: string) => new CcError(404, 'CF-ResourceNotFound', 10010, `${what} not found`)
export const notAuthorized = () =>
  new CcError(403, 'CF-NotAuthorized', 10003, 'You are not authorized to perform the requested action')
export const notAuthenticated = () => new CcError(401, 'CF-NotAuthenticated', 10002, 'Authentication error')
export const invalidToken = () => new CcError(401, 'CF-InvalidAuthToken', 1000, 'Invalid Auth Token')
export const insufficientScope = () =>
  new CcError(
    403,
    'CF-InsufficientScope',
    10007,
    'Your token lacks the necessary scopes to access this resource.',
  )
export const badQuery = (detail: string) =>
  new CcError(400, 'CF-BadQueryParameter', 10005, `The query parameter is invalid: ${detail}`)
export const unprocessable = (detail: string) => new CcError(422, 'CF-UnprocessableEntity', 10008, detail)
export const parseError = () =>
  new CcError(400, 'CF-MessageParseError', 1001, 'Request invalid due to parse error: invalid request body')
export const featureDisabled = (detail: string) =>
  new CcError(403, 'CF-FeatureDisabled', 330002, `Feature Disabled: ${detail}`)
export const unknownRequest = () => new CcError(404, 'CF-NotFound', 10000, 'Unknown request')
export const serviceUnavailable = (detail: string) => new CcError(503, 'CF-ServiceUnavailable', 10015, detail)
/** CC error 220002 when Diego cannot report a process's instances. */
export const instancesUnavailable = () =>
  new CcError(
    503,
    'CF-InstancesUnavailable',
    220002,
    'Instances information unavailable: Diego is not responding',
  )
