/** Writes the review report files into a folder: Markdown summary and JUnit XML. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { VariantRun } from '../review/run.js';
import { markdownReport } from './markdown.js';
import { junitReport } from './junit.js';

export function writeReport(dir: string, runs: readonly VariantRun[]): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'review.md'), markdownReport(runs));
  writeFileSync(join(dir, 'junit.xml'), junitReport(runs));
}
