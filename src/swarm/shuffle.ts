/**
 * Swarm diversification (Holzmann, Joshi, Groce: "Swarm verification techniques", 2011): a model
 * whose successors come in an order permuted per state by a seed. The permutation depends only
 * on the seed and the state's vector, so a member is deterministic: same seed, same search.
 */
import type { Model } from '../explore/model.js';
import { murmur3 } from '../explore/hash.js';

export function shuffledSuccessors(model: Model, seed: number): Model {
  const width = model.width;
  // Reused buffers: the successors of one state (vectors, step codes) and the visiting order.
  let vecs = new Int32Array(64 * width);
  let steps = new Int32Array(64);
  let order = new Int32Array(64);
  return {
    width,
    checks: model.checks,
    canonical: model.canonical,
    initial: () => model.initial(),
    successors(state, visit) {
      let n = 0;
      model.successors(state, (step, next) => {
        if (n === steps.length) {
          const v = new Int32Array(vecs.length * 2);
          v.set(vecs);
          vecs = v;
          const s = new Int32Array(steps.length * 2);
          s.set(steps);
          steps = s;
          order = new Int32Array(steps.length);
        }
        vecs.set(next, n * width);
        steps[n++] = step;
      });
      // Fisher-Yates driven by xorshift32 seeded from (seed, state).
      let x = murmur3(state, 0, width, seed) || 1;
      for (let i = 0; i < n; i++) order[i] = i;
      for (let i = n - 1; i > 0; i--) {
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        const j = (x >>> 0) % (i + 1);
        const t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
      // The explorer never enumerates successors from inside `visit`: the buffers stay valid.
      for (let i = 0; i < n; i++) visit(steps[order[i]], vecs.subarray(order[i] * width, (order[i] + 1) * width));
    },
  };
}
