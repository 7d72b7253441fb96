/**
 * Appends to the list kept under a key, creating it on first use. Grouping by copying the list
 * on every add (`map.set(k, [...(map.get(k) ?? []), x])`) is quadratic in the group's size.
 */
export function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key)
  if (list) list.push(value)
  else map.set(key, [value])
}
