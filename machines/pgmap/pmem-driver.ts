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
          { guard: ({ context }) => context.daxKill === true, target: 'kill_dax', meta: { fn: 'device_release_driver', cite: 'seed 001 DW: unbind/remove event' } },
          { target: 'unbinding', meta: { fn: 'device_release_driver', cite: 'seed 001 DW: unbind/remove event' } },
        ],
      },
    },
    kill_dax: {
      on: { kill_dax: { target: 'synchronize_srcu', meta: { fn: 'kill_dax', cite: 'seed 003 DW: "a lock that prevents the pgmap from entering its dying state" [bg] drivers/dax/super.c kill_dax clears DAXDEV_ALIVE' } } },
    },
    synchronize_srcu: {
      on: { synchronize_srcu: { target: 'unbinding', meta: { fn: 'synchronize_srcu', cite: '[bg] kill_dax: synchronize_srcu(&dax_srcu) waits for dax_read_lock sections' } } },
    },
    unbinding: {
      always: [{ guard: ({ context }) => !context.revoke, target: 'percpu_ref_kill' }],
      on: {
        unmap_mapping_range: {
          target: 'percpu_ref_kill',
          meta: { fn: 'unmap_mapping_range', cite: 'seed 001 DW "forcibly revoke mappings on an unbind/remove event"; S003 JG shootdown before memunmap_pages' },
        },
      },
    },
    percpu_ref_kill: {
      always: [{ guard: ({ context }) => context.refKill === false, target: 'wait' }],
      on: { percpu_ref_kill: { target: 'wait', meta: { fn: 'percpu_ref_kill', cite: 'PG §2.1 [bg, checked] the queue must be dead/frozen before devm_memremap_pages is unwound' } } },
    },
    wait: {
      on: { wait_for_completion: { target: 'arch_remove_memory', meta: { fn: 'wait_for_completion', cite: 'PG-INV-1: memory removal only after pgmap.count==0' } } },
    },
    arch_remove_memory: {
      on: { arch_remove_memory: { target: 'removed', meta: { fn: 'arch_remove_memory', cite: 'PG §2.1 devm_memremap_pages_release' } } },
    },
    removed: { tags: ['validEnd'] },
  },
});
