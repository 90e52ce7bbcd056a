/**
 * `daxcheck trace export`: a counterexample or witness rendered as the kernel log the map says it
 * prints. Thread actor k gets PID 1001 + k on CPU k (task name: the actor's id); the steps are
 * 1 us apart. `conform` with the same map reads the result back (the round trip of the tests).
 */
import type { Trace } from '../trace/types.js';
import type { ConformanceMap } from './map.js';
import { observe, renderLine, traceStepInfo, type Identity, type LogFormat, type Print } from './observe.js';

/** A print that no thread makes (a step of shared objects only): a kernel worker's line. */
const WORKER: Identity = { task: 'kworker/u8:1', pid: 90, cpu: 0 };

export function threadIdentity(t: Trace, actor: string | undefined): Identity {
  if (actor === undefined) return WORKER;
  const k = Math.max(0, t.threads.indexOf(actor));
  return { task: actor, pid: 1001 + k, cpu: k };
}

/** Every print of a trace, in step order, with the step (1-based) it comes from. */
export function tracePrints(map: ConformanceMap, t: Trace): { step: number; print: Print }[] {
  const out: { step: number; print: Print }[] = [];
  for (let i = 0; i < t.steps.length; i++) for (const p of observe(map, traceStepInfo(t, i))) out.push({ step: i + 1, print: p });
  return out;
}

export function exportTrace(map: ConformanceMap, t: Trace, format: LogFormat): string {
  const prints = tracePrints(map, t);
  const head =
    format === 'json' ? [] : format === 'ftrace'
      ? ['# tracer: nop', '#', `# daxcheck trace export: spec ${t.spec}${t.variant ? ` variant ${t.variant}` : ''}, ${t.property} (${t.kind}), map ${map.name}`, '#', '#           TASK-PID     CPU#  ||||   TIMESTAMP  FUNCTION', '#              | |         |   ||||      |         |']
      : [`cpus=${Math.max(1, t.threads.length)}`];
  const lines = prints.map(({ step, print }) => renderLine(map, print, threadIdentity(t, print.thread), 100 + step / 1e6, format));
  return [...head, ...lines].join('\n') + '\n';
}
