/** File names of a trace's exports. */
import type { Trace } from '../trace/types.js';

/** The file stem of a trace: spec.variant.property, safe for every file system. */
export function traceStem(t: Trace): string {
  return [t.spec, t.variant ?? 'default', t.property].map((x) => x.replace(/[^A-Za-z0-9_-]/g, '_')).join('.');
}
