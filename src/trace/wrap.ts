/**
 * Greedy line wrapping for terminal and mail text. Lines break after a space or a comma (so a JSON
 * context wraps between its fields); a piece longer than a whole line is cut. Widths count UTF-16
 * code units, which is one column per character for the text daxcheck prints.
 */

/** Breaks `text` into lines of at most `width` columns; continuation lines start with `indent`. */
export function wrap(text: string, width: number, indent = ''): string[] {
  if (text.length <= width) return [text];
  if (indent.length > width / 2) indent = indent.slice(0, Math.floor(width / 2));
  const lead = /^ */.exec(text)![0];
  const pieces = text.slice(lead.length).match(/[^ ,]*[ ,]+|[^ ,]+$/g) ?? [];
  const out: string[] = [];
  let line = lead;
  let start = lead.length;
  const room = () => width - line.length;
  for (let p of pieces) {
    if (p.trimEnd().length > room() && line.length > start) {
      out.push(line.trimEnd());
      line = indent;
      start = indent.length;
    }
    // A piece longer than a whole line: cut it.
    while (p.trimEnd().length > room() && room() > 0) {
      const k = room();
      out.push((line + p.slice(0, k)).trimEnd());
      p = p.slice(k);
      line = indent;
      start = indent.length;
    }
    line += p;
  }
  if (line.trim()) out.push(line.trimEnd());
  return out;
}

/** Every line of `text` wrapped to `width` (no limit when width is Infinity), continuation lines indented. */
export function wrapLines(text: string, width: number, indent = '    '): string {
  if (!Number.isFinite(width)) return text;
  return text
    .split('\n')
    .flatMap((l) => {
      const own = /^ */.exec(l)![0];
      return wrap(l, width, (own + indent).slice(0, Math.max(0, Math.floor(width / 2))));
    })
    .join('\n');
}
