/**
 * The bounds of a run on the command line: the options, their parsing (0 always means no limit),
 * and the header line that says which bounds a run has before it starts. For every command that
 * explores (check, review, and any later one).
 */
import { CommanderError, Option, type Command } from 'commander';
import { DEFAULT_MEMORY_SHARE, defaultMaxMemoryMb, MemoryGuard } from '../explore/memory.js';

/** A whole number >= 0 for `flag` (`1e6` too). */
export function wholeNumber(flag: string) {
  return (v: string) => {
    const n = Number(v);
    if (v.trim() === '' || !Number.isSafeInteger(n) || n < 0) throw new CommanderError(2, 'daxcheck.int', `${flag} expects a whole number, got '${v}'`);
    return n;
  };
}

const share = `${Math.round(DEFAULT_MEMORY_SHARE * 100)}%`;

/** `--max-memory`, with its default said honestly (it depends on the machine). */
export function memoryOption(): Option {
  return new Option('--max-memory <mb>', `stop when resident memory would exceed this many MB (incomplete); default ${share} of the memory available at start (now ${defaultMaxMemoryMb()} MB), 0: no bound (node's heap cap is always guarded)`)
    .argParser(wholeNumber('--max-memory'));
}

/** `--max-states`, `--max-depth`, `--timeout`, `--max-memory`: each defaults to no limit but memory. */
export function addBoundOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--max-states <n>', 'stop after this many distinct states (incomplete); default and 0: no limit').argParser(wholeNumber('--max-states')))
    .addOption(new Option('--max-depth <n>', 'do not expand states at this depth or deeper (incomplete); default and 0: no limit').argParser(wholeNumber('--max-depth')))
    .addOption(new Option('--timeout <seconds>', 'stop after this many seconds (incomplete); default and 0: no limit').argParser(wholeNumber('--timeout')))
    .addOption(memoryOption());
}

export interface RunBounds {
  maxStates?: number;
  maxDepth?: number;
  timeout?: number;
  memory: MemoryGuard;
}

/** The bounds the parsed options give (0 becomes no limit). */
export function runBounds(o: { maxStates?: number; maxDepth?: number; timeout?: number; maxMemory?: number }): RunBounds {
  return { maxStates: o.maxStates || undefined, maxDepth: o.maxDepth || undefined, timeout: o.timeout || undefined, memory: new MemoryGuard(o.maxMemory) };
}

/** One line for the run header: every bound, `none` where there is none. */
export function boundsLine(b: { maxStates?: number | string; maxDepth?: number | string; timeout?: number; memory: MemoryGuard }, memoryGiven: boolean): string {
  const mem = b.memory.rssLimit > 0 ? `${b.memory.maxMemoryMb} MB${memoryGiven ? '' : ` (${share} of available)`}` : 'none';
  return `bounds: states ${b.maxStates ?? 'none'}, depth ${b.maxDepth ?? 'none'}, time ${b.timeout ? `${b.timeout} s` : 'none'}, memory ${mem}, V8 heap ${Math.round(b.memory.heapBudget / 2 ** 20)} MB`;
}
