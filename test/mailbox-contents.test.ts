/**
 * The mailbox memo tables off the V8 heap (src/compose/mailbox-contents.ts, pair-memo.ts) against a
 * plain reference: arrays interned under their string keys, and a Map of pairs.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MailboxContents } from '../src/compose/mailbox-contents.js';
import { PairMemo } from '../src/compose/pair-memo.js';

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

describe('PairMemo', () => {
  it('keeps the values of every pair, across chunks and table growth', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 300 }), fc.integer({ min: -1, max: 300 }), fc.integer()), { minLength: 1000, maxLength: 6000 }), (entries) => {
        const m = new PairMemo(2);
        const ref = new Map<string, [number, number]>();
        for (const [a, b, v] of entries) {
          const key = `${a},${b}`;
          const e = m.find(a, b);
          if (ref.has(key)) {
            expect(e).toBeGreaterThanOrEqual(0);
            expect([m.value(e, 0), m.value(e, 1)]).toEqual(ref.get(key));
          } else {
            expect(e).toBe(-1);
            const n = m.add(a, b, v, v ^ 1);
            expect(n).toBe(ref.size);
            ref.set(key, [v, v ^ 1]);
          }
        }
        expect(m.count).toBe(ref.size);
      }),
      { seed: 5, numRuns: 20 },
    );
  });
});
