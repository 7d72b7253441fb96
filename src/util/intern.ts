/**
 * Interning while a collection runs (issue 18: bounded memory). Every parsed body brings its own
 * copy of each GUID, date and enumerated value, and each decoded object would keep its copy: one
 * app's GUID is held by the app, its processes, bindings, route destinations, env… While
 * `internStrings()` is held, the decoders keep the first copy of a string and hand it out again,
 * and share identical small records (health checks); the table is dropped when the last holder
 * releases it. Semantically the identity: a decoded value is equal with or without it.
 */
let strings: Map<string, string> | null = null
let records: Map<string, object> | null = null
let holders = 0

/** Starts interning (nested and concurrent holders share one table); call the result to stop. */
export function internStrings(): () => void {
  if (holders++ === 0) {
    strings = new Map()
    records = new Map()
  }
  let released = false
  return () => {
    if (released) return
    released = true
    if (--holders === 0) {
      strings = null
      records = null
    }
  }
}

/** The first copy of `value` seen while interning (the value itself otherwise). */
export function intern<T extends string | null | undefined>(value: T): T {
  if (strings === null || typeof value !== 'string') return value
  const known = strings.get(value)
  if (known !== undefined) return known as T
  strings.set(value, value)
  return value
}

/** One shared record per `key` while interning (`make()` each time otherwise); never mutated. */
export function sharedRecord<T extends object>(key: string, make: () => T): T {
  if (records === null) return make()
  const known = records.get(key)
  if (known !== undefined) return known as T
  const made = make()
  records.set(key, made)
  return made
}
