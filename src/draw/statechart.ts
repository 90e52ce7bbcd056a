/**
 * A machine as a Mermaid state diagram (stateDiagram-v2), from the graph `toDirectedGraph` in
 * `xstate/graph` builds (plus the eventless `always` transitions it leaves out). Transitions are
 * labelled with their event and the kernel function in their `meta.fn`; states a trace passed
 * through, and the states it ended in, can be marked.
 */
import type { AnyStateMachine } from 'xstate';
import { toDirectedGraph } from 'xstate/graph';

interface NodeLike {
  id: string;
  key: string;
  type: string;
  parent?: NodeLike;
  initial?: { target?: NodeLike[] };
  states: Record<string, NodeLike>;
  always?: TransitionLike[];
}

interface TransitionLike {
  eventType: string;
  target?: NodeLike[];
  meta?: { fn?: string; cite?: string };
  guard?: unknown;
}

/** One transition of a machine, keyed as coverage keys it. */
export interface MachineTransition {
  readonly from: string;
  /** The event type, `''` for an eventless (`always`) transition. */
  readonly event: string;
  readonly to: string;
  readonly fn?: string;
}

export interface MachineInventory {
  readonly id: string;
  /** Every state node id but the root's. */
  readonly states: readonly string[];
  readonly transitions: readonly MachineTransition[];
}

function root(machine: AnyStateMachine): NodeLike {
  return machine.root as unknown as NodeLike;
}

function walk(n: NodeLike, f: (n: NodeLike) => void): void {
  f(n);
  for (const c of Object.values(n.states ?? {})) walk(c, f);
}

/** Every state node and transition of a machine (for coverage: what could be reached). */
export function machineInventory(machine: AnyStateMachine): MachineInventory {
  const states: string[] = [];
  const transitions: MachineTransition[] = [];
  const seen = new Set<string>();
  const add = (t: MachineTransition) => {
    const k = `${t.from}\u0000${t.event}\u0000${t.to}`;
    if (!seen.has(k)) {
      seen.add(k);
      transitions.push(t);
    }
  };
  const graphWalk = (g: ReturnType<typeof toDirectedGraph>) => {
    for (const e of g.edges) {
      const tr = e.transition as unknown as TransitionLike;
      const to = tr.target?.length ? tr.target.map((x) => x.id).join(',') : e.source.id;
      add({ from: e.source.id, event: tr.eventType, to, fn: tr.meta?.fn });
    }
    for (const c of g.children) graphWalk(c);
  };
  graphWalk(toDirectedGraph(machine));
  walk(root(machine), (n) => {
    if (n !== root(machine)) states.push(n.id);
    for (const t of n.always ?? []) {
      add({ from: n.id, event: '', to: t.target?.length ? t.target.map((x) => x.id).join(',') : n.id, fn: t.meta?.fn });
    }
  });
  return { id: machine.id, states, transitions };
}

/** The state node ids active in a state value (with their ancestors), by walking the machine. */
export function nodesOfValue(machine: AnyStateMachine, value: unknown): string[] {
  const out: string[] = [];
  const go = (n: NodeLike, v: unknown) => {
    if (typeof v === 'string') {
      const c = n.states?.[v];
      if (c) out.push(c.id);
      return;
    }
    if (v && typeof v === 'object') {
      for (const [k, sub] of Object.entries(v as Record<string, unknown>)) {
        const c = n.states?.[k];
        if (!c) continue;
        out.push(c.id);
        go(c, sub);
      }
    }
  };
  go(root(machine), value);
  return out;
}

/** The state nodes entered when the machine starts (the initial chain, transient states included). */
export function initialNodes(machine: AnyStateMachine): string[] {
  const out: string[] = [];
  const enter = (n: NodeLike) => {
    out.push(n.id);
    if (n.type === 'parallel') for (const c of Object.values(n.states ?? {})) enter(c);
    else for (const c of n.initial?.target ?? []) enter(c);
  };
  for (const c of root(machine).initial?.target ?? []) enter(c);
  if (root(machine).type === 'parallel') for (const c of Object.values(root(machine).states ?? {})) enter(c);
  return out;
}

/** A readable label for an event type: `after 10` for delays, `always` for eventless. */
export function eventLabel(type: string): string {
  if (type === '') return 'always';
  const m = /^xstate\.after\.([^.]+)\./.exec(type);
  return m ? `after ${m[1]}` : type;
}

export interface StatechartMarks {
  /** State node ids a trace passed through. */
  readonly visited?: Iterable<string>;
  /** State node ids the trace ended in. */
  readonly final?: Iterable<string>;
  /** State node ids no exploration reached. */
  readonly unreached?: Iterable<string>;
}

/** The Mermaid id of a state node (the explore page finds its drawn node by it). */
export const sid = (id: string) => 's_' + id.replace(/[^A-Za-z0-9_]/g, '_');
const safe = (s: string) => s.replace(/[;#]/g, ',').replace(/:/g, '∶').replace(/"/g, "'").replace(/[<>]/g, '').replace(/[\r\n]+/g, ' ');

/** The machine as a Mermaid `stateDiagram-v2`. */
export function machineToMermaid(machine: AnyStateMachine, marks: StatechartMarks = {}): string {
  const inv = machineInventory(machine);
  const r = root(machine);
  const byId = new Map<string, NodeLike>();
  walk(r, (n) => byId.set(n.id, n));
  const parentOf = (id: string) => byId.get(id)?.parent?.id ?? r.id;
  // Edges go into the block of the parent both ends share, or the top level.
  // Transitions between the same two states share one arrow (Mermaid draws parallel arrows on top
  // of each other), their labels one per line.
  const arrows = new Map<string, { scope: string; from: string; to: string; labels: string[] }>();
  for (const t of inv.transitions) {
    const targets = t.to.split(',');
    for (const to of targets) {
      if (!byId.has(to) || to === r.id || t.from === r.id) continue;
      const scope = parentOf(t.from) === parentOf(to) ? parentOf(t.from) : r.id;
      const label = safe([eventLabel(t.event), t.fn].filter(Boolean).join(' / '));
      const k = `${t.from}\u0000${to}`;
      const a = arrows.get(k) ?? { scope, from: t.from, to, labels: [] };
      if (!a.labels.includes(label)) a.labels.push(label);
      arrows.set(k, a);
    }
  }
  const edgesIn = new Map<string, string[]>();
  for (const a of arrows.values()) {
    const list = edgesIn.get(a.scope) ?? [];
    list.push(`${sid(a.from)} --> ${sid(a.to)} : ${a.labels.join('<br/>')}`);
    edgesIn.set(a.scope, list);
  }
  const out = ['stateDiagram-v2'];
  const leaves: string[] = [];
  const block = (n: NodeLike, indent: string) => {
    const children = Object.values(n.states ?? {});
    children.forEach((c, i) => {
      if (n.type === 'parallel' && i > 0) out.push(`${indent}--`);
      const grand = Object.values(c.states ?? {});
      if (grand.length) {
        out.push(`${indent}state "${safe(c.key)}${c.type === 'parallel' ? ' (parallel)' : ''}" as ${sid(c.id)}`);
        out.push(`${indent}state ${sid(c.id)} {`);
        block(c, indent + '  ');
        out.push(`${indent}}`);
      } else {
        out.push(`${indent}state "${safe(c.key)}" as ${sid(c.id)}`);
        leaves.push(c.id);
        if (c.type === 'final') out.push(`${indent}${sid(c.id)} --> [*]`);
      }
    });
    if (n.type !== 'parallel') for (const t of n.initial?.target ?? []) out.push(`${indent}[*] --> ${sid(t.id)}`);
    for (const e of edgesIn.get(n.id) ?? []) out.push(`${indent}${e}`);
  };
  if (r.type === 'parallel') {
    // Mermaid allows the region separator `--` only inside a composite state: wrap the root.
    out.push(`  state "${safe(machine.id)} (parallel)" as ${sid(r.id)}`);
    out.push(`  state ${sid(r.id)} {`);
    const top = edgesIn.get(r.id) ?? [];
    edgesIn.delete(r.id);
    block(r, '    ');
    out.push('  }');
    for (const e of top) out.push(`  ${e}`);
  } else block(r, '  ');
  const leafSet = new Set(leaves);
  const pick = (ids: Iterable<string> | undefined) => [...new Set(ids ?? [])].filter((id) => leafSet.has(id));
  const finals = pick(marks.final);
  const finalSet = new Set(finals);
  const visited = pick(marks.visited).filter((id) => !finalSet.has(id));
  const unreached = pick(marks.unreached).filter((id) => !finalSet.has(id) && !visited.includes(id));
  out.push('  classDef visited fill:#ffe9a8,stroke:#b8860b,stroke-width:2px');
  out.push('  classDef final fill:#f8b4b4,stroke:#b00000,stroke-width:3px');
  out.push('  classDef unreached fill:#eeeeee,stroke:#999999,stroke-dasharray:4 3,color:#888888');
  if (visited.length) out.push(`  class ${visited.map(sid).join(',')} visited`);
  if (finals.length) out.push(`  class ${finals.map(sid).join(',')} final`);
  if (unreached.length) out.push(`  class ${unreached.map(sid).join(',')} unreached`);
  return out.join('\n') + '\n';
}
