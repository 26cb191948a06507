import { expect } from 'chai';
import pg from 'pg';
import { openSqlite } from '../../bot/store/sqliteDb.js';
import { PgRuleVersions, SqliteRuleVersions, type RuleVersionStore } from '../../bot/lead/versions.js';

/** The same behaviour from both backends: ids grow, newest first, every field round-trips. */
function contract(open: () => Promise<RuleVersionStore>) {
  it('keeps every version with who, when, hash, text and diff; newest first', async () => {
    const store = await open();
    expect(await store.latest()).to.equal(undefined);
    const a = await store.add({ hash: 'aaa', by: 'file', at: '2026-03-01T00:00:00.000Z', kind: 'file', text: 'A' });
    const b = await store.add({
      hash: 'bbb',
      by: 'lead:wang',
      at: '2026-03-02T00:00:00.000Z',
      kind: 'activate',
      previousHash: 'aaa',
      text: 'B',
      diff: {
        oldHash: 'aaa',
        newHash: 'bbb',
        replayed: 3,
        groups: [],
        before: { cases: 3, refunds: 1, compensation: 0, escalated: 0, escalationRate: 0, expressRefunds: 0 },
        after: { cases: 3, refunds: 2, compensation: 0, escalated: 0, escalationRate: 0, expressRefunds: 0 },
        delta: { refunds: 1, compensation: 0, escalated: 0, escalationRate: 0, expressRefunds: 0 },
        changedCount: 1,
        skipped: 0,
      },
    });
    expect(b.id).to.be.greaterThan(a.id);
    expect((await store.list()).map((v) => v.hash)).to.deep.equal(['bbb', 'aaa']);
    expect(await store.get(b.id)).to.deep.equal(b);
    expect((await store.latest())?.id).to.equal(b.id);
    expect(await store.get(9999)).to.equal(undefined);
  });
}

describe('rule table versions', () => {
  describe('embedded SQLite', () => contract(async () => new SqliteRuleVersions(openSqlite(':memory:'))));

  describe('PostgreSQL', () => {
    const schema = `lead_versions_${process.pid}`;
    let pool: pg.Pool;
    before(() => {
      pool = new pg.Pool({ connectionString: 'postgres://postgres@127.0.0.1:5432/test', max: 2 });
    });
    after(async () => {
      await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
      await pool.end();
    });
    contract(() => PgRuleVersions.open(pool, schema));
  });
});
