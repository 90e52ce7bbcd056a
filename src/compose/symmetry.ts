/**
 * How a spec's symmetry sets (`SystemDecl.symmetry`, docs/symmetry.md) act on the composed
 * system's integer states: a permutation of the instances of each set moves each instance's local
 * state, mailbox content and overflow flag to the instance it is renamed to, and renames the
 * instance names held in the declared context and event fields (messages in mailboxes included).
 *
 * The declaration is checked against the system before anything is explored: same machine, same
 * thread flag, same mailbox, steps and wires that map onto steps and wires, an initial state that
 * every renaming fixes, and no instance name in a field not declared as a reference.
 */
import type { EventObject } from 'xstate';
import { canonical } from '../adapter/canonical.js';
import { withContext, type Local } from '../adapter/xstate.js';
import { SpecError } from '../errors.js';
import type { PermutationGroup } from '../explore/symmetry.js';
import { Canonicaliser } from '../explore/symmetry.js';
import type { SymmetryDecl } from '../spec/types.js';
import type { ComposedSystem } from './system.js';

/** Permutations tried per state: 8! (docs/symmetry.md, cost). */
const MAX_GROUP = 40_320;

/** Every permutation of 0..n-1, the identity first (lexicographic order). */
function permutations(n: number): number[][] {
  const out: number[][] = [];
  const rec = (prefix: number[], rest: number[]) => {
    if (rest.length === 0) out.push(prefix);
    for (let i = 0; i < rest.length; i++) rec([...prefix, rest[i]], [...rest.slice(0, i), ...rest.slice(i + 1)]);
  };
  rec([], [...Array(n).keys()]);
  return out;
}

export class SystemSymmetry implements PermutationGroup {
  readonly width: number;
  readonly size: number;
  /** Per permutation: actor -> actor it becomes, and the inverse. */
  private readonly map: Int32Array[] = [];
  private readonly inv: Int32Array[] = [];
  /** Per permutation: instance name -> new name (symmetric instances only). */
  private readonly names: Map<string, string>[] = [];
  /** Per permutation: target mailbox -> source mailbox. */
  private readonly srcMailbox: Int32Array[] = [];
  /** Every instance name of every set: a value equal to one of them must sit in a declared field. */
  private readonly symNames = new Set<string>();
  private readonly ctxRefs = new Map<string, ReadonlySet<string>>();
  private readonly eventRefs = new Map<string, ReadonlySet<string>>();
  /** Memo: [actor][local] -> per permutation the renamed local (-1 unknown); [event] likewise. */
  private readonly localMemo: Int32Array[][];
  private readonly eventMemo: Int32Array[] = [];
  private readonly contentMemo: Int32Array[][];
  private readonly nA: number;
  private readonly nM: number;
  private readonly where: string;
  /** The sets as declared, for messages. */
  readonly sets: readonly (readonly string[])[];

  constructor(private readonly sys: ComposedSystem, decls: readonly SymmetryDecl[]) {
    const where = (this.where = `spec '${sys.spec.name}'`);
    this.nA = sys.actors.length;
    this.nM = sys.mailboxes.length;
    this.width = sys.width;
    if (!Array.isArray(decls)) throw new SpecError(`${where}: symmetry must be a list of { instances, refs }`);
    if (sys.orderAt >= 0) throw new SpecError(`${where}: symmetry with ordered timers (--timers ordered) is not supported: the arming order names instances`);
    const sets: number[][] = [];
    for (const d of decls) {
      const ids = d?.instances;
      if (!Array.isArray(ids) || ids.length < 2) throw new SpecError(`${where}: a symmetry set needs at least two instances`);
      const set = ids.map((id) => {
        const a = sys.actorIndex.get(id);
        if (a === undefined) throw new SpecError(`${where}: symmetry names unknown actor '${id}'`);
        if (this.symNames.has(id)) throw new SpecError(`${where}: actor '${id}' is in a symmetry set twice`);
        this.symNames.add(id);
        return a;
      });
      this.checkAlike(set);
      for (const [m, fields] of Object.entries(d.refs?.context ?? {})) this.addRefs(this.ctxRefs, m, fields as readonly string[], 'context');
      for (const [e, fields] of Object.entries(d.refs?.events ?? {})) this.addRefs(this.eventRefs, e, fields as readonly string[], 'event');
      sets.push(set);
    }
    this.sets = sets.map((s) => s.map((a) => sys.actors[a].id));
    const machines = new Set(sys.actors.map((t) => t.machine.id));
    for (const m of this.ctxRefs.keys()) if (!machines.has(m)) throw new SpecError(`${where}: symmetry refs name context of machine '${m}', which no actor runs`);
    for (const e of this.eventRefs.keys()) if (!sys.eventTypes.has(e)) throw new SpecError(`${where}: symmetry refs name fields of event '${e}', which is not a declared event type`);

    // The group: the product of every set's permutations, the identity first.
    let group: number[][] = [[...Array(this.nA).keys()]];
    for (const set of sets) {
      const perms = permutations(set.length);
      if (group.length * perms.length > MAX_GROUP) throw new SpecError(`${where}: symmetry sets of ${sets.map((s) => s.length).join(' x ')} instances give more than ${MAX_GROUP} permutations to try per state`);
      const next: number[][] = [];
      for (const q of perms) for (const g of group) {
        const m = g.slice();
        set.forEach((a, i) => (m[a] = set[q[i]]));
        next.push(m);
      }
      group = next;
    }
    this.size = group.length;
    for (const g of group) {
      const map = Int32Array.from(g);
      const inv = new Int32Array(this.nA);
      map.forEach((b, a) => (inv[b] = a));
      const names = new Map<string, string>();
      map.forEach((b, a) => { if (a !== b) names.set(sys.actors[a].id, sys.actors[b].id); });
      const src = new Int32Array(this.nM);
      for (let m = 0; m < this.nM; m++) src[m] = sys.mailboxOf[inv[sys.mailboxes[m].receiver]];
      this.map.push(map);
      this.inv.push(inv);
      this.names.push(names);
      this.srcMailbox.push(src);
    }
    this.localMemo = sys.actors.map(() => []);
    this.contentMemo = sys.mailboxes.map(() => []);
    this.checkClosed(sets);
    const init = sys.initial();
    const img = new Int32Array(this.width);
    const canon = new Canonicaliser(this);
    for (let p = 1; p < this.size; p++) {
      canon.image(p, init, img);
      const j = img.findIndex((x, i) => x !== init[i]);
      if (j >= 0) {
        const who = j < this.nA ? `actor '${sys.actors[j].id}'` : j < this.nA + this.nM ? `the mailbox of '${sys.actors[sys.mailboxes[j - this.nA].receiver].id}'` : 'the overflow flag';
        throw new SpecError(`${where}: symmetry: ${who} does not start as its renaming does (the instances' inputs must be equal up to renaming)`);
      }
    }
  }

  private addRefs(into: Map<string, ReadonlySet<string>>, key: string, fields: readonly string[], what: string): void {
    if (!Array.isArray(fields) || fields.some((f) => typeof f !== 'string' || f === 'type')) {
      throw new SpecError(`${this.where}: symmetry refs of ${what} '${key}' must be a list of field names (not 'type')`);
    }
    into.set(key, new Set([...(into.get(key) ?? []), ...fields]));
  }

  /** The instances of a set run one machine, alike. */
  private checkAlike(set: number[]): void {
    const sys = this.sys;
    const [a0, ...rest] = set;
    const t0 = sys.actors[a0];
    const mb = (a: number) => {
      const m = sys.mailboxOf[a];
      return m < 0 ? 'none' : `capacity ${sys.mailboxes[m].capacity}, policy ${canonical(Object.fromEntries(sys.mailboxes[m].policy))}`;
    };
    for (const a of rest) {
      const t = sys.actors[a];
      const differ = t.machine !== t0.machine ? 'run different machines' : t.thread !== t0.thread ? 'differ in thread' : mb(a) !== mb(a0) ? `have different mailboxes (${mb(a0)}; ${mb(a)})` : null;
      if (differ) throw new SpecError(`${this.where}: symmetry: instances '${t0.id}' and '${t.id}' ${differ}`);
    }
  }

  /** Every step and wire has a renamed counterpart (checked for swaps of neighbours, which generate the group). */
  private checkClosed(sets: number[][]): void {
    const sys = this.sys;
    const decl = sys.sys;
    const steps = new Set(sys.templates.map((t) => this.stepKey(t.kind, sys.events[t.event], t.parties.map((a) => sys.actors[a].id))));
    const wireKey = (from: string, event: string, to: string | readonly string[]) => `${from}\u0000${event}\u0000${typeof to === 'string' ? to : [...to].sort().join(',')}`;
    const wires = new Set((decl.wires ?? []).map((w) => wireKey(w.from, w.event, 'to' in w ? w.to : w.targets)));
    for (const set of sets) {
      for (let i = 0; i + 1 < set.length; i++) {
        const names = new Map([[sys.actors[set[i]].id, sys.actors[set[i + 1]].id], [sys.actors[set[i + 1]].id, sys.actors[set[i]].id]]);
        const rn = (x: string) => names.get(x) ?? x;
        for (const t of sys.templates) {
          const parties = t.parties.map((a) => sys.actors[a].id);
          const ev = this.renameEvent(sys.events[t.event], names);
          if (!steps.has(this.stepKey(t.kind, ev, parties.map(rn)))) {
            throw new SpecError(`${this.where}: symmetry: the ${t.kind} step ${canonical(sys.events[t.event])} of ${parties.join(', ')} has no counterpart for ${parties.map(rn).join(', ')}`);
          }
        }
        for (const w of decl.wires ?? []) {
          const to = 'to' in w ? rn(w.to) : w.targets.map(rn);
          if (!wires.has(wireKey(rn(w.from), w.event, to))) throw new SpecError(`${this.where}: symmetry: the wire of '${w.event}' from '${w.from}' has no counterpart from '${rn(w.from)}'`);
        }
      }
    }
  }

  private stepKey(kind: string, e: EventObject, parties: readonly string[]): string {
    return `${kind}\u0000${canonical(e)}\u0000${[...parties].sort().join(',')}`;
  }

  // ---- renaming values ----------------------------------------------------------------------

  /** A reference field's value renamed: an instance name, null, or an array of them. */
  private renameRef(x: unknown, names: ReadonlyMap<string, string>, what: string): unknown {
    if (typeof x === 'string') return names.get(x) ?? x;
    if (x === null || x === undefined) return x;
    if (Array.isArray(x)) return x.map((y) => this.renameRef(y, names, what));
    throw new SpecError(`${this.where}: symmetry: ${what} is declared an instance reference but holds ${canonical(x)} (an instance name, null or an array of them)`);
  }

  /** Fails on an instance name found outside the declared reference fields: renaming would miss it. */
  private noHiddenName(x: unknown, what: string): void {
    if (typeof x === 'string') {
      if (this.symNames.has(x)) throw new SpecError(`${this.where}: symmetry: ${what} holds instance name '${x}' but is not declared in the symmetry refs`);
    } else if (Array.isArray(x)) x.forEach((y, i) => this.noHiddenName(y, `${what}[${i}]`));
    else if (x !== null && typeof x === 'object') {
      for (const [k, y] of Object.entries(x)) {
        if (this.symNames.has(k)) throw new SpecError(`${this.where}: symmetry: ${what} is keyed by instance name '${k}' (not renamable: use an array of names)`);
        this.noHiddenName(y, `${what}.${k}`);
      }
    }
  }

  private renameFields(x: Record<string, unknown>, refs: ReadonlySet<string> | undefined, names: ReadonlyMap<string, string>, what: string, skip?: string): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(x)) {
      if (k === skip) out[k] = v;
      else if (refs?.has(k)) out[k] = this.renameRef(v, names, `${what} field '${k}'`);
      else {
        this.noHiddenName(v, `${what} field '${k}'`);
        out[k] = v;
      }
    }
    return out;
  }

  private renameEvent(e: EventObject, names: ReadonlyMap<string, string>): EventObject {
    return this.renameFields(e as unknown as Record<string, unknown>, this.eventRefs.get(e.type), names, `event '${e.type}'`, 'type') as EventObject;
  }

  private renameLocal(a: number, l: Local, names: ReadonlyMap<string, string>): Local {
    const t = this.sys.actors[a];
    const ctx = l.snapshot.context;
    const what = `the context of '${t.id}' (machine '${t.machine.id}')`;
    const context = ctx !== null && typeof ctx === 'object' && !Array.isArray(ctx) ? this.renameFields(ctx, this.ctxRefs.get(t.machine.id), names, what) : ctx;
    if (ctx === null || typeof ctx !== 'object' || Array.isArray(ctx)) this.noHiddenName(ctx, what);
    const timers = l.timers.map((tm) => ({ ...tm, event: this.renameEvent(tm.event, names) }));
    return withContext(l, context, timers);
  }

  /** Permutation `p` in words: `c0->c1, c1->c0`. */
  describe(p: number): string {
    return [...this.names[p]].map(([a, b]) => `${a}->${b}`).join(', ') || 'identity';
  }

  // ---- the action on states (hot: memoised) -------------------------------------------------

  private row(memo: Int32Array[], i: number): Int32Array {
    return (memo[i] ??= new Int32Array(this.size).fill(-1));
  }

  /** Local `l` of actor `a`, renamed by `p`, as a local of the actor `a` becomes. */
  private local(p: number, a: number, l: number): number {
    const row = this.row(this.localMemo[a], l);
    let r = row[p];
    if (r < 0) {
      r = row[p] = this.sys.internLocal(this.map[p][a], this.renameLocal(a, this.sys.local(a, l), this.names[p]));
    }
    return r;
  }

  private event(p: number, e: number): number {
    const row = this.row(this.eventMemo, e);
    let r = row[p];
    if (r < 0) r = row[p] = this.sys.internEvent(this.renameEvent(this.sys.events[e], this.names[p]));
    return r;
  }

  /** Content `c` of mailbox `m`, renamed by `p`, as a content of mailbox `to`. */
  private content(p: number, m: number, to: number, c: number): number {
    const row = this.row(this.contentMemo[m], c);
    let r = row[p];
    if (r < 0) {
      const mb = this.sys.mailboxes[m];
      r = row[p] = this.sys.internContent(to, mb.msgs[c].map((e) => this.event(p, e)), mb.dropped[c]);
    }
    return r;
  }

  word(p: number, j: number, v: Int32Array): number {
    if (p === 0) return v[j];
    const nA = this.nA;
    if (j < nA) {
      const a = this.inv[p][j];
      return this.local(p, a, v[a]);
    }
    if (j < nA + this.nM) {
      const m = this.srcMailbox[p][j - nA];
      return this.content(p, m, j - nA, v[nA + m]);
    }
    // The overflow flag: 1 + the mailbox that overflowed, renamed with its receiver.
    const x = v[j];
    return x === 0 ? 0 : this.sys.mailboxOf[this.map[p][this.sys.mailboxes[x - 1].receiver]] + 1;
  }
}
