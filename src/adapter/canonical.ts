/**
 * Canonical encoding of plain data: equal values get equal strings whatever the order their object
 * keys were created in. Used to intern local states, messages and mailbox contents.
 */

/** Returns a description of the first part of `x` that is not plain data, or null. */
export function notPlainData(x: unknown, path = '', seen: Set<object> = new Set()): string | null {
  if (x === null) return null;
  switch (typeof x) {
    case 'string':
    case 'boolean':
      return null;
    case 'number':
      return Number.isFinite(x) ? null : `${path || 'value'} is ${x}`;
    case 'object': {
      if (seen.has(x as object)) return `${path || 'value'} has a cycle`;
      seen.add(x as object);
      if (Array.isArray(x)) {
        for (let i = 0; i < x.length; i++) {
          if (x[i] === undefined) return `${path}[${i}] is undefined`;
          const bad = notPlainData(x[i], `${path}[${i}]`, seen);
          if (bad) return bad;
        }
      } else {
        const proto = Object.getPrototypeOf(x);
        if (proto !== Object.prototype && proto !== null) {
          return `${path || 'value'} is an instance of ${proto?.constructor?.name ?? 'a class'}`;
        }
        for (const k of Object.keys(x as object)) {
          const v = (x as Record<string, unknown>)[k];
          if (v === undefined) continue; // JSON drops it too: absent and undefined are one value
          const bad = notPlainData(v, path ? `${path}.${k}` : k, seen);
          if (bad) return bad;
        }
      }
      seen.delete(x as object);
      return null;
    }
    case 'undefined':
      return null;
    default:
      return `${path || 'value'} is a ${typeof x}`;
  }
}

/** JSON with object keys sorted; `undefined` members are left out, as JSON does. */
export function canonical(x: unknown): string {
  if (x === null || typeof x !== 'object') return x === undefined ? 'null' : JSON.stringify(x);
  if (Array.isArray(x)) return '[' + x.map(canonical).join(',') + ']';
  const keys = Object.keys(x as object).sort();
  let out = '{';
  let first = true;
  for (const k of keys) {
    const v = (x as Record<string, unknown>)[k];
    if (v === undefined) continue;
    out += (first ? '' : ',') + JSON.stringify(k) + ':' + canonical(v);
    first = false;
  }
  return out + '}';
}
