/**
 * A spec's fairness declarations resolved against a composed system: the list of fairness sets and,
 * for any step (state, step code), the bit mask of the sets it belongs to (docs/semantics.md §8).
 */
import type { ComposedSystem } from '../compose/system.js';
import { SpecError } from '../errors.js';
import type { FairnessDecl } from '../spec/types.js';

export interface FairSet {
  readonly kind: 'weak' | 'strong';
  /** Readable name, e.g. `weak(P0)`, `strong(events=sem_p)`. */
  readonly name: string;
}

interface Resolved {
  readonly kind: 'weak' | 'strong';
  readonly inScope: Uint8Array; // per actor
  readonly events: readonly string[] | null;
  readonly timers: boolean;
  readonly per: 'actor' | 'event' | 'all';
  /** First set index; per actor: base + actor index among all actors (only in-scope ones are used). */
  readonly base: number;
}

export class Fairness {
  readonly sets: FairSet[] = [];
  readonly words: number;
  readonly strong: Uint32Array;
  private readonly resolved: Resolved[] = [];
  private readonly needsType: boolean;
  private readonly nTemplates: number;
  private readonly firstDelivery: number;
  private readonly perTimerActor: number;
  private readonly codeCache = new Map<number, Uint32Array>();
  private readonly typeCache = new Map<number, Map<string, Uint32Array>>();

  constructor(private readonly sys: ComposedSystem, decls: readonly FairnessDecl[] = []) {
    const where = `spec '${sys.spec.name}'`;
    const nA = sys.actors.length;
    if (!Array.isArray(decls)) throw new SpecError(`${where}: fairness must be an array`);
    decls.forEach((d, i) => {
      const at = `${where}: fairness[${i}]`;
      if (d.kind !== 'weak' && d.kind !== 'strong') throw new SpecError(`${at}: kind must be 'weak' or 'strong'`);
      const per = d.per ?? 'actor';
      if (per !== 'actor' && per !== 'event' && per !== 'all') throw new SpecError(`${at}: per must be 'actor', 'event' or 'all'`);
      if (d.events !== undefined && (!Array.isArray(d.events) || d.events.length === 0)) throw new SpecError(`${at}: events must be a non-empty list of event types`);
      if (per === 'event' && !d.events && !d.timers) throw new SpecError(`${at}: per 'event' needs events or timers`);
      const inScope = new Uint8Array(nA);
      if (d.actors === undefined) inScope.fill(1);
      else {
        if (!Array.isArray(d.actors) || d.actors.length === 0) throw new SpecError(`${at}: actors must be a non-empty list of actor ids`);
        for (const id of d.actors) {
          const a = sys.actorIndex.get(id);
          if (a === undefined) throw new SpecError(`${at}: unknown actor '${id}' (actors: ${sys.actors.map((t) => t.id).join(', ')})`);
          inScope[a] = 1;
        }
      }
      const base = this.sets.length;
      const scopeName = d.actors ? d.actors.join(',') : 'all';
      const filter = [d.events ? `events=${d.events.join(',')}` : '', d.timers ? 'timers' : ''].filter(Boolean).join(' ');
      if (per === 'actor') {
        for (let a = 0; a < nA; a++) this.sets.push({ kind: d.kind, name: inScope[a] ? `${d.kind}(${sys.actors[a].id}${filter ? ' ' + filter : ''})` : '(unused)' });
      } else if (per === 'event') {
        for (const e of d.events ?? []) this.sets.push({ kind: d.kind, name: `${d.kind}(${scopeName} event=${e})` });
        if (d.timers) this.sets.push({ kind: d.kind, name: `${d.kind}(${scopeName} timers)` });
      } else {
        this.sets.push({ kind: d.kind, name: `${d.kind}(${scopeName}${filter ? ' ' + filter : ''})` });
      }
      this.resolved.push({ kind: d.kind, inScope, events: d.events ?? null, timers: !!d.timers, per, base });
    });
    this.words = Math.max(1, Math.ceil(this.sets.length / 32));
    this.strong = new Uint32Array(this.words);
    this.sets.forEach((s, k) => {
      if (s.kind === 'strong') this.strong[k >> 5] |= 1 << (k & 31);
    });
    this.needsType = this.resolved.some((r) => r.events !== null);
    this.nTemplates = sys.templates.length;
    this.firstDelivery = sys.deliveryCode(0);
    this.perTimerActor = nA ? (this.firstDelivery - this.nTemplates) / nA : 0;
  }

  get nSets(): number {
    return this.sets.length;
  }

  private mask(actors: readonly number[], type: string | null, kind: string): Uint32Array {
    const m = new Uint32Array(this.words);
    const set = (k: number) => {
      m[k >> 5] |= 1 << (k & 31);
    };
    for (const r of this.resolved) {
      if (!actors.some((a) => r.inScope[a])) continue;
      const timer = r.timers && kind === 'timer';
      const matches = (p: string) => type !== null && (p.endsWith('*') ? type.startsWith(p.slice(0, -1)) : type === p);
      const typeOk = r.events ? r.events.some(matches) : false;
      if ((r.events || r.timers) && !typeOk && !timer) continue;
      if (r.per === 'actor') {
        for (const a of actors) if (r.inScope[a]) set(r.base + a);
      } else if (r.per === 'event') {
        (r.events ?? []).forEach((p, i) => {
          if (matches(p)) set(r.base + i);
        });
        if (timer) set(r.base + (r.events?.length ?? 0));
      } else {
        set(r.base);
      }
    }
    return m;
  }

  /** The fairness sets the step `code` from `state` belongs to. The result is shared: do not modify. */
  maskOf(state: Int32Array, code: number): Uint32Array {
    const cached = this.codeCache.get(code);
    if (cached) return cached;
    const sys = this.sys;
    if (code < this.nTemplates) {
      const t = sys.templates[code];
      const m = this.mask(t.parties, sys.events[t.event].type, t.kind);
      this.codeCache.set(code, m);
      return m;
    }
    const timer = code < this.firstDelivery;
    const actor = timer ? Math.floor((code - this.nTemplates) / this.perTimerActor) : sys.mailboxes[code - this.firstDelivery].receiver;
    if (!this.needsType) {
      // Without event filters a timer or delivery step's sets depend only on its actor and kind.
      const m = this.mask([actor], null, timer ? 'timer' : 'deliver');
      this.codeCache.set(code, m);
      return m;
    }
    const view = sys.describe(state, code);
    let byType = this.typeCache.get(code);
    if (!byType) this.typeCache.set(code, (byType = new Map()));
    let m = byType.get(view.event.type);
    if (!m) byType.set(view.event.type, (m = this.mask([actor], view.event.type, view.kind)));
    return m;
  }
}
