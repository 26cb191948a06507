/**
 * Cases in PostgreSQL, shared by every bot instance. The whole case is a jsonb document beside
 * columns for queries and reports (status, shopper, rule id and table hash of the decision,
 * CSAT); evidence metadata has its own table, rewritten with the case, so reports and clean-up
 * can find files without reading documents. Updates are compare-and-set on `version`.
 */
import type { Pool, PoolClient } from 'pg';
import { applyChange, buildCase, caseColumns, MAX_UPDATE_ATTEMPTS, parseCase } from './caseRecord.js';
import { newCaseId, normalizeCaseId } from './caseId.js';
import { CaseNotFoundError, CaseUpdateConflictError } from './errors.js';
import { checkSchemaName, migratePg, type PgStep } from './pgMigrate.js';
import type { CaseFilter, CaseRecord, CaseStore, NewCase } from '../../domain/cases.js';

const CASE_MIGRATIONS: PgStep[] = [
  (s) => `
    CREATE TABLE "${s}".cases (
      id text PRIMARY KEY,
      version integer NOT NULL,
      shopper_id text NOT NULL,
      conversation_id text NOT NULL,
      status text NOT NULL,
      complaint text NOT NULL,
      order_id text,
      rule_id text,
      table_hash text,
      csat_score integer,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      doc jsonb NOT NULL
    );
    CREATE INDEX cases_status ON "${s}".cases (status, created_at);
    CREATE INDEX cases_shopper ON "${s}".cases (shopper_id, created_at);
    CREATE INDEX cases_created ON "${s}".cases (created_at);
    CREATE TABLE "${s}".case_evidence (
      case_id text NOT NULL REFERENCES "${s}".cases (id) ON DELETE CASCADE,
      evidence_id text NOT NULL,
      kind text NOT NULL,
      content_type text NOT NULL,
      bytes integer NOT NULL,
      sha256 text NOT NULL,
      storage_key text NOT NULL,
      received_at timestamptz NOT NULL,
      PRIMARY KEY (case_id, evidence_id)
    );
    CREATE INDEX case_evidence_key ON "${s}".case_evidence (storage_key);`,
  // Opening a case looks up the conversation's cases (idempotent re-runs of a turn).
  (s) => `CREATE INDEX cases_conversation ON "${s}".cases (conversation_id, created_at);`,
];

function params(c: CaseRecord): unknown[] {
  const k = caseColumns(c);
  return [
    k.id,
    k.version,
    k.shopperId,
    k.conversationId,
    k.status,
    k.complaint,
    k.orderId,
    k.ruleId,
    k.tableHash,
    k.csatScore,
    k.createdAt,
    k.updatedAt,
    JSON.stringify(c),
  ];
}

export class PgCaseStore implements CaseStore {
  private readonly t: string;

  private constructor(
    private readonly pool: Pool,
    schema: string,
  ) {
    this.t = `"${checkSchemaName(schema)}"`;
  }

  /** Runs the migrations of `schema` (creating it if needed), then returns the store. */
  static async open(pool: Pool, schema: string): Promise<PgCaseStore> {
    await migratePg(pool, schema, 'cases', CASE_MIGRATIONS);
    return new PgCaseStore(pool, schema);
  }

  async create(input: NewCase): Promise<CaseRecord> {
    for (let attempt = 0; ; attempt++) {
      const now = new Date();
      const record = buildCase(input, newCaseId(now), now);
      try {
        await this.inTransaction(async (db) => {
          await db.query(
            `INSERT INTO ${this.t}.cases (id, version, shopper_id, conversation_id, status, complaint, order_id, rule_id,
               table_hash, csat_score, created_at, updated_at, doc) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13)`,
            params(record),
          );
          await this.writeEvidence(db, record);
        });
        return record;
      } catch (err) {
        if ((err as { code?: string }).code !== '23505' || attempt >= 5) throw err;
      }
    }
  }

  async get(id: string): Promise<CaseRecord | undefined> {
    const key = normalizeCaseId(id);
    if (key === undefined) return undefined;
    const res = await this.pool.query<{ doc: unknown }>(`SELECT doc FROM ${this.t}.cases WHERE id = $1`, [key]);
    return res.rows[0] === undefined ? undefined : parseCase(res.rows[0].doc, `case ${key}`);
  }

  async update(id: string, change: (current: CaseRecord) => CaseRecord): Promise<CaseRecord> {
    for (let attempt = 0; attempt < MAX_UPDATE_ATTEMPTS; attempt++) {
      const current = await this.get(id);
      if (current === undefined) throw new CaseNotFoundError(id);
      const expected = current.version;
      const json = JSON.stringify(current);
      const next = applyChange(current, change, new Date(), json);
      // Nothing to write; parsed again, as `change` may have mutated `current`.
      if (next === undefined) return JSON.parse(json) as CaseRecord;
      const k = caseColumns(next);
      const won = await this.inTransaction(async (db) => {
        const res = await db.query(
          `UPDATE ${this.t}.cases SET version=$2, status=$3, complaint=$4, order_id=$5, rule_id=$6, table_hash=$7,
             csat_score=$8, updated_at=$9, doc=$10
           WHERE id = $1 AND version = $11`,
          [
            k.id,
            k.version,
            k.status,
            k.complaint,
            k.orderId,
            k.ruleId,
            k.tableHash,
            k.csatScore,
            k.updatedAt,
            JSON.stringify(next),
            expected,
          ],
        );
        if (res.rowCount !== 1) return false;
        await this.writeEvidence(db, next);
        return true;
      });
      if (won) return next;
    }
    throw new CaseUpdateConflictError(id, MAX_UPDATE_ATTEMPTS);
  }

  async list(filter: CaseFilter = {}): Promise<CaseRecord[]> {
    const where: string[] = [];
    const values: unknown[] = [];
    if (filter.status !== undefined) {
      if (filter.status.length === 0) return [];
      values.push(filter.status);
      where.push(`status = ANY($${values.length})`);
    }
    if (filter.shopperId !== undefined) {
      values.push(filter.shopperId);
      where.push(`shopper_id = $${values.length}`);
    }
    if (filter.conversationId !== undefined) {
      values.push(filter.conversationId);
      where.push(`conversation_id = $${values.length}`);
    }
    if (filter.since !== undefined) {
      values.push(new Date(filter.since).toISOString());
      where.push(`created_at >= $${values.length}`);
    }
    values.push(filter.limit ?? null);
    const res = await this.pool.query<{ doc: unknown }>(
      `SELECT doc FROM ${this.t}.cases ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY created_at DESC, id LIMIT $${values.length}`,
      values,
    );
    return res.rows.map((r) => parseCase(r.doc, 'case in list'));
  }

  async delete(id: string): Promise<boolean> {
    const key = normalizeCaseId(id);
    if (key === undefined) return false;
    const res = await this.pool.query(`DELETE FROM ${this.t}.cases WHERE id = $1`, [key]);
    return res.rowCount === 1;
  }

  private async writeEvidence(db: PoolClient, c: CaseRecord): Promise<void> {
    await db.query(`DELETE FROM ${this.t}.case_evidence WHERE case_id = $1`, [c.id]);
    for (const e of c.evidence) {
      await db.query(
        `INSERT INTO ${this.t}.case_evidence (case_id, evidence_id, kind, content_type, bytes, sha256, storage_key, received_at)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8) ON CONFLICT DO NOTHING`,
        [c.id, e.id, e.kind, e.contentType, e.bytes, e.sha256, e.storageKey, e.receivedAt],
      );
    }
  }

  private async inTransaction<T>(work: (db: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      client.release();
      return result;
    } catch (err) {
      // The connection is closed, not rolled back and reused: after a query timeout the server's
      // late answer would be read as the answer to the next query. Closing rolls back anyway.
      client.release(err instanceof Error ? err : true);
      throw err;
    }
  }
}
