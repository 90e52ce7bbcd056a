/**
 * Every trace export on one known counterexample: the buggy variant of test/fixtures/race-spec.ts,
 * whose shortest trace is derived by hand in that file (6 steps: CPU0 reads the refcount, CPU1's
 * delayed work fires and pins the page, CPU0 unmaps and truncates, the allocator frees the block).
 * The tests check structure (columns, rows, arrows, nodes, edges), not just non-empty output.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkSpec } from '../src/check.js';
import { traceToDot } from '../src/trace/dot.js';
import { traceToItf } from '../src/trace/itf.js';
import { traceToMermaid } from '../src/trace/mermaid.js';
import { raceTable, raceTableText } from '../src/trace/racetable.js';
import { raceText } from '../src/trace/racelayout.js';
import type { Trace } from '../src/trace/types.js';
import { machineInventory, machineToMermaid } from '../src/draw/statechart.js';
import race, { gupCpu, daxPage } from './fixtures/race-spec.js';

let t: Trace;
beforeAll(async () => {
  const r = await checkSpec(race, { variant: 'buggy' });
  t = r.properties.noFreeWhilePinned.trace!;
});

/** The hand-derived shortest counterexample: (actors, event type) per step. */
const EXPECTED = [
  ['cpu0+page', 'read_refs'],
  ['cpu1', 'xstate.after.10.gupCpu.sleeping'],
  ['cpu1+page', 'gup_pin'],
  ['cpu0+page', 'unmap_mapping_range'],
  ['cpu0', 'truncate_inode_pages'],
  ['allocator', 'FREE_BLOCK'],
];

describe('the known trace', () => {
  it('is the hand-derived one', () => {
    expect(t.steps.map((s) => [s.actors.join('+'), s.event.type])).toEqual(EXPECTED);
    expect(t.threads).toEqual(['cpu0', 'cpu1']);
  });
});

describe('race table (CPU columns)', () => {
  it('has one column per thread and each step under the CPU that took it', () => {
    const rt = raceTable(t);
    expect(rt.columns).toEqual(['cpu0', 'cpu1']);
    expect(rt.rows.map((r) => Object.keys(r.cells).join(','))).toEqual(['cpu0', 'cpu1', 'cpu1', 'cpu0', 'cpu0', '']);
    expect(rt.rows[0].cells.cpu0).toContain('dax_layout_busy_page()');
    expect(rt.rows[1].cells.cpu1).toContain('process_one_work()');
    expect(rt.rows[1].cells.cpu1).toContain('timer after 10');
    expect(rt.rows[2].cells.cpu1).toContain('pin_user_pages_fast()');
    expect(rt.rows[2].side).toEqual(['page: try_grab_folio()']);
    expect(rt.rows[5].side[0]).toMatch(/^allocator: xfs_bmap_del_extent_real\(\) +\[<- FREE_BLOCK\]$/);
    expect(rt.final).toContain('page: unmapped {"refs":1}');
    expect(rt.verdict).toMatch(/^VIOLATED noFreeWhilePinned: /);
  });

  it('aligns the text: every cell starts under its column header', () => {
    const lines = raceTableText(t).split('\n');
    const head = lines.find((l) => /\bcpu0\b.*\bcpu1\b/.test(l))!;
    const col1 = head.indexOf('cpu1');
    const side = head.indexOf('other actors');
    expect(col1).toBeGreaterThan(head.indexOf('cpu0'));
    const rows = lines.filter((l) => /^ *\d+[ !] /.test(l));
    expect(rows).toHaveLength(6);
    expect(rows[1].slice(col1)).toMatch(/^process_one_work\(\)/);
    expect(rows[1].slice(0, col1).trim()).toBe('2');
    expect(rows[3].slice(head.indexOf('cpu0'))).toMatch(/^unmap_mapping_range\(\)/);
    expect(rows[5].slice(side)).toMatch(/^allocator: /);
    expect(lines.at(-1)).toMatch(/^VIOLATED noFreeWhilePinned/);
  });
});

describe('Mermaid sequence diagram', () => {
  it('has the participants, an arrow per rendezvous, the emit and the delivery, and the verdict', () => {
    const m = traceToMermaid(t).trim().split('\n');
    expect(m[0]).toBe('sequenceDiagram');
    expect(m.filter((l) => l.trim().startsWith('participant ')).map((l) => l.trim().split(' ')[1])).toEqual(['a_cpu0', 'a_cpu1', 'a_page', 'a_allocator']);
    const arrows = m.filter((l) => /->>|-\)/.test(l)).map((l) => l.trim());
    expect(arrows).toEqual([
      'a_cpu0->>a_page: 1. read_refs(busy=false)',
      'a_cpu1->>a_cpu1: 2. timer after 10',
      'a_cpu1->>a_page: 3. gup_pin',
      'a_cpu0->>a_page: 4. unmap_mapping_range',
      'a_cpu0->>a_cpu0: 5. truncate_inode_pages',
      'a_cpu0-)a_allocator: 5. emit FREE_BLOCK',
      'a_allocator->>a_allocator: 6. deliver FREE_BLOCK',
    ]);
    expect(m).toContain('  Note over a_cpu1,a_page: pin_user_pages_fast() / try_grab_folio()');
    expect(m.at(-1)).toMatch(/^ {2}Note over a_cpu0,a_allocator: VIOLATED noFreeWhilePinned: /);
    expect(m.join('\n')).not.toMatch(/[;#]/);
  });
});

describe('Graphviz DOT', () => {
  it('has one node per state and one edge per step, the final state red', () => {
    const d = traceToDot(t);
    expect(d.startsWith('digraph "race buggy noFreeWhilePinned" {')).toBe(true);
    expect(d.trim().endsWith('}')).toBe(true);
    const nodes = [...d.matchAll(/^ {2}(s\d+) \[label=/gm)].map((x) => x[1]);
    expect(nodes).toEqual(['s0', 's1', 's2', 's3', 's4', 's5', 's6']);
    const edges = [...d.matchAll(/^ {2}(s\d+) -> (s\d+) \[label="([^\\"]*)/gm)].map((x) => [x[1], x[2], x[3]]);
    expect(edges.map((e) => `${e[0]}->${e[1]}`)).toEqual(['s0->s1', 's1->s2', 's2->s3', 's3->s4', 's4->s5', 's5->s6']);
    expect(edges[2][2]).toBe('3. cpu1+page: gup_pin');
    expect(d).toMatch(/^ {2}s6 \[label=".*VIOLATED noFreeWhilePinned.*", color=red, penwidth=2\];$/m);
    expect(d).toMatch(/^ {2}s5 \[label=".*mailbox allocator: \[FREE_BLOCK\]/m);
    // Every quote inside a label is escaped.
    for (const line of d.split('\n').filter((l) => l.includes('label='))) {
      const inner = line.slice(line.indexOf('label="') + 7, line.lastIndexOf('"'));
      expect(inner.replace(/\\./g, '')).not.toContain('"');
    }
  });
});

describe('ITF', () => {
  it('has a state per step with the action taken and the mailbox variable', () => {
    const itf = traceToItf(t) as { vars: string[]; states: Record<string, unknown>[] };
    expect(itf.vars).toEqual(['cpu0', 'cpu1', 'page', 'allocator', 'mailbox::allocator', 'dropped']);
    expect(itf.states).toHaveLength(7);
    expect(itf.states.map((s) => s['mbt::actionTaken'])).toEqual(['init', ...EXPECTED.map(([a, e]) => `${a}:${e}`)]);
    expect((itf.states[3].page as { context: { refs: unknown } }).context.refs).toEqual({ '#bigint': '1' });
    expect(itf.states[5]['mailbox::allocator']).toEqual([{ type: 'FREE_BLOCK' }]);
  });
});

describe('statechart (Mermaid state diagram)', () => {
  it('draws every state and transition, with timers and marks', () => {
    const inv = machineInventory(gupCpu);
    expect(inv.states).toEqual(['gupCpu.sleeping', 'gupCpu.running', 'gupCpu.pinned', 'gupCpu.failed', 'gupCpu.done']);
    expect(inv.transitions.map((x) => `${x.from}>${x.event}>${x.to}`)).toEqual([
      'gupCpu.sleeping>xstate.after.10.gupCpu.sleeping>gupCpu.running',
      'gupCpu.running>gup_pin>gupCpu.pinned',
      'gupCpu.running>gup_fault>gupCpu.failed',
      'gupCpu.pinned>unpin_user_page>gupCpu.done',
    ]);
    const m = machineToMermaid(gupCpu, { visited: ['gupCpu.sleeping', 'gupCpu.running'], final: ['gupCpu.pinned'] }).split('\n');
    expect(m[0]).toBe('stateDiagram-v2');
    expect(m).toContain('  [*] --> s_gupCpu_sleeping');
    expect(m).toContain('  s_gupCpu_sleeping --> s_gupCpu_running : after 10 / process_one_work');
    expect(m).toContain('  class s_gupCpu_sleeping,s_gupCpu_running visited');
    expect(m).toContain('  class s_gupCpu_pinned final');
    expect(m.filter((l) => /^ {2}state "/.test(l))).toHaveLength(5);
  });

  it('merges the transitions between two states into one labelled arrow', () => {
    const m = machineToMermaid(daxPage);
    const self = m.split('\n').find((l) => l.startsWith('  s_daxPage_mapped --> s_daxPage_mapped :'))!;
    expect(self.split('<br/>')).toHaveLength(3);
    expect(self).toContain('gup_pin / try_grab_folio');
  });
});

describe('CLI exports', () => {
  it('check writes --trace-out, --itf-out, --mermaid-out, --dot-out and --race-out; draw writes one file per machine', () => {
    const dir = mkdtempSync(join(tmpdir(), 'daxcheck-exports-'));
    const f = (x: string) => join(dir, x);
    let code = 0;
    try {
      execFileSync('node', ['bin/daxcheck.js', 'check', 'test/fixtures/race-spec.ts', '--variant', 'buggy', '--trace-out', f('t.json'), '--itf-out', f('t.itf.json'),
        '--mermaid-out', f('t.mmd'), '--dot-out', f('t.dot'), '--race-out', f('t.txt')], { encoding: 'utf8' });
    } catch (e) {
      code = (e as { status: number }).status;
    }
    expect(code).toBe(1);
    expect(readFileSync(f('t.mmd'), 'utf8')).toBe(traceToMermaid(t));
    expect(readFileSync(f('t.dot'), 'utf8')).toBe(traceToDot(t));
    expect(readFileSync(f('t.txt'), 'utf8')).toBe(raceText(t, { layout: 'mail' }) + '\n');
    expect(JSON.parse(readFileSync(f('t.json'), 'utf8')).steps).toHaveLength(6);
    const out = execFileSync('node', ['bin/daxcheck.js', 'draw', 'test/fixtures/race-spec.ts', '--out', f('charts')], { encoding: 'utf8' });
    expect(readdirSync(f('charts')).sort()).toEqual(['blockAllocator.mmd', 'daxPage.mmd', 'gupCpu.mmd', 'truncateCpu.mmd']);
    expect(out).toContain('(cpu1)');
    expect(readFileSync(f('charts/gupCpu.mmd'), 'utf8')).toBe(machineToMermaid(gupCpu));
  });
});
