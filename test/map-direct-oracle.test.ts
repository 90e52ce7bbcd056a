/**
 * The MAP_DIRECT models explored by the reference enumerator (test/oracle, no src/ imports): state
 * counts and safety verdicts with their shortest depths equal the engine's, on the small baselines
 * and on a small variant of the full spec.
 */
import { describe } from 'vitest';
import baselines from '../specs/map-direct-baselines.js';
import mapDirect from '../specs/map-direct.js';
import { agreesWithOracle } from './spec-helpers.js';

describe('map-direct: engine = reference enumerator', () => {
  agreesWithOracle([
    [baselines, 'pre-series'],
    [baselines, 'v6'],
    [baselines, 'R4-buggy'],
    [baselines, 'R11-pagecache'],
    // The presets themselves (24k-58k states) take the plain enumerator minutes: one small
    // variant of the full spec stands for them (K7-odpUnsupported, 4.5k states since the split CPU
    // fault, took the plain enumerator over the 120 s test timeout on a loaded machine).
    [mapDirect, 'K10-reflink-fault'],
  ]);
});
