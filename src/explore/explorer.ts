/**
 * Exhaustive explicit-state exploration of a `Model`: BFS (shortest counterexamples) or DFS, one
 * pass for every property. States are checked once, when first seen; a state that violates a
 * safety property is recorded and not expanded. Bounds end a run as incomplete. The loop runs in
 * slices so that Ctrl-C and progress reports get through.
 */
import { MemoryBoundReached, MemoryGuard } from './memory.js';
import type { Model } from './model.js';
import { StateStore } from './store.js';
import { FingerprintStore } from './fingerprint-store.js';

/** Every bound: undefined or 0 means no limit (the memory bound: undefined means its default). */
export interface Bounds {
  maxStates?: number;
  maxDepth?: number;
  /** Seconds of wall time. */
  timeout?: number;
  /** Megabytes of resident memory; undefined: a share of the available memory; 0: none. */
  maxMemoryMb?: number;
  /** The memory guard to use (shared with the model's memo tables); built from `maxMemoryMb` when absent. */
  memory?: MemoryGuard;
}

export interface ExploreOptions extends Bounds {
  order?: 'bfs' | 'dfs';
  /** 'fingerprint': 64-bit fingerprints only (src/explore/fingerprint-store.ts; BFS only). */
  store?: 'exact' | 'fingerprint';
  /** Called about once a second with the statistics so far. */
  onProgress?: (s: Stats) => void;
  /** Polled between slices; returning true stops the run (Ctrl-C). */
  interrupted?: () => boolean;
  /**
   * 'first': end the run once a safety property is violated (after the state being expanded, so
   * every violation found is still its property's shortest under BFS). 'all' (default): run on.
   */
  stop?: 'first' | 'all';
  /**
   * Sees every explored edge: the store id of its source, the source, the step code and the
   * successor (valid only during the call). BFS calls it in order of source depth, so the first
   * edge with some feature has a shortest path to its source (`daxcheck lint` relies on it).
   */
  onEdge?: (fromId: number, from: Int32Array, step: number, next: Int32Array) => void;
}

export interface Stats {
  states: number;
  transitions: number;
  maxDepth: number;
  seconds: number;
  statesPerSecond: number;
  peakRssBytes: number;
  storeBytes: number;
  /** Bytes per state in the store, growth slack left out. */
  bytesPerState: number;
  /** States discovered but not yet expanded. */
  queued: number;
}

/** Where a property got its verdict: the state, or for an action property the step into `next`. */
export interface Discovery {
  prop: number;
  state: number;
  /** For action properties: the step from `state` and the successor it led to. */
  step?: number;
  next?: Int32Array;
}

export type StopReason = 'exhausted' | 'all-decided' | 'first-violation' | 'max-states' | 'max-depth' | 'timeout' | 'memory' | 'interrupted';

export interface ExploreResult {
  /** True when every reachable state was expanded (no bound cut anything off). */
  complete: boolean;
  stop: StopReason;
  stats: Stats;
  /** First violation of each safety property, and first state reaching each goal. */
  discoveries: Map<number, Discovery>;
  store: StateStore | FingerprintStore;
  /** For a memory stop: which limit, at what size. */
  stopNote?: string;
}

const SLICE_MS = 50;

export async function explore(model: Model, opts: ExploreOptions = {}): Promise<ExploreResult> {
  const { checks } = model;
  // Symmetry: a state is stored, checked and expanded as its orbit's representative.
  const canon = model.canonical;
  if (opts.store === 'fingerprint' && opts.order === 'dfs') throw new Error('internal: the fingerprint store is breadth-first only');
  const store = opts.store === 'fingerprint'
    ? new FingerprintStore(model.width, (s, visit) => model.successors(s, canon ? (c, n) => visit(c, canon(n)) : visit))
    : new StateStore(model.width, 1 << 12, opts.order === 'dfs' ? 'dfs' : 'bfs');
  const discoveries = new Map<number, Discovery>();
  const nProps = checks.names.length;
  const maxStates = opts.maxStates || Infinity;
  const maxDepth = opts.maxDepth || Infinity;
  const timeout = opts.timeout || Infinity;
  const memory = opts.memory ?? new MemoryGuard(opts.maxMemoryMb);
  const dfs = opts.order === 'dfs';
  const t0 = performance.now();
  let transitions = 0;
  let deepest = 0;
  let peakRss = process.memoryUsage.rss();
  let depthCut = false;
  let stop: StopReason | null = null;

  const undecided = () => discoveries.size < nProps;
  const stopFirst = opts.stop === 'first';
  let violated = false;

  // The state being checked, for the `hit` callback (no closure per state).
  let checking = 0;
  const hitState = (prop: number, keep?: boolean) => {
    if (checks.kinds[prop] === 'safety') {
      if (!keep) store.markViolating(checking);
      violated = true;
    }
    if (!discoveries.has(prop)) discoveries.set(prop, { prop, state: checking });
  };
  const admit = (v: Int32Array, parent: number, depth: number): number => {
    if (canon) v = canon(v);
    const id = store.insert(v, parent, depth);
    if (store.isNew) {
      if (depth > deepest) deepest = depth;
      checking = id;
      checks.state(v, hitState);
    }
    return id;
  };

  admit(model.initial(), -1, 0);
  if (stopFirst && violated) stop = 'first-violation';

  const cur = new Int32Array(model.width);
  let curId = 0;
  let curDepth = 0;
  let nSucc = 0;
  let edgeStep = 0;
  let edgeNext: Int32Array = cur;
  const hitStep = (prop: number) => {
    violated = true;
    if (!discoveries.has(prop)) discoveries.set(prop, { prop, state: curId, step: edgeStep, next: edgeNext.slice() });
  };
  const stepCheck = checks.step;
  const onEdge = opts.onEdge;
  const stack: number[] = dfs ? [0] : [];
  const visit = (step: number, next: Int32Array) => {
    nSucc++;
    transitions++;
    if (stepCheck) {
      edgeStep = step;
      edgeNext = next;
      stepCheck(cur, step, next, hitStep);
    }
    if (onEdge) onEdge(curId, cur, step, next);
    const before = store.count;
    admit(next, curId, curDepth + 1);
    if (dfs && store.count > before) stack.push(store.count - 1);
  };

  let head = 0; // BFS: next id to expand
  const expandOne = (id: number) => {
    if (store.isViolating(id)) return;
    curDepth = store.depthOf(id);
    if (curDepth >= maxDepth) {
      depthCut = true;
      return;
    }
    curId = id;
    store.read(id, cur);
    nSucc = 0;
    model.successors(cur, visit);
    if (nSucc === 0 && checks.deadlock >= 0 && !checks.validEnd(cur)) {
      store.markViolating(id);
      violated = true;
      if (!discoveries.has(checks.deadlock)) discoveries.set(checks.deadlock, { prop: checks.deadlock, state: id });
    }
  };

  const stats = (): Stats => {
    const seconds = (performance.now() - t0) / 1000;
    return {
      states: store.count,
      transitions,
      maxDepth: deepest,
      seconds,
      statesPerSecond: seconds > 0 ? store.count / seconds : 0,
      peakRssBytes: peakRss,
      storeBytes: store.bytes(),
      bytesPerState: store.bytesPerState(),
      queued: dfs ? stack.length : store.count - head,
    };
  };

  let lastProgress = performance.now();
  for (;;) {
    const sliceEnd = performance.now() + SLICE_MS;
    let n = 0;
    while (stop === null) {
      if (!undecided()) { stop = 'all-decided'; break; }
      let id: number;
      if (dfs) {
        if (stack.length === 0) { stop = 'exhausted'; break; }
        id = stack.pop()!;
      } else {
        if (head >= store.count) { stop = 'exhausted'; break; }
        id = head++;
      }
      if (store.count >= maxStates) {
        if (dfs) stack.push(id); else head--;
        stop = 'max-states';
        break;
      }
      try {
        expandOne(id);
      } catch (e) {
        // A memo table found the heap full mid-step: the state counts as not expanded.
        if (!(e instanceof MemoryBoundReached)) throw e;
        if (dfs) stack.push(id); else head--;
        stop = 'memory';
        break;
      }
      if (stopFirst && violated) { stop = 'first-violation'; break; }
      if ((++n & 255) === 0) {
        if ((n & 4095) === 0 && memory.heapFull()) { stop = 'memory'; break; }
        if (performance.now() > sliceEnd) break;
      }
    }
    if (stop !== null) break;
    const rss = process.memoryUsage.rss();
    if (rss > peakRss) peakRss = rss;
    const now = performance.now();
    if ((now - t0) / 1000 > timeout) { stop = 'timeout'; break; }
    if (memory.exceeded(rss, store.growthBytes())) { stop = 'memory'; break; }
    if (opts.interrupted?.()) { stop = 'interrupted'; break; }
    if (opts.onProgress && now - lastProgress > 1000) {
      lastProgress = now;
      opts.onProgress(stats());
    }
    await new Promise<void>((r) => setImmediate(r));
  }
  const rss = process.memoryUsage.rss();
  if (rss > peakRss) peakRss = rss;
  const complete = (stop === 'exhausted' && !depthCut);
  return { complete, stop: stop === 'exhausted' && depthCut ? 'max-depth' : stop!, stats: stats(), discoveries, store, stopNote: stop === 'memory' ? memory.why ?? undefined : undefined };
}
