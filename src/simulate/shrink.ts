/**
 * Delta debugging (Zeller and Hildebrandt, "Simplifying and isolating failure-inducing input",
 * IEEE TSE 28(2), 2002: ddmin, complements only) over the step codes of a violating walk. The
 * result is 1-minimal: dropping any one step loses the violation or makes the path invalid.
 */

/**
 * `fails(codes)` runs a candidate: the prefix up to its violation when it still violates what the
 * original did, else null (no violation, or a step not enabled where it is taken).
 */
export function ddmin(codes: readonly number[], fails: (codes: readonly number[]) => readonly number[] | null): { codes: number[]; tests: number } {
  let c = [...codes];
  let tests = 0;
  let n = 2;
  while (c.length >= 2) {
    const size = Math.ceil(c.length / n);
    let reduced = false;
    for (let start = 0; start < c.length; start += size) {
      const candidate = c.slice(0, start).concat(c.slice(start + size));
      tests++;
      const r = fails(candidate);
      if (r) {
        c = [...r];
        n = Math.max(n - 1, 2);
        reduced = true;
        break;
      }
    }
    if (!reduced) {
      if (n >= c.length) break;
      n = Math.min(n * 2, c.length);
    }
  }
  // One step: dropping it leaves the empty path, which violates only if the initial state does.
  if (c.length === 1) {
    tests++;
    const r = fails([]);
    if (r) c = [...r];
  }
  return { codes: c, tests };
}
