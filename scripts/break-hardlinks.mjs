// prepack: npm packs a hard-linked file as a tar link entry, which npm install then drops (esbuild's
// install step links bin/esbuild to the platform binary): give each bundled hard link its own copy.
import { copyFileSync, lstatSync, readdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';

function walk(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p);
    else if (e.isFile() && lstatSync(p).nlink > 1) {
      copyFileSync(p, `${p}.copy`);
      renameSync(`${p}.copy`, p);
    }
  }
}
walk('node_modules');
