/** The example in docs/specs.md is the file docs/examples/pin-vs-truncate.ts, and it checks as documented. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkSpec } from '../src/check.js';
import { missingKeyStep } from '../src/review/compare.js';
import spec from '../docs/examples/pin-vs-truncate.js';

const root = join(import.meta.dirname, '..');

describe('docs/specs.md example', () => {
  it('is included verbatim in the docs', () => {
    const doc = readFileSync(join(root, 'docs/specs.md'), 'utf8');
    expect(doc).toContain(readFileSync(join(root, 'docs/examples/pin-vs-truncate.ts'), 'utf8'));
  });

  it('buggy: the device DMAs into the reused block, in four steps, after pin, truncate, alloc', async () => {
    const r = await checkSpec(spec, { variant: 'buggy' });
    const p = r.properties.noDmaIntoReusedBlock;
    expect(p.verdict).toBe('violated');
    expect(p.traceLength).toBe(4);
    expect(missingKeyStep(p.trace!, ['dev:GUP_PIN', 'blk:TRUNCATE', 'blk:ALLOC', 'dev:DMA_WRITE'])).toBeNull();
  });

  it('fixed: holds, completely explored, with its witness reached', async () => {
    const r = await checkSpec(spec, { variant: 'fixed' });
    expect(r.complete).toBe(true);
    expect(r.properties.noDmaIntoReusedBlock.verdict).toBe('holds');
    expect(r.properties['witness:noDmaIntoReusedBlock'].verdict).toBe('reached');
  });
});
