/**
 * Can the model produce this log? A breadth-first search over the composed system constrained to
 * the log (the trace validation of Cirstea, Kuppe, Loillier, Merz 2024): each log line must be
 * printed by the next observable step, with at most K silent steps (of any actor) in between.
 * Search nodes are (global state, number of lines explained, PID -> thread bindings); one layer
 * per number of lines explained, deduplicated. A PID is bound to a thread actor by the first line
 * it prints, one PID per actor.
 */
import { takenTransitions } from '../adapter/xstate.js';
import type { ComposedSystem } from '../compose/system.js';
import { buildPathTrace, globalSnapshot } from '../trace/build.js';
import type { GlobalSnapshot, Trace } from '../trace/types.js';
import type { ConformanceMap, StepInfo } from './map.js';
import { observe, sameLine, showPrint, type Line, type Print } from './observe.js';

export interface ConformOptions {
  /** K: silent steps allowed between two explained lines (and before the first). */
  readonly maxSilent: number;
  /** Search nodes before giving up (incomplete). */
  readonly maxNodes?: number;
  readonly interrupted?: () => boolean;
  /** Names the path trace (`conform:<name>`). */
  readonly logName?: string;
  readonly spec: string;
  readonly variant?: string;
}

interface Node {
  readonly vec: Int32Array;
  /** `vec` joined: the key of its prints memo, computed once per node. */
  readonly vk: string;
  /** Sorted `pid=actor` pairs. */
  readonly bind: readonly (readonly [number, string])[];
  readonly parent: Node | null;
  readonly code: number;
  /** Silent steps since the last explained line. */
  readonly depth: number;
  /** Log lines (file line numbers) this node's step explained. */
  readonly explains: readonly number[];
}

export type ConformResult =
  | { readonly verdict: 'conforms'; readonly path: Trace; readonly explains: readonly (readonly number[])[]; readonly nodes: number }
  | {
      readonly verdict: 'diverges';
      /** File line number of the first line no constrained path explains, and its index among the lines read. */
      readonly line: number;
      readonly index: number;
      /** How many distinct (state, binding) nodes could have printed it, and the first few states. */
      readonly beforeCount: number;
      readonly before: readonly GlobalSnapshot[];
      /** Prints the model could make there instead (distinct, in words). */
      readonly instead: readonly string[];
      /** A path explaining every line before it. */
      readonly prefix: Trace;
      readonly nodes: number;
    }
  | { readonly verdict: 'incomplete'; readonly line: number; readonly index: number; readonly reason: string; readonly nodes: number };

const bindKey = (bind: Node['bind']) => bind.map(([p, a]) => `${p}=${a}`).join(',');

/** Binds a line's PID to a thread actor; null when the bijection forbids it. */
function bindPid(bind: Node['bind'], pid: number, actor: string): Node['bind'] | null {
  for (const [p, a] of bind) {
    if (p === pid) return a === actor ? bind : null;
    if (a === actor) return null;
  }
  return [...bind, [pid, actor] as const].sort((x, y) => x[0] - y[0]);
}

export class ConformanceSearch {
  /** Prints per state (`vec` joined) and step code. */
  private readonly memo = new Map<string, Map<number, Print[]>>();
  constructor(private readonly sys: ComposedSystem, private readonly map: ConformanceMap) {}

  /** The prints of step `code` from `vec` to `next` (memoised per state and step; `vk`: `vec` joined). */
  prints(vec: Int32Array, code: number, next: Int32Array, vk = vec.join(',')): Print[] {
    let row = this.memo.get(vk);
    if (!row) this.memo.set(vk, (row = new Map()));
    let p = row.get(code);
    if (p) return p;
    const sys = this.sys;
    const view = sys.describe(vec, code);
    const idx = (a: string) => sys.actorIndex.get(a)!;
    const info: StepInfo = {
      kind: view.kind,
      event: view.event as StepInfo['event'],
      actors: view.actors,
      threads: view.actors.filter((a) => sys.actors[idx(a)].thread),
      fns: view.actors.flatMap((a) =>
        takenTransitions(sys.actors[idx(a)].machine, sys.local(idx(a), vec[idx(a)]).snapshot, view.event)
          .filter((t) => t.fn)
          .map((t) => ({ actor: a, fn: t.fn! })),
      ),
      before: (a: string) => sys.local(idx(a), vec[idx(a)]).snapshot.context,
      after: (a: string) => sys.local(idx(a), next[idx(a)]).snapshot.context,
    };
    p = observe(this.map, info);
    row.set(code, p);
    return p;
  }

  run(lines: readonly Line[], opts: ConformOptions): ConformResult {
    const sys = this.sys;
    const K = opts.maxSilent;
    const maxNodes = opts.maxNodes ?? 2_000_000;
    const n = lines.length;
    const layers = new Map<number, Map<string, Node>>();
    const v0 = sys.initial();
    const init: Node = { vec: v0, vk: v0.join(','), bind: [], parent: null, code: -1, depth: 0, explains: [] };
    layers.set(0, new Map([[init.vk + '|', init]]));
    let nodes = 1;
    let cut = false;
    let last = { pos: 0, closure: [init] as Node[] };
    for (let pos = 0; pos <= n; pos++) {
      const frontier = layers.get(pos);
      if (!frontier) continue;
      layers.delete(pos);
      if (pos === n) {
        const end = frontier.values().next().value!;
        return { verdict: 'conforms', ...this.path(end, opts), nodes };
      }
      const seen = new Map(frontier);
      const queue = [...frontier.values()];
      for (let qi = 0; qi < queue.length; qi++) {
        if (opts.interrupted?.() || nodes > maxNodes) {
          const why = nodes > maxNodes ? `the search passed ${maxNodes} nodes` : 'interrupted';
          return { verdict: 'incomplete', line: lines[pos].rec.line, index: pos, reason: why, nodes };
        }
        const node = queue[qi];
        const bk = bindKey(node.bind);
        sys.successors(node.vec, (code, next) => {
          // `next` is the explorer's scratch vector: copied only for a node that is kept
          const prints = this.prints(node.vec, code, next, node.vk);
          if (prints.length === 0) {
            const vk = next.join(',');
            const key = vk + '|' + bk;
            if (seen.has(key)) return;
            if (node.depth >= K) {
              cut = true;
              return;
            }
            const child: Node = { vec: next.slice(), vk, bind: node.bind, parent: node, code, depth: node.depth + 1, explains: [] };
            seen.set(key, child);
            queue.push(child);
            nodes++;
            return;
          }
          // The step prints: its lines must come next (a log may end in the middle of a step's prints).
          const m = Math.min(prints.length, n - pos);
          let bind: Node['bind'] | null = node.bind;
          for (let j = 0; j < m && bind; j++) {
            const line = lines[pos + j];
            if (!sameLine(this.map, prints[j], line)) bind = null;
            else if (prints[j].thread !== undefined) bind = bindPid(bind, line.rec.pid, prints[j].thread!);
          }
          if (!bind) return;
          const target = pos + m;
          let layer = layers.get(target);
          if (!layer) layers.set(target, (layer = new Map()));
          const vk = next.join(',');
          const key = vk + '|' + bindKey(bind);
          if (layer.has(key)) return;
          layer.set(key, { vec: next.slice(), vk, bind, parent: node, code, depth: 0, explains: lines.slice(pos, target).map((l) => l.rec.line) });
          nodes++;
        });
      }
      last = { pos, closure: queue };
    }
    // No path explains every line: the furthest layer reached is where the log leaves the model.
    const pos = last.pos;
    const line = lines[pos].rec.line;
    if (cut) {
      return { verdict: 'incomplete', line, index: pos, reason: `the silent-step bound (--max-silent ${K}) cut the search; no path within it explains line ${line}`, nodes };
    }
    const instead = new Set<string>();
    for (const node of last.closure) {
      if (instead.size >= 16) break;
      sys.successors(node.vec, (code, next) => {
        const ps = this.prints(node.vec, code, next, node.vk);
        if (ps.length) instead.add(showPrint(this.map, ps[0]));
      });
    }
    return {
      verdict: 'diverges',
      line,
      index: pos,
      beforeCount: last.closure.length,
      before: last.closure.slice(0, 3).map((nd) => globalSnapshot(sys, nd.vec)),
      instead: [...instead].slice(0, 16),
      prefix: this.path(last.closure[0], opts).path,
      nodes,
    };
  }

  private path(end: Node, opts: ConformOptions): { path: Trace; explains: number[][] } {
    const chain: Node[] = [];
    for (let x: Node | null = end; x; x = x.parent) chain.push(x);
    chain.reverse();
    const path = buildPathTrace(this.sys, chain.map((c) => c.vec), chain.slice(1).map((c) => c.code), {
      spec: opts.spec,
      variant: opts.variant,
      property: `conform:${opts.logName ?? 'log'}`,
      propertyDoc: `a model path that prints the log ${opts.logName ?? ''} through map ${this.map.name}`.replace(/\s+/g, ' '),
      kind: 'witness',
    });
    return { path, explains: chain.slice(1).map((c) => [...c.explains]) };
  }
}
