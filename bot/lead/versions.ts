/**
 * Every activation of the rule table, kept in the store beside the cases: who, when, the table's
 * hash and full text (so any version can be restored) and the impact report at that moment.
 * Two backends behind one interface: the embedded SQLite file and PostgreSQL, each adding its
 * table through the storage layer's migration helpers under the component name `lead`.
 */
import type { Pool } from 'pg';
import { committed } from '../store/groupCommit.js';
import { migrateSqlite, type SqliteDb } from '../store/sqliteDb.js';
import { checkSchemaName, migratePg, type PgStep } from '../store/pgMigrate.js';
import { StoredDataError } from '../store/errors.js';
import type { TableDiff } from '../../rules/diff.js';

export type ActivationKind = 'activate' | 'rollback' | 'file';

/** The impact report stored with a version: totals and groups, case ids capped per group. */
export type StoredDiff = Omit<TableDiff, 'changed'> & { changedCount: number; skipped: number };

export interface RuleVersion {
  /** Increasing; the newest version is the one serving (unless a later edit was rejected). */
  id: number;
  hash: string;
  /** `lead:NAME` from the console, or `file` when the file was replaced by hand. */
  by: string;
  at: string;
  kind: ActivationKind;
  previousHash?: string;
  /** With `rollback`: the version restored. */
  restoredFrom?: number;
  text: string;
  diff?: StoredDiff;
}

export type NewRuleVersion = Omit<RuleVersion, 'id'>;

export interface RuleVersionStore {
  add(v: NewRuleVersion): Promise<RuleVersion>;
  get(id: number): Promise<RuleVersion | undefined>;
  latest(): Promise<RuleVersion | undefined>;
  /** Newest first. */
  list(limit?: number): Promise<RuleVersion[]>;
}

const MAX_IDS_PER_GROUP = 50;

export function storedDiff(d: TableDiff, skipped: number): StoredDiff {
  const { changed, ...rest } = d;
  return {
    ...rest,
    groups: rest.groups.map((g) => ({ ...g, caseIds: g.caseIds.slice(0, MAX_IDS_PER_GROUP) })),
    changedCount: changed.length,
    skipped,
  };
}

function parseVersion(id: number, doc: string): RuleVersion {
  let v: unknown;
  try {
    v = JSON.parse(doc);
  } catch {
    throw new StoredDataError(`rule version ${id}`, 'JSON');
  }
  const o = v as Partial<RuleVersion> | null;
  if (
    o === null ||
    typeof o !== 'object' ||
    typeof o.hash !== 'string' ||
    typeof o.text !== 'string' ||
    typeof o.at !== 'string'
  ) {
    throw new StoredDataError(`rule version ${id}`, 'an object with hash, text and at');
  }
  return { ...(o as NewRuleVersion), id };
}

const SQLITE_STEPS = [
  `CREATE TABLE rule_versions (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     hash TEXT NOT NULL,
     at TEXT NOT NULL,
     doc TEXT NOT NULL
   );`,
];

export class SqliteRuleVersions implements RuleVersionStore {
  constructor(private readonly db: SqliteDb) {
    migrateSqlite(db, 'lead', SQLITE_STEPS);
  }

  async add(v: NewRuleVersion): Promise<RuleVersion> {
    const insert = this.db.prepare('INSERT INTO rule_versions (hash, at, doc) VALUES (?, ?, ?)');
    const r = await committed(this.db, () => insert.run(v.hash, v.at, JSON.stringify(v)));
    return { ...v, id: Number(r.lastInsertRowid) };
  }

  async get(id: number): Promise<RuleVersion | undefined> {
    const row = this.db
      .prepare<[number], { id: number; doc: string }>('SELECT id, doc FROM rule_versions WHERE id = ?')
      .get(id);
    return row && parseVersion(row.id, row.doc);
  }

  async latest(): Promise<RuleVersion | undefined> {
    return (await this.list(1))[0];
  }

  async list(limit = 100): Promise<RuleVersion[]> {
    const rows = this.db
      .prepare<[number], { id: number; doc: string }>('SELECT id, doc FROM rule_versions ORDER BY id DESC LIMIT ?')
      .all(limit);
    return rows.map((r) => parseVersion(r.id, r.doc));
  }
}

const PG_STEPS: PgStep[] = [
  (s) => `CREATE TABLE "${s}".rule_versions (
     id bigserial PRIMARY KEY,
     hash text NOT NULL,
     at timestamptz NOT NULL,
     doc jsonb NOT NULL
   );`,
];

export class PgRuleVersions implements RuleVersionStore {
  private constructor(
    private readonly pool: Pool,
    private readonly t: string,
  ) {}

  static async open(pool: Pool, schema: string): Promise<PgRuleVersions> {
    await migratePg(pool, schema, 'lead', PG_STEPS);
    return new PgRuleVersions(pool, `"${checkSchemaName(schema)}".rule_versions`);
  }

  async add(v: NewRuleVersion): Promise<RuleVersion> {
    const r = await this.pool.query<{ id: string }>(
      `INSERT INTO ${this.t} (hash, at, doc) VALUES ($1, $2, $3) RETURNING id`,
      [v.hash, v.at, JSON.stringify(v)],
    );
    return { ...v, id: Number(r.rows[0]!.id) };
  }

  async get(id: number): Promise<RuleVersion | undefined> {
    const r = await this.pool.query<{ id: string; doc: unknown }>(`SELECT id, doc FROM ${this.t} WHERE id = $1`, [id]);
    const row = r.rows[0];
    return row && parseVersion(Number(row.id), JSON.stringify(row.doc));
  }

  async latest(): Promise<RuleVersion | undefined> {
    return (await this.list(1))[0];
  }

  async list(limit = 100): Promise<RuleVersion[]> {
    const r = await this.pool.query<{ id: string; doc: unknown }>(
      `SELECT id, doc FROM ${this.t} ORDER BY id DESC LIMIT $1`,
      [limit],
    );
    return r.rows.map((row) => parseVersion(Number(row.id), JSON.stringify(row.doc)));
  }
}
