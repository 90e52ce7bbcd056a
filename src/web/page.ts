/**
 * The explore page: one HTML document and one script, no framework. The statecharts are drawn once
 * with Mermaid (served by the same server); a step only fetches a JSON view and moves the marks.
 * The path lives in the URL fragment (`#line=3.17.5&at=2&trace=0`), so a reload or another tab of
 * the same server run shows the same state, and the browser's own back button walks it too.
 */

const STYLE = `
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1b1b1b;font-size:14px}
header{position:sticky;top:0;z-index:5;background:#fafafa;border-bottom:1px solid #ccc;padding:.5em 1em;display:flex;flex-wrap:wrap;gap:.6em;align-items:center}
header h1{font-size:1.1em;margin:0 .6em 0 0} header .knobs{color:#555;font-size:.8em;max-width:60em;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
button{font:inherit;cursor:pointer} button:disabled{cursor:default}
#nav button{min-width:2.2em}
main{display:grid;grid-template-columns:minmax(22em,30em) 1fr;gap:1em;padding:1em;align-items:start}
#left{position:sticky;top:4.2em;max-height:calc(100vh - 5em);overflow:auto}
#racebox{max-height:40vh;overflow:auto;border:1px solid #ddd}
h2{font-size:1em;margin:.8em 0 .3em;border-bottom:1px solid #999}
table{border-collapse:collapse} th,td{border:1px solid #ccc;padding:.15em .45em;text-align:left;vertical-align:top}
th{background:#f0f0f0}
#steps{list-style:none;padding:0;margin:0}
#steps li{margin:.25em 0}
#steps button{width:100%;text-align:left;border:1px solid #aaa;background:#fff;border-radius:4px;padding:.3em .5em}
#steps button:hover{background:#eef3ff}
#steps li.next button{border:2px solid #2456c8}
.cell{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.9em} .col{font-weight:600;color:#2456c8}
.side{color:#555;font-size:.85em}
.badge{display:inline-block;font-size:.75em;padding:0 .35em;border-radius:3px;margin:.15em .3em 0 0}
.badge.violates{background:#b00000;color:#fff} .badge.reach{background:#ffd9d9;color:#700}
.badge.safe{background:#dff3df;color:#176317} .badge.unknown{background:#eee;color:#666} .badge.next{background:#2456c8;color:#fff}
table.props td.v-violated{color:#a00000;font-weight:700} table.props td.v-holds,table.props td.v-reached{color:#176317}
table.props td.v-n\\/a,table.props td.v-unreached{color:#777}
table.race{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.85em;cursor:pointer}
table.race td.n{color:#777;text-align:right} table.race tr.violating td{background:#ffe0e0}
table.race tr.ahead td{color:#aaa;background:#fafafa} table.race tr.current td{outline:2px solid #2456c8;outline-offset:-2px}
table.race tr:hover td{background:#eef3ff}
#actors{display:flex;flex-wrap:wrap;gap:1em}
.actor{border:1px solid #ccc;border-radius:4px;padding:.4em;max-width:100%}
.actor h3{margin:0 0 .3em;font-size:1em} .actor h3 .m{font-weight:400;color:#666} .actor .val{font-family:ui-monospace,Menlo,Consolas,monospace;color:#a00000}
.actor.moved{border-color:#2456c8;box-shadow:0 0 0 1px #2456c8}
.chart{overflow:auto;max-width:48em;max-height:34em} .chart.fit svg{max-width:100%;max-height:33em;height:auto}
.actor h3 button.fit{font-size:.75em;padding:0 .4em}
.chart g.node.active > rect,.chart g.node.active > path,.chart g.node.active > g > rect,.chart g.node.active > g > path,.chart g.node.active .label-container{fill:#f8b4b4 !important;stroke:#b00000 !important;stroke-width:3px !important}
.chart g.statediagram-cluster.active > rect.outer{stroke:#b00000 !important;stroke-width:2px !important}
table.ctx{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.8em;margin-top:.3em}
.error{color:#b00000;font-weight:600} .meta{color:#555;font-size:.85em} #status{font-size:.85em;color:#555}
#tracebar{font-size:.85em}
`;

export const PAGE_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,"><title>daxcheck explore</title><style>${STYLE}</style></head>
<body data-state="loading">
<header>
  <h1 id="title">daxcheck explore</h1>
  <span id="nav">
    <button id="first" title="the initial state">start</button>
    <button id="back" title="back one step">◀ back</button>
    <button id="fwd" title="forward one step along the path">forward ▶</button>
  </span>
  <label>open trace <input type="file" id="file" accept=".json,application/json"></label>
  <select id="traces"><option value="">(no trace)</option></select>
  <span id="status"></span>
  <div class="knobs" id="knobs"></div>
</header>
<main>
  <section id="left">
    <div id="error" class="error"></div>
    <div id="tracebar"></div>
    <h2>Enabled steps (<span id="nsteps">0</span>)</h2>
    <ul id="steps"></ul>
    <h2>Properties</h2>
    <table class="props"><thead><tr><th>property</th><th>now</th><th>violation reachable from here</th></tr></thead><tbody id="props"></tbody></table>
  </section>
  <section>
    <h2>Path (<span id="pos"></span>)</h2>
    <div id="racebox"><table class="race" id="race"></table></div>
    <h2>Global state</h2>
    <div id="actors"></div>
  </section>
</main>
<script src="mermaid.js"></script>
<script src="app.js"></script>
</body></html>
`;

export const PAGE_JS = String.raw`'use strict';
(function () {
  var $ = function (id) { return document.getElementById(id); };
  function esc(s) { return String(s).replace(/[&<>"']/g, function (c) { return '&#' + c.charCodeAt(0) + ';'; }); }
  var view = null, seq = 0, poll = null, asked = 0;

  // ---- the URL fragment holds the path: line (step codes), position, trace shown ----
  function readHash() {
    var h = new URLSearchParams(location.hash.slice(1));
    var line = (h.get('line') || '').split('.').filter(function (x) { return /^\d+$/.test(x); }).map(Number);
    var at = h.has('at') ? Number(h.get('at')) : line.length;
    var trace = h.has('trace') && h.get('trace') !== '' ? Number(h.get('trace')) : null;
    return { line: line, at: at, trace: trace };
  }
  function go(line, at, trace) {
    asked = performance.now();
    var p = new URLSearchParams();
    p.set('line', line.join('.'));
    p.set('at', String(at));
    if (trace !== null && trace !== undefined) p.set('trace', String(trace));
    var h = '#' + p.toString();
    if (location.hash === h) load(); else location.hash = h;
  }
  function api(path, opts) {
    return fetch(path, opts).then(function (r) {
      return r.json().then(function (j) { if (!r.ok) throw new Error(j.error || r.statusText); return j; });
    });
  }

  // ---- statecharts: drawn once; a step only moves the marks ----
  var charts = {};
  function tagNodes(el) {
    el.querySelectorAll('g[id]').forEach(function (g) {
      var m = /^state-(.+)-\d+$/.exec(g.id);
      if (m) g.setAttribute('data-node', m[1]);
      else if (g.classList.contains('statediagram-cluster')) g.setAttribute('data-node', g.id);
    });
  }
  function drawCharts(list) {
    mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', maxTextSize: 1000000, state: { useMaxWidth: false } });
    var box = $('actors'), chain = Promise.resolve();
    list.forEach(function (c, i) {
      var card = document.createElement('div');
      card.className = 'actor';
      card.setAttribute('data-actor', c.actor);
      card.innerHTML = '<h3>' + esc(c.actor) + ' <span class="m">(' + esc(c.machine) + ')</span>: <span class="val"></span> <button class="fit" title="fit the chart to the box, or back to full size">fit</button></h3>' +
        '<div class="chart"></div><div class="details"></div>';
      box.appendChild(card);
      charts[c.actor] = card;
      card.querySelector('button.fit').onclick = function () { card.querySelector('.chart').classList.toggle('fit'); };
      chain = chain.then(function () {
        return mermaid.render('chart' + i, c.mermaid).then(function (r) {
          var el = card.querySelector('.chart');
          el.innerHTML = r.svg;
          tagNodes(el);
        });
      });
    });
    return chain;
  }

  // ---- rendering a view ----
  function cellsHtml(s) {
    var parts = [];
    Object.keys(s.cells).forEach(function (c) { if (s.cells[c]) parts.push('<span class="col">' + esc(c) + '</span> <span class="cell">' + esc(s.cells[c]) + '</span>'); });
    if (s.side && s.side.length) parts.push('<div class="side">' + s.side.map(esc).join('<br>') + '</div>');
    return parts.join(' ');
  }
  function marks(s, reach) {
    var out = s.violates.map(function (p) { return '<span class="badge violates">violates ' + esc(p) + '</span>'; });
    if (s.reachable === null) out.push('<span class="badge unknown" title="' + esc(reachWhy(reach)) + '">reachable violations: not known</span>');
    else if (s.reachable.length) out.push('<span class="badge reach">violation reachable: ' + s.reachable.map(esc).join(', ') + '</span>');
    else out.push('<span class="badge safe">no violation reachable</span>');
    return out.join('');
  }
  function reachWhy(r) {
    if (r.kind === 'exploring') return 'exploring the state space (' + r.states + ' states so far)';
    if (r.kind === 'incomplete') return 'the exploration stopped (' + r.stop + ') after ' + r.states + ' states within the default bounds';
    return 'explored completely: ' + r.states + ' states, ' + r.edges + ' steps';
  }
  function traceInfo(v, h) {
    if (h.trace === null) return '';
    var t = v.traces.filter(function (x) { return x.id === h.trace; })[0];
    if (!t) return '';
    var k = 0;
    while (k < v.line.length && k < t.codes.length && v.line[k] === t.codes[k]) k++;
    var on = k >= v.at;
    var txt = '<b>' + esc(t.title) + '</b>: ' + (on ? 'on the trace (step ' + v.at + ' of ' + t.codes.length + ')' : 'left the trace after step ' + k);
    if (!on || k < t.codes.length && v.line.length !== t.codes.length) txt += ' <button id="retrace">back to the trace at step ' + Math.min(k, v.at) + '</button>';
    return txt;
  }
  /** Scrolls a large chart so that its active state is in view. */
  function centre(box, g) {
    if (box.scrollWidth <= box.clientWidth && box.scrollHeight <= box.clientHeight) return;
    var b = box.getBoundingClientRect(), r = g.getBoundingClientRect();
    box.scrollLeft += r.left + r.width / 2 - (b.left + b.width / 2);
    box.scrollTop += r.top + r.height / 2 - (b.top + b.height / 2);
  }
  function render(v, h) {
    view = v;
    document.title = 'daxcheck explore ' + v.spec + (v.variant ? ' ' + v.variant : '');
    $('title').textContent = 'explore ' + v.spec + (v.variant ? ' / ' + v.variant : '');
    $('knobs').textContent = v.knobs;
    $('knobs').title = v.knobs;
    $('error').textContent = v.error || '';
    $('status').textContent = 'reachability: ' + reachWhy(v.reach) + ' · view ' + v.millis.toFixed(1) + ' ms';
    $('pos').textContent = v.at === 0 ? 'initial state' : 'after step ' + v.at + (v.line.length > v.at ? ' of ' + v.line.length : '');
    $('first').disabled = $('back').disabled = v.at === 0;
    $('fwd').disabled = v.at >= v.line.length;
    // trace selector and banner
    var sel = $('traces');
    if (sel.options.length !== v.traces.length + 1) {
      sel.innerHTML = '<option value="">(no trace)</option>' + v.traces.map(function (t) { return '<option value="' + t.id + '">' + esc(t.title) + '</option>'; }).join('');
    }
    sel.value = h.trace === null ? '' : String(h.trace);
    $('tracebar').innerHTML = traceInfo(v, h);
    var rt = $('retrace');
    if (rt) rt.onclick = function () { var t = v.traces[h.trace]; var k = 0; while (k < v.line.length && k < t.codes.length && v.line[k] === t.codes[k]) k++; go(t.codes.slice(), Math.min(k, v.at), h.trace); };
    // enabled steps
    $('nsteps').textContent = v.enabled.length;
    var cols = v.table.columns;
    $('steps').innerHTML = v.enabled.map(function (s) {
      var next = v.line.length > v.at && v.line[v.at] === s.code;
      return '<li class="' + (next ? 'next' : '') + '" data-code="' + s.code + '" data-actors="' + esc(s.actors.join('+')) + '" data-event="' + esc(JSON.stringify(s.event)) + '"><button data-code="' + s.code + '">' +
        (next ? '<span class="badge next">next on the path</span>' : '') + cellsHtml(s) + (s.kind !== 'local' && s.kind !== 'sync' ? ' <span class="side">(' + esc(s.kind) + ')</span>' : '') +
        '<div>' + marks(s, v.reach) + '</div></button></li>';
    }).join('') || '<li class="meta">no step is enabled here</li>';
    // properties
    $('props').innerHTML = v.properties.map(function (p) {
      var r = p.reachable === null ? (p.kind === 'goal' || p.kind === 'liveness' ? '' : 'not known') : p.reachable ? 'yes' : 'no';
      return '<tr data-prop="' + esc(p.name) + '" title="' + esc(p.doc) + '"><td>' + esc(p.name) + ' <span class="meta">' + esc(p.kind) + '</span></td>' +
        '<td class="v-' + esc(p.value) + '">' + esc(p.value) + (p.note ? ' <span class="meta">' + esc(p.note) + '</span>' : '') + '</td><td>' + r + '</td></tr>';
    }).join('');
    // the path as a race table
    var head = '<tr><th>#</th>' + cols.map(function (c) { return '<th>' + esc(c) + '</th>'; }).join('') + '<th>other actors</th></tr>';
    var rows = ['<tr data-step="0" class="' + (v.at === 0 ? 'current' : '') + '"><td class="n">0</td><td colspan="' + (cols.length + 1) + '" class="meta">initial state</td></tr>'];
    v.table.rows.forEach(function (r) {
      var cls = [r.violating ? 'violating' : '', r.step > v.at ? 'ahead' : '', r.step === v.at ? 'current' : ''].join(' ');
      rows.push('<tr data-step="' + r.step + '" class="' + cls + '"><td class="n">' + r.step + '</td>' + cols.map(function (c) { return '<td>' + esc(r.cells[c] || '') + '</td>'; }).join('') +
        '<td class="side">' + r.side.map(esc).join('<br>') + '</td></tr>');
    });
    $('race').innerHTML = head + rows.join('');
    var cur = $('race').querySelector('tr.current'), box = $('racebox');
    if (cur && (cur.offsetTop < box.scrollTop + 30 || cur.offsetTop + cur.offsetHeight > box.scrollTop + box.clientHeight)) box.scrollTop = cur.offsetTop - box.clientHeight / 2;
    // actors
    var moved = {};
    if (v.at > 0) { var last = v.table.rows[v.at - 1]; Object.keys(last.cells).forEach(function (a) { moved[a] = 1; }); last.side.forEach(function (s) { moved[s.split(':')[0]] = 1; }); }
    // Writes first, then the reads that scroll the charts (one layout, not one per actor); an
    // actor whose state did not change is left alone.
    var toCentre = [];
    v.actors.forEach(function (a) {
      var card = charts[a.id];
      if (!card) return;
      card.classList.toggle('moved', !!moved[a.id]);
      card.querySelector('.val').textContent = a.value;
      var key = a.nodes.join(' ');
      if (card.__nodes !== key) {
        card.__nodes = key;
        var on = {}, leaf = null;
        a.nodes.forEach(function (n) { on[n] = 1; });
        card.querySelectorAll('[data-node]').forEach(function (g) {
          var hit = !!on[g.getAttribute('data-node')];
          g.classList.toggle('active', hit);
          if (hit && !leaf && g.classList.contains('node')) leaf = g;
        });
        if (leaf) toCentre.push([card.querySelector('.chart'), leaf]);
      }
      var d = '';
      if (a.context.length) d += '<table class="ctx">' + a.context.map(function (kv) { return '<tr><th>' + esc(kv[0]) + '</th><td>' + esc(kv[1]) + '</td></tr>'; }).join('') + '</table>';
      if (a.timers.length) d += '<div class="meta">pending timers: ' + a.timers.map(esc).join(', ') + '</div>';
      if (a.mailbox) d += '<div class="meta mailbox">mailbox: ' + (a.mailbox.length ? a.mailbox.map(esc).join(', ') : 'empty') + '</div>';
      if (a.dropped.length) d += '<div class="meta">dropped: ' + a.dropped.map(esc).join(', ') + '</div>';
      if (card.__details !== d) card.querySelector('.details').innerHTML = card.__details = d;
    });
    toCentre.forEach(function (x) { centre(x[0], x[1]); });
    document.body.setAttribute('data-at', String(v.at));
    document.body.setAttribute('data-line', v.line.join('.'));
    document.body.setAttribute('data-reach', v.reach.kind);
    document.body.setAttribute('data-view-ms', v.millis.toFixed(1));
    // The time from the click to the page laid out again (the next frame), for the test to print.
    var t0 = asked;
    asked = 0;
    requestAnimationFrame(function () {
      if (t0) document.body.setAttribute('data-update-ms', (performance.now() - t0).toFixed(1));
      document.body.setAttribute('data-state', 'ready');
    });
    clearTimeout(poll);
    if (v.reach.kind === 'exploring') poll = setTimeout(load, 1000);
  }
  function load() {
    var h = readHash(), my = ++seq;
    document.body.setAttribute('data-state', 'loading');
    return api('api/view?line=' + h.line.join('.') + '&at=' + h.at).then(function (v) {
      if (my === seq) render(v, h);
    }).catch(function (e) { $('error').textContent = String(e.message || e); document.body.setAttribute('data-state', 'error'); });
  }

  // ---- controls ----
  $('steps').addEventListener('click', function (e) {
    var b = e.target.closest('button[data-code]');
    if (!b || !view) return;
    var code = Number(b.getAttribute('data-code')), h = readHash();
    if (view.line.length > view.at && view.line[view.at] === code) go(view.line, view.at + 1, h.trace);
    else go(view.line.slice(0, view.at).concat([code]), view.at + 1, h.trace);
  });
  $('race').addEventListener('click', function (e) {
    var tr = e.target.closest('tr[data-step]');
    if (tr && view) go(view.line, Number(tr.getAttribute('data-step')), readHash().trace);
  });
  $('first').onclick = function () { go(view.line, 0, readHash().trace); };
  $('back').onclick = function () { go(view.line, Math.max(0, view.at - 1), readHash().trace); };
  $('fwd').onclick = function () { go(view.line, Math.min(view.line.length, view.at + 1), readHash().trace); };
  $('traces').onchange = function () {
    var id = $('traces').value;
    if (id === '') return go(view.line, view.at, null);
    go(view.traces[Number(id)].codes.slice(), 0, Number(id));
  };
  $('file').onchange = function () {
    var f = $('file').files[0];
    if (!f) return;
    f.text().then(function (text) { return api('api/trace', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: text }); })
      .then(function (r) { var t = r.traces[0]; go(t.codes.slice(), 0, t.id); })
      .catch(function (e) { $('error').textContent = 'open trace: ' + (e.message || e); });
    $('file').value = '';
  };
  window.addEventListener('hashchange', load);
  document.addEventListener('keydown', function (e) {
    if (!view || e.target.tagName === 'INPUT' || e.target.tagName === 'SELECT') return;
    if (e.key === 'ArrowLeft' && !$('back').disabled) $('back').click();
    if (e.key === 'ArrowRight' && !$('fwd').disabled) $('fwd').click();
  });

  api('api/charts').then(drawCharts).then(load).catch(function (e) {
    $('error').textContent = String(e.message || e);
    document.body.setAttribute('data-state', 'error');
  });
})();
`;
