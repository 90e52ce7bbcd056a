/**
 * The pmem driver's unbind/remove (seed 001 DW, PG §5.1): bound -> unbind -> [revoke mappings]
 * -> `percpu_ref_kill` -> wait for the ref to drain -> `arch_remove_memory` -> removed.
 *
 * `revoke` (the fine-grained "pmem as storage" policy: "forcibly revoke mappings on an
 * unbind/remove event") runs `unmap_mapping_range` over every DAX mapping first. Under the coarse
 * policy ("pmem as memory") each DAX VMA holds a pgmap reference, so the wait blocks while one is
 * open; that lives in the user and pgmap actors, not here.
 */
import { assign, setup } from 'xstate';
import { m } from '../meta.js';
import { ATOMIC } from './atomicity.js';

export interface PmemDriverInput {
  revoke: boolean;
  /** 2022: unbind first kills the dax_device (kill_dax: no new dax_read_lock sections succeed) and waits for the sections in flight (synchronize_srcu). */
  daxKill?: boolean;
  /** Mutant (false): memunmap_pages without `percpu_ref_kill(pgmap->ref)`: the wait never ends. */
  refKill?: boolean;
}
type Ev =
  | { type: 'device_release_driver' }
  | { type: 'kill_dax' }
  | { type: 'synchronize_srcu' }
  | { type: 'unmap_mapping_range' }
  | { type: 'percpu_ref_kill' }
  | { type: 'wait_for_completion' }
  | { type: 'arch_remove_memory' };

export const pmemDriver = setup({
  types: { context: {} as PmemDriverInput, events: {} as Ev, input: {} as PmemDriverInput },
}).createMachine({
  id: 'pmem_driver',
  context: ({ input }) => ({ daxKill: false, refKill: true, ...input }),
  initial: 'bound',
  states: {
    bound: {
      tags: ['validEnd'],
      on: {
        device_release_driver: [
          { guard: ({ context }) => context.daxKill === true, target: 'kill_dax', meta: m('device_release_driver', 'seed 001 DW: unbind/remove event', ATOMIC.device_release_driver) },
          { target: 'unbinding', meta: m('device_release_driver', 'seed 001 DW: unbind/remove event', ATOMIC.device_release_driver) },
        ],
      },
    },
    kill_dax: {
      on: { kill_dax: { target: 'synchronize_srcu', meta: m('kill_dax', 'seed 003 DW: "a lock that prevents the pgmap from entering its dying state" [bg] drivers/dax/super.c kill_dax clears DAXDEV_ALIVE', ATOMIC.kill_dax) } },
    },
    synchronize_srcu: {
      on: { synchronize_srcu: { target: 'unbinding', meta: m('synchronize_srcu', '[bg] kill_dax: synchronize_srcu(&dax_srcu) waits for dax_read_lock sections', ATOMIC.synchronize_srcu) } },
    },
    unbinding: {
      always: [{ guard: ({ context }) => !context.revoke, target: 'percpu_ref_kill' }],
      on: {
        unmap_mapping_range: {
          target: 'percpu_ref_kill',
          meta: m('unmap_mapping_range', 'seed 001 DW "forcibly revoke mappings on an unbind/remove event"; S003 JG shootdown before memunmap_pages', ATOMIC.unmap_mapping_range),
        },
      },
    },
    percpu_ref_kill: {
      always: [{ guard: ({ context }) => context.refKill === false, target: 'wait' }],
      on: { percpu_ref_kill: { target: 'wait', meta: m('percpu_ref_kill', 'PG §2.1 [bg, checked] the queue must be dead/frozen before devm_memremap_pages is unwound', ATOMIC.percpu_ref_kill) } },
    },
    wait: {
      on: { wait_for_completion: { target: 'arch_remove_memory', meta: m('wait_for_completion', 'PG-INV-1: memory removal only after pgmap.count==0', ATOMIC.wait_for_completion) } },
    },
    arch_remove_memory: {
      on: { arch_remove_memory: { target: 'removed', meta: m('arch_remove_memory', 'PG §2.1 devm_memremap_pages_release', ATOMIC.arch_remove_memory) } },
    },
    removed: { tags: ['validEnd'] },
  },
});
