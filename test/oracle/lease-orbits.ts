/**
 * An independent oracle for symmetry reduction (imports nothing from src/): the bench lease
 * protocol (bench/models/lease.ts, bench/peers/lease.m) written again in plain TypeScript, its
 * full state space enumerated breadth-first, and every state canonicalised by brute force: the
 * least JSON text over every renaming of the clients. The orbits counted are the states a
 * symmetric exploration must store; the transitions, the steps enabled in one state per orbit.
 */

type Msg = { t: 'REQUEST' | 'RELEASE' | 'ACK'; f: number };
interface State {
  c: ('idle' | 'waiting' | 'holding')[];
  s: 'free' | 'held' | 'breaking';
  holder: number | null;
  waiter: number | null;
  sq: Msg[];
  cq: ('GRANT' | 'BREAK')[][];
}

const clone = (x: State): State => JSON.parse(JSON.stringify(x));

/** The fixed clients (a stale BREAK ignored): no mailbox ever overflows (bench/models/lease.ts), so none is bounded here. */
function successors(x: State, n: number): State[] {
  const out: State[] = [];
  for (let i = 0; i < n; i++) {
    if (x.c[i] === 'idle') {
      const y = clone(x);
      y.c[i] = 'waiting';
      y.sq.push({ t: 'REQUEST', f: i });
      out.push(y);
    }
    if (x.c[i] === 'holding') {
      const y = clone(x);
      y.c[i] = 'idle';
      y.sq.push({ t: 'RELEASE', f: i });
      out.push(y);
    }
    const head = x.cq[i][0];
    if (head === 'GRANT' && x.c[i] === 'waiting') {
      const y = clone(x);
      y.cq[i].shift();
      y.c[i] = 'holding';
      out.push(y);
    } else if (head === 'BREAK') {
      const y = clone(x);
      y.cq[i].shift();
      if (x.c[i] === 'holding') {
        y.c[i] = 'idle';
        y.sq.push({ t: 'ACK', f: i });
      }
      out.push(y);
    }
  }
  // The server takes the first message it accepts; a REQUEST it does not accept waits (defer),
  // any other message it does not accept blocks the mailbox.
  const accepts = (m: Msg) =>
    x.s === 'free' ? m.t === 'REQUEST' : x.s === 'held' ? m.t === 'REQUEST' || (m.t === 'RELEASE' && m.f === x.holder) : (m.t === 'ACK' || m.t === 'RELEASE') && m.f === x.holder;
  for (let k = 0; k < x.sq.length; k++) {
    const m = x.sq[k];
    if (accepts(m)) {
      const y = clone(x);
      y.sq.splice(k, 1);
      if (x.s === 'free') {
        y.s = 'held';
        y.holder = m.f;
        y.cq[m.f].push('GRANT');
      } else if (x.s === 'held' && m.t === 'REQUEST') {
        y.s = 'breaking';
        y.waiter = m.f;
        y.cq[x.holder!].push('BREAK');
      } else if (x.s === 'held') {
        y.s = 'free';
        y.holder = null;
      } else {
        y.s = 'held';
        y.holder = x.waiter;
        y.waiter = null;
        y.cq[x.waiter!].push('GRANT');
      }
      out.push(y);
      break;
    }
    if (m.t !== 'REQUEST') break;
  }
  return out;
}

function permutations(n: number): number[][] {
  if (n === 0) return [[]];
  return permutations(n - 1).flatMap((p) => Array.from({ length: n }, (_, i) => [...p.slice(0, i), n - 1, ...p.slice(i)]));
}

/** Every renaming that permutes clients only within their block (every client in one block by default). */
function renamings(n: number, blocks: readonly (readonly number[])[]): number[][] {
  let out: number[][] = [[...Array(n).keys()]];
  for (const b of blocks) {
    out = out.flatMap((pi) => permutations(b.length).map((q) => {
      const r = pi.slice();
      b.forEach((c, i) => (r[c] = b[q[i]]));
      return r;
    }));
  }
  return out;
}

/** Client i becomes client pi[i]. */
function rename(x: State, pi: number[]): State {
  const y = clone(x);
  x.c.forEach((c, i) => (y.c[pi[i]] = c));
  x.cq.forEach((q, i) => (y.cq[pi[i]] = [...q]));
  y.holder = x.holder === null ? null : pi[x.holder];
  y.waiter = x.waiter === null ? null : pi[x.waiter];
  y.sq = x.sq.map((m) => ({ t: m.t, f: pi[m.f] }));
  return y;
}

export interface Orbits {
  /** Distinct reachable states. */
  states: number;
  /** Distinct orbits among them under every renaming of the clients. */
  orbits: number;
  /** Steps enabled in one state per orbit (the edges a symmetric search explores). */
  orbitTransitions: number;
}

export function leaseOrbits(n: number, blocks: readonly (readonly number[])[] = [[...Array(n).keys()]]): Orbits {
  const init: State = { c: Array(n).fill('idle'), s: 'free', holder: null, waiter: null, sq: [], cq: Array.from({ length: n }, () => []) };
  const seen = new Map<string, State>([[JSON.stringify(init), init]]);
  const queue = [init];
  for (let h = 0; h < queue.length; h++) {
    for (const y of successors(queue[h], n)) {
      const k = JSON.stringify(y);
      if (!seen.has(k)) {
        seen.set(k, y);
        queue.push(y);
      }
    }
  }
  const perms = renamings(n, blocks);
  const orbits = new Map<string, State>();
  for (const x of queue) {
    let best: string | null = null;
    for (const pi of perms) {
      const k = JSON.stringify(rename(x, pi));
      if (best === null || k < best) best = k;
    }
    if (!orbits.has(best!)) orbits.set(best!, x);
  }
  let orbitTransitions = 0;
  for (const x of orbits.values()) orbitTransitions += successors(x, n).length;
  return { states: seen.size, orbits: orbits.size, orbitTransitions };
}
