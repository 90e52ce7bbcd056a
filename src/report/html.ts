/**
 * The review as one self-contained HTML file: no network fetch, Mermaid inlined and run in the
 * page. Per spec: the verdict table; per violation: the race table (one column per thread), the
 * sequence diagram, the statechart of each actor involved with the states the trace passed through
 * marked, the final state and the property in words; then the model coverage.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AnyStateMachine } from 'xstate';
import type { VariantRun } from '../review/run.js';
import type { Spec } from '../spec/types.js';
import { initialNodes, machineToMermaid, nodesOfValue } from '../draw/statechart.js';
import { traceToMermaid } from '../trace/mermaid.js';
import { raceTable } from '../trace/racetable.js';
import { lassoMarker, lassoSummary } from '../trace/text.js';
import type { Trace } from '../trace/types.js';
import { showTransition, specCoverage } from './coverage.js';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The Mermaid bundle shipped in node_modules (inlined, so the page works offline). */
export function mermaidBundle(): string {
  const require = createRequire(import.meta.url);
  const file = require.resolve('mermaid/dist/mermaid.min.js');
  return readFileSync(file, 'utf8').replace(/<\/script/gi, '<\\/script');
}

function verdictCell(run: VariantRun, prop: string): string {
  const c = run.cells.find((x) => x.property === prop);
  if (!c) return '<td></td>';
  const r = c.result;
  const word = r.verdict === 'violated' ? 'VIOLATED' : r.verdict;
  const len = r.traceLength !== undefined && r.kind === 'safety' ? ` (${r.traceLength})` : '';
  const link = r.trace ? `<a href="#${anchor(run.spec.name, run.variant, prop)}">${esc(word)}${len}</a>` : `${esc(word)}${len}`;
  const exp = c.expected ? ` title="expected ${esc(c.expected.verdict)}: ${esc(c.expected.cite)}"` : '';
  return `<td class="v-${esc(r.verdict)}${c.ok ? '' : ' mismatch'}"${exp}>${c.ok ? '' : '✗ '}${link}${c.ok ? '' : `<div class="why">${esc(c.why ?? '')}</div>`}</td>`;
}

export function anchor(spec: string, variant: string, prop: string): string {
  return `cx-${spec}-${variant}-${prop}`.replace(/[^A-Za-z0-9_-]/g, '_');
}

function raceHtml(t: Trace): string {
  const rt = raceTable(t);
  const side = rt.rows.some((r) => r.side.length);
  const head = `<tr><th>#</th>${rt.columns.map((c) => `<th>${esc(c)}</th>`).join('')}${side ? '<th class="side">other actors</th>' : ''}</tr>`;
  const rows = rt.rows.map((r) => {
    const cells = rt.columns.map((c) => `<td>${r.cells[c] ? esc(r.cells[c]) : ''}</td>`).join('');
    return `<tr class="${r.violating ? 'violating' : ''}"><td class="n">${r.step}</td>${cells}${side ? `<td class="side">${r.side.map(esc).join('<br>')}</td>` : ''}</tr>`;
  });
  // A lasso: a marker row where the cycle starts (or, stuttering, after the last step).
  const m = lassoMarker(t);
  if (m) rows.splice(m.before, 0, `<tr class="cycle"><td colspan="${1 + rt.columns.length + (side ? 1 : 0)}">${esc(m.text)}</td></tr>`);
  return `<table class="race">${head}${rows.join('')}</table>`;
}

/** States each actor passed through in a trace, and the states it ended in (node ids). */
function marks(t: Trace, actor: string, machine: AnyStateMachine): { visited: string[]; final: string[] } {
  const visited = new Set<string>(initialNodes(machine));
  for (const g of t.states) for (const id of nodesOfValue(machine, g.actors[actor]?.value)) visited.add(id);
  for (const s of t.steps) for (const f of s.functions) if (f.actor === actor) for (const id of f.to.split(',')) visited.add(id);
  const final = nodesOfValue(machine, t.states[t.states.length - 1].actors[actor]?.value);
  return { visited: [...visited], final };
}

function diagram(text: string, cls: string): string {
  return `<pre class="mermaid ${cls}">${esc(text)}</pre>`;
}

/** The command that opens this counterexample in `daxcheck explore` (run in the report folder). */
function exploreHtml(spec: Spec, t: Trace, file?: (t: Trace) => string): string {
  if (!file) return '';
  const cmd = `daxcheck explore ${spec.name} --trace ${file(t)}`;
  return `<p class="explore">Walk it step by step: <code>${esc(cmd)}</code> <span class="meta">(in the report folder; a spec file by its path)</span></p>`;
}

function violationHtml(spec: Spec, run: VariantRun, t: Trace, traceFile?: (t: Trace) => string): string {
  const rt = raceTable(t);
  const sys = spec.system(run.result.knobs);
  const moved = t.actorOrder.filter((a) => t.steps.some((s) => s.actors.includes(a)));
  const charts = moved.map((a) => {
    const machine = sys.actors[a]?.machine;
    if (!machine) return '';
    const m = marks(t, a, machine);
    return `<figure class="chart"><figcaption>${esc(a)} <span class="machine">(${esc(machine.id)})</span></figcaption>${diagram(machineToMermaid(machine, m), 'statechart')}</figure>`;
  });
  const c = run.cells.find((x) => x.property === t.property);
  const expected = c?.expected ? `expected ${esc(c.expected.verdict)} (${esc(c.expected.cite)})` : '';
  const knobs = Object.entries(t.knobs).map(([k, v]) => `${k}=${v}`).join(' ');
  const what = t.kind === 'lasso' && t.loop !== undefined ? `liveness VIOLATED: lasso of ${t.steps.length} steps (${lassoSummary(t)})` : `VIOLATED in ${t.steps.length} steps`;
  return `<article class="violation${t.kind === 'lasso' ? ' lasso' : ''}" id="${anchor(spec.name, run.variant, t.property)}">
<h3>${esc(run.variant)} / ${esc(t.property)}: ${esc(what)} <span class="${c?.ok ? 'ok' : 'bad'}">${c?.ok ? 'as expected' : 'NOT as expected'}</span></h3>
<p class="property"><b>${esc(t.property)}</b>: ${esc(t.propertyDoc)}</p>
<p class="meta">knobs ${esc(knobs || '-')}; ${expected}</p>
${exploreHtml(spec, t, traceFile)}
<h4>Race</h4>
${raceHtml(t)}
<h4>Final state</h4>
<pre class="final">${rt.final.map(esc).join('\n')}\n\n${esc(rt.verdict)}</pre>
<h4>Sequence</h4>
${diagram(traceToMermaid(t), 'sequence')}
<h4>Statecharts of the actors involved</h4>
<p class="legend"><span class="k visited">passed through</span> <span class="k final">final state</span></p>
<div class="charts">${charts.join('\n')}</div>
</article>`;
}

function coverageHtml(spec: Spec, runs: readonly VariantRun[]): string {
  const cov = specCoverage(spec, runs);
  if (!cov.machines.length) return '<p>No coverage recorded.</p>';
  const items = cov.machines.map((m) => {
    const sReached = m.statesTotal - m.unreachedStates.length;
    const tReached = m.transitionsTotal - m.unreachedTransitions.length;
    const dead = m.unreachedStates.length || m.unreachedTransitions.length;
    const lists = dead
      ? `<ul>${m.unreachedStates.map((s) => `<li>state <code>${esc(s)}</code> never reached</li>`).join('')}${m.unreachedTransitions.map((t) => `<li>transition <code>${esc(showTransition(t))}</code> never taken</li>`).join('')}</ul>`
      : '';
    return `<li class="${dead ? 'dead' : 'full'}"><b>${esc(m.machine)}</b> (${esc(m.actors.join(', '))}): ${sReached}/${m.statesTotal} states, ${tReached}/${m.transitionsTotal} transitions reached${dead ? '' : ': every state and transition reached'}${lists}</li>`;
  });
  return `<p class="meta">over the variants ${esc(cov.variants.join(', '))}</p><ul class="coverage">${items.join('')}</ul>`;
}

const STYLE = `
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:1.5em 2em;color:#1b1b1b;max-width:1400px}
h1{margin-bottom:.2em} h2{border-bottom:2px solid #333;padding-bottom:.2em;margin-top:2em}
table{border-collapse:collapse;margin:.5em 0} th,td{border:1px solid #bbb;padding:.25em .6em;text-align:left;vertical-align:top}
th{background:#f0f0f0} .verdicts td.v-violated{color:#a00000;font-weight:600} .verdicts td.v-holds,.verdicts td.v-reached{color:#176317}
td.mismatch{background:#ffd9d9} .why{font-size:.8em;color:#700} .ok{color:#176317;font-size:.7em} .bad{color:#b00000;font-size:.7em}
table.race{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.85em} table.race td.n{color:#777;text-align:right}
table.race tr.violating td{background:#ffe0e0} table.race tr.cycle td{background:#eef3ff;color:#223c88;text-align:center;font-weight:600} table.race .side{color:#555;background:#fafafa}
pre{background:#f7f7f7;padding:.6em;overflow:auto} pre.mermaid{background:#fff;border:1px solid #ddd}
article.violation{border-left:4px solid #b00000;padding-left:1em;margin:1.5em 0}
.property{font-size:1.05em} .meta{color:#555;font-size:.9em} .explore code{background:#f0f0f0;padding:.1em .3em;user-select:all}
.charts{display:flex;flex-wrap:wrap;gap:1em} figure.chart{margin:0;border:1px solid #ddd;padding:.3em} figcaption{font-weight:600} .machine{font-weight:400;color:#666}
.k{display:inline-block;padding:0 .4em;border:1px solid #999;margin-right:.5em} .k.visited{background:#ffe9a8} .k.final{background:#f8b4b4}
ul.coverage li.dead{color:#7a4b00} ul.coverage li.full{color:#176317}
`;

export interface HtmlOptions {
  /** The Mermaid bundle to inline (default: node_modules/mermaid/dist/mermaid.min.js). */
  readonly mermaidJs?: string;
  /** Up to this many diagrams render at load; more render as they scroll into view (default 80). */
  readonly eager?: number;
  /** Where each counterexample's trace JSON is, relative to the report: shows the explore command. */
  readonly traceFile?: (t: Trace) => string;
}

export function htmlReport(runs: readonly VariantRun[], opts: HtmlOptions = {}): string {
  const specs = [...new Set(runs.map((r) => r.spec))];
  const bad = runs.flatMap((r) => r.cells.filter((c) => !c.ok).map((c) => ({ r, c })));
  const sections = specs.map((spec) => {
    const rs = runs.filter((r) => r.spec === spec);
    const props = rs[0].cells.filter((c) => !c.property.startsWith('witness:')).map((c) => c.property);
    const table = `<table class="verdicts"><tr><th>variant</th><th>knobs</th><th>states</th><th>witnesses</th>${props.map((p) => `<th>${esc(p)}</th>`).join('')}</tr>${rs
      .map((r) => {
        const w = r.cells.filter((c) => c.property.startsWith('witness:'));
        const complete = r.result.complete || r.result.stop === 'all-decided';
        return `<tr><td>${esc(r.variant)}</td><td>${esc(Object.entries(r.result.knobs).map(([k, v]) => `${k}=${v}`).join(' '))}</td><td>${r.result.stats.states}${complete ? '' : '+ (incomplete)'}</td><td>${w.filter((c) => c.result.verdict === 'reached').length}/${w.length}</td>${props.map((p) => verdictCell(r, p)).join('')}</tr>`;
      })
      .join('')}</table>`;
    const violations = rs.flatMap((r) => Object.values(r.result.properties).filter((p) => p.verdict === 'violated' && p.trace).map((p) => violationHtml(spec, r, p.trace!, opts.traceFile)));
    return `<section class="spec" id="spec-${esc(spec.name)}">
<h2>${esc(spec.name)}: ${esc(spec.title)}</h2>
${spec.doc ? `<p>${esc(spec.doc)}</p>` : ''}
${table}
${violations.length ? `<h3>Counterexamples</h3>${violations.join('\n')}` : '<p>No violation in any variant.</p>'}
<h3>Model coverage</h3>
${coverageHtml(spec, runs)}
</section>`;
  });
  const combos = runs.filter((r) => r.combination).length;
  const summary = combos && !bad.length
    ? `<p class="meta" style="font-size:1em">${combos} knob combination(s) (review --knobs): verdicts only; they declare no expectations, so nothing is gated.</p>`
    : bad.length
    ? `<p class="bad">${bad.length} verdict(s) differ from their expectation:</p><ul>${bad.map(({ r, c }) => `<li>${esc(r.spec.name)} / ${esc(r.variant)} / ${esc(c.property)}: ${esc(c.why ?? '')}</li>`).join('')}</ul>`
    : `<p class="ok" style="font-size:1em">All ${runs.length} variants of ${specs.length} spec(s) match their expected verdicts.</p>`;
  const js = opts.mermaidJs ?? mermaidBundle();
  const eager = String(Math.max(0, Math.floor(opts.eager ?? 80)));
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>daxcheck review</title><style>${STYLE}</style></head>
<body data-render="pending">
<h1>daxcheck review</h1>
${summary}
${sections.join('\n')}
<script>${js}</script>
<script>
(function () {
  // Small reports render every diagram at once; large ones render each diagram as it scrolls
  // into view (window.daxcheckRenderAll() renders the rest). data-render: done | error.
  var body = document.body;
  var all = Array.prototype.slice.call(document.querySelectorAll('pre.mermaid'));
  var left = all.length, failed = false, chain = Promise.resolve();
  function fail(e) {
    failed = true;
    console.error('mermaid: ' + (e && e.message ? e.message : e));
    body.setAttribute('data-render', 'error');
  }
  function render(el) {
    if (el.getAttribute('data-queued')) return chain;
    el.setAttribute('data-queued', '1');
    chain = chain.then(function () { return mermaid.run({ nodes: [el] }); }).then(function () {
      left--;
      if (!left && !failed) body.setAttribute('data-render', 'done');
    }, fail);
    return chain;
  }
  window.daxcheckRenderAll = function () { all.forEach(render); return chain; };
  try {
    mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', maxTextSize: 1000000, sequence: { useMaxWidth: true }, state: { useMaxWidth: false } });
  } catch (e) { fail(e); return; }
  if (!all.length) { body.setAttribute('data-render', 'done'); return; }
  if (all.length <= ${eager} || !('IntersectionObserver' in window)) { window.daxcheckRenderAll(); return; }
  body.setAttribute('data-render', 'lazy');
  var io = new IntersectionObserver(function (entries) {
    entries.forEach(function (en) { if (en.isIntersecting) { io.unobserve(en.target); render(en.target); } });
  }, { rootMargin: '800px' });
  all.forEach(function (el) { io.observe(el); });
})();
</script>
</body></html>
`;
}
