/**
 * The one base of kefu's errors. `code` is stable (logs, HTTP bodies and tests match on it, never
 * on the message, which is for people and may be reworded). `status` is set only by errors born at
 * the HTTP edge whose protocol fixes the status; otherwise the edge maps `code` to a status.
 */
export class KefuError extends Error {
  readonly code: string;
  readonly status?: number;

  constructor(code: string, message: string, options?: { cause?: unknown; status?: number }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    if (options?.status !== undefined) this.status = options.status;
  }

  /** Fields an HTTP answer adds next to `code` and `message` (e.g. a rule table's diagnostics). */
  details(): Record<string, unknown> | undefined {
    return undefined;
  }
}

export function isKefuError(err: unknown): err is KefuError {
  return err instanceof KefuError;
}
