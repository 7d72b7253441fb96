/**
 * Word-wraps plain text to `width` columns; words longer than a line (URLs, GUIDs) are broken.
 * Every line after the first starts with `indent`; the first line's prefix is the caller's.
 */
export function wrap(text: string, width: number, indent = '', firstWidth = width): string[] {
  const lines: string[] = []
  for (const paragraph of text.split(/\r?\n/)) {
    let line = ''
    let room = lines.length === 0 ? firstWidth : width - indent.length
    const flush = () => {
      lines.push(line)
      line = ''
      room = width - indent.length
    }
    for (let word of paragraph.split(/\s+/).filter(Boolean)) {
      while (word.length > room && line === '') {
        line = word.slice(0, Math.max(1, room))
        word = word.slice(line.length)
        flush()
      }
      if (word === '') continue
      if (line === '') line = word
      else if (line.length + 1 + word.length <= room) line += ` ${word}`
      else {
        flush()
        while (word.length > room) {
          line = word.slice(0, room)
          word = word.slice(room)
          flush()
        }
        line = word
      }
    }
    if (line !== '' || paragraph.trim() === '') flush()
  }
  return lines.map((l, i) => (i === 0 ? l : `${indent}${l}`))
}
