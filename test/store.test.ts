/** The seen-set is exact: fast-check against a Map of string keys, through many table growths. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StateStore } from '../src/explore/store.js';
import { HashTable } from '../src/explore/table.js';

describe('StateStore', () => {
  it('finds every vector again and never merges two different ones', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.integer({ min: -3, max: 40 }), { minLength: 3, maxLength: 3 }), { minLength: 200, maxLength: 3000 }), (vecs) => {
        const store = new StateStore(3, 16);
        const ref = new Map<string, number>();
        for (const v of vecs) {
          const id = store.insert(Int32Array.from(v), -1, 0);
          const key = v.join(',');
          if (ref.has(key)) {
            expect(store.isNew).toBe(false);
            expect(id).toBe(ref.get(key));
          } else {
            expect(store.isNew).toBe(true);
            expect(id).toBe(ref.size);
            ref.set(key, id);
          }
        }
        expect(store.count).toBe(ref.size);
        for (const [key, id] of ref) expect(Array.from(store.read(id, new Int32Array(3))).join(',')).toBe(key);
      }),
      { seed: 42, numRuns: 60 },
    );
  });

  it('keeps parents and depths for path rebuilding', () => {
    const s = new StateStore(1, 16);
    let parent = -1;
    for (let i = 0; i < 100; i++) parent = s.insert(Int32Array.of(i), parent, i);
    expect(s.pathTo(99)).toEqual([...Array(100).keys()]);
    expect(s.depthOf(57)).toBe(57);
  });
});

describe('HashTable', () => {
  // Poor hashes on purpose: few distinct values, all in one segment (top bits 0) or spread over
  // segments by a multiplier, so probes run long and segments grow while colliding.
  const hashes = [(k: number) => k % 7, (k: number) => Math.imul(k % 50, 0x9e3779b1), (k: number) => k];
  for (const tagged of [true, false]) {
    for (const [hi, hash] of hashes.entries()) {
      it(`finds every key again and adds each once (${tagged ? 'tagged' : 'untagged'}, hash ${hi})`, () => {
        fc.assert(
          fc.property(fc.array(fc.integer({ min: 0, max: 5000 }), { minLength: 500, maxLength: 2000 }), (keys) => {
            const stored: number[] = [];
            let probe = 0;
            const t = new HashTable(tagged, (id) => stored[id] === probe, (id) => hash(stored[id]));
            const ref = new Map<number, number>();
            for (const k of keys) {
              probe = k;
              const id = t.find(hash(k));
              expect(id).toBe(ref.get(k) ?? -1);
              if (id < 0) {
                ref.set(k, stored.length);
                stored.push(k);
                t.add(hash(k), stored.length - 1);
              }
            }
            for (const [k, id] of ref) {
              probe = k;
              expect(t.find(hash(k))).toBe(id);
            }
          }),
          { seed: 7, numRuns: 20 },
        );
      });
    }
  }
});

describe('StateStore chunks', () => {
  it('keeps DFS depths, flags and parents across many chunks, and repacks every chunk when a slot widens', () => {
    const s = new StateStore(2, 8, 'dfs');
    for (let i = 0; i < 300; i++) s.insert(Int32Array.of(i, i % 3), i - 1, 1000 - i);
    for (let i = 0; i < 300; i += 7) s.markViolating(i);
    // A value past every slot width so far: the whole store is repacked, chunk by chunk.
    expect(s.insert(Int32Array.of(-5, 1 << 20), 299, 1)).toBe(300);
    for (let i = 0; i < 300; i++) {
      expect(Array.from(s.read(i, new Int32Array(2)))).toEqual([i, i % 3]);
      expect(s.depthOf(i)).toBe(1000 - i);
      expect(s.isViolating(i)).toBe(i % 7 === 0);
      expect(s.find(Int32Array.of(i, i % 3))).toBe(i);
    }
    expect(s.pathTo(300)).toEqual([...Array(301).keys()]);
    expect(s.find(Int32Array.of(-5, 1 << 20))).toBe(300);
  });
});
