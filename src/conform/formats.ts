/**
 * TP_printk formats of tracepoints, as named fields: the same table parses a log line's text into
 * fields and renders fields back into the text the kernel would print (for `trace export`).
 *
 * The fs_dax events are those of include/trace/events/fs_dax.h in Linux 4.15 (the pte class
 * gained dax_insert_pfn_mkwrite{,_no_entry} in 4.15; dax_pmd_insert_mapping_fallback and the
 * fallback_reason fields of 4.11 are gone). Each `%s` may print the empty string (`__print_flags`
 * of 0), so the separators around it are optional when parsing.
 */

export interface TpFormat {
  /** The TP_printk format string, verbatim. */
  readonly format: string;
  /** One name per conversion, in order. */
  readonly args: readonly string[];
}

const PMD_FAULT: TpFormat = {
  format: 'dev %d:%d ino %#lx %s %s address %#lx vm_start %#lx vm_end %#lx pgoff %#lx max_pgoff %#lx %s',
  args: ['major', 'minor', 'ino', 'shared', 'flags', 'address', 'vm_start', 'vm_end', 'pgoff', 'max_pgoff', 'result'],
};
const PMD_LOAD_HOLE: TpFormat = {
  format: 'dev %d:%d ino %#lx %s address %#lx zero_page %p radix_entry %#lx',
  args: ['major', 'minor', 'ino', 'shared', 'address', 'zero_page', 'radix_entry'],
};
const PMD_INSERT: TpFormat = {
  format: 'dev %d:%d ino %#lx %s %s address %#lx length %#lx pfn %#llx %s radix_entry %#lx',
  args: ['major', 'minor', 'ino', 'shared', 'rw', 'address', 'length', 'pfn', 'pfn_flags', 'radix_entry'],
};
const PTE_FAULT: TpFormat = {
  format: 'dev %d:%d ino %#lx %s %s address %#lx pgoff %#lx %s',
  args: ['major', 'minor', 'ino', 'shared', 'flags', 'address', 'pgoff', 'result'],
};
const INSERT_MAPPING: TpFormat = {
  format: 'dev %d:%d ino %#lx %s %s address %#lx radix_entry %#lx',
  args: ['major', 'minor', 'ino', 'shared', 'rw', 'address', 'radix_entry'],
};
const WB_RANGE: TpFormat = { format: 'dev %d:%d ino %#lx pgoff %#lx-%#lx', args: ['major', 'minor', 'ino', 'start_index', 'end_index'] };
const WB_ONE: TpFormat = { format: 'dev %d:%d ino %#lx pgoff %#lx pglen %#lx', args: ['major', 'minor', 'ino', 'pgoff', 'pglen'] };

/** include/trace/events/fs_dax.h, Linux 4.15. */
export const FS_DAX_415: Readonly<Record<string, TpFormat>> = {
  dax_pmd_fault: PMD_FAULT,
  dax_pmd_fault_done: PMD_FAULT,
  dax_pmd_load_hole: PMD_LOAD_HOLE,
  dax_pmd_load_hole_fallback: PMD_LOAD_HOLE,
  dax_pmd_insert_mapping: PMD_INSERT,
  dax_pte_fault: PTE_FAULT,
  dax_pte_fault_done: PTE_FAULT,
  dax_load_hole: PTE_FAULT,
  dax_insert_pfn_mkwrite_no_entry: PTE_FAULT,
  dax_insert_pfn_mkwrite: PTE_FAULT,
  dax_insert_mapping: INSERT_MAPPING,
  dax_writeback_range: WB_RANGE,
  dax_writeback_range_done: WB_RANGE,
  dax_writeback_one: WB_ONE,
};

const CONV = /%[-#0-9.]*(?:ll|l|z|h)?[dxsup]|%%/g;
const VALUE: Record<string, string> = { d: '(-?\\d+)', u: '(\\d+)', x: '((?:0x)?[0-9a-fA-F]+)', s: '(\\S*)', p: '(\\S+)' };
const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const regexCache = new Map<string, RegExp>();

function formatRegex(f: TpFormat): RegExp {
  let re = regexCache.get(f.format);
  if (re) return re;
  let src = '^\\s*';
  let last = 0;
  for (const m of f.format.matchAll(CONV)) {
    src += esc(f.format.slice(last, m.index)).replace(/ /g, '\\s*');
    src += m[0] === '%%' ? '%' : VALUE[m[0].slice(-1)];
    last = m.index! + m[0].length;
  }
  src += esc(f.format.slice(last)).replace(/ /g, '\\s*') + '\\s*$';
  re = new RegExp(src);
  regexCache.set(f.format, re);
  return re;
}

/** The named fields of a tracepoint's text, or null when the text does not fit the format. */
export function parseFields(f: TpFormat, text: string): Record<string, string> | null {
  const m = formatRegex(f).exec(text);
  if (!m) return null;
  const out: Record<string, string> = {};
  f.args.forEach((a, i) => (out[a] = m[i + 1]));
  return out;
}

/** The text the kernel prints for these fields (each field already formatted as printed). */
export function renderFields(f: TpFormat, fields: Readonly<Record<string, string>>): string {
  let i = 0;
  return f.format.replace(CONV, (c) => {
    if (c === '%%') return '%';
    const name = f.args[i++];
    const v = fields[name];
    if (v === undefined) throw new Error(`no value for field '${name}' of format '${f.format}'`);
    return v;
  });
}

/** `%#lx` as the kernel prints it. */
export function hex(n: number): string {
  return '0x' + n.toString(16);
}

/** A number as printed by %d, %u or %#lx (decimal, or hex with 0x), or NaN. */
export function parseNumber(s: string | number | boolean): number {
  if (typeof s === 'number') return s;
  if (typeof s !== 'string') return NaN;
  if (/^0x[0-9a-f]+$/i.test(s)) return parseInt(s, 16);
  if (/^-?\d+$/.test(s)) return Number(s);
  return NaN;
}
