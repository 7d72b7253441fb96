/** `1 app`, `2 apps`, `3 processes` (the one plural of the tool's messages). */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`
}
