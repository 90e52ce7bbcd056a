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

export function traceToText(t: Trace): string {
  const head = t.kind === 'witness' ? `Witness for ${t.property}` : `Counterexample: ${t.property} violated`;
  const out = [`${head} (spec ${t.spec}${t.variant ? `, variant ${t.variant}` : ''}, ${t.steps.length} steps)`, `  ${t.propertyDoc}`, '  initial state:', showGlobal(t.initial)];
  t.steps.forEach((s, i) => {
    const fns = s.functions.filter((f) => f.fn).map((f) => (f.cite ? `${f.fn} [${f.cite}]` : f.fn));
    const after = Object.entries(s.after).map(([id, l]) => `${id}=${showValue(l.value)}`).join(' ');
    out.push(`  ${String(i + 1).padStart(3)}. ${s.actors.join('+')}: ${s.kind === 'local' || s.kind === 'sync' ? '' : s.kind + ' '}${showEvent(s.event as never)}${fns.length ? '  ' + fns.join('; ') : ''}  -> ${after}${s.violating ? '   <-- violates ' + t.property : ''}`);
  });
  if (t.loop !== undefined) out.push(`  (loops back to state ${t.loop})`);
  out.push('  final state:', showGlobal(t.states[t.states.length - 1]));
  return out.join('\n');
}
