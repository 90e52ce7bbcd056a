/**
 * Which safety violations are reachable from each state, for the explore page's step marks.
 *
 * The explorer runs over the whole space with no property checked, so that it expands every state
 * (a violating state too: a violation can follow another); when it finished within the spec's
 * review bounds, one pass evaluates the safety properties on every state and step, and the
 * violations are propagated backwards over the edges. When a bound cut the exploration short the
 * answer is "not known": a state it did not reach may still lead to a violation.
 */
import type { CheckedProperty } from '../compose/properties.js';
import { buildChecks, propertyList } from '../compose/properties.js';
import type { ComposedSystem } from '../compose/system.js';
import { explore, type StopReason } from '../explore/explorer.js';
import { StateStore } from '../explore/store.js';
import { KEEP_EXPLORING } from '../liveness/run.js';

/** The bounds `review` uses: reachability is known exactly when a review would be complete. */
export function defaultBounds(sys: ComposedSystem): { maxStates: number; maxDepth?: number } {
  return { maxStates: sys.spec.bounds?.maxStates ?? 2_000_000, maxDepth: sys.spec.bounds?.maxDepth };
}

export type ReachStatus =
  | { readonly kind: 'exploring'; readonly states: number }
  | { readonly kind: 'complete'; readonly states: number; readonly edges: number; readonly seconds: number }
  | { readonly kind: 'incomplete'; readonly states: number; readonly stop: StopReason };

const SLICE_MS = 50;
const tick = () => new Promise<void>((r) => setImmediate(r));

export class Reachability {
  private status: ReachStatus = { kind: 'exploring', states: 0 };
  private store: StateStore | null = null;
  /** `words` words per state: bit k set when a violation of safety property k is reachable. */
  private reach: Uint32Array | null = null;
  private words = 1;
  /** The safety properties, bit k = safety[k]. */
  readonly safety: readonly CheckedProperty[];

  constructor(private readonly sys: ComposedSystem) {
    this.safety = propertyList(sys).filter((p) => p.kind === 'safety');
  }

  get state(): ReachStatus {
    return this.status;
  }

  /** Explores and propagates; resolves when done (or cut short, or interrupted). */
  async run(interrupted: () => boolean = () => false): Promise<void> {
    const sys = this.sys;
    const t0 = performance.now();
    const model = {
      width: sys.width,
      initial: () => sys.initial(),
      successors: (s: Int32Array, visit: (step: number, next: Int32Array) => void) => sys.successors(s, visit),
      // A goal that is never reached and no safety check: every state is expanded.
      checks: { names: [KEEP_EXPLORING], kinds: ['goal' as const], state: () => {}, deadlock: -1, validEnd: () => true },
    };
    const res = await explore(model, { ...defaultBounds(sys), interrupted, onProgress: (s) => { this.status = { kind: 'exploring', states: s.states }; } });
    if (!res.complete) {
      this.status = { kind: 'incomplete', states: res.stats.states, stop: res.stop };
      return;
    }
    // The exact store (the default): reachability needs every state's successors.
    if (!(res.store instanceof StateStore)) throw new Error('internal: explore page needs the exact store');
    const edges = await this.propagate(res.store, interrupted);
    if (edges < 0) {
      this.status = { kind: 'incomplete', states: res.store.count, stop: 'interrupted' };
      return;
    }
    this.store = res.store;
    this.status = { kind: 'complete', states: res.store.count, edges, seconds: (performance.now() - t0) / 1000 };
  }

  /** Evaluates the safety properties on every state and step, then propagates them backwards. */
  private async propagate(store: StateStore, interrupted: () => boolean): Promise<number> {
    const sys = this.sys;
    const all = propertyList(sys);
    const checks = buildChecks(sys, all);
    const bitOf = new Int32Array(all.length).fill(-1);
    const names = this.safety.map((p) => p.name);
    all.forEach((p, i) => { bitOf[i] = names.indexOf(p.name); });
    const n = store.count;
    const W = (this.words = Math.max(1, Math.ceil(this.safety.length / 32)));
    const reach = new Uint32Array(n * W);
    const deadlockBit = this.safety.findIndex((p) => p.name === all[checks.deadlock]?.name);
    let src = new Int32Array(1024);
    let dst = new Int32Array(1024);
    let e = 0;
    let s = 0;
    const set = (state: number, bit: number) => { if (bit >= 0) reach[state * W + (bit >> 5)] |= 1 << (bit & 31); };
    const hit = (prop: number) => set(s, bitOf[prop]);
    const cur = new Int32Array(sys.width);
    let nSucc = 0;
    const visit = (code: number, next: Int32Array) => {
      nSucc++;
      const t = store.find(next);
      if (t < 0) throw new Error('internal: a successor of an explored state is not in the store');
      if (e === src.length) {
        const a = new Int32Array(e * 2); a.set(src); src = a;
        const b = new Int32Array(e * 2); b.set(dst); dst = b;
      }
      src[e] = s;
      dst[e++] = t;
      checks.step?.(cur, code, next, hit);
    };
    let sliceEnd = performance.now() + SLICE_MS;
    for (s = 0; s < n; s++) {
      store.read(s, cur);
      checks.state(cur, hit);
      nSucc = 0;
      sys.successors(cur, visit);
      if (nSucc === 0 && !sys.validEnd(cur)) set(s, deadlockBit);
      if ((s & 255) === 0 && performance.now() > sliceEnd) {
        if (interrupted()) return -1;
        await tick();
        sliceEnd = performance.now() + SLICE_MS;
      }
    }
    // Predecessor lists (CSR on the targets), then a worklist: a state's mask only grows, so each
    // state is queued at most once per property.
    const start = new Int32Array(n + 1);
    for (let i = 0; i < e; i++) start[dst[i] + 1]++;
    for (let i = 0; i < n; i++) start[i + 1] += start[i];
    const fill = start.slice(0, n);
    const pred = new Int32Array(e);
    for (let i = 0; i < e; i++) pred[fill[dst[i]]++] = src[i];
    const queued = new Uint8Array(n);
    const queue: number[] = [];
    for (let i = 0; i < n; i++) {
      for (let w = 0; w < W; w++) if (reach[i * W + w]) { queued[i] = 1; queue.push(i); break; }
    }
    while (queue.length) {
      const t = queue.pop()!;
      queued[t] = 0;
      for (let k = start[t]; k < start[t + 1]; k++) {
        const p = pred[k];
        let grew = false;
        for (let w = 0; w < W; w++) {
          const m = reach[p * W + w] | reach[t * W + w];
          if (m !== reach[p * W + w]) { reach[p * W + w] = m; grew = true; }
        }
        if (grew && !queued[p]) { queued[p] = 1; queue.push(p); }
      }
    }
    this.reach = reach;
    return e;
  }

  /**
   * The safety properties a violation of which is reachable from `state` (the state itself
   * included), or null when that is not known (exploration running or cut short).
   */
  violationsFrom(state: Int32Array): string[] | null {
    if (!this.store || !this.reach) return null;
    const id = this.store.find(state);
    if (id < 0) throw new Error('internal: a reachable state is missing from a complete exploration');
    const out: string[] = [];
    for (let k = 0; k < this.safety.length; k++) if (this.reach[id * this.words + (k >> 5)] & (1 << (k & 31))) out.push(this.safety[k].name);
    return out;
  }
}
