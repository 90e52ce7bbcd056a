/**
 * Symmetry reduction by exact canonicalisation (docs/symmetry.md). A permutation group acts on the
 * integer state vectors; the explorer stores one state per orbit, its representative: the least
 * image (word by word) over every permutation of the group. Two states get the same representative
 * exactly when one is a permutation of the other, so the states stored are the orbits.
 *
 * Cost: every permutation is tried for every state generated (n! for a set of n instances, the
 * product for several sets). A candidate is abandoned at its first word greater than the best so
 * far, so most cost a word or two; the explorer's cost per state is still about n! times a
 * vector's first words. Fine for n <= 6 (720); 8 (40,320) is the cap.
 *
 * The explorer knows nothing of what the words mean: the model gives the group (`word`).
 */

/** A group of permutations acting on state vectors of `width` words. */
export interface PermutationGroup {
  readonly width: number;
  /** Number of permutations; permutation 0 is the identity. */
  readonly size: number;
  /** Word `j` of the image of `v` under permutation `p`. */
  word(p: number, j: number, v: Int32Array): number;
}

export class Canonicaliser {
  private readonly best: Int32Array;
  private readonly buf: Int32Array;

  constructor(readonly group: PermutationGroup) {
    this.best = new Int32Array(group.width);
    this.buf = new Int32Array(group.width);
  }

  /** The representative of `v`'s orbit (a buffer valid until the next call). */
  canonical(v: Int32Array): Int32Array {
    const G = this.group;
    const w = G.width;
    const best = this.best;
    best.set(v);
    for (let p = 1; p < G.size; p++) {
      let j = 0;
      let x = 0;
      for (; j < w; j++) {
        x = G.word(p, j, v);
        if (x !== best[j]) break;
      }
      if (j === w || x > best[j]) continue;
      best[j] = x;
      for (j++; j < w; j++) best[j] = G.word(p, j, v);
    }
    return best;
  }

  /** The image of `v` under permutation `p`, into `out`. */
  image(p: number, v: Int32Array, out: Int32Array = new Int32Array(this.group.width)): Int32Array {
    for (let j = 0; j < this.group.width; j++) out[j] = this.group.word(p, j, v);
    return out;
  }

  /** A permutation taking `from` to `to`, or -1 when they are in different orbits. */
  permutationTo(from: Int32Array, to: Int32Array): number {
    for (let p = 0; p < this.group.size; p++) {
      let j = 0;
      while (j < this.group.width && this.group.word(p, j, from) === to[j]) j++;
      if (j === this.group.width) return p;
    }
    return -1;
  }

  /** Calls `each` on the image of `v` under every permutation but the identity (`img` valid during the call). */
  images(v: Int32Array, each: (p: number, img: Int32Array) => void): void {
    for (let p = 1; p < this.group.size; p++) each(p, this.image(p, v, this.buf));
  }
}

/** What `concretePath` needs of the model: its own successors, not canonicalised. */
export interface ConcreteModel {
  initial(): Int32Array;
  successors(state: Int32Array, visit: (step: number, next: Int32Array) => void): void;
}

const same = (a: Int32Array, b: Int32Array) => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * A real path for a path of representatives `reps` (initial state first) that ends in `target`, a
 * state of the last representative's orbit: step by step, a concrete successor in the next orbit;
 * then every state renamed by the permutation that takes the last one to `target` (the initial
 * state is fixed by every permutation, and a renamed path is a path when the system is symmetric).
 * Throws `broken` with a description when the model is not symmetric after all.
 */
export function concretePath(model: ConcreteModel, canon: Canonicaliser, reps: readonly Int32Array[], target: Int32Array, broken: (what: string) => Error): Int32Array[] {
  let cur = model.initial();
  if (!same(canon.canonical(cur), reps[0])) throw broken('the initial state is not its own representative');
  const path = [cur];
  for (let i = 1; i < reps.length; i++) {
    let found: Int32Array | null = null;
    model.successors(cur, (_, next) => {
      if (!found && same(canon.canonical(next), reps[i])) found = next.slice();
    });
    if (!found) throw broken(`no step from depth ${i - 1} reaches the explored class at depth ${i}`);
    path.push((cur = found));
  }
  const tau = canon.permutationTo(cur, target);
  if (tau < 0) throw broken('the violating state is not a renaming of the explored one');
  return tau === 0 ? path : path.map((v) => canon.image(tau, v));
}
