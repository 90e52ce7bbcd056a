/**
 * The `daxcheck` package as a library: what a spec file imports (`import { defineSpec } from
 * 'daxcheck'`), and the checker's entry points for scripts.
 */
export * from './spec/types.js';
export { m } from '../machines/meta.js';
export { checkSpec, type CheckOptions, type CheckResult, type PropertyResult } from './check.js';
export { simulate, type SimulateOptions, type SimulateResult } from './simulate/simulate.js';
