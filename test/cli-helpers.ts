/** Runs the built command line (dist/, through bin/daxcheck.js): exit code and stdout + stderr. */
import { execFileSync } from 'node:child_process';

export function runCli(args: string[]): { code: number; out: string } {
  try {
    return { code: 0, out: execFileSync('node', ['bin/daxcheck.js', ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }) };
  } catch (e) {
    const x = e as { status: number; stdout: string; stderr: string };
    return { code: x.status, out: x.stdout + x.stderr };
  }
}
