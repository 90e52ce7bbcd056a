/**
 * Filesystem DAX on devices without struct page (seed 000, "[PATCH v3 02/13] dax: require 'struct
 * page' for filesystem dax", Oct 2017): scenario PG-S0-R1. A process mounts a DAX filesystem on the
 * device, maps a file and does O_DIRECT into the mapping (get_user_pages_fast). Before the patch a
 * device without struct page (brd, dcssblk, axonram) mounts and O_DIRECT ends in SIGBUS; with the
 * patch the mount is refused (-EOPNOTSUPP); with the later FS_DAX_LIMITED the PTEs are special and
 * GUP fails safely. The pmem unbind is not part of this spec (see gup-pgmap).
 */
import { defineSpec, type GlobalView, type KnobValues, type SystemDecl } from '../src/spec/types.js';
import { devPagemap } from '../machines/pgmap/dev-pagemap.js';
import { zoneDevicePages } from '../machines/pgmap/zone-device-pages.js';
import { gupUser, type GupUserContext } from '../machines/pgmap/gup-user.js';

const N = 2;
const pfns = [0, 1];

function system(k: KnobValues): SystemDecl {
  return {
    actors: {
      user: {
        machine: gupUser,
        thread: true,
        input: { nPages: N, gupPgmap: true, rollback: true, irqOff: true, coarse: false, memKind: k.memKind, mountCheck: k.mountCheck },
      },
      pages: { machine: zoneDevicePages, input: { nPages: N, idleRef: 1 } },
      pgmap: { machine: devPagemap, input: { refMode: 'per-ref' } },
    },
    events: {
      __bdev_dax_supported: { local: ['user'], params: { ok: [true, false] } },
      access_memory: { sync: [['user', 'pages']], params: { pfn: pfns, who: ['user', 'dma'] } },
      get_user_pages_fast: { local: ['user'] },
      gup_pte_range: { local: ['user'], params: { pfn: pfns, present: [true, false] } },
      get_dev_pagemap: { sync: [['user', 'pgmap']], params: { ok: [true, false] } },
      get_page: { sync: [['user', 'pages', 'pgmap']], params: { pfn: pfns } },
      put_dev_pagemap: { sync: [['user', 'pgmap']] },
      put_page: { sync: [['user', 'pages', 'pgmap']], params: { pfn: pfns, zero: [false, true] } },
      dma_complete: { local: ['user'] },
      munmap: { local: ['user'] },
      // not exercised here: unbind, coarse pins, speculative lookups, the 2022 folio functions
      unmap_mapping_range: { wired: ['user'] },
      vma_get: { wired: ['user', 'pgmap'] },
      vma_put: { wired: ['user', 'pgmap'] },
      page_cache_get_speculative: { wired: ['user', 'pages'] },
      percpu_ref_kill: { wired: ['pgmap'] },
      wait_for_completion: { wired: ['pgmap'] },
      arch_remove_memory: { wired: ['pages'] },
      percpu_ref_tryget: { wired: ['pgmap'] },
      percpu_ref_put: { wired: ['pgmap'] },
      percpu_ref_is_dying: { wired: ['pgmap'] },
      blk_queue_enter: { wired: ['pgmap'] },
      blk_queue_exit: { wired: ['pgmap'] },
      folio_ref_inc: { wired: ['pages'] },
      folio_ref_count: { wired: ['pages'] },
      folio_ref_dec: { wired: ['pages'] },
      dax_page_idle: { wired: ['pages'] },
    },
  };
}

const user = (s: GlobalView) => s.context<GupUserContext>('user');

export default defineSpec({
  name: 'pgmap-struct-page-2017',
  title: "Filesystem DAX requires struct page (seed 000, 2017): SIGBUS, mount refusal, FS_DAX_LIMITED",
  knobs: {
    memKind: { values: ['devmap', 'special', 'none'], default: 'devmap', doc: 'what ->direct_access gives: devmap pfns (devm_memremap_pages), special PTEs (FS_DAX_LIMITED), or neither (brd, dcssblk, axonram before 2017)', cite: 'seed 000; PG §5.4 memKind' },
    mountCheck: {
      values: ['none', 'devmap', 'devmap-or-special'],
      default: 'devmap',
      doc: '__bdev_dax_supported: no pfn check (before 2017), pfn_t_devmap required (2017 patch), devmap or special (later FS_DAX_LIMITED)',
      cite: 'seed 000 DW-patch; DW: "pte_special() fills that requirement"; [bg] PFN_SPECIAL, CONFIG_FS_DAX_LIMITED',
    },
  },
  system,
  properties: [
    {
      name: 'INV-8-GUP-NOPAGE-FAILS',
      kind: 'invariant',
      keySteps: ['__bdev_dax_supported', 'get_user_pages_fast', 'gup_pte_range'],
      doc: 'Without devmap pages GUP fails with an error and takes no reference: O_DIRECT into a DAX mapping never ends in SIGBUS (the mount refusal is goal MOUNT-REFUSED).',
      cite: 'PG-INV-8 (seed 000)',
      check: (s) => user(s).result !== 'sigbus',
      // the decision the property is about was made: a mount was refused, or a DAX GUP returned
      witness: (s) => user(s).mounted === 'refused' || user(s).result === 'ok' || user(s).result === 'efault',
    },
    { name: 'MOUNT-REFUSED', kind: 'goal', doc: 'The DAX mount is refused with -EOPNOTSUPP.', cite: 'PG-S0-R1 "After: mount refused"', reach: (s) => s.matches('user', 'mount_refused') },
    { name: 'GUP-OK', kind: 'goal', doc: 'O_DIRECT into the DAX mapping works (GUP pins, DMA, put_page).', cite: 'PG §3', reach: (s) => user(s).result === 'ok' },
  ],
  presets: {
    'pre-2017': {
      doc: 'Before the 2017 patch: __bdev_dax_supported checks only that ->direct_access works, so brd, dcssblk and axonram mount for DAX.',
      cite: 'seed 000 DW-patch (the removed behaviour); PG-S0-R1 "Before"',
      knobs: { mountCheck: 'none' },
    },
    '2017': {
      doc: '"[PATCH v3 02/13] dax: require \'struct page\' for filesystem dax" as posted: __bdev_dax_supported refuses a device whose pfn is not pfn_t_devmap (-EOPNOTSUPP).',
      cite: 'seed 000 DW-patch; PG-S0-R1 "After: mount refused"',
      knobs: { mountCheck: 'devmap' },
    },
    limited: {
      doc: 'Later CONFIG_FS_DAX_LIMITED: devmap or special pfns pass the mount check; gup-fast bails on pte_special.',
      cite: 'seed 000 DW "pte_special() fills that requirement"; [bg] PFN_SPECIAL, CONFIG_FS_DAX_LIMITED',
      knobs: { mountCheck: 'devmap-or-special' },
    },
  },
  variants: {
    'pre-2017-brd': {
      doc: 'S0-R1 before the patch: brd/dcssblk mount for DAX; O_DIRECT into the mapping gives SIGBUS.',
      preset: 'pre-2017',
      knobs: { memKind: 'none' },
      expect: {
        'INV-8-GUP-NOPAGE-FAILS': { verdict: 'violated', cite: 'PG-S0-R1; seed 000 DW-patch "it triggers SIGBUS"', keySteps: ['__bdev_dax_supported', 'get_user_pages_fast', 'gup_pte_range'] },
        'MOUNT-REFUSED': { verdict: 'unreached', cite: 'no pfn check before 2017' },
        'GUP-OK': { verdict: 'unreached', cite: 'no struct page' },
        deadlock: { verdict: 'holds', cite: 'every path ends' },
      },
    },
    '2017-brd': {
      doc: 'The posted 2017 patch: the same device is refused at mount (-EOPNOTSUPP).',
      preset: '2017',
      knobs: { memKind: 'none' },
      expect: {
        '*': { verdict: 'holds', cite: 'PG-S0-R1 "After: mount refused"' },
        'MOUNT-REFUSED': { verdict: 'reached', cite: 'PG-S0-R1; seed 000 "VFS (%s): error: dax support not enabled"' },
        'GUP-OK': { verdict: 'unreached', cite: 'PG-S0-R1: nothing is mapped' },
      },
    },
    '2017-pmem': {
      doc: 'The 2017 patch on a pmem device with devmap pfns: the mount succeeds and O_DIRECT works.',
      preset: '2017',
      knobs: { memKind: 'devmap' },
      expect: {
        '*': { verdict: 'holds', cite: 'PG §5.4 memKind devmap' },
        'MOUNT-REFUSED': { verdict: 'unreached', cite: 'devmap passes __bdev_dax_supported' },
        'GUP-OK': { verdict: 'reached', cite: 'PG §2.1' },
      },
    },
    '2017-dcssblk': {
      doc: 'The 2017 patch refuses dcssblk (special PTEs, no devmap): MS "dcssblk and DAX currently do not work together".',
      preset: '2017',
      knobs: { memKind: 'special' },
      expect: {
        '*': { verdict: 'holds', cite: 'PG §3' },
        'MOUNT-REFUSED': { verdict: 'reached', cite: 'seed 000 MS: DAX marks PTEs devmap, not special' },
        'GUP-OK': { verdict: 'unreached', cite: 'nothing is mapped' },
      },
    },
    'limited-dcssblk': {
      doc: 'FS_DAX_LIMITED: special PTEs are accepted at mount; gup-fast meets pte_special and fails safely.',
      preset: 'limited',
      knobs: { memKind: 'special' },
      expect: {
        '*': { verdict: 'holds', cite: 'PG-S0-R1 "With LIMITED: GUP returns an error safely"; PG §5.4 "special: INV-8 holds and GUP fails"' },
        'MOUNT-REFUSED': { verdict: 'unreached', cite: 'LIMITED accepts pte_special' },
        'GUP-OK': { verdict: 'unreached', cite: 'PG §5.4 "special: GUP fails"' },
      },
    },
  },
});
