/**
 * The embedded store's one SQLite file: opening it safely for several readers and one writer
 * (WAL, a busy timeout so two processes on one file wait instead of failing) and running
 * migrations on start. Other components (e.g. the handoff queue) add their own tables through
 * `migrateSqlite` under their own component name, so nobody edits another's migration list.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

export type SqliteDb = Database.Database;

export function openSqlite(file: string): SqliteDb {
  if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  migrateSqlite(db, 'store', STORE_MIGRATIONS);
  return db;
}

/**
 * Applies the steps of `component` not yet applied, each in its own transaction. Steps are
 * append-only: never edit or reorder a step that has shipped, add a new one.
 */
export function migrateSqlite(db: SqliteDb, component: string, steps: readonly string[]): void {
  db.exec(`CREATE TABLE IF NOT EXISTS kefu_migrations (
    component TEXT NOT NULL, step INTEGER NOT NULL, applied_at TEXT NOT NULL,
    PRIMARY KEY (component, step))`);
  // IMMEDIATE takes the write lock first, so two processes starting together apply each step once.
  const run = db.transaction(() => {
    const row = db.prepare('SELECT MAX(step) AS done FROM kefu_migrations WHERE component = ?').get(component) as {
      done: number | null;
    };
    for (let step = (row.done ?? 0) + 1; step <= steps.length; step++) {
      db.exec(steps[step - 1]!);
      db.prepare('INSERT INTO kefu_migrations (component, step, applied_at) VALUES (?, ?, ?)').run(
        component,
        step,
        new Date().toISOString(),
      );
    }
  });
  run.immediate();
}

export const STORE_MIGRATIONS = [
  `CREATE TABLE state (
     key TEXT PRIMARY KEY,
     etag TEXT NOT NULL,
     data TEXT NOT NULL,
     updated_at INTEGER NOT NULL
   ) WITHOUT ROWID;
   CREATE INDEX state_updated ON state (updated_at);
   CREATE TABLE cases (
     id TEXT PRIMARY KEY,
     version INTEGER NOT NULL,
     shopper_id TEXT NOT NULL,
     conversation_id TEXT NOT NULL,
     status TEXT NOT NULL,
     complaint TEXT NOT NULL,
     order_id TEXT,
     rule_id TEXT,
     table_hash TEXT,
     csat_score INTEGER,
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL,
     doc TEXT NOT NULL
   );
   CREATE INDEX cases_status ON cases (status, created_at);
   CREATE INDEX cases_shopper ON cases (shopper_id, created_at);
   CREATE INDEX cases_created ON cases (created_at);`,
  // Opening a case looks up the conversation's cases (idempotent re-runs of a turn).
  'CREATE INDEX cases_conversation ON cases (conversation_id, created_at);',
  // Handled activity ids (sqliteLedger.ts): a redelivered activity is answered, not handled twice.
  `CREATE TABLE activity_ledger (
     key TEXT PRIMARY KEY,
     owner TEXT NOT NULL,
     done INTEGER NOT NULL,
     replies TEXT,
     expires_at INTEGER NOT NULL
   ) WITHOUT ROWID;
   CREATE INDEX activity_ledger_expires ON activity_ledger (expires_at);`,
  // A shopper's cases in given statuses (a new complaint joins an active case about its item):
  // without it the lookup reads every case the shopper ever had, on every first turn.
  'CREATE INDEX cases_shopper_status ON cases (shopper_id, status, created_at);',
  // State and the ledger as rowid tables. A WITHOUT ROWID table keeps its rows in index pages,
  // where a row over about 1,000 bytes (a conversation's state is 1-3 KB, a ledger entry carries
  // the turn's replies) spills onto an overflow page that every write replaces: two to four pages
  // per write instead of one, written to the log at each commit. Measured on 1.5 KB rows: 60 µs of
  // CPU per write before, 25 after. And cases_shopper goes: cases_shopper_status serves every
  // lookup by shopper (with a sort of that shopper's few cases), one index fewer per new case.
  `CREATE TABLE state_rowid (
     key TEXT PRIMARY KEY,
     etag TEXT NOT NULL,
     data TEXT NOT NULL,
     updated_at INTEGER NOT NULL
   );
   INSERT INTO state_rowid (key, etag, data, updated_at) SELECT key, etag, data, updated_at FROM state;
   DROP TABLE state;
   ALTER TABLE state_rowid RENAME TO state;
   CREATE INDEX state_updated ON state (updated_at);
   CREATE TABLE activity_ledger_rowid (
     key TEXT PRIMARY KEY,
     owner TEXT NOT NULL,
     done INTEGER NOT NULL,
     replies TEXT,
     expires_at INTEGER NOT NULL
   );
   INSERT INTO activity_ledger_rowid (key, owner, done, replies, expires_at)
     SELECT key, owner, done, replies, expires_at FROM activity_ledger;
   DROP TABLE activity_ledger;
   ALTER TABLE activity_ledger_rowid RENAME TO activity_ledger;
   CREATE INDEX activity_ledger_expires ON activity_ledger (expires_at);
   DROP INDEX cases_shopper;`,
];
