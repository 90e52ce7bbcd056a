/**
 * A counterexample as a Mermaid sequence diagram: one participant per actor that moves, a
 * rendezvous as an arrow from the thread to the object it synchronises with, a message as an
 * asynchronous arrow when it is emitted and a self-arrow when it is delivered, and the violated
 * property as a note over everyone at the end.
 */
import { showFn, shortEvent } from './racetable.js';
import type { Trace, TraceStep } from './types.js';

/** A Mermaid-safe identifier for an actor. */
export function mermaidId(prefix: string, name: string): string {
  return `${prefix}_${name.replace(/[^A-Za-z0-9_]/g, '_')}`;
}

/** Message text safe inside a Mermaid statement (no `;`, `#`, `<`, `>` or line breaks). */
export function mermaidText(s: string): string {
  return s.replace(/[;#]/g, ',').replace(/</g, '‹').replace(/>/g, '›').replace(/[\r\n]+/g, ' ').replace(/%%/g, '%');
}

/** For every step, the messages it put into mailboxes: [receiver, event type]. */
export function emittedPerStep(t: Trace): [string, string][][] {
  return t.steps.map((s, i) => {
    const before = t.states[i].mailboxes;
    const after = t.states[i + 1].mailboxes;
    const out: [string, string][] = [];
    for (const m of Object.keys(after)) {
      const q0 = [...(before[m] ?? [])];
      if ((s.kind === 'deliver' || s.kind === 'drop') && s.actors[0] === m) {
        const k = q0.findIndex((e) => JSON.stringify(e) === JSON.stringify(s.event));
        if (k >= 0) q0.splice(k, 1);
      }
      const q1 = after[m] ?? [];
      for (let k = q0.length; k < q1.length; k++) out.push([m, q1[k].type]);
    }
    return out;
  });
}

function fnNote(s: TraceStep, actors: readonly string[]): string {
  const fns = s.functions.filter((f) => f.fn && actors.includes(f.actor)).map((f) => showFn(f.fn!));
  return [...new Set(fns)].join(' / ');
}

/** A part of a long trace: steps `from`..`to` (0-based, `to` exclusive). */
export interface SequencePart {
  readonly from: number;
  readonly to: number;
}

/**
 * A long trace split into parts of at most `size` steps (the HTML report draws one diagram per
 * part, so a diagram stays short enough to read at its natural size).
 */
export function sequenceParts(t: Trace, size = 12): SequencePart[] {
  const n = t.steps.length;
  const k = Math.max(1, Math.ceil(n / size));
  // Even parts: 22 steps in parts of 12 are 11 + 11, not 12 + 10.
  const each = Math.ceil(n / k);
  return Array.from({ length: k }, (_, i) => ({ from: i * each, to: Math.min(n, (i + 1) * each) }));
}

/**
 * The trace as one sequence diagram, or (with `part`) the diagram of steps part.from..part.to:
 * only the actors that move in it, and the verdict note on the last part only (none with
 * `verdict: false`, for a page that states the verdict above the diagram).
 */
export function traceToMermaid(t: Trace, part?: SequencePart, o: { verdict?: boolean } = {}): string {
  const from = part?.from ?? 0;
  const to = part?.to ?? t.steps.length;
  const steps = t.steps.slice(from, to);
  const moved = new Set<string>(steps.flatMap((s) => s.actors));
  const emits = emittedPerStep(t);
  for (const e of emits.slice(from, to).flat()) moved.add(e[0]);
  const parts = t.actorOrder.filter((a) => moved.has(a));
  const threads = new Set(t.threads);
  const id = (a: string) => mermaidId('a', a);
  const out = ['sequenceDiagram'];
  for (const a of parts) out.push(`  participant ${id(a)} as ${mermaidText(a)}${threads.has(a) ? ' (thread)' : ''}`);
  // A lasso's cycle (steps loop+1..n) sits in a Mermaid `loop` block; a run that stops says so.
  const cycleFrom = t.loop !== undefined && t.loop < t.steps.length ? t.loop : -1;
  if (cycleFrom >= 0 && cycleFrom < from) out.push('  loop for ever (continued)');
  steps.forEach((s, k) => {
    const i = from + k;
    const n = i + 1;
    if (i === cycleFrom) out.push('  loop for ever');
    const ev = mermaidText(shortEvent(s.event as never));
    const [first, ...rest] = [...s.actors].sort((x, y) => Number(threads.has(y)) - Number(threads.has(x)));
    if (s.kind === 'timer') out.push(`  ${id(first)}->>${id(first)}: ${n}. timer ${ev}`);
    else if (s.kind === 'deliver') out.push(`  ${id(first)}->>${id(first)}: ${n}. deliver ${ev}`);
    else if (s.kind === 'drop') out.push(`  Note over ${id(first)}: ${n}. drop ${ev}`);
    else if (rest.length === 0) out.push(`  ${id(first)}->>${id(first)}: ${n}. ${ev}`);
    else for (const r of rest) out.push(`  ${id(first)}->>${id(r)}: ${n}. ${ev}`);
    const note = fnNote(s, s.actors);
    if (note) out.push(`  Note over ${s.actors.length > 1 ? `${id(first)},${id(rest[rest.length - 1])}` : id(first)}: ${mermaidText(note)}`);
    for (const [to, type] of emits[i]) out.push(`  ${id(first)}-)${id(to)}: ${n}. emit ${mermaidText(type)}`);
  });
  if (cycleFrom >= 0 && cycleFrom < to) out.push('  end');
  const span = parts.length > 1 ? `${id(parts[0])},${id(parts[parts.length - 1])}` : id(parts[0] ?? t.actorOrder[0]);
  if (!parts.length) out.push(`  participant ${id(t.actorOrder[0])} as ${mermaidText(t.actorOrder[0])}`);
  if (to < t.steps.length) {
    out.push(`  Note over ${span}: continued: steps ${to + 1}..${t.steps.length}`);
    return out.join('\n') + '\n';
  }
  if (t.loop !== undefined && cycleFrom < 0) out.push(`  Note over ${span}: stays in state ${t.loop} for ever`);
  if (o.verdict !== false) out.push(`  Note over ${span}: ${t.kind === 'witness' ? 'reached' : 'VIOLATED'} ${mermaidText(t.property)}: ${mermaidText(t.propertyDoc)}`);
  return out.join('\n') + '\n';
}
