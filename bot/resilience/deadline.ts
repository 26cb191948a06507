/**
 * Bounded waits. A promise that may never settle (a blackholed socket, a channel that never
 * answers) is raced against a timer, so the caller always gets an answer in time; the work
 * itself is not cancelled, its late result is ignored.
 */
import { KefuError } from '../../lib/errors.js';

export class DeadlineError extends KefuError {
  constructor(
    readonly what: string,
    readonly ms: number,
  ) {
    super('deadline', `${what}: no answer within ${ms} ms`);
  }
}

export function withDeadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineError(what, ms)), ms);
    timer.unref();
  });
  // The losing promise may still reject later; that must not become an unhandled rejection.
  work.catch(() => undefined);
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms).unref());
