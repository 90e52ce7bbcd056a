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
}
type Ev =
  | { type: 'device_release_driver' }
  | { type: 'unmap_mapping_range' }
  | { type: 'percpu_ref_kill' }
  | { type: 'wait_for_completion' }
  | { type: 'arch_remove_memory' };

export const pmemDriver = setup({
  types: { context: {} as PmemDriverInput, events: {} as Ev, input: {} as PmemDriverInput },
}).createMachine({
  id: 'pmem_driver',
  context: ({ input }) => ({ ...input }),
  initial: 'bound',
  states: {
    bound: {
      tags: ['validEnd'],
      on: {
        device_release_driver: { target: 'unbinding', meta: { fn: 'device_release_driver', cite: 'seed 001 DW: unbind/remove event' } },
      },
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
