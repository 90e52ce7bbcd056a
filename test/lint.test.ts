/**
 * `daxcheck lint` (issue 11 §2-§3): on the explored graph of each variant, every multi-instance
 * step declares a lock or an atomic op, a declared lock exists and is held by a moving instance
 * before the step, and every step that changes what a lock protects is taken by a holder.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from './cli-helpers.js';
import { lintSpec } from '../src/lint/run.js';
import { markdownReport } from '../src/report/markdown.js';
import { review } from '../src/review/run.js';
import treeLock from './fixtures/lint/tree-lock.js';

async function lintVariant(variant: string) {
  const [r] = await lintSpec(treeLock, { variant });
  expect(r.complete).toBe(true);
  return r;
}

const stepsOf = (t: { steps: readonly { actors: readonly string[]; event: { type: string } }[] }) => t.steps.map((s) => `${s.actors.join('+')}:${s.event.type}`);

describe('daxcheck lint', () => {
  it('passes a spec whose multi-instance steps are justified and whose lock is held', async () => {
    const r = await lintVariant('correct');
    expect(r.failures).toEqual([]);
    expect(r.undeclared).toEqual([]);
    // Every rendezvous is accounted for, with its justification.
    expect(r.summary.justifications.map((j) => `${j.event} ${j.actors.join('+')}: ${j.justification}`)).toEqual([
      'down_write cpu0+lock: op down_write',
      'down_write cpu1+lock: op down_write',
      'up_write cpu0+lock: op up_write',
      'up_write cpu1+lock: op up_write',
      'vma_interval_tree_insert cpu0+tree: lock i_mmap_rwsem',
      'vma_interval_tree_insert cpu1+tree: lock i_mmap_rwsem',
    ]);
    const cli = runCli(['lint', 'test/fixtures/lint/tree-lock.ts', '--variant', 'correct']);
    expect(cli.code).toBe(0);
    expect(cli.out).toContain('0 failure(s), 0 warning(s)');
  });

  it('fails an unjustified two-instance step, with the shortest path to it as a trace', async () => {
    const r = await lintVariant('undeclared');
    expect(r.failures.map((f) => f.kind)).toEqual(['unjustified']);
    const f = r.failures[0];
    expect(f.label).toBe('cpu1 (vma_link) + tree (vma_interval_tree_insert): vma_interval_tree_insert');
    // cpu1 takes the lock, then inserts: the insert is the failing (last) step.
    expect(stepsOf(f.trace)).toEqual(['cpu1+lock:down_write', 'cpu1+tree:vma_interval_tree_insert']);
    expect(f.trace.steps.at(-1)!.violating).toBe(true);
    // The transition without meta.atomic is also a counted warning.
    expect(r.undeclared).toEqual([{ machine: 'mmapCpu', from: 'mmapCpu.locked', event: 'vma_interval_tree_insert', fn: 'vma_link' }]);
  });

  it('fails a step that declares a lock its thread does not hold', async () => {
    const r = await lintVariant('not-held');
    expect(r.failures.map((f) => f.kind)).toEqual(['lock-not-held']);
    expect(r.failures[0].message).toBe("vma_interval_tree_insert by cpu1+tree declares lock 'i_mmap_rwsem', but none of cpu1, tree holds it before the step");
    expect(stepsOf(r.failures[0].trace)).toEqual(['cpu1+tree:vma_interval_tree_insert']);
  });

  it('fails a lock the spec does not model, and a change to protected state by a non-holder', async () => {
    expect((await lintVariant('unknown-lock')).failures.map((f) => f.kind)).toEqual(['unknown-lock']);
    const r = await lintVariant('unprotected');
    // Declared as an atomic op, so justified as a rendezvous; but it changes what i_mmap_rwsem protects.
    expect(r.failures.map((f) => f.kind)).toEqual(['unprotected']);
    expect(r.failures[0].message).toContain("changes what lock 'i_mmap_rwsem' protects");
  });

  it('exits 1 on failures, 2 on bad input; is listed by --help', () => {
    const all = runCli(['lint', 'test/fixtures/lint/tree-lock.ts', '--quiet']);
    expect(all.code).toBe(1);
    expect(all.out).toContain('5 knob setting(s) of 1 spec(s) linted: 4 failure(s), 1 warning(s)');
    expect(all.out).toMatch(/FAIL lock-not-held: .*\n +step cpu1 \(vma_link \(no lock\)\) \+ tree \(vma_interval_tree_insert\): vma_interval_tree_insert/);
    const bad = runCli(['lint', 'test/fixtures/lint/tree-lock.ts', '--variant', 'nope']);
    expect(bad.code).toBe(2);
    expect(bad.out).toContain("spec 'tree-lock': unknown variant 'nope'");
    expect(runCli(['lint', 'no-such-spec']).code).toBe(2);
    expect(runCli(['--help']).out).toMatch(/^ +lint\b/m);
  });

  it('lists the justification of every multi-instance step in the review report', async () => {
    // Counted by hand: cpu1 inserts holding the lock with cpu0 idle or done (2 steps); without the
    // lock, with cpu0 idle, holding, inserted or done (4 steps).
    const md = markdownReport(await review([treeLock]));
    expect(md).toContain('### Atomicity of multi-instance steps');
    expect(md).toContain('| vma_interval_tree_insert | cpu1+tree | lock i_mmap_rwsem | 2 | correct |');
    expect(md).toContain('| vma_interval_tree_insert | cpu1+tree | ❌ none | 2 | undeclared |');
    expect(md).toContain('| vma_interval_tree_insert | cpu1+tree | ❌ lock i_mmap_rwsem | 4 | not-held |');
  });
});
