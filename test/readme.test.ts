/**
 * The README's worked example is the CLI's output today: the block between the race markers equals
 * what `node bin/daxcheck.js check map-direct --variant v7+fixes --race-out race.txt` writes
 * (rendered by test/readme-sample.ts). Runs the tsc-built dist/ (npm test builds it first).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { README, readmeBlock, readmeSample } from './readme-sample.js';

describe('README', () => {
  it('the race sample is what the CLI prints now', () => {
    const block = readmeBlock(readFileSync(README, 'utf8'));
    expect(block, 'README.md has no <!-- race:begin --> / <!-- race:end --> block').not.toBeNull();
    expect(block, 'README race sample out of date: regenerate with `npm run readme:sample`').toBe(readmeSample());
  });
});
