/** Hashing shared by the state stores. */

/** MurmurHash3 (x86, 32-bit) of `n` words at `off` under `seed`. */
export function murmur3(d: Int32Array, off: number, n: number, seed: number): number {
  let h = seed | 0;
  for (let i = 0; i < n; i++) {
    let k = Math.imul(d[off + i], 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    h ^= Math.imul(k, 0x1b873593);
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  return fmix32(h ^ n);
}

/** MurmurHash3's finaliser: every input bit reaches every output bit. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}
