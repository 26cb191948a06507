/**
 * The errors storage raises. Each names what was being read or written, so a log line or a failed
 * turn says which conversation, case or file went wrong without a debugger.
 */
import { KefuError } from '../../lib/errors.js';

export { DataFileError } from '../../lib/dataFile.js';

/**
 * A write lost a compare-and-set race: another turn changed the item since it was read. Every
 * Storage kefu uses throws this (botbuilder's MemoryStorage through `TypedConflicts`).
 */
export class EtagConflictError extends KefuError {
  constructor(readonly key: string) {
    super(
      'etag_conflict',
      `Storage: eTag conflict writing "${key}": it was changed since it was read; re-read and retry`,
    );
  }
}

/** Stored data that does not have the expected shape (a bad migration, a hand edit, a bug). */
export class StoredDataError extends KefuError {
  constructor(where: string, expected: string) {
    super('stored_data', `${where}: stored data is not valid (expected ${expected})`);
  }
}

export class CaseNotFoundError extends KefuError {
  constructor(readonly caseId: string) {
    super('case_not_found', `case ${caseId} does not exist`);
  }
}

/** An update kept losing compare-and-set races; the case is hot or `change` is not pure. */
export class CaseUpdateConflictError extends KefuError {
  constructor(
    readonly caseId: string,
    attempts: number,
  ) {
    super('case_update_conflict', `case ${caseId}: update lost ${attempts} compare-and-set races in a row; giving up`);
  }
}
