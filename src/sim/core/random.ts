/**
 * Seeded randomness (sfc32), so a scenario, its guids and every fault decision are reproducible
 * from one seed.
 */
export class Random {
  private a: number
  private b: number
  private c: number
  private d: number

  constructor(seed: number) {
    this.a = 0x9e3779b9
    this.b = 0x243f6a88
    this.c = 0xb7e15162
    this.d = seed >>> 0
    for (let i = 0; i < 15; i++) this.next()
  }

  /** Uniform 32-bit unsigned integer. */
  next(): number {
    this.a >>>= 0
    this.b >>>= 0
    this.c >>>= 0
    this.d >>>= 0
    let t = (this.a + this.b) | 0
    this.a = this.b ^ (this.b >>> 9)
    this.b = (this.c + (this.c << 3)) | 0
    this.c = (this.c << 21) | (this.c >>> 11)
    this.d = (this.d + 1) | 0
    t = (t + this.d) | 0
    this.c = (this.c + t) | 0
    return t >>> 0
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.next() / 4294967296
  }

  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.float() * (max - min + 1))
  }

  chance(probability: number): boolean {
    return this.float() < probability
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list')
    return items[Math.floor(this.float() * items.length)] as T
  }

  /** A version-4-shaped UUID, built as one flat string (rope-free: thousands are kept in memory). */
  uuid(): string {
    const codes = new Array<number>(36)
    let pos = 0
    for (let word = 0; word < 4; word++) {
      let n = this.next()
      for (let nibble = 0; nibble < 8; nibble++) {
        if (pos === 8 || pos === 13 || pos === 18 || pos === 23) codes[pos++] = 45
        let v = n & 0xf
        n >>>= 4
        if (pos === 14) v = 4
        if (pos === 19) v = (v & 0x3) | 0x8
        codes[pos++] = v < 10 ? 48 + v : 87 + v
      }
    }
    return String.fromCharCode(...codes)
  }

  /** Lower-case alphanumeric token of the given length (for generated secrets and names). */
  token(length: number): string {
    const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789'
    const codes = new Array<number>(length)
    for (let i = 0; i < length; i++) codes[i] = alphabet.charCodeAt(this.next() % alphabet.length)
    return String.fromCharCode(...codes)
  }

  /** A fresh generator derived from this one and a label (independent streams per purpose). */
  fork(label: string): Random {
    return new Random(hashString(label) ^ this.next())
  }
}

/** FNV-1a 32-bit. */
export function hashString(text: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}
