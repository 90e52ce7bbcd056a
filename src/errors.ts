/**
 * The two kinds of failure that are not verdicts. Both end a run with exit code 2 and one line that
 * names the spec and the culprit; neither ever prints a stack trace.
 */

/** The spec or the command line is wrong: unknown name, ownerless event, forbidden feature. */
export class SpecError extends Error {
  override readonly name = 'SpecError';
}

/** A machine misbehaved while it ran: it threw, or produced a context that is not plain data. */
export class ModelError extends Error {
  override readonly name = 'ModelError';
}

export function isUserError(e: unknown): e is SpecError | ModelError {
  return e instanceof SpecError || e instanceof ModelError;
}
