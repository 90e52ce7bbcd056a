/**
 * The explored state graph with fairness labels, and the exact liveness algorithm on it
 * (docs/semantics.md §8).
 *
 * States are the explorer's ids. Edges are kept in CSR form (offsets, targets, step codes) with a
 * bit mask per edge: bit k is set when the step belongs to fairness set k. `enabled[s]` is the OR of
 * the masks of every step enabled in s, including steps into truncated states (a state that
 * violated a safety property and was not expanded), which are not edges: no run goes there.
 *
 * A counterexample to "from a trigger state, the goal is eventually reached" is a fair run that
 * passes a trigger state and then never meets the goal. Every state may stutter (TLA+ semantics:
 * a run may stop moving anywhere; fairness is what forbids it), so a single state is a cycle too.
 * A set of states is the infinite part of a fair run exactly when it is strongly connected and, for
 * every weak set, some edge inside takes it or some state inside does not enable it, and for every
 * strong set, some edge inside takes it or no state inside enables it. The search: SCCs of the
 * non-goal states (iterative Tarjan), refined by strong fairness (Emerson-Lei: drop the states that
 * enable a strong set no edge inside takes, decompose again), then a BFS on (state, phase) for the
 * shortest prefix, then a cycle inside the fair SCC that meets every fairness obligation.
 */

export interface FairGraph {
  readonly n: number;
  /** Number of fairness sets, and 32-bit words per mask. */
  readonly nSets: number;
  readonly words: number;
  /** Bit k set: set k is strong (else weak). */
  readonly strong: Uint32Array;
  readonly offsets: Int32Array;
  readonly targets: Int32Array;
  readonly codes: Int32Array;
  /** `words` words per edge. */
  readonly masks: Uint32Array;
  /** `words` words per state. */
  readonly enabled: Uint32Array;
  /** 1: truncated (a safety violation, not expanded): no run goes through it. */
  readonly dead: Uint8Array;
}

/** Builds a FairGraph state by state, in id order. */
export class GraphBuilder {
  private readonly offsets: Int32Array;
  private readonly enabled: Uint32Array;
  private readonly dead: Uint8Array;
  private targets = new Int32Array(1024);
  private codes = new Int32Array(1024);
  private masks: Uint32Array;
  private e = 0;
  private s = -1;
  readonly words: number;

  constructor(readonly n: number, readonly nSets: number, private readonly strong: Uint32Array) {
    this.words = Math.max(1, Math.ceil(nSets / 32));
    this.offsets = new Int32Array(n + 1);
    this.enabled = new Uint32Array(n * this.words);
    this.dead = new Uint8Array(n);
    this.masks = new Uint32Array(1024 * this.words);
  }

  /** Starts state `s` (must be the next id). */
  state(s: number, dead: boolean): void {
    if (s !== this.s + 1) throw new Error('internal: graph states out of order');
    this.s = s;
    this.offsets[s] = this.e;
    this.dead[s] = dead ? 1 : 0;
  }

  /** A step enabled in the current state (edge or not). */
  enable(mask: Uint32Array): void {
    const W = this.words;
    const base = this.s * W;
    for (let w = 0; w < W; w++) this.enabled[base + w] |= mask[w];
  }

  edge(target: number, code: number, mask: Uint32Array): void {
    const W = this.words;
    if (this.e === this.targets.length) {
      const cap = this.e * 2;
      const t = new Int32Array(cap); t.set(this.targets); this.targets = t;
      const c = new Int32Array(cap); c.set(this.codes); this.codes = c;
      const m = new Uint32Array(cap * W); m.set(this.masks); this.masks = m;
    }
    this.targets[this.e] = target;
    this.codes[this.e] = code;
    for (let w = 0; w < W; w++) this.masks[this.e * W + w] = mask[w];
    this.e++;
  }

  finish(): FairGraph {
    for (let s = this.s + 1; s <= this.n; s++) this.offsets[s] = this.e;
    return {
      n: this.n, nSets: this.nSets, words: this.words, strong: this.strong, offsets: this.offsets,
      targets: this.targets.subarray(0, this.e), codes: this.codes.subarray(0, this.e),
      masks: this.masks.subarray(0, this.e * this.words), enabled: this.enabled, dead: this.dead,
    };
  }

  get edges(): number {
    return this.e;
  }
}

/** A lasso: states[0] is the initial state, states[i+1] the target of edges[i]; states[loop] === states[last]. */
export interface Lasso {
  readonly states: readonly number[];
  readonly edges: readonly number[];
  /** Index in `states` where the cycle starts; loop === states.length - 1 means stuttering there forever. */
  readonly loop: number;
}

/**
 * Fair SCCs of the states where `alive` is 1 (non-goal, not truncated). Returns, per state, the id
 * of its fair SCC, or -1.
 */
export function fairComponents(g: FairGraph, alive: Uint8Array): Int32Array {
  const { n, words: W, offsets, targets, masks, enabled, strong } = g;
  const fairComp = new Int32Array(n).fill(-1);
  const scope = new Int32Array(n); // all alive states start in scope 0
  const idx = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const stack = new Int32Array(n);
  const cs = new Int32Array(n);
  const ce = new Int32Array(n);
  const compMark = new Int32Array(n).fill(-1);
  const lastWord = g.nSets % 32 === 0 ? 0xffffffff : (1 << g.nSets % 32) - 1;
  const valid = (w: number) => (g.nSets === 0 ? 0 : w === W - 1 ? lastWord : 0xffffffff);
  let nextScope = 1;
  let nextComp = 0;
  let counter = 0;
  const taken = new Uint32Array(W);
  const anyEn = new Uint32Array(W);
  const allEn = new Uint32Array(W);
  const strongFail = new Uint32Array(W);

  const work: { scope: number; nodes: number[] }[] = [];
  const all: number[] = [];
  for (let s = 0; s < n; s++) if (alive[s]) all.push(s);
  work.push({ scope: 0, nodes: all });

  const component = (members: number[]) => {
    const cid = nextComp++;
    for (const s of members) compMark[s] = cid;
    taken.fill(0); anyEn.fill(0); allEn.fill(0xffffffff);
    for (const s of members) {
      for (let w = 0; w < W; w++) {
        anyEn[w] |= enabled[s * W + w];
        allEn[w] &= enabled[s * W + w];
      }
      for (let e = offsets[s]; e < offsets[s + 1]; e++) {
        if (compMark[targets[e]] !== cid) continue;
        for (let w = 0; w < W; w++) taken[w] |= masks[e * W + w];
      }
    }
    let sFail = false;
    for (let w = 0; w < W; w++) {
      strongFail[w] = strong[w] & anyEn[w] & ~taken[w] & valid(w);
      if (strongFail[w]) sFail = true;
    }
    if (sFail) {
      // Emerson-Lei: a fair cycle inside must avoid every state enabling a strong set not taken here.
      const rest: number[] = [];
      for (const s of members) {
        let bad = false;
        for (let w = 0; w < W; w++) if (enabled[s * W + w] & strongFail[w]) bad = true;
        if (!bad) rest.push(s);
      }
      if (rest.length) {
        const sc = nextScope++;
        for (const s of rest) scope[s] = sc;
        work.push({ scope: sc, nodes: rest });
      }
      return;
    }
    for (let w = 0; w < W; w++) if (~strong[w] & allEn[w] & ~taken[w] & valid(w)) return; // weak set always enabled, never taken
    for (const s of members) fairComp[s] = cid;
  };

  while (work.length) {
    const { scope: cur, nodes } = work.pop()!;
    for (const s of nodes) idx[s] = -1;
    const inScope = (s: number) => alive[s] === 1 && scope[s] === cur;
    for (const root of nodes) {
      if (idx[root] !== -1 || !inScope(root)) continue;
      let sp = 0;
      let csp = 0;
      idx[root] = low[root] = counter++;
      stack[sp++] = root; onStack[root] = 1;
      cs[csp] = root; ce[csp] = offsets[root]; csp++;
      while (csp > 0) {
        const v = cs[csp - 1];
        const ei = ce[csp - 1];
        if (ei < offsets[v + 1]) {
          ce[csp - 1] = ei + 1;
          const w = targets[ei];
          if (!inScope(w)) continue;
          if (idx[w] === -1) {
            idx[w] = low[w] = counter++;
            stack[sp++] = w; onStack[w] = 1;
            cs[csp] = w; ce[csp] = offsets[w]; csp++;
          } else if (onStack[w] && idx[w] < low[v]) {
            low[v] = idx[w];
          }
        } else {
          csp--;
          if (low[v] === idx[v]) {
            const members: number[] = [];
            let x: number;
            do {
              x = stack[--sp];
              onStack[x] = 0;
              members.push(x);
            } while (x !== v);
            component(members);
          }
          if (csp > 0) {
            const u = cs[csp - 1];
            if (low[v] < low[u]) low[u] = low[v];
          }
        }
      }
    }
  }
  return fairComp;
}

/**
 * The shortest fair lasso from `init` that passes a trigger state (`trigger`, or only `init` when
 * null) where the goal does not hold and from there never meets the goal; null when none exists.
 */
export function findLasso(g: FairGraph, init: number, trigger: Uint8Array | null, goal: Uint8Array): Lasso | null {
  const { n, offsets, targets, dead } = g;
  if (dead[init]) return null;
  const alive = new Uint8Array(n);
  for (let s = 0; s < n; s++) alive[s] = !dead[s] && !goal[s] ? 1 : 0;
  const fairComp = fairComponents(g, alive);

  // BFS over (state, phase): phase 0 anywhere before the trigger, phase 1 inside the non-goal states.
  const seen = new Uint8Array(2 * n);
  const parentNode = new Int32Array(2 * n).fill(-1);
  const parentEdge = new Int32Array(2 * n).fill(-1);
  const queue = new Int32Array(2 * n);
  let qh = 0;
  let qt = 0;
  let found = -1;
  const isTrigger = (s: number) => (trigger ? trigger[s] === 1 : s === init);
  const discover = (node: number, from: number, edge: number): boolean => {
    if (seen[node]) return false;
    seen[node] = 1;
    parentNode[node] = from;
    parentEdge[node] = edge;
    queue[qt++] = node;
    const s = node >> 1;
    if (node & 1) {
      if (fairComp[s] >= 0) { found = node; return true; }
    } else if (isTrigger(s) && alive[s]) {
      // The obligation starts here: same distance, so it goes right after in the queue.
      return discover(node | 1, node, -1);
    }
    return false;
  };
  if (!discover(init * 2, -1, -1)) {
    while (qh < qt && found < 0) {
      const node = queue[qh++];
      const s = node >> 1;
      const phase = node & 1;
      if (phase === 0 && trigger === null) continue; // only the initial state triggers
      for (let e = offsets[s]; e < offsets[s + 1]; e++) {
        const t = targets[e];
        if (dead[t] || (phase === 1 && !alive[t])) continue;
        if (discover(t * 2 + phase, node, e)) break;
      }
    }
  }
  if (found < 0) return null;

  const prefixEdges: number[] = [];
  for (let node = found; parentNode[node] >= 0; node = parentNode[node]) if (parentEdge[node] >= 0) prefixEdges.push(parentEdge[node]);
  prefixEdges.reverse();
  const f = found >> 1;
  const cycle = fairCycle(g, fairComp, f);
  const states = [init];
  for (const e of prefixEdges) states.push(targets[e]);
  const loop = states.length - 1;
  for (const e of cycle) states.push(targets[e]);
  return { states, edges: [...prefixEdges, ...cycle], loop };
}

/**
 * A cycle from `f` back to `f` inside its fair SCC that meets every fairness obligation: for each
 * strong set some edge inside takes, take one; for each weak set, take one of its edges or visit a
 * state that does not enable it. Empty when `f` may stutter (it enables no fairness set).
 */
function fairCycle(g: FairGraph, fairComp: Int32Array, f: number): number[] {
  const { n, words: W, offsets, targets, masks, enabled, strong } = g;
  const cid = fairComp[f];
  const taken = new Uint32Array(W);
  for (let s = 0; s < n; s++) {
    if (fairComp[s] !== cid) continue;
    for (let e = offsets[s]; e < offsets[s + 1]; e++) {
      if (fairComp[targets[e]] !== cid) continue;
      for (let w = 0; w < W; w++) taken[w] |= masks[e * W + w];
    }
  }
  const lastWord = g.nSets % 32 === 0 ? 0xffffffff : (1 << g.nSets % 32) - 1;
  const need = new Uint32Array(W);
  for (let w = 0; w < W; w++) {
    const valid = g.nSets === 0 ? 0 : w === W - 1 ? lastWord : 0xffffffff;
    need[w] = ((strong[w] & taken[w]) | ~strong[w]) & valid;
  }
  const byState = (s: number) => {
    for (let w = 0; w < W; w++) need[w] &= ~(~strong[w] & ~enabled[s * W + w]);
  };
  const byEdge = (e: number) => {
    for (let w = 0; w < W; w++) need[w] &= ~masks[e * W + w];
  };
  const needed = () => need.some((x) => x !== 0);
  byState(f);

  const stamp = new Int32Array(n);
  const pe = new Int32Array(n);
  const pn = new Int32Array(n);
  let round = 0;
  const queue = new Int32Array(n);
  /** BFS inside the SCC from `from`; `done(edge, target)` says when to stop. Returns the path's edges. */
  const search = (from: number, stopAtEdge: (e: number) => boolean, stopAtState: (s: number) => boolean): number[] => {
    round++;
    let qh = 0;
    let qt = 0;
    stamp[from] = round;
    pn[from] = -1;
    queue[qt++] = from;
    const pathTo = (s: number, last: number) => {
      const p: number[] = last >= 0 ? [last] : [];
      for (let x = s; pn[x] >= 0; x = pn[x]) p.push(pe[x]);
      return p.reverse();
    };
    while (qh < qt) {
      const u = queue[qh++];
      for (let e = offsets[u]; e < offsets[u + 1]; e++) {
        const v = targets[e];
        if (fairComp[v] !== cid) continue;
        if (stopAtEdge(e)) return pathTo(u, e);
        if (stamp[v] === round) continue;
        stamp[v] = round;
        pn[v] = u;
        pe[v] = e;
        if (stopAtState(v)) return pathTo(v, -1);
        queue[qt++] = v;
      }
    }
    throw new Error('internal: a fairness obligation cannot be met inside a fair component');
  };

  const cycle: number[] = [];
  let cur = f;
  while (needed()) {
    const path = search(
      cur,
      (e) => {
        for (let w = 0; w < W; w++) if (masks[e * W + w] & need[w]) return true;
        return false;
      },
      (s) => {
        for (let w = 0; w < W; w++) if (~strong[w] & ~enabled[s * W + w] & need[w]) return true;
        return false;
      },
    );
    for (const e of path) {
      byEdge(e);
      byState(targets[e]);
      cycle.push(e);
    }
    cur = targets[path[path.length - 1]];
  }
  if (cur !== f) for (const e of search(cur, (e) => targets[e] === f, () => false)) cycle.push(e);
  return cycle;
}
