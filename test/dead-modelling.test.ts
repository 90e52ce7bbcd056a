/**
 * Dead modelling (issue 10 §4): per machine, the states and transitions of its structure that no
 * variant of any reviewed spec using it reaches, matched by machine id across specs.
 */
import { describe, expect, it } from 'vitest';
import { deadModelling } from '../src/report/dead.js';
import { review } from '../src/review/run.js';
import { markdownReport } from '../src/report/markdown.js';
import { defineSpec } from '../src/spec/types.js';
import { raceDecl } from './fixtures/race-spec.js';

// Two specs sharing the race fixture's machines: one with only the fixed order, one with only the
// buggy order (checkFirst), so each alone leaves the other's branch of truncateCpu dead.
const fixedOnly = defineSpec({ ...raceDecl, name: 'race-fixed', variants: { fixed: raceDecl.variants.fixed } });
const buggyOnly = defineSpec({ ...raceDecl, name: 'race-buggy', variants: { buggy: raceDecl.variants.buggy } });

describe('dead modelling', () => {
  it('lists the structure from xstate/graph: every state node and transition of the machine', async () => {
    const cpu = (await deadModelling(await review([fixedOnly]))).find((d) => d.machine === 'truncateCpu')!;
    // Counted by hand from the fixture: 9 state nodes; 2 eventless + 2 + 1 + 1 + 1 + 2 + 1 + 1 transitions.
    expect(cpu.statesTotal).toBe(9);
    expect(cpu.transitionsTotal).toBe(11);
    // The buggy order's states are never entered when checkFirst is false.
    expect(cpu.deadStates).toEqual(['truncateCpu.checkEarly', 'truncateCpu.waitEarly', 'truncateCpu.unmapLate']);
    expect(cpu.deadTransitions.map((t) => `${t.from} ${t.event}`)).toContain('truncateCpu.checkEarly read_refs');
  });

  it('a part is dead only when no reviewed spec using the machine reaches it', async () => {
    const both = deadModelling(await review([fixedOnly, buggyOnly]));
    const cpu = both.find((d) => d.machine === 'truncateCpu')!;
    expect(cpu.specs).toEqual(['race-fixed', 'race-buggy']);
    expect(cpu.deadStates).not.toContain('truncateCpu.checkEarly');
    expect(cpu.deadStates).not.toContain('truncateCpu.unmapFirst');
    const alone = deadModelling(await review([buggyOnly])).find((d) => d.machine === 'truncateCpu')!;
    expect(alone.deadStates).toContain('truncateCpu.unmapFirst');
    // Shared machines appear once, with the union of what the specs reach.
    expect(both.map((d) => d.machine)).toEqual(['blockAllocator', 'daxPage', 'gupCpu', 'truncateCpu']);
    // The report lists every dead part in full.
    const md = markdownReport(await review([buggyOnly]));
    expect(md).toContain('## Dead modelling');
    expect(md).toContain('  - state `truncateCpu.unmapFirst`');
  });
});
