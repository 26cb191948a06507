/** The one error type of the handoff room; the agent API maps its code to an HTTP status. */
export type HandoffErrorCode = 'not_found' | 'conflict' | 'forbidden' | 'bad_request';

export class HandoffError extends Error {
  constructor(
    readonly code: HandoffErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'HandoffError';
  }
}
