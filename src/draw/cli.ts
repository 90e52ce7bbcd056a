/** `daxcheck draw <spec|machine> [--out DIR]`: Mermaid state diagrams of the machines. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Scalar } from '../spec/types.js';
import { drawTarget } from './draw.js';
import { writeOut } from '../cli/paths.js';

export async function runDraw(target: string, o: { out?: string; set?: Record<string, Scalar> }): Promise<number> {
  const drawings = await drawTarget(target, o.set ?? {});
  if (o.out) {
    const dir = o.out;
    writeOut(dir, () => mkdirSync(dir, { recursive: true }));
    for (const d of drawings) {
      const file = join(dir, `${d.name.replace(/[^A-Za-z0-9_-]/g, '_')}.mmd`);
      writeOut(file, () => writeFileSync(file, d.mermaid));
      console.log(`${file}${d.actors.length ? `  (${d.actors.join(', ')})` : ''}`);
    }
    return 0;
  }
  for (const d of drawings) {
    process.stdout.write(`%% ${d.name}${d.actors.length ? ` (actors ${d.actors.join(', ')})` : ''}\n${d.mermaid}\n`);
  }
  return 0;
}
