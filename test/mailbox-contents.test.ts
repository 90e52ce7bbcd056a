/**
 * The mailbox memo tables off the V8 heap (src/compose/mailbox-contents.ts, pair-cache.ts) against a
 * plain reference: arrays interned under their string keys, and a pure function of the pair.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MailboxContents } from '../src/compose/mailbox-contents.js';
import { PairCache } from '../src/compose/pair-cache.js';

describe('MailboxContents', () => {
  it('numbers each distinct (queue, dropped set) once, from appends and removals, and reads it back', () => {
    const cap = 4;
    const op = fc.oneof(
      fc.record({ kind: fc.constant('append' as const), msg: fc.integer({ min: 0, max: 70000 }) }),
      fc.record({ kind: fc.constant('remove' as const), at: fc.nat(), drop: fc.option(fc.constantFrom('A', 'B', 'C'), { nil: undefined }) }),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(), op), { minLength: 300, maxLength: 3000 }), (ops) => {
        const t = new MailboxContents(cap);
        const ref: { msgs: number[]; dropped: string[] }[] = [{ msgs: [], dropped: [] }];
        const ids = new Map<string, number>([['|', 0]]);
        const intern = (msgs: number[], dropped: string[]) => {
          const key = `${msgs.join(',')}|${dropped.join(',')}`;
          if (!ids.has(key)) {
            ids.set(key, ref.length);
            ref.push({ msgs, dropped });
          }
          return ids.get(key)!;
        };
        for (const [pick, o] of ops) {
          const c = pick % t.count;
          const { msgs, dropped } = ref[c];
          if (o.kind === 'append') {
            if (msgs.length >= cap) continue;
            expect(t.appended(c, o.msg)).toBe(intern([...msgs, o.msg], dropped));
          } else {
            if (msgs.length === 0) continue;
            const k = o.at % msgs.length;
            const rest = msgs.filter((_, i) => i !== k);
            if (o.drop === undefined) expect(t.without(c, k)).toBe(intern(rest, dropped));
            else expect(t.without(c, k, t.droppedWith(c, o.drop))).toBe(intern(rest, [...new Set([...dropped, o.drop])].sort()));
          }
          expect(t.count).toBe(ref.length);
        }
        ref.forEach((r, c) => {
          expect(t.messages(c)).toEqual(r.msgs);
          expect(t.length(c)).toBe(r.msgs.length);
          expect([...t.dropped(c)]).toEqual(r.dropped);
        });
      }),
      { seed: 3, numRuns: 30 },
    );
  });
});

describe('PairCache', () => {
  // A pure function of the pair: what the cache holds must always be its value, or a miss.
  const f = (a: number, b: number) => [Math.imul(a, 31) ^ b, a - b, (a * 7 + b) | 0];
  it('answers a miss or the stored values, never another pair\'s; holds everything while it fits', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 3000 }), fc.integer({ min: 0, max: 3000 })), { minLength: 1000, maxLength: 6000 }), fc.constantFrom(1 << 10, 1 << 16), (pairs, max) => {
        const m = new PairCache(3, max);
        const seen = new Set<string>();
        for (const [a, b] of pairs) {
          const e = m.find(a, b);
          if (e >= 0) expect([m.value(e, 0), m.value(e, 1), m.value(e, 2)]).toEqual(f(a, b));
          else m.put(a, b, ...(f(a, b) as [number, number, number]));
          seen.add(`${a},${b}`);
        }
        expect(m.bytes()).toBeLessThanOrEqual(max * 5 * 4);
        if (max === 1 << 10) return;
        // Grown to 2^16 entries: most of the pairs are still held (a direct-mapped cache may have
        // lost a few to collisions), each with its own values.
        let held = 0;
        for (const key of seen) {
          const [a, b] = key.split(',').map(Number);
          const e = m.find(a, b);
          if (e >= 0) {
            held++;
            expect([m.value(e, 0), m.value(e, 1), m.value(e, 2)]).toEqual(f(a, b));
          }
        }
        expect(held).toBeGreaterThan(seen.size / 2);
      }),
      { seed: 5, numRuns: 20 },
    );
  });
});
