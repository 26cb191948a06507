/**
 * PostgreSQL migrations that run on start. Everything lives in one schema (configurable, so
 * tests and several deployments can share a database). Instances starting together serialize on
 * an advisory lock, so each step runs once. Components (cases, evidence, later the handoff
 * queue) keep their own append-only step lists; never edit a step that has shipped.
 */
import type { Pool } from 'pg';

/** A step is SQL for a schema name that `checkSchemaName` has already accepted. */
export type PgStep = (schema: string) => string;

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export function checkSchemaName(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) {
    throw new Error(
      `PostgreSQL schema '${schema}' is not valid (expected lower-case letters, digits and _, at most 63)`,
    );
  }
  return schema;
}

export async function migratePg(
  pool: Pool,
  schema: string,
  component: string,
  steps: readonly PgStep[],
): Promise<void> {
  const s = checkSchemaName(schema);
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`kefu-migrate:${s}`]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${s}"`);
    await client.query(`CREATE TABLE IF NOT EXISTS "${s}".kefu_migrations (
      component text NOT NULL, step integer NOT NULL, applied_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (component, step))`);
    const done = await client.query<{ done: number | null }>(
      `SELECT MAX(step) AS done FROM "${s}".kefu_migrations WHERE component = $1`,
      [component],
    );
    for (let step = (done.rows[0]?.done ?? 0) + 1; step <= steps.length; step++) {
      await client.query(steps[step - 1]!(s));
      await client.query(`INSERT INTO "${s}".kefu_migrations (component, step) VALUES ($1, $2)`, [component, step]);
    }
    await client.query('COMMIT');
    client.release();
  } catch (err) {
    // Closed, not rolled back and reused (see PgCaseStore.inTransaction); closing rolls back.
    client.release(err instanceof Error ? err : true);
    throw err;
  }
}
