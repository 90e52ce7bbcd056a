/**
 * The memory breakdown of a run (src/explore/memory.ts): its shares add up to the growth, the
 * exact ones are the stores' and the mailbox tables' own byte counts, and a model with no mailbox
 * has no mailbox share. Sizes only, no timing.
 */
import { describe, expect, it } from 'vitest';
import lease from '../bench/models/lease.js';
import philosophers from '../bench/models/philosophers.js';
import { checkSpec } from '../src/check.js';

describe('stats.memory', () => {
  it('splits the RSS growth of a mailbox model into store, hash table, memo tables and the rest', async () => {
    const r = await checkSpec(lease, { knobs: { clients: 4 } });
    expect(r.stats.states).toBe(17_551);
    const m = r.stats.memory;
    expect(m.rssBeforeBytes).toBeGreaterThan(0);
    expect(m.growthBytes).toBe(Math.max(0, r.stats.peakRssBytes - m.rssBeforeBytes));
    expect(m.storeBytes + m.hashTableBytes).toBe(r.stats.storeBytes);
    // 17,551 states, 3 packed words and a parent each: at least that much, allocated in chunks.
    expect(m.storeBytes).toBeGreaterThanOrEqual(17_551 * 16);
    expect(m.hashTableBytes).toBeGreaterThanOrEqual(17_551 * 8);
    expect(m.mailboxContentsBytes).toBeGreaterThan(0);
    expect(m.localStepsBytes).toBeGreaterThanOrEqual(0);
    expect(m.otherBytes).toBe(m.growthBytes - m.storeBytes - m.hashTableBytes - m.localStepsBytes - m.mailboxContentsBytes);
  });

  it('has no mailbox share without mailboxes', async () => {
    const r = await checkSpec(philosophers, { knobs: { n: 5 } });
    expect(r.stats.memory.mailboxContentsBytes).toBe(0);
    expect(r.stats.memory.storeBytes).toBeGreaterThan(0);
  });
});
