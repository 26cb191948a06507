/**
 * Handoff queue cost: enqueue, position and claim with 10,000 cases already waiting, beside the
 * same operations on an empty queue, on a SQLite file opened as the bot opens it (WAL).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openSqlite } from '../../bot/store/sqliteDb.js';
import { createLogger } from '../../bot/log.js';
import { DEFAULT_SETTINGS, HandoffService, SqliteHandoffQueue, type NewQueueEntry } from '../../bot/handoff/index.js';
import { MemoryCaseStore, RecordingNotifier, newCase } from '../handoff/memoryStores.js';

const OPS = 1000;
const BACKLOG = 10_000;
const TIERS = ['regular', 'vip', 'svip'] as const;

function entry(i: number, now: number): NewQueueEntry {
  return {
    caseId: `C${i}`,
    team: ['food-safety', 'fresh', 'goods', 'logistics', 'general'][i % 5]!,
    priority: (i % 3) * 10 + (i % 7),
    reason: 'rule',
    enqueuedAt: now + i,
    firstResponseDue: now + 900_000,
    resolutionDue: now + 14_400_000,
  };
}

async function time(fn: (i: number) => Promise<unknown>): Promise<number> {
  const t = process.hrtime.bigint();
  for (let i = 0; i < OPS; i++) await fn(i);
  return Number(process.hrtime.bigint() - t) / 1000 / OPS;
}

async function scenario(backlog: number) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kefu-bench-'));
  const db = openSqlite(path.join(dir, 'kefu.sqlite'));
  const queue = new SqliteHandoffQueue(db);
  const now = Date.now();
  db.transaction(() => {
    for (let i = 0; i < backlog; i++) void queue.enqueue(entry(1_000_000 + i, now));
  })();
  const enqueue = await time((i) => queue.enqueue(entry(i, now + backlog)));
  const position = await time((i) => queue.position(`C${i}`));
  const claim = await time((i) => queue.claim(`C${i}`, 'alice', now));

  const cases = new MemoryCaseStore();
  const service = new HandoffService({
    cases,
    queue,
    notifier: new RecordingNotifier(),
    agents: [{ name: 'alice', token: 'x'.repeat(16) }],
    settings: DEFAULT_SETTINGS,
    log: createLogger('silent'),
  });
  const ids: string[] = [];
  for (let i = 0; i < OPS; i++) {
    const tier = TIERS[i % 3]!;
    ids.push(
      (await cases.create(newCase({ facts: { complaint: 'expired_food', member_tier: tier, evidence: [] } }))).id,
    );
  }
  const escalate = await time((i) => service.escalate(ids[i]!, 'rule'));
  const serviceClaim = await time((i) => service.claim(ids[i]!, 'alice'));
  db.close();
  rmSync(dir, { recursive: true, force: true });
  return { enqueue, position, claim, escalate, serviceClaim };
}

export default async function (): Promise<void> {
  const empty = await scenario(0);
  const full = await scenario(BACKLOG);
  console.log(
    `${OPS} operations each; mean µs per operation (ratio = ${BACKLOG.toLocaleString('en')} waiting ÷ empty queue)`,
  );
  console.log('operation'.padEnd(34), 'empty'.padStart(9), `${BACKLOG} waiting`.padStart(15), 'ratio'.padStart(7));
  const rows: Array<[string, keyof typeof empty]> = [
    ['queue.enqueue', 'enqueue'],
    ['queue.position', 'position'],
    ['queue.claim', 'claim'],
    ['service.escalate (case+queue+tell)', 'escalate'],
    ['service.claim (case+queue+tell)', 'serviceClaim'],
  ];
  for (const [label, key] of rows) {
    console.log(
      label.padEnd(34),
      empty[key].toFixed(1).padStart(9),
      full[key].toFixed(1).padStart(15),
      `${(full[key] / empty[key]).toFixed(2)}×`.padStart(7),
    );
  }
}
