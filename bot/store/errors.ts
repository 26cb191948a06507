/**
 * The errors storage raises. Each names what was being read or written, so a log line or a failed
 * turn says which conversation, case or file went wrong without a debugger.
 */

/** A write lost a compare-and-set race: another turn changed the item since it was read. */
export class EtagConflictError extends Error {
  constructor(readonly key: string) {
    super(`Storage: eTag conflict writing "${key}": it was changed since it was read; re-read and retry`);
    this.name = 'EtagConflictError';
  }
}

/** Stored data that does not have the expected shape (a bad migration, a hand edit, a bug). */
export class StoredDataError extends Error {
  constructor(where: string, expected: string) {
    super(`${where}: stored data is not valid (expected ${expected})`);
    this.name = 'StoredDataError';
  }
}

export class CaseNotFoundError extends Error {
  constructor(readonly caseId: string) {
    super(`case ${caseId} does not exist`);
    this.name = 'CaseNotFoundError';
  }
}

/** An update kept losing compare-and-set races; the case is hot or `change` is not pure. */
export class CaseUpdateConflictError extends Error {
  constructor(
    readonly caseId: string,
    attempts: number,
  ) {
    super(`case ${caseId}: update lost ${attempts} compare-and-set races in a row; giving up`);
    this.name = 'CaseUpdateConflictError';
  }
}

/** A data file (e.g. data/orders.yaml) with a mistake, reported as `file:line:col message`. */
export class DataFileError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'DataFileError';
  }
}
