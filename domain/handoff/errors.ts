/** The one error type of the handoff room; the agent API maps its code to an HTTP status. */
import { KefuError } from '../../lib/errors.js';
export type HandoffErrorCode = 'not_found' | 'conflict' | 'forbidden' | 'bad_request';

export class HandoffError extends KefuError {
  declare readonly code: HandoffErrorCode;

  constructor(code: HandoffErrorCode, message: string) {
    super(code, message);
  }
}
