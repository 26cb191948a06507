import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { main } from '../../bot/cli/main.js';
import { PgCaseStore } from '../../bot/store/pgCaseStore.js';
import { SqliteCaseStore } from '../../bot/store/sqliteCaseStore.js';
import { openSqlite } from '../../bot/store/sqliteDb.js';
import { diffTables, refundAmount, type TableDiff } from '../../rules/diff.js';
import { parseFacts, parseTable } from '../../rules/index.js';
import { captureIo } from '../support/cliIo.js';
import {
  BROKEN_TABLE,
  NEW_DMG_PCT,
  NEW_EXP_BIG_COMPENSATION,
  NEW_EXP_BIG_FROM,
  NEW_TABLE,
  OLD_TABLE,
  SEED,
  seed,
} from './fixtures.js';

/** What the NEW table changes, worked out from the fixture's definition rather than from the code under test. */
function expected() {
  const replayable = SEED.filter((c) => c.facts.order_amount !== undefined);
  const amount = (key: string) => SEED.find((c) => c.key === key)!.facts.order_amount!;
  const dmg = ['dmg-60', 'dmg-45.5'];
  const big = replayable
    .filter((c) => c.facts.complaint === 'expired_food' && c.facts.order_amount! >= NEW_EXP_BIG_FROM)
    .map((c) => c.key);
  const dmgDelta = dmg.reduce((s, k) => s + (amount(k) * (NEW_DMG_PCT - 30)) / 100, 0);
  return {
    replayable: replayable.length,
    changed: [...big, ...dmg],
    big,
    dmg,
    dmgDelta: Math.round(dmgDelta * 100) / 100,
  };
}

function checkDiff(d: TableDiff, ids: Map<string, string>) {
  const want = expected();
  expect(d.replayed).to.equal(want.replayable);
  expect(d.changed.map((c) => c.id).sort()).to.deep.equal(want.changed.map((k) => ids.get(k)!).sort());
  const dmg = d.groups.find((g) => g.oldRule === 'DMG' && g.newRule === 'DMG')!;
  expect(dmg.count).to.equal(2);
  expect(dmg.refundDelta).to.equal(want.dmgDelta);
  expect(dmg.compensationDelta).to.equal(0);
  const exp = d.groups.find((g) => g.oldRule === 'EXP' && g.newRule === 'EXP-BIG')!;
  expect(exp.caseIds).to.deep.equal(want.big.map((k) => ids.get(k)!));
  expect(exp.compensationDelta).to.equal(NEW_EXP_BIG_COMPENSATION * want.big.length);
  expect(exp.refundDelta).to.equal(0);
  expect(d.groups).to.have.length(2);
  expect(d.delta.refunds).to.equal(want.dmgDelta);
  expect(d.delta.compensation).to.equal(NEW_EXP_BIG_COMPENSATION * want.big.length);
  expect(d.delta.expressRefunds).to.equal(want.big.length);
  expect(d.delta.escalated).to.equal(0);
}

describe('rules diff: replaying stored cases through two tables', () => {
  const oldT = parseTable(OLD_TABLE, 'old.yaml');
  const newT = parseTable(NEW_TABLE, 'new.yaml');

  it('refund money follows the remedy: whole order, a share, or nothing', () => {
    expect(refundAmount('refund', undefined, 80)).to.equal(80);
    expect(refundAmount('return_refund', undefined, 99)).to.equal(99);
    expect(refundAmount('partial_refund', 30, 45.5)).to.equal(13.65);
    expect(refundAmount('reship', undefined, 80)).to.equal(0);
  });

  it('finds exactly the changed outcomes, grouped old rule → new rule, with the money deltas', () => {
    const ids = new Map(SEED.map((c) => [c.key, c.key]));
    const cases = SEED.flatMap((c) => {
      const f = parseFacts(c.facts);
      return f.ok ? [{ id: c.key, facts: f.facts }] : [];
    });
    const d = diffTables(oldT, newT, cases);
    checkDiff(d, ids);
    const big = d.changed.find((c) => c.id === 'exp-big')!;
    expect(big.changes).to.include('compensation - → 50').and.include('express_refund false → true');
  });

  it('a table compared with itself changes nothing', () => {
    const cases = [{ id: 'a', facts: parseFacts(SEED[0]!.facts) }].flatMap((c) =>
      c.facts.ok ? [{ id: c.id, facts: c.facts.facts }] : [],
    );
    const d = diffTables(newT, newT, cases);
    expect(d.changed).to.deep.equal([]);
    expect(d.before).to.deep.equal(d.after);
  });

  describe('kefu rules diff OLD NEW', () => {
    let dir: string;
    let ids: Map<string, string>;
    beforeEach(async () => {
      dir = mkdtempSync(path.join(tmpdir(), 'kefu-lead-diff-'));
      writeFileSync(path.join(dir, 'old.yaml'), OLD_TABLE);
      writeFileSync(path.join(dir, 'new.yaml'), NEW_TABLE);
      writeFileSync(path.join(dir, 'broken.yaml'), BROKEN_TABLE);
      const db = openSqlite(path.join(dir, 'kefu.sqlite'));
      ids = await seed(new SqliteCaseStore(db));
      db.close();
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('replays every case of the embedded store and prints the report (--json for machines)', async () => {
      const c = captureIo();
      c.io.env = { KEFU_DATA_DIR: dir };
      expect(
        await main(['rules', 'diff', path.join(dir, 'old.yaml'), path.join(dir, 'new.yaml'), '--json'], c.io),
      ).to.equal(0);
      const doc = JSON.parse(c.out()) as TableDiff & { skipped: number };
      checkDiff(doc, ids);
      expect(doc.skipped).to.equal(SEED.length - expected().replayable);

      const t = captureIo();
      t.io.env = { KEFU_DATA_DIR: dir };
      expect(await main(['rules', 'diff', path.join(dir, 'old.yaml'), path.join(dir, 'new.yaml')], t.io)).to.equal(0);
      expect(t.out())
        .to.contain(`${expected().changed.length} cases would end differently`)
        .and.contain('DMG → DMG: 2 cases')
        .and.contain('EXP → EXP-BIG: 1 case')
        .and.contain('1 skipped');
    });

    it('refuses an invalid NEW table with the position of each error, before replaying', async () => {
      const c = captureIo();
      c.io.env = { KEFU_DATA_DIR: dir };
      const broken = path.join(dir, 'broken.yaml');
      expect(await main(['rules', 'diff', path.join(dir, 'old.yaml'), broken], c.io)).to.equal(1);
      const line = BROKEN_TABLE.split('\n').findIndex((l) => l.includes('damagd_packaging')) + 1;
      expect(c.out()).to.match(
        new RegExp(
          `${broken.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:${line}:\\d+: error \\[unknown_value\\] rule DMG:`,
        ),
      );
      expect(c.out()).to.contain('NEW table').and.contain('nothing was replayed');
      const j = captureIo();
      j.io.env = { KEFU_DATA_DIR: dir };
      expect(await main(['rules', 'diff', path.join(dir, 'old.yaml'), broken, '--json'], j.io)).to.equal(1);
      const doc = JSON.parse(j.out()) as { ok: boolean; table: string; diagnostics: { line: number; code: string }[] };
      expect(doc).to.include({ ok: false, table: 'NEW' });
      expect(doc.diagnostics.map((d) => [d.code, d.line])).to.deep.equal([['unknown_value', line]]);
    });

    it('needs exactly two tables', async () => {
      const c = captureIo();
      expect(await main(['rules', 'diff', 'only-one.yaml'], c.io)).to.equal(2);
      expect(c.err()).to.contain('diff needs two tables');
    });
  });

  describe('kefu rules diff on PostgreSQL', () => {
    const schema = `lead_diff_${process.pid}`;
    let pool: pg.Pool;
    let dir: string;
    // PostgreSQL and Redis run wherever the tests do (README, Development): no skipping without them.
    before(async () => {
      pool = new pg.Pool({ connectionString: 'postgres://postgres@127.0.0.1:5432/test', max: 2 });
      dir = mkdtempSync(path.join(tmpdir(), 'kefu-lead-diff-pg-'));
      writeFileSync(path.join(dir, 'old.yaml'), OLD_TABLE);
      writeFileSync(path.join(dir, 'new.yaml'), NEW_TABLE);
    });
    after(async () => {
      await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
      await pool.end();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it('replays the cases stored in PostgreSQL when DATABASE_URL is configured', async () => {
      const ids = await seed(await PgCaseStore.open(pool, schema));
      const c = captureIo();
      c.io.env = {
        KEFU_DATA_DIR: dir,
        DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test',
        REDIS_URL: 'redis://127.0.0.1:6379',
        DATABASE_SCHEMA: schema,
        REDIS_PREFIX: `${schema}:`,
      };
      expect(
        await main(['rules', 'diff', path.join(dir, 'old.yaml'), path.join(dir, 'new.yaml'), '--json'], c.io),
      ).to.equal(0);
      checkDiff(JSON.parse(c.out()) as TableDiff, ids);
    });
  });
});
