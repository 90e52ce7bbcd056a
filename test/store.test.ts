/** The seen-set is exact: fast-check against a Map of string keys, through many table growths. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StateStore } from '../src/explore/store.js';

describe('StateStore', () => {
  it('finds every vector again and never merges two different ones', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.integer({ min: -3, max: 40 }), { minLength: 3, maxLength: 3 }), { maxLength: 3000 }), (vecs) => {
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
