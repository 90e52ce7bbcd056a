/**
 * What the fs_dax tracepoints of Linux 4.15 print, as model values: shared by the maps of the
 * fsync and fault specs.
 *
 * Pages. The models' PMD covers 2 pages, the kernel's 512 (x86-64, 4 KiB pages). A kernel pgoff
 * stands for model page 2*(pgoff / 512) when it is PMD-aligned and 2*(pgoff / 512) + 1 otherwise:
 * the head of a PMD range and "the rest of it". Exported logs use pgoff = the model page's first
 * kernel page; an address is vm_start + pgoff * 4096 with the map's vm_start.
 */
import { FS_DAX_415, hex, parseNumber } from '../../src/conform/formats.js';
import type { FieldMap } from '../../src/conform/map.js';
import type { Scalar } from '../../src/spec/types.js';

export const KERNEL_PMD_PAGES = 512;
export const MODEL_PMD_PAGES = 2;
export const VM_START = 0x7f0000000000;

/** Kernel pgoff -> model page index, and back. */
export function modelPage(pgoff: number): number {
  return MODEL_PMD_PAGES * Math.floor(pgoff / KERNEL_PMD_PAGES) + (pgoff % KERNEL_PMD_PAGES ? 1 : 0);
}
export function kernelPgoff(page: number): number {
  return KERNEL_PMD_PAGES * Math.floor(page / MODEL_PMD_PAGES) + (page % MODEL_PMD_PAGES);
}

const num = (raw: string | number | boolean): number | undefined => {
  const n = parseNumber(raw);
  return Number.isNaN(n) || n < 0 ? undefined : n;
};

/** A page index field (pgoff, start_index, end_index); pgoff also sets the address it faults at. */
export function pageField(withAddress: boolean): FieldMap {
  return {
    toModel: (raw) => {
      const n = num(raw);
      return n === undefined ? undefined : modelPage(n);
    },
    toLog: (v) => {
      const p = kernelPgoff(Number(v));
      return withAddress ? { pgoff: hex(p), address: hex(VM_START + p * 4096) } : hex(p);
    },
  };
}

/** pglen of dax_writeback_one: 1 for a PTE entry, 512 for a PMD entry (model: 1 or 2 pages). */
export const PGLEN: FieldMap = {
  toModel: (raw) => {
    const n = num(raw);
    return n === 1 ? 1 : n === KERNEL_PMD_PAGES ? MODEL_PMD_PAGES : undefined;
  },
  toLog: (v) => hex(Number(v) === MODEL_PMD_PAGES ? KERNEL_PMD_PAGES : 1),
};

const USER = 'ALLOW_RETRY|KILLABLE|USER';
/** The fault's access, from `__print_flags(flags, FAULT_FLAG_TRACE)`: read, write, or mkwrite (wp_pfn_shared). */
export const ACCESS: FieldMap = {
  from: 'flags',
  toModel: (raw) => {
    const fs = String(raw).split('|');
    return fs.includes('MKWRITE') ? 'mkwrite' : fs.includes('WRITE') ? 'write' : 'read';
  },
  toLog: (v: Scalar) => (v === 'mkwrite' ? `WRITE|MKWRITE|${USER}` : v === 'write' ? `WRITE|${USER}` : USER),
};

const RESULTS: [string, string][] = [['fallback', 'FALLBACK'], ['oom', 'OOM'], ['sigbus', 'SIGBUS'], ['retry', 'RETRY'], ['nopage', 'NOPAGE'], ['locked', 'LOCKED']];
/** The handler's outcome, from `__print_flags(result, VM_FAULT_RESULT_TRACE)` (MAJOR and WRITE ignored). */
export const OUTCOME: FieldMap = {
  from: 'result',
  toModel: (raw) => {
    const fs = String(raw).split('|');
    return RESULTS.find(([, k]) => fs.includes(k))?.[0] ?? 'none';
  },
  toLog: (v) => RESULTS.find(([m]) => m === v)?.[1] ?? '',
};

export const FIELDS: Readonly<Record<string, FieldMap>> = {
  pgoff: pageField(true),
  start_index: pageField(false),
  end_index: pageField(false),
  pglen: PGLEN,
  access: ACCESS,
  outcome: OUTCOME,
};

/** Raw fields no rule sets, for exported logs: one file (dev 259:0, inode 0xc) mapped shared. */
export const DEFAULTS: Readonly<Record<string, string>> = {
  major: '259', minor: '0', start_index: '0x0', ino: '0xc', shared: 'shared', flags: USER, result: '', address: hex(VM_START),
  vm_start: hex(VM_START), vm_end: hex(VM_START + 4 * KERNEL_PMD_PAGES * 4096), max_pgoff: hex(4 * KERNEL_PMD_PAGES - 1),
  zero_page: '00000000a1b2c3d4', radix_entry: '0x1e', length: hex(KERNEL_PMD_PAGES * 4096), pfn: '0x108000', pfn_flags: 'DEV|MAP', rw: 'read',
};

export const FORMATS = FS_DAX_415;
export const EVENTS = Object.keys(FS_DAX_415);
/** Later kernels' names of the 4.15 events. */
export const ALIASES: Readonly<Record<string, string>> = { dax_insert_entry: 'dax_insert_mapping' };

/** What every fs_dax map declares besides its rules: the 4.15 formats, events, aliases, fields and defaults. */
export const FS_DAX = {
  source: 'tracepoint' as const,
  file: ['major', 'minor', 'ino'],
  formats: FORMATS,
  events: EVENTS,
  aliases: ALIASES,
  fields: FIELDS,
  defaults: DEFAULTS,
};
