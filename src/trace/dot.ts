/**
 * A counterexample as a Graphviz DOT graph: one node per global state on the path (the initial
 * and final states in full, the others with the actors that moved), one edge per step labelled
 * with its event and kernel functions; the final state is drawn red for a violation.
 */
import { showFn, shortEvent } from './racetable.js';
import { showValue } from './text.js';
import type { LocalState, Trace } from './types.js';

/** A DOT double-quoted string. */
export function dotString(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\l')}"`;
}

function local(a: string, l: LocalState): string {
  const ctx = l.context && typeof l.context === 'object' && Object.keys(l.context as object).length ? ` ${JSON.stringify(l.context)}` : '';
  return `${a}: ${showValue(l.value)}${ctx}${l.timers.length ? ` timers=${l.timers.length}` : ''}`;
}

export function traceToDot(t: Trace): string {
  const out = [
    `digraph ${dotString(`${t.spec}${t.variant ? ' ' + t.variant : ''} ${t.property}`)} {`,
    '  rankdir=TB;',
    '  node [shape=box, fontname="monospace", fontsize=10];',
    '  edge [fontname="monospace", fontsize=10];',
  ];
  const last = t.states.length - 1;
  t.states.forEach((g, i) => {
    const lines: string[] = [i === 0 ? 'initial' : i === last ? `state ${i} (final)` : `state ${i}`];
    const shown = i === 0 || i === last ? t.actorOrder : Object.keys(t.steps[i - 1].after);
    for (const a of shown) lines.push(local(a, g.actors[a]));
    for (const [m, q] of Object.entries(g.mailboxes)) {
      const changed = i > 0 && JSON.stringify(t.states[i - 1].mailboxes[m]) !== JSON.stringify(q);
      if ((i === 0 || i === last) ? q.length > 0 : changed) lines.push(`mailbox ${m}: [${q.map((e) => e.type).join(', ')}]`);
    }
    if (i === last) lines.push(t.kind === 'witness' ? `reached ${t.property}` : `VIOLATED ${t.property}`);
    const style = i === last && t.kind !== 'witness' ? ', color=red, penwidth=2' : '';
    out.push(`  s${i} [label=${dotString(lines.join('\n') + '\n')}${style}];`);
  });
  t.steps.forEach((s, i) => {
    const fns = [...new Set(s.functions.filter((f) => f.fn).map((f) => `${f.actor}: ${showFn(f.fn!)}`))];
    const kind = s.kind === 'local' || s.kind === 'sync' ? '' : `${s.kind} `;
    const label = [`${i + 1}. ${s.actors.join('+')}: ${kind}${shortEvent(s.event as never)}`, ...fns].join('\n') + '\n';
    out.push(`  s${i} -> s${i + 1} [label=${dotString(label)}${s.violating ? ', color=red' : ''}];`);
  });
  if (t.loop !== undefined) out.push(`  s${last} -> s${t.loop} [style=dashed, label="loop"];`);
  out.push('}');
  return out.join('\n') + '\n';
}
