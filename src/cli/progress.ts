/** A one-line progress display on stderr, shown only for runs that last over a second. */
import type { Stats } from '../explore/explorer.js';

export class Progress {
  private shown = false;
  private readonly tty = !!process.stderr.isTTY;
  constructor(private readonly label: string) {}

  update(s: Stats): void {
    this.write(`${this.label}: ${s.states} states, ${s.transitions} transitions, depth ${s.maxDepth}, queue ${s.queued}, ${Math.round(s.statesPerSecond)} states/s`);
  }

  note(text: string): void {
    if (this.tty) this.write(`${this.label} ${text}`);
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
