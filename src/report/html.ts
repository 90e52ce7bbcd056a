/**
 * The review as an HTML page that opens offline from file:// (docs/reports.md): `report.html` with
 * per spec the verdict table (each variant's preset and the knobs beyond it) and the model
 * coverage, and per violation a heading whose details load from a sibling script
 * `html/traces/STEM.js` when it scrolls into view: the race table (one column per thread), the
 * sequence diagram in parts of at most 12 steps, the statechart of each actor involved with the
 * states the trace passed through marked, the final state and the property in words. Mermaid
 * (`html/mermaid.min.js`) and each spec's statecharts (`html/charts/SPEC.js`) are written once;
 * a trace carries only which states to mark. Scripts load with <script src>, which file:// allows
 * (fetch would not), so nothing goes to the network.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { AnyStateMachine } from 'xstate';
import { timerDependence, type VariantRun } from '../review/run.js';
import type { Spec } from '../spec/types.js';
import { initialNodes, machineToMermaid, nodesOfValue } from '../draw/statechart.js';
import { sequenceParts, traceToMermaid } from '../trace/mermaid.js';
import { raceRows } from '../trace/racelayout.js';
import { raceColumns, raceTable } from '../trace/racetable.js';
import { lassoMarker, lassoSummary } from '../trace/text.js';
import type { Trace } from '../trace/types.js';
import { showTransition, specCoverage } from './coverage.js';
import { knobsLine, runKnobs } from './knobs.js';
import { traceStem } from './stem.js';
import { deadModelling, deadTotals } from './dead.js';
import { specAtomicity } from './atomicity.js';
import { falsifiability, falsifiabilityFailures, killText } from '../review/falsify.js';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
/** Escapes element text (not attributes): only `&` and `<` need it, which keeps diagrams short. */
const escText = (s: string) => s.replace(/[&<]/g, (c) => (c === '&' ? '&amp;' : '&lt;'));

/**
 * Mermaid's browser bundle (copied beside the page, so it works offline): the installed package's
 * own copy (dist/vendor/, written at prepack by scripts/vendor-mermaid.mjs), else, in a checkout,
 * the devDependency's.
 */
export function mermaidBundle(): string {
  const vendored = fileURLToPath(new URL('../../vendor/mermaid.min.js', import.meta.url));
  if (existsSync(vendored)) return readFileSync(vendored, 'utf8');
  const require = createRequire(import.meta.url);
  return readFileSync(require.resolve('mermaid/dist/mermaid.min.js'), 'utf8');
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

/** The race table: a column per thread, other actors abbreviated (`actor: fn`) in the last column. */
function raceHtml(t: Trace): string {
  const columns = raceColumns(t);
  const rows = raceRows(t, columns, { params: true });
  const side = rows.some((r) => r.lead || r.notes.length);
  const head = `<tr><th>#</th>${columns.map((c) => `<th>${esc(c)}</th>`).join('')}${side ? '<th class="side">other actors</th>' : ''}</tr>`;
  const trs = rows.map((r) => {
    const cells = columns.map((c) => `<td>${r.cells[c] ? escText(r.cells[c]) : ''}</td>`).join('');
    const other = [r.lead, ...r.notes].filter((x): x is string => !!x);
    return `<tr${r.violating ? ' class="violating"' : ''}><td class="n">${r.step}</td>${cells}${side ? `<td class="side">${other.map(escText).join('<br>')}</td>` : ''}</tr>`;
  });
  // A lasso: a marker row where the cycle starts (or, stuttering, after the last step).
  const m = lassoMarker(t);
  if (m) trs.splice(m.before, 0, `<tr class="cycle"><td colspan="${1 + columns.length + (side ? 1 : 0)}">${esc(m.text)}</td></tr>`);
  return `<table class="race">${head}${trs.join('')}</table>`;
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
  return `<div class="scroll"><pre class="mermaid ${cls}">${escText(text)}</pre></div>`;
}

/** Base statecharts of a spec, each text once: `spec#i` -> Mermaid text (html/charts/SPEC.js). */
type ChartTable = Map<string, string>;

function chartKey(table: ChartTable, spec: string, text: string): string {
  for (const [k, v] of table) if (v === text) return k;
  const k = `${spec}#${table.size}`;
  table.set(k, text);
  return k;
}

/** The command that walks this counterexample in `daxcheck explore` (run in the report folder). */
function exploreHtml(spec: Spec, t: Trace): string {
  const cmd = `daxcheck explore ${spec.name} --trace traces/${traceStem(t)}.trace.json`;
  return `<p class="explore">Walk it step by step: <code>${esc(cmd)}</code> <span class="meta">(in the report folder; a spec file by its path)</span></p>`;
}

/** The heading of a violation in the page; its details load from html/traces/STEM.js. */
function violationHead(spec: Spec, run: VariantRun, t: Trace, stem: string): string {
  const c = run.cells.find((x) => x.property === t.property);
  const expected = c?.expected ? `; expected ${esc(c.expected.verdict)} (${esc(c.expected.cite)})` : '';
  const what = t.kind === 'lasso' && t.loop !== undefined ? `liveness VIOLATED: lasso of ${t.steps.length} steps (${lassoSummary(t)})` : `VIOLATED in ${t.steps.length} steps`;
  return `<article class="violation${t.kind === 'lasso' ? ' lasso' : ''}" id="${anchor(spec.name, run.variant, t.property)}">
<h3>${esc(run.variant)} / ${esc(t.property)}: ${esc(what)} <span class="${c?.ok ? 'ok' : 'bad'}">${c?.ok ? 'as expected' : 'NOT as expected'}</span></h3>
<p class="property"><b>${esc(t.property)}</b>: ${esc(t.propertyDoc)}</p>
<p class="meta">${esc(knobsLine(runKnobs(run)))}${expected}</p>
${exploreHtml(spec, t)}
<div class="detail" data-trace="${esc(stem)}" data-src="html/traces/${esc(stem)}.js"><p class="meta">loading the race, the sequence and the statecharts…</p></div>
</article>`;
}

/**
 * The details of a violation (the content of html/traces/STEM.js). They depend on the steps only,
 * not on the property (the heading in the page names it), so violations of one run with the same
 * steps share one file.
 */
function violationDetail(spec: Spec, run: VariantRun, t: Trace, charts: ChartTable): string {
  const rt = raceTable(t);
  const sys = spec.system(run.result.knobs);
  const moved = t.actorOrder.filter((a) => t.steps.some((s) => s.actors.includes(a)));
  const figures = moved.map((a) => {
    const machine = sys.actors[a]?.machine;
    if (!machine) return '';
    const base = machineToMermaid(machine);
    const full = machineToMermaid(machine, marks(t, a, machine));
    // The marks are the `class` lines machineToMermaid appends after the base chart.
    const chart = full.startsWith(base)
      ? `<div class="scroll"><pre class="mermaid statechart" data-chart="${esc(chartKey(charts, spec.name, base))}" data-marks="${esc(full.slice(base.length))}"></pre></div>`
      : diagram(full, 'statechart');
    return `<figure class="chart"><figcaption>${esc(a)} <span class="machine">(${esc(machine.id)})</span></figcaption>${chart}</figure>`;
  });
  const parts = sequenceParts(t);
  const seq = parts.map((p) => `${parts.length > 1 ? `<p class="part">steps ${p.from + 1}..${p.to} of ${t.steps.length}</p>` : ''}${diagram(traceToMermaid(t, p, { verdict: false }), 'sequence')}`);
  return `<h4>Race</h4>
<div class="scroll">${raceHtml(t)}</div>
<h4>Final state</h4>
<pre class="final">${rt.final.map(escText).join('\n')}</pre>
<h4>Sequence</h4>
${seq.join('\n')}
<details class="charts"><summary><h4>Statecharts of the actors involved (${figures.filter(Boolean).length})</h4></summary>
<p class="legend"><span class="k visited">passed through</span> <span class="k final">final state</span></p>
<div class="charts">${figures.join('\n')}</div>
</details>`;
}

/** The file stem of each violation's details: the first violation of its run with the same steps. */
function detailStems(vs: readonly { run: VariantRun; t: Trace }[]): Map<Trace, string> {
  const first = new Map<string, string>();
  const out = new Map<Trace, string>();
  for (const { run, t } of vs) {
    const key = `${run.spec.name}\u0000${run.variant}\u0000${JSON.stringify(t.steps)}`;
    if (!first.has(key)) first.set(key, traceStem(t));
    out.set(t, first.get(key)!);
  }
  return out;
}

/** The violations with a trace, per run, in report order. */
function violations(runs: readonly VariantRun[]): { run: VariantRun; t: Trace }[] {
  return runs.flatMap((run) => Object.values(run.result.properties).filter((p) => p.verdict === 'violated' && p.trace).map((p) => ({ run, t: p.trace! })));
}

function falsifiabilityHtml(rs: readonly VariantRun[]): string {
  const f = falsifiability(rs)[0];
  if (f.skipped) return `<p class="meta">Check skipped: ${esc(f.skipped)}.</p>`;
  const rows = f.properties.map((k) => `<tr class="${k.ok ? '' : 'mismatch'}"><td>${esc(k.property)}</td><td${k.ok ? '' : ' class="mismatch"'}>${k.ok ? '' : '✗ '}${esc(killText(k))}</td></tr>`);
  return `<table class="kills"><tr><th>property</th><th>kill</th></tr>${rows.join('')}</table>`;
}

function atomicityHtml(spec: Spec, rs: readonly VariantRun[]): string {
  const atom = specAtomicity(spec, rs);
  if (!atom.length) return '<p class="meta">No step moves two or more instances.</p>';
  const rows = atom.map((a) => `<tr><td>${esc(a.event)}</td><td>${esc(a.actors)}</td><td${a.ok ? '' : ' class="mismatch"'}>${a.ok ? '' : '✗ '}${esc(a.justification)}</td><td>${a.steps}</td><td>${esc(a.variants.length === rs.length ? 'all' : a.variants.join(', '))}</td></tr>`);
  return `<table class="atomicity"><tr><th>event</th><th>instances</th><th>justification (meta.atomic)</th><th>explored steps</th><th>variants</th></tr>${rows.join('')}</table>`;
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

function timersHtml(runs: readonly VariantRun[]): string {
  const n = runs.filter((r) => r.ordered).length;
  if (!n) return '';
  const ds = timerDependence(runs);
  const body = ds.length
    ? `<ul>${ds.map((d) => `<li>${esc(d.run.spec.name)} / ${esc(d.run.variant)} / ${esc(d.property)}: ${esc(d.untimed)} → ${esc(d.ordered)}</li>`).join('')}</ul>`
    : `<p>No verdict depends on timer order (${n} variants run untimed and ordered).</p>`;
  return `<section id="timer-order"><h2>Timer order (review --timers both)</h2><p class="meta">Verdicts that change under ordered timers; the tables and the gate are untimed.</p>${body}</section>`;
}

function deadHtml(runs: readonly VariantRun[]): string {
  const dead = deadModelling(runs);
  if (!dead.length) return '';
  const t = deadTotals(dead);
  const items = dead.map((d) => {
    const n = d.deadStates.length + d.deadTransitions.length;
    const list = n ? `<ul>${d.deadStates.map((s) => `<li>state <code>${esc(s)}</code></li>`).join('')}${d.deadTransitions.map((x) => `<li>transition <code>${esc(showTransition(x))}</code></li>`).join('')}</ul>` : '';
    return `<li class="${n ? 'dead' : 'full'}"><b>${esc(d.machine)}</b> (${esc(d.specs.join(', '))}): ${d.deadStates.length} of ${d.statesTotal} states, ${d.deadTransitions.length} of ${d.transitionsTotal} transitions dead${list}</li>`;
  });
  return `<section id="dead-modelling"><h2>Dead modelling</h2><p class="meta">Across every reviewed spec (machines matched by id): ${t.deadStates}/${t.states} states and ${t.deadTransitions}/${t.transitions} transitions that no variant reaches. Informational, not gated.</p><ul class="coverage">${items.join('')}</ul></section>`;
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
div.charts{display:flex;flex-wrap:wrap;gap:1em} details.charts summary h4{display:inline;cursor:pointer} figure.chart{margin:0;border:1px solid #ddd;padding:.3em} figcaption{font-weight:600} .machine{font-weight:400;color:#666}
.k{display:inline-block;padding:0 .4em;border:1px solid #999;margin-right:.5em} .k.visited{background:#ffe9a8} .k.final{background:#f8b4b4}
ul.coverage li.dead{color:#7a4b00} ul.coverage li.full{color:#176317}
td.knobs{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.85em;max-width:40em}
.scroll{overflow-x:auto;max-width:100%} .scroll>pre.mermaid{display:inline-block;min-width:0} pre.mermaid svg{max-width:none}
p.part{margin:.6em 0 .2em;color:#555;font-size:.9em}
`;

export interface HtmlOptions {
  /** The Mermaid bundle to write beside the page (default: node_modules/mermaid/dist/mermaid.min.js). */
  readonly mermaidJs?: string;
  /** Up to this many violations load and render at once; more load as they scroll into view (default 40). */
  readonly eager?: number;
}

function verdictTable(rs: readonly VariantRun[], props: readonly string[]): string {
  const rows = rs.map((r) => {
    const w = r.cells.filter((c) => c.property.startsWith('witness:'));
    const complete = r.result.complete || r.result.stop === 'all-decided';
    const k = runKnobs(r);
    return `<tr><td>${esc(r.variant)}</td><td>${esc(k.preset ?? 'defaults')}</td><td class="knobs">${esc(k.beyond.join(' ') || '-')}</td><td>${r.result.stats.states}${complete ? '' : '+ (incomplete)'}</td><td>${w.filter((c) => c.result.verdict === 'reached').length}/${w.length}</td>${props.map((p) => verdictCell(r, p)).join('')}</tr>`;
  });
  return `<table class="verdicts"><tr><th>variant</th><th>preset</th><th>knobs beyond the preset</th><th>states</th><th>witnesses</th>${props.map((p) => `<th>${esc(p)}</th>`).join('')}</tr>${rows.join('')}</table>`;
}

/** The page, report.html. Its scripts are the files of `htmlSiblings`, relative to it. */
export function htmlReport(runs: readonly VariantRun[], opts: HtmlOptions = {}): string {
  const specs = [...new Set(runs.map((r) => r.spec))];
  const bad = runs.flatMap((r) => r.cells.filter((c) => !c.ok).map((c) => ({ r, c })));
  const sections = specs.map((spec) => {
    const rs = runs.filter((r) => r.spec === spec);
    const props = rs[0].cells.filter((c) => !c.property.startsWith('witness:')).map((c) => c.property);
    const stems = detailStems(violations(rs));
    const vs = violations(rs).map(({ run, t }) => violationHead(spec, run, t, stems.get(t)!));
    return `<section class="spec" id="spec-${esc(spec.name)}">
<h2>${esc(spec.name)}: ${esc(spec.title)}</h2>
${spec.doc ? `<p>${esc(spec.doc)}</p>` : ''}
<div class="scroll">${verdictTable(rs, props)}</div>
${vs.length ? `<h3>Counterexamples</h3>${vs.join('\n')}` : '<p>No violation in any variant.</p>'}
<h3>Atomicity of multi-instance steps</h3>
${atomicityHtml(spec, rs)}
<h3>Falsifiability</h3>
${falsifiabilityHtml(rs)}
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
  const chartScripts = specs.filter((spec) => violations(runs.filter((r) => r.spec === spec)).length).map((spec) => `<script src="html/charts/${esc(fileSafe(spec.name))}.js"></script>`);
  const eager = String(Math.max(0, Math.floor(opts.eager ?? 40)));
  const unkilled = falsifiabilityFailures(falsifiability(runs));
  const killSummary = unkilled.length ? `<p class="bad">${unkilled.length} propert${unkilled.length === 1 ? 'y' : 'ies'} not shown able to fail:</p><ul>${unkilled.map((l) => `<li>${esc(l)}</li>`).join('')}</ul>` : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>daxcheck review</title><style>${STYLE}</style></head>
<body data-render="pending">
<h1>daxcheck review</h1>
${summary}
${killSummary}
${sections.join('\n')}
${timersHtml(runs)}
${deadHtml(runs)}
<script>window.daxcheckChartTexts = {}; window.daxcheckCharts = function (c) { for (var k in c) window.daxcheckChartTexts[k] = c[k]; };</script>
${chartScripts.join('\n')}
<script src="html/mermaid.min.js"></script>
<script>${CLIENT.replace('EAGER', eager)}</script>
</body></html>
`;
}

const fileSafe = (s: string) => s.replace(/[^A-Za-z0-9_-]/g, '_');

/**
 * The files beside report.html, by path relative to it: html/mermaid.min.js, html/charts/SPEC.js
 * (each statechart of a spec once), html/traces/STEM.js (one violation's details).
 */
export function htmlSiblings(runs: readonly VariantRun[], opts: HtmlOptions = {}): Record<string, string> {
  const files: Record<string, string> = { 'html/mermaid.min.js': opts.mermaidJs ?? mermaidBundle() };
  for (const spec of new Set(runs.map((r) => r.spec))) {
    const charts: ChartTable = new Map();
    const vs = violations(runs.filter((r) => r.spec === spec));
    const stems = detailStems(vs);
    for (const { run, t } of vs) {
      const stem = stems.get(t)!;
      if (stem !== traceStem(t)) continue;
      files[`html/traces/${stem}.js`] = `daxcheckTrace(${JSON.stringify(stem)}, ${JSON.stringify(violationDetail(spec, run, t, charts))});\n`;
    }
    if (vs.length) files[`html/charts/${fileSafe(spec.name)}.js`] = `daxcheckCharts(${JSON.stringify(Object.fromEntries(charts), null, 0)});\n`;
  }
  return files;
}

/**
 * In the page: loads each violation's details (a <script src> per trace) and renders its diagrams.
 * A small report loads everything at once; a large one loads a violation as it nears the viewport
 * (window.daxcheckRenderAll() loads the rest). <body data-render>: done | lazy | error.
 */
const CLIENT = `
(function () {
  var body = document.body;
  var details = Array.prototype.slice.call(document.querySelectorAll('div.detail[data-src]'));
  var cache = {}, waiting = {}, left = details.length, failed = false, busy = false, first = [], later = [];
  var lazy = details.length > EAGER && 'IntersectionObserver' in window;
  function fail(e) {
    failed = true;
    console.error('daxcheck report: ' + (e && e.message ? e.message : e));
    body.setAttribute('data-render', 'error');
  }
  function finished() { left--; if (!left && !failed) body.setAttribute('data-render', 'done'); }
  // Violations with the same steps share one file: it loads once and fills each of them.
  window.daxcheckTrace = function (stem, html) {
    cache[stem] = html;
    (waiting[stem] || []).forEach(fill);
    waiting[stem] = [];
  };
  function fill(d) {
    d.innerHTML = cache[d.getAttribute('data-trace')];
    var pres = Array.prototype.slice.call(d.querySelectorAll('pre.mermaid'));
    pres.forEach(function (p) {
      var k = p.getAttribute('data-chart');
      if (k) p.textContent = (window.daxcheckChartTexts[k] || '') + (p.getAttribute('data-marks') || '');
    });
    // Statecharts (slow to lay out) render when their box opens: open at once in a small report,
    // on a click in a large one.
    var box = d.querySelector('details.charts');
    var charts = pres.filter(function (p) { return !p.classList.contains('sequence'); });
    var todo = pres.length - (lazy ? charts.length : 0);
    function job(p) { return { el: p, done: function () { if (!--todo) finished(); } }; }
    pres.forEach(function (p) { if (p.classList.contains('sequence')) first.push(job(p)); });
    if (box && charts.length) {
      var queued = false;
      var queue = function () { if (queued) return; queued = true; charts.forEach(function (p) { later.push(lazy ? { el: p, done: function () {} } : job(p)); }); pump(); };
      box.addEventListener('toggle', function () { if (box.open) queue(); });
      if (!lazy) { box.open = true; queue(); }
    }
    if (!todo) finished();
    pump();
  }
  // One diagram at a time; every loaded sequence diagram before any statechart (they are slower).
  function pump() {
    if (busy || failed) return;
    var job = first.shift() || later.shift();
    if (!job) return;
    busy = true;
    mermaid.run({ nodes: [job.el] }).then(function () { busy = false; job.done(); pump(); }, fail);
  }
  function load(d) {
    if (d.getAttribute('data-queued')) return;
    d.setAttribute('data-queued', '1');
    var stem = d.getAttribute('data-trace');
    if (cache[stem]) { fill(d); return; }
    (waiting[stem] = waiting[stem] || []).push(d);
    if (waiting[stem].length > 1) return;
    var s = document.createElement('script');
    s.src = d.getAttribute('data-src');
    s.onerror = function () { fail('cannot load ' + s.src); };
    body.appendChild(s);
  }
  window.daxcheckRenderAll = function () { details.forEach(load); };
  try {
    mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', maxTextSize: 1000000,
      sequence: { useMaxWidth: false, actorFontSize: 14, messageFontSize: 14, noteFontSize: 13, wrap: false },
      state: { useMaxWidth: false } });
  } catch (e) { fail(e); return; }
  if (!details.length) { body.setAttribute('data-render', 'done'); return; }
  if (!lazy) { window.daxcheckRenderAll(); return; }
  body.setAttribute('data-render', 'lazy');
  var io = new IntersectionObserver(function (entries) {
    entries.forEach(function (en) { if (en.isIntersecting) { io.unobserve(en.target); load(en.target); } });
  }, { rootMargin: '300px' });
  details.forEach(function (d) { io.observe(d); });
})();
`;
