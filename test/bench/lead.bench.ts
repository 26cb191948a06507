/**
 * `npm run bench -- lead`: replaying 100,000 stored cases through two tables (`kefu rules diff`).
 * The default table (data/rules.yaml) against an edit of it (partial refunds 30 % → 40 %), over
 * cases in the embedded SQLite store. Printed beside the baseline, a plain loop evaluating both
 * tables over the same facts already in memory:
 * - diff (in memory): `diffTables` over parsed facts, i.e. the cost of grouping and money;
 * - diff (from the store): list + parse every stored case + `diffTables`, what the CLI does.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { replaySet } from '../../domain/replay.js';
import { SqliteCaseStore } from '../../bot/store/sqliteCaseStore.js';
import { openSqlite } from '../../bot/store/sqliteDb.js';
import { COMPLAINTS } from '../../intents/labels.js';
import { diffTables } from '../../rules/diff.js';
import { CATEGORIES, EVIDENCE_KINDS, MERCHANT_RESPONSES, MEMBER_TIERS, type Facts } from '../../rules/facts.js';
import { parseTable } from '../../rules/index.js';

const CASES = 100_000;

/** A deterministic pseudo-random source, so every run replays the same cases. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function randomFacts(r: () => number): Facts {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const f: Facts = {
    complaint: pick(COMPLAINTS),
    category: pick(CATEGORIES),
    evidence: EVIDENCE_KINDS.filter(() => r() < 0.35),
    merchant_response: pick(MERCHANT_RESPONSES),
    order_amount: Math.round(r() * 50_000) / 100,
    member_tier: pick(MEMBER_TIERS),
    prior_claims_90d: Math.floor(r() * 4),
    hours_since_delivery: Math.floor(r() * 200),
  };
  if (f.complaint === 'expired_food') f.days_past_expiry = Math.floor(r() * 40) - 10;
  if (f.complaint === 'size_mismatch') f.size_deviation_pct = Math.floor(r() * 40);
  if (f.complaint === 'fresh_produce_loss') f.affected_ratio = Math.round(r() * 100) / 100;
  if (f.merchant_response !== 'not_contacted') f.merchant_reply_hours = Math.floor(r() * 96);
  return f;
}

const time = <T>(work: () => T): { ms: number; value: T } => {
  const t0 = process.hrtime.bigint();
  const value = work();
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, value };
};

export default async function bench(): Promise<void> {
  const text = readFileSync('data/rules.yaml', 'utf8');
  const edited = text.replace(
    '{ remedy: partial_refund, refund_pct: 30, escalate: false }',
    '{ remedy: partial_refund, refund_pct: 40, escalate: false }',
  );
  if (edited === text) throw new Error('the benchmark edit no longer applies to data/rules.yaml');
  const before = parseTable(text, 'data/rules.yaml');
  const after = parseTable(edited, 'data/rules.yaml');

  const dir = mkdtempSync(path.join(tmpdir(), 'kefu-bench-lead-'));
  const db = openSqlite(path.join(dir, 'kefu.sqlite'));
  try {
    const store = new SqliteCaseStore(db);
    const r = rng(9);
    const seeding = Date.now();
    db.exec('BEGIN');
    for (let i = 0; i < CASES; i++) {
      const facts = randomFacts(r);
      await store.create({
        shopperId: `s${i % 997}`,
        conversationId: `c${i}`,
        channelId: 'bench',
        locale: 'zh-CN',
        complaint: facts.complaint,
        facts,
        evidence: [],
        status: 'accepted',
        decision: before.evaluate(facts),
      });
    }
    db.exec('COMMIT');
    console.log(
      `seeded ${CASES.toLocaleString('en-US')} cases in ${((Date.now() - seeding) / 1000).toFixed(1)} s (not timed below)`,
    );

    // Warm up every path once on a slice, then measure.
    const stored = await store.list();
    const set = replaySet(stored);
    diffTables(before, after, set.cases.slice(0, 5000));

    const plain = time(() => {
      let escalated = 0;
      for (const c of set.cases) {
        if (before.evaluate(c.facts).escalate) escalated++;
        if (after.evaluate(c.facts).escalate) escalated++;
      }
      return escalated;
    });
    const inMemory = time(() => diffTables(before, after, set.cases));
    const t0 = process.hrtime.bigint();
    const fromStore = replaySet(await store.list());
    const full = diffTables(before, after, fromStore.cases);
    const fullMs = Number(process.hrtime.bigint() - t0) / 1e6;

    const rate = (ms: number) => `${Math.round((set.cases.length / ms) * 1000).toLocaleString('en-US')} cases/s`;
    console.log(
      `baseline: plain loop, both tables, facts in memory  ${plain.ms.toFixed(0).padStart(6)} ms  ${rate(plain.ms)}`,
    );
    console.log(
      `diff (in memory)                                    ${inMemory.ms.toFixed(0).padStart(6)} ms  ${rate(inMemory.ms)}  ×${(inMemory.ms / plain.ms).toFixed(2)} of baseline`,
    );
    console.log(
      `diff (from the SQLite store: list + parse + diff)   ${fullMs.toFixed(0).padStart(6)} ms  ${rate(fullMs)}  ×${(fullMs / plain.ms).toFixed(2)} of baseline`,
    );
    console.log(
      `  ${full.replayed.toLocaleString('en-US')} replayed, ${full.changed.length.toLocaleString('en-US')} changed, refunds ${full.delta.refunds >= 0 ? '+' : ''}¥${full.delta.refunds.toLocaleString('en-US')}`,
    );
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
