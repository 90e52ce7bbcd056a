/**
 * Output paths are checked before any work: a run that explores for minutes and then cannot write
 * its report has lost those minutes. A file must be creatable (or an existing regular file, or a
 * character device such as /dev/null) and writable; a folder must be a folder, or creatable. Paths
 * under /proc and /sys are refused (writes there hang or fail in odd ways), and so are FIFOs and
 * sockets (a write to a FIFO nobody reads never returns).
 */
import { accessSync, constants, realpathSync, statSync, type Stats } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { SpecError } from '../errors.js';

const PSEUDO = ['/proc', '/sys'];
/** The process's own streams: character devices or pipes that a reader holds open. */
const STREAMS = new Set(['/dev/stdout', '/dev/stderr', '/dev/fd/1', '/dev/fd/2']);

function fail(flag: string, path: string, why: string): never {
  throw new SpecError(`${flag} '${path}': ${why}`);
}

function statOrNull(p: string): Stats | null {
  try {
    return statSync(p);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    if (code === 'ENOTDIR') return null; // some ancestor is a file: found while walking up
    throw e;
  }
}

function real(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
}

/** Refuses /proc and /sys, by the path as given and as resolved (symbolic links followed). */
function refusePseudo(flag: string, path: string, abs: string): void {
  for (const p of [abs, real(abs)]) {
    const top = PSEUDO.find((x) => p === x || p.startsWith(x + sep));
    if (top) fail(flag, path, `is under ${top}, which daxcheck does not write to`);
  }
}

function writable(flag: string, path: string, dir: string): void {
  try {
    accessSync(dir, constants.W_OK | constants.X_OK);
  } catch (e) {
    fail(flag, path, `folder '${dir}' is not writable (${(e as NodeJS.ErrnoException).code})`);
  }
}

/** The nearest existing ancestor of `abs`, which must be a folder the user can write into. */
function creatableUnder(flag: string, path: string, abs: string): void {
  let dir = dirname(abs);
  for (;;) {
    const st = statOrNull(dir);
    if (st) {
      if (!st.isDirectory()) fail(flag, path, `'${dir}' is not a folder`);
      refusePseudo(flag, path, dir);
      writable(flag, path, dir);
      return;
    }
    const up = dirname(dir);
    if (up === dir) fail(flag, path, 'no existing folder above it');
    dir = up;
  }
}

/** An output file (`--trace-out` and the like): checked without creating it. */
export function checkOutputFile(flag: string, path: string): void {
  if (!path) fail(flag, path, 'empty path');
  const abs = resolve(path);
  if (STREAMS.has(abs)) return;
  refusePseudo(flag, path, abs);
  const st = statOrNull(abs);
  if (!st) {
    // Writes do not create folders: the parent itself must exist.
    const parent = statOrNull(dirname(abs));
    if (!parent) fail(flag, path, `folder '${dirname(abs)}' does not exist`);
    if (!parent.isDirectory()) fail(flag, path, `'${dirname(abs)}' is not a folder`);
    creatableUnder(flag, path, abs);
    return;
  }
  if (st.isDirectory()) fail(flag, path, 'is a folder; give a file name');
  if (st.isFIFO() || st.isSocket()) fail(flag, path, 'is a FIFO or socket: a write there may never return');
  if (!st.isFile() && !st.isCharacterDevice()) fail(flag, path, 'is not a regular file');
  try {
    accessSync(abs, constants.W_OK);
  } catch (e) {
    fail(flag, path, `is not writable (${(e as NodeJS.ErrnoException).code})`);
  }
}

/**
 * An output folder (`review --out`, `draw --out`): an existing writable folder, or creatable under
 * the nearest existing one. `files` and `dirs` name what will be written inside, which must not
 * exist as the wrong kind.
 */
export function checkOutputDir(flag: string, path: string, inside: { files?: readonly string[]; dirs?: readonly string[] } = {}): void {
  if (!path) fail(flag, path, 'empty path');
  const abs = resolve(path);
  refusePseudo(flag, path, abs);
  const st = statOrNull(abs);
  if (!st) {
    creatableUnder(flag, path, abs);
    return;
  }
  if (!st.isDirectory()) fail(flag, path, 'exists and is not a folder');
  writable(flag, path, abs);
  for (const f of inside.files ?? []) {
    const s = statOrNull(join(abs, f));
    if (s && !s.isFile()) fail(flag, path, `'${f}' inside it exists and is not a regular file`);
    if (s) {
      try {
        accessSync(join(abs, f), constants.W_OK);
      } catch (e) {
        fail(flag, path, `'${f}' inside it is not writable (${(e as NodeJS.ErrnoException).code})`);
      }
    }
  }
  for (const d of inside.dirs ?? []) {
    const s = statOrNull(join(abs, d));
    if (s && !s.isDirectory()) fail(flag, path, `'${d}' inside it exists and is not a folder`);
    if (s) writable(flag, path, join(abs, d));
  }
}

/** Checks every output option present in `o`: `files` maps option keys to flags, likewise `dirs`. */
export function checkOutputs(o: Record<string, unknown>, files: Readonly<Record<string, string>>, dirs: Readonly<Record<string, string>> = {}): void {
  for (const [key, flag] of Object.entries(files)) if (typeof o[key] === 'string') checkOutputFile(flag, o[key] as string);
  for (const [key, flag] of Object.entries(dirs)) if (typeof o[key] === 'string') checkOutputDir(flag, o[key] as string);
}

/** Runs a write; a failure all the same (disk full, a race with another process) is one clear line. */
export function writeOut(target: string, write: () => void): void {
  try {
    write();
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err?.code) throw new SpecError(`cannot write '${err.path ?? target}': ${err.code}`);
    throw e;
  }
}
