/** Storage: the interfaces, the embedded SQLite backend, Redis + PostgreSQL, and the demo order source. */
export type * from './types.js';
export { openStores, pgOptions, redactUrl, redisOptions, SQLITE_FILE_NAME } from './openStores.js';
export { openSqlite, migrateSqlite, type SqliteDb } from './sqliteDb.js';
export { SqliteStorage } from './sqliteStorage.js';
export { SqliteCaseStore } from './sqliteCaseStore.js';
export { DirEvidenceStore, sha256Hex } from './dirEvidenceStore.js';
export { IN_FILE_MAX, SqliteEvidenceStore } from './sqliteEvidenceStore.js';
export { RedisStorage, type RedisStorageOptions } from './redisStorage.js';
export { RedisLedger } from './redisLedger.js';
export { SqliteLedger } from './sqliteLedger.js';
export { PgCaseStore } from './pgCaseStore.js';
export { PgEvidenceStore } from './pgEvidenceStore.js';
export { migratePg, checkSchemaName, type PgStep } from './pgMigrate.js';
export { YamlOrderSource } from './yamlOrderSource.js';
export { newCaseId, normalizeCaseId } from './caseId.js';
export { CASE_STATUSES } from './caseRecord.js';
export {
  CaseNotFoundError,
  CaseUpdateConflictError,
  DataFileError,
  EtagConflictError,
  StoredDataError,
} from './errors.js';
