// Measures htmlReport + htmlSiblings on saved traces (fake runs), for quick size iteration.
import { readFileSync, readdirSync } from 'node:fs';
import { loadSpec } from './src/spec/load.js';
import { htmlSiblings } from './src/report/html.js';
const dir = process.argv[2];
const files = readdirSync(dir).filter((f) => f.endsWith('.trace.json'));
const specs = new Map();
const runs = new Map();
for (const f of files) {
  const t = JSON.parse(readFileSync(`${dir}/${f}`, 'utf8'));
  if (!specs.has(t.spec)) specs.set(t.spec, await loadSpec(t.spec));
  const key = t.spec + '/' + t.variant;
  if (!runs.has(key)) runs.set(key, { spec: specs.get(t.spec), variant: t.variant, result: { knobs: t.knobs, properties: {} }, cells: [] });
  runs.get(key).result.properties[t.property] = { name: t.property, verdict: 'violated', trace: t };
}
const sib = htmlSiblings([...runs.values()] as any, { mermaidJs: '' });
let total = 0; const by: Record<string, number> = {};
for (const [k, v] of Object.entries(sib)) { total += v.length; const g = k.split('/')[1]; by[g] = (by[g] ?? 0) + v.length; }
console.log(total, by);
