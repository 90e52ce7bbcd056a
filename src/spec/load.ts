/**
 * Finds and loads spec modules: a built-in spec by name (compiled into dist/specs/), or a spec file
 * by path (.ts through tsx, .js directly). The module's default export, or its only exported spec.
 */
import { existsSync, readdirSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { SpecError } from '../errors.js';
import { isSpec, type Spec } from './types.js';
import { validateSpec } from './validate.js';

/** dist/specs/ next to the running dist/src/. */
const BUILTIN_DIR = fileURLToPath(new URL('../../specs/', import.meta.url));

export function builtinSpecNames(): string[] {
  if (!existsSync(BUILTIN_DIR)) return [];
  return readdirSync(BUILTIN_DIR)
    .filter((f) => /\.(js|ts)$/.test(f) && !f.endsWith('.d.ts') && !f.startsWith('_'))
    .map((f) => f.replace(/\.(js|ts)$/, ''))
    .filter((n, i, a) => a.indexOf(n) === i)
    .sort();
}

function looksLikePath(s: string): boolean {
  return s.includes('/') || s.includes('\\') || /\.(ts|js|mjs|mts)$/.test(s);
}

export async function importFile(file: string): Promise<Record<string, unknown>> {
  if (/\.m?ts$/.test(file)) {
    const { tsImport } = await import('tsx/esm/api');
    return (await tsImport(pathToFileURL(file).href, import.meta.url)) as Record<string, unknown>;
  }
  return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
}

export async function loadSpec(nameOrPath: string): Promise<Spec> {
  let file: string;
  if (looksLikePath(nameOrPath)) {
    file = isAbsolute(nameOrPath) ? nameOrPath : resolve(process.cwd(), nameOrPath);
    if (!existsSync(file)) throw new SpecError(`spec file '${nameOrPath}' does not exist`);
  } else {
    const js = resolve(BUILTIN_DIR, `${nameOrPath}.js`);
    const ts = resolve(BUILTIN_DIR, `${nameOrPath}.ts`);
    file = existsSync(js) ? js : ts;
    if (!existsSync(file)) {
      throw new SpecError(`unknown spec '${nameOrPath}' (built-in specs: ${builtinSpecNames().join(', ') || 'none'}; or give a path to a .ts file)`);
    }
  }
  let mod: Record<string, unknown>;
  try {
    mod = await importFile(file);
  } catch (e) {
    // One line, keeping the location a compiler error gives on its following lines.
    const msg = ((e as Error)?.message ?? String(e)).split('\n').map((l) => l.trim()).filter(Boolean).slice(0, 3).join(': ');
    throw new SpecError(`spec '${nameOrPath}' failed to load: ${msg}`);
  }
  const candidates = isSpec(mod.default) ? [mod.default] : Object.values(mod).filter(isSpec);
  if (candidates.length !== 1) {
    throw new SpecError(`spec '${nameOrPath}' must export one spec made with defineSpec (found ${candidates.length})`);
  }
  const spec = candidates[0] as Spec;
  validateSpec(spec);
  return spec;
}

export async function loadAllBuiltin(): Promise<Spec[]> {
  const out: Spec[] = [];
  for (const n of builtinSpecNames()) out.push(await loadSpec(n));
  return out;
}
