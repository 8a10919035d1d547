/**
 * Errors of the dispatch ledger and the approval store. Each carries a `code`
 * so the pipeline and the CLI can react without parsing the message, and a
 * message a person can act on (they are UserErrors: the CLI prints them bare).
 */
import { UserError } from '../common/userError';

export type DispatchErrorCode = 'unknown-dispatch' | 'invalid-argument' | 'invalid-transition' | 'not-releasable' | 'not-saved';

export class DispatchError extends UserError {
  constructor(readonly code: DispatchErrorCode, message: string) {
    super(message);
    this.name = 'DispatchError';
  }
}

export type ApprovalErrorCode = 'unknown-approval' | 'expired' | 'already-decided' | 'invalid-request' | 'not-saved';

export class ApprovalError extends UserError {
  constructor(readonly code: ApprovalErrorCode, message: string) {
    super(message);
    this.name = 'ApprovalError';
  }
}
