/**
 * Checking properties when only one state per orbit is explored (docs/symmetry.md). A property
 * that treats the instances of a set alike (assertion tags, deadlock, mailbox overflow, and every
 * property declared `symmetric: true`) has one answer on a whole orbit: it is checked on the
 * representative, and a violation stops that state's expansion as usual. Any other property is
 * checked on every renaming of the representative; a violation there is recorded with the renamed
 * state (its counterexample ends there) but does not stop the expansion, since other renamings may
 * not violate. Witnesses name one instance (`c0` holds) and are always checked on every renaming.
 *
 * An action property sees a step, and steps are explored from representatives only: it must be
 * declared symmetric. A declared symmetric invariant is tested on one renaming per state.
 */
import { SpecError } from '../errors.js';
import type { Checks } from '../explore/model.js';
import type { Canonicaliser } from '../explore/symmetry.js';
import { buildChecks, DEADLOCK, OVERFLOW, type CheckedProperty } from './properties.js';
import type { ComposedSystem } from './system.js';
import type { SystemSymmetry } from './symmetry.js';

export interface SymmetricChecks {
  readonly checks: Checks;
  /** The renamed state where a property was first found, when not the representative itself. */
  readonly foundIn: (prop: number) => Int32Array | undefined;
}

/** Whether a property has one answer on every renaming of a state. */
export function symmetricProperty(p: CheckedProperty): boolean {
  if (p.name === DEADLOCK || p.name === OVERFLOW || p.decl?.kind === 'assertion') return true;
  return !p.witnessOf && p.decl?.symmetric === true;
}

export function symmetricChecks(sys: ComposedSystem, props: readonly CheckedProperty[], canon: Canonicaliser, group: SystemSymmetry): SymmetricChecks {
  for (const p of props) {
    if (p.decl?.kind === 'action' && !p.witnessOf && !symmetricProperty(p)) {
      throw new SpecError(`spec '${sys.spec.name}': action property '${p.name}' must be declared symmetric: true under symmetry (steps are explored from one state per orbit), or run with --no-symmetry`);
    }
  }
  const onRep = buildChecks(sys, props, symmetricProperty);
  const everyRenaming = props.some((p) => !symmetricProperty(p)) ? buildChecks(sys, props, (p) => !symmetricProperty(p)) : null;
  const first = new Map<number, Int32Array | null>();
  // Once each such property has its first hit (its discovery), renamings have nothing left to find.
  const pending = props.map((p, i) => (symmetricProperty(p) ? -1 : i)).filter((i) => i >= 0);
  const undecided = () => pending.some((i) => !first.has(i));
  // A `symmetric: true` claim is the spec's word: each state tests it on one renaming, the next
  // state on the next one, so that a wrong claim is an error, not a silent holds.
  const claimed = props.map((p, i) => (p.decl?.kind === 'invariant' && p.decl.symmetric === true && !p.witnessOf ? i : -1)).filter((i) => i >= 0);
  const claims = claimed.length && group.size > 1 ? buildChecks(sys, props, (p) => claimed.includes(props.indexOf(p))) : null;
  const onRepHit = new Uint8Array(props.length);
  const img = new Int32Array(sys.width);
  let turn = 0;
  const testClaims = (rep: Int32Array) => {
    const p = 1 + (turn++ % (group.size - 1));
    canon.image(p, rep, img);
    const onImg = new Set<number>();
    claims!.state(img, (prop) => onImg.add(prop));
    for (const i of claimed) {
      if (onImg.has(i) !== (onRepHit[i] === 1)) {
        throw new SpecError(`spec '${sys.spec.name}': property '${props[i].name}' is declared symmetric but renaming ${group.describe(p)} changes its answer in state ${sys.stateLine(rep)}`);
      }
    }
  };
  return {
    checks: {
      ...onRep,
      state(rep, hit) {
        onRepHit.fill(0);
        onRep.state(rep, (prop) => {
          onRepHit[prop] = 1;
          if (!first.has(prop)) first.set(prop, null);
          hit(prop);
        });
        if (claims) testClaims(rep);
        if (!everyRenaming || !undecided()) return;
        everyRenaming.state(rep, (prop) => {
          if (!first.has(prop)) first.set(prop, null);
          hit(prop, true);
        });
        canon.images(rep, (_, img) =>
          everyRenaming.state(img, (prop) => {
            if (!first.has(prop)) first.set(prop, img.slice());
            hit(prop, true);
          }),
        );
      },
    },
    foundIn: (prop) => first.get(prop) ?? undefined,
  };
}

/** Every how many expanded states the successors are audited (docs/symmetry.md). */
const AUDIT_EVERY = 8;

/**
 * The system's successors, audited: every 8th state expanded, the steps of a renaming of it (the
 * next renaming each time) must lead exactly to the renamings of its own successors. A machine that looks at an
 * instance's name beyond passing it on (`from < 'c1'`, a guard on `'c0'`) breaks the symmetry the
 * reduction relies on: that becomes an error, not a silent holds.
 */
export function auditedSuccessors(sys: ComposedSystem, canon: Canonicaliser, group: SystemSymmetry): (s: Int32Array, visit: (step: number, next: Int32Array) => void) => void {
  let n = 0;
  const img = new Int32Array(sys.width);
  return (s, visit) => {
    if (group.size === 1 || n++ % AUDIT_EVERY !== 0) return sys.successors(s, visit);
    const p = 1 + ((n / AUDIT_EVERY) | 0) % (group.size - 1);
    // A symmetric system's steps from the renamed state lead exactly to the renamed successors.
    const own: string[] = [];
    sys.successors(s, (step, next) => {
      own.push(canon.image(p, next, img).join(','));
      visit(step, next);
    });
    canon.image(p, s, img);
    const renamed: string[] = [];
    sys.successors(img, (_, next) => renamed.push(next.join(',')));
    own.sort();
    renamed.sort();
    if (own.length !== renamed.length || own.some((x, i) => x !== renamed[i])) {
      throw new SpecError(`spec '${sys.spec.name}': the declared symmetry does not hold: renaming ${group.describe(p)} changes the steps of state ${sys.stateLine(s)} (do the machines treat instance names as mere names?)`);
    }
  };
}
