/**
 * Loads a spec file that lives outside this package (any directory, no package.json needed):
 * esbuild bundles it with its own relative imports as one ES module, in which `daxcheck` and
 * `xstate` stay imports of this CLI's own copies (one xstate instance, one spec brand). A `.ts`
 * file is then ESM whatever package it sits in: `export default`, named exports and top-level
 * await all work.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The package root: dist/src/spec/ -> the folder holding package.json. */
export const PACKAGE_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** What `daxcheck` and `xstate` mean inside a spec: this package's public entry and its xstate. */
function ownModules(): Record<string, string> {
  return {
    daxcheck: new URL('../index.js', import.meta.url).href,
    xstate: import.meta.resolve('xstate'),
  };
}

export async function importOutside(file: string): Promise<Record<string, unknown>> {
  const { build } = await import('esbuild');
  const own = ownModules();
  const out = await build({
    entryPoints: [file],
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    write: false,
    logLevel: 'silent',
    sourcemap: 'inline',
    plugins: [{
      name: 'daxcheck-own-modules',
      setup(b) {
        b.onResolve({ filter: /^(daxcheck|xstate)$/ }, (a) => ({ path: own[a.path], external: true }));
      },
    }],
  }).catch((e: { errors?: { text: string; location?: { file: string; line: number; column: number } | null }[] }) => {
    const first = e.errors?.[0];
    if (!first) throw e;
    const at = first.location ? `${first.location.file}:${first.location.line}:${first.location.column}: ` : '';
    throw new Error(`${at}${first.text}`);
  });
  const dir = mkdtempSync(join(tmpdir(), 'daxcheck-spec-'));
  const bundled = join(dir, 'spec.mjs');
  try {
    writeFileSync(bundled, out.outputFiles[0].text);
    return (await import(pathToFileURL(bundled).href)) as Record<string, unknown>;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
