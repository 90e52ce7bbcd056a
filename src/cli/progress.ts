/**
 * Progress on stderr for runs that last over a second: one rewritten line on a terminal; on a log
 * (CI) a plain line, at most one every 5 seconds, so the log shows the run is alive.
 */
import type { Stats } from '../explore/explorer.js';

export class Progress {
  private shown = false;
  private readonly tty = !!process.stderr.isTTY;
  private readonly start = performance.now();
  private lastLog = performance.now();
  constructor(private readonly label: string) {}

  update(s: Stats): void {
    this.write(`${this.label}: ${s.states} states, ${s.transitions} transitions, depth ${s.maxDepth}, queue ${s.queued}, ${Math.round(s.statesPerSecond)} states/s`);
  }

  note(text: string): void {
    const now = performance.now();
    if (this.tty) this.write(`${this.label} ${text}`);
    else if (now - this.start > 1000 && now - this.lastLog > 5000) {
      this.lastLog = now;
      this.write(`${this.label} ${text}`);
    }
  }

  private write(line: string): void {
    this.shown = true;
    if (this.tty) process.stderr.write(`\r\x1b[2K${line}`);
    else process.stderr.write(line + '\n');
  }

  done(): void {
    if (this.shown && this.tty) process.stderr.write('\r\x1b[2K');
  }
}
