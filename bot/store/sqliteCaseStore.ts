/**
 * Cases in the embedded SQLite file. The whole case is one JSON document (so it round-trips
 * exactly) beside a few columns for queries. `create` returns only after the row is committed,
 * so the id may then be shown to the shopper; within a turn (given its `TurnWrites`) it returns
 * once the row is written, and the turn's replies wait for the commit. That spares a turn a wait
 * for a commit of its own (the case usually commits with the turn's state, in one transaction).
 */
import type { Statement } from 'better-sqlite3';
import { applyChange, buildCase, caseColumns, MAX_UPDATE_ATTEMPTS, parseCaseJson } from './caseRecord.js';
import { newCaseId, normalizeCaseId } from './caseId.js';
import { CaseNotFoundError, CaseUpdateConflictError } from './errors.js';
import { committed, writtenNow } from './groupCommit.js';
import type { SqliteDb } from './sqliteDb.js';
import type { CaseFilter, CaseRecord, CaseStore, NewCase, TurnWrites } from '../../domain/cases.js';

const COLUMNS = `id, version, shopper_id, conversation_id, status, complaint, order_id, rule_id, table_hash,
  csat_score, created_at, updated_at, doc`;
const VALUES = `@id, @version, @shopperId, @conversationId, @status, @complaint, @orderId, @ruleId, @tableHash,
  @csatScore, @createdAt, @updatedAt, @doc`;

type Row = ReturnType<typeof caseColumns> & { doc: string };

function row(c: CaseRecord): Row {
  return { ...caseColumns(c), doc: JSON.stringify(c) };
}

export class SqliteCaseStore implements CaseStore {
  private readonly insert;
  private readonly selectDoc;
  private readonly casUpdate;
  private readonly casUpdateSameStatus;
  private readonly remove;
  private readonly listings = new Map<string, Statement<(string | number)[], { doc: string }>>();

  constructor(private readonly db: SqliteDb) {
    this.insert = db.prepare<[Row]>(`INSERT INTO cases (${COLUMNS}) VALUES (${VALUES})`);
    this.selectDoc = db.prepare<[string], { doc: string }>('SELECT doc FROM cases WHERE id = ?');
    // Only the columns an update may change: SQLite rewrites the index entries of every column
    // named here, changed or not (the identity columns are indexed, and never change).
    this.casUpdate = db.prepare<[Row & { expected: number }]>(
      `UPDATE cases SET (version, status, complaint, order_id, rule_id, table_hash, csat_score, updated_at, doc) =
         (@version, @status, @complaint, @orderId, @ruleId, @tableHash, @csatScore, @updatedAt, @doc)
       WHERE id = @id AND version = @expected`,
    );
    // Most updates keep the status: naming it anyway would rewrite both status indexes for nothing.
    this.casUpdateSameStatus = db.prepare<[Row & { expected: number }]>(
      `UPDATE cases SET (version, complaint, order_id, rule_id, table_hash, csat_score, updated_at, doc) =
         (@version, @complaint, @orderId, @ruleId, @tableHash, @csatScore, @updatedAt, @doc)
       WHERE id = @id AND version = @expected`,
    );
    this.remove = db.prepare<[string]>('DELETE FROM cases WHERE id = ?');
  }

  async create(input: NewCase, writes?: TurnWrites): Promise<CaseRecord> {
    for (let attempt = 0; ; attempt++) {
      const now = new Date();
      const record = buildCase(input, newCaseId(now), now);
      try {
        const { durable } = writtenNow(this.db, () => this.insert.run(row(record)));
        if (writes) writes.defer(durable);
        else await durable;
        return record;
      } catch (err) {
        const code = (err as { code?: string }).code;
        if (code !== 'SQLITE_CONSTRAINT_PRIMARYKEY' || attempt >= 5) throw err;
      }
    }
  }

  private read(id: string): { doc: string; key: string } | undefined {
    const key = normalizeCaseId(id);
    if (key === undefined) return undefined;
    const found = this.selectDoc.get(key);
    return found && { doc: found.doc, key };
  }

  async get(id: string): Promise<CaseRecord | undefined> {
    const found = this.read(id);
    return found && parseCaseJson(found.doc, `case ${found.key}`);
  }

  async update(id: string, change: (current: CaseRecord) => CaseRecord): Promise<CaseRecord> {
    for (let attempt = 0; attempt < MAX_UPDATE_ATTEMPTS; attempt++) {
      const found = this.read(id);
      if (found === undefined) throw new CaseNotFoundError(id);
      const current = parseCaseJson(found.doc, `case ${found.key}`);
      const { version: expected, status } = current;
      const next = applyChange(current, change, new Date(), found.doc);
      // Nothing to write; parsed again, as `change` may have mutated `current`.
      if (next === undefined) return parseCaseJson(found.doc, `case ${found.key}`);
      const update = next.status === status ? this.casUpdateSameStatus : this.casUpdate;
      if ((await committed(this.db, () => update.run({ ...row(next), expected }))).changes === 1) return next;
    }
    throw new CaseUpdateConflictError(id, MAX_UPDATE_ATTEMPTS);
  }

  async list(filter: CaseFilter = {}): Promise<CaseRecord[]> {
    const where: string[] = [];
    const params: (string | number)[] = [];
    if (filter.status !== undefined) {
      if (filter.status.length === 0) return [];
      where.push(`status IN (${filter.status.map(() => '?').join(', ')})`);
      params.push(...filter.status);
    }
    if (filter.shopperId !== undefined) {
      where.push('shopper_id = ?');
      params.push(filter.shopperId);
    }
    if (filter.conversationId !== undefined) {
      where.push('conversation_id = ?');
      params.push(filter.conversationId);
    }
    if (filter.since !== undefined) {
      where.push('created_at >= ?');
      params.push(new Date(filter.since).toISOString());
    }
    // A shopper's cases in some statuses: SQLite alone may walk cases in date order and test each
    // one's shopper and status.
    const index =
      filter.status !== undefined && filter.shopperId !== undefined ? 'INDEXED BY cases_shopper_status' : '';
    // No LIMIT unless one is asked for: with one (even -1), SQLite walks every case of the shopper
    // in date order instead of seeking each status, which grows with the shopper's history.
    const limit = filter.limit === undefined ? '' : 'LIMIT ?';
    if (filter.limit !== undefined) params.push(filter.limit);
    const sql = `SELECT doc FROM cases ${index} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY created_at DESC, id ${limit}`;
    let statement = this.listings.get(sql);
    if (statement === undefined) {
      // One statement per shape of filter (a handful), prepared once.
      statement = this.db.prepare<(string | number)[], { doc: string }>(sql);
      this.listings.set(sql, statement);
    }
    const rows = statement.all(...params);
    return rows.map((r) => parseCaseJson(r.doc, 'case in list'));
  }

  async delete(id: string): Promise<boolean> {
    const key = normalizeCaseId(id);
    return key !== undefined && (await committed(this.db, () => this.remove.run(key))).changes === 1;
  }
}
