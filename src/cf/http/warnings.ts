/**
 * `X-Cf-Warnings`: CC adds one header per warning, each value form-encoded (space → `+`,
 * comma → `%2C`). Node joins repeated headers with `, `, so splitting on `,` and form-decoding
 * each item gives the warnings back.
 */
export function parseCfWarnings(header: string | string[] | undefined): string[] {
  if (header === undefined) return []
  const values = Array.isArray(header) ? header : [header]
  const out: string[] = []
  for (const value of values) {
    for (const item of value.split(',')) {
      const decoded = formDecode(item.trim())
      if (decoded !== '') out.push(decoded)
    }
  }
  return out
}

function formDecode(text: string): string {
  const spaced = text.replace(/\+/g, ' ')
  try {
    return decodeURIComponent(spaced).trim()
  } catch {
    return spaced.trim()
  }
}
