/**
 * A trace in the Informal Trace Format of Apalache and Quint: one variable per actor instance
 * (holding its state value, context and pending timers), one per mailbox, and the event of each
 * step in `mbt::actionTaken` (its parameters in `mbt::nondetPicks`).
 */
import type { Trace } from './types.js';

/** ITF values: integers as {"#bigint": "n"}, the rest as JSON. */
export function itfValue(x: unknown): unknown {
  if (typeof x === 'number') return Number.isInteger(x) ? { '#bigint': String(x) } : x;
  if (Array.isArray(x)) return x.map(itfValue);
  if (x && typeof x === 'object') {
    const o: Record<string, unknown> = {};
    for (const k of Object.keys(x).sort()) o[k] = itfValue((x as Record<string, unknown>)[k]);
    return o;
  }
  return x;
}

export function mailboxVar(actor: string): string {
  return `mailbox::${actor}`;
}

export function traceToItf(t: Trace, timestamp = 0): object {
  const mailboxes = Object.keys(t.initial.mailboxes);
  const vars = [...t.actorOrder, ...mailboxes.map(mailboxVar), ...(mailboxes.length ? ['dropped'] : [])];
  const states = t.states.map((g, i) => {
    const s: Record<string, unknown> = { '#meta': { index: i } };
    for (const a of t.actorOrder) {
      const l = g.actors[a];
      s[a] = itfValue({ value: l.value, context: l.context ?? {}, status: l.status, timers: l.timers });
    }
    for (const m of mailboxes) s[mailboxVar(m)] = itfValue(g.mailboxes[m]);
    if (mailboxes.length) s.dropped = g.dropped;
    const step = i > 0 ? t.steps[i - 1] : undefined;
    s['mbt::actionTaken'] = step ? `${step.actors.join('+')}:${step.event.type}` : 'init';
    const picks: Record<string, unknown> = {};
    if (step) for (const [k, v] of Object.entries(step.event)) if (k !== 'type') picks[k] = v;
    s['mbt::nondetPicks'] = itfValue(picks);
    return s;
  });
  const meta: Record<string, unknown> = {
    format: 'ITF',
    'format-description': 'https://apalache-mc.org/docs/adr/015adr-trace.html',
    source: `daxcheck spec ${t.spec}${t.variant ? ` variant ${t.variant}` : ''}`,
    // A liveness lasso says so: `loop` (top level, as in ADR-015) is the index of the state where
    // the cycle starts; the last state equals states[loop] (docs/semantics.md §8).
    status: t.kind === 'witness' ? 'witness' : t.kind === 'lasso' ? 'lasso' : 'violation',
    description: `${t.property}: ${t.propertyDoc}${t.kind === 'lasso' && t.loop !== undefined ? (t.loop === t.states.length - 1 ? ` (liveness violation: stays in state ${t.loop} for ever)` : ` (liveness violation: loops back to state ${t.loop})`) : ''}`,
    timestamp,
  };
  const out: Record<string, unknown> = { '#meta': meta, vars, states };
  if (t.loop !== undefined) out.loop = t.loop;
  return out;
}
