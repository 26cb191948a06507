/**
 * Evidence files in PostgreSQL (`EVIDENCE_STORE=postgres`), for deployments whose instances
 * share no disk. Content-addressed like `DirEvidenceStore`: the key is the SHA-256 of the bytes.
 * Stored as bytea, which suits photos and short videos (PostgreSQL caps a value at 1 GB).
 */
import type { Pool } from 'pg';
import { sha256Hex } from './dirEvidenceStore.js';
import { checkSchemaName, migratePg, type PgStep } from './pgMigrate.js';
import type { EvidenceStore, StoredEvidence } from '../../domain/cases.js';

const EVIDENCE_MIGRATIONS: PgStep[] = [
  (s) => `CREATE TABLE "${s}".evidence_files (
    key text PRIMARY KEY,
    content_type text NOT NULL,
    bytes integer NOT NULL,
    data bytea NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
  )`,
];

export class PgEvidenceStore implements EvidenceStore {
  private readonly t: string;

  private constructor(
    private readonly pool: Pool,
    schema: string,
  ) {
    this.t = `"${checkSchemaName(schema)}".evidence_files`;
  }

  static async open(pool: Pool, schema: string): Promise<PgEvidenceStore> {
    await migratePg(pool, schema, 'evidence', EVIDENCE_MIGRATIONS);
    return new PgEvidenceStore(pool, schema);
  }

  async put(data: Buffer, contentType: string): Promise<StoredEvidence> {
    const key = sha256Hex(data);
    await this.pool.query(
      `INSERT INTO ${this.t} (key, content_type, bytes, data) VALUES ($1, $2, $3, $4) ON CONFLICT (key) DO NOTHING`,
      [key, contentType, data.length, data],
    );
    return { key, sha256: key, bytes: data.length };
  }

  async get(key: string): Promise<{ data: Buffer; contentType: string } | undefined> {
    const res = await this.pool.query<{ data: Buffer; content_type: string }>(
      `SELECT data, content_type FROM ${this.t} WHERE key = $1`,
      [key],
    );
    const row = res.rows[0];
    return row === undefined ? undefined : { data: row.data, contentType: row.content_type };
  }

  async delete(key: string): Promise<void> {
    await this.pool.query(`DELETE FROM ${this.t} WHERE key = $1`, [key]);
  }
}
