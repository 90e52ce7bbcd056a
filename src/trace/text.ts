/** A counterexample as readable text: one line per step, with the kernel function it models. */
import type { GlobalSnapshot, LocalState, Trace } from './types.js';

export function showValue(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object') {
    return Object.entries(v as Record<string, unknown>)
      .map(([k, x]) => (x && typeof x === 'object' ? `${k}.(${showValue(x)})` : `${k}.${String(x)}`))
      .join('|');
  }
  return JSON.stringify(v);
}

export function showEvent(e: { type: string } & Record<string, unknown>): string {
  const params = Object.entries(e).filter(([k]) => k !== 'type');
  return params.length ? `${e.type}(${params.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ')})` : e.type;
}

function showLocal(l: LocalState): string {
  const ctx = l.context && typeof l.context === 'object' && Object.keys(l.context as object).length ? ` ${JSON.stringify(l.context)}` : '';
  const timers = l.timers.length ? ` timers=[${l.timers.join(',')}]` : '';
  return `${showValue(l.value)}${ctx}${timers}`;
}

export function showGlobal(g: GlobalSnapshot, indent = '    '): string {
  const lines = Object.entries(g.actors).map(([id, l]) => `${indent}${id}: ${showLocal(l)}`);
  for (const [id, q] of Object.entries(g.mailboxes)) {
    if (q.length) lines.push(`${indent}mailbox ${id}: [${q.map((e) => showEvent(e as never)).join(', ')}]`);
  }
  if (g.dropped.length) lines.push(`${indent}dropped: ${g.dropped.join(', ')}`);
  return lines.join('\n');
}

/** Does the lasso end by stuttering (no cycle steps: the run stays in its last state for ever)? */
export function isStutter(t: Trace): boolean {
  return t.loop !== undefined && t.loop === t.states.length - 1;
}

/** "state k" in words: state 0 is the initial state, state k the state after step k. */
export function stateName(k: number): string {
  return k === 0 ? 'state 0 (the initial state)' : `state ${k} (after step ${k})`;
}

/** A lasso's shape in one line: its prefix, and its cycle or the state it stays in. */
export function lassoSummary(t: Trace): string {
  const k = t.loop!;
  if (isStutter(t)) return `${t.steps.length} step(s), then stays in state ${k} for ever`;
  return `${k}-step prefix, then a ${t.steps.length - k}-step cycle that loops back to state ${k}`;
}

/**
 * Where a report marks a lasso in its step rows: before row `before` (0-based; = steps.length for
 * after the last row), with `text`. Undefined for a trace that is not a lasso.
 */
export function lassoMarker(t: Trace): { before: number; text: string } | undefined {
  if (t.loop === undefined) return undefined;
  if (isStutter(t)) return { before: t.steps.length, text: `── stays in state ${t.loop} for ever ──` };
  return { before: t.loop, text: `── cycle starts here (state ${t.loop}); steps ${t.loop + 1}..${t.steps.length} repeat for ever ──` };
}

export function traceToText(t: Trace): string {
  const head =
    t.kind === 'witness' ? `Witness for ${t.property}`
    : t.kind === 'lasso' ? `Liveness counterexample (lasso): ${t.property} violated`
    : `Counterexample: ${t.property} violated`;
  const out = [`${head} (spec ${t.spec}${t.variant ? `, variant ${t.variant}` : ''}, ${t.steps.length} steps)`, `  ${t.propertyDoc}`, '  initial state:', showGlobal(t.initial)];
  const cycle = t.loop !== undefined && !isStutter(t) ? t.loop : -1;
  t.steps.forEach((s, i) => {
    if (i === cycle) out.push(`  ---- cycle starts here, at ${stateName(i)}; steps ${i + 1}..${t.steps.length} repeat for ever ----`);
    const fns = s.functions.filter((f) => f.fn).map((f) => (f.cite ? `${f.fn} [${f.cite}]` : f.fn));
    const after = Object.entries(s.after).map(([id, l]) => `${id}=${showValue(l.value)}`).join(' ');
    out.push(`  ${String(i + 1).padStart(3)}. ${s.actors.join('+')}: ${s.kind === 'local' || s.kind === 'sync' ? '' : s.kind + ' '}${showEvent(s.event as never)}${fns.length ? '  ' + fns.join('; ') : ''}  -> ${after}${s.violating ? '   <-- violates ' + t.property : ''}`);
  });
  if (t.loop !== undefined) {
    out.push(isStutter(t)
      ? `  (stays in state ${t.loop} for ever: ${t.loop === 0 ? 'the initial state' : `the state after step ${t.loop}`}, no step taken again)`
      : `  (loops back to state ${t.loop}: the state after step ${t.steps.length} equals ${stateName(t.loop)})`);
  }
  out.push('  final state:', showGlobal(t.states[t.states.length - 1]));
  return out.join('\n');
}
