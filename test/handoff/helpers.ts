/** A handoff service over a real queue (SQLite unless one is given), an in-memory case store and an injected clock. */
import Database from 'better-sqlite3';
import { createLogger } from '../../bot/log.js';
import {
  HandoffService,
  SqliteHandoffQueue,
  loadHandoffSettings,
  type HandoffQueue,
  type HandoffSettings,
} from '../../bot/handoff/index.js';
import type { Decision } from '../../rules/facts.js';
import { MemoryCaseStore, RecordingNotifier } from './memoryStores.js';

export const AGENTS = [
  { name: 'alice', token: 'alice-token-0123456789' },
  { name: 'bob', token: 'bob-token-0123456789ab' },
];

export const fileSettings = loadHandoffSettings('data/handoff.yaml');

export function harness(
  opts: {
    settings?: Partial<HandoffSettings>;
    db?: Database.Database;
    cases?: MemoryCaseStore;
    queue?: HandoffQueue;
  } = {},
) {
  const db = opts.db ?? new Database(':memory:');
  const clock = { t: Date.parse('2025-06-01T08:00:00Z') };
  const cases = opts.cases ?? new MemoryCaseStore();
  const notifier = new RecordingNotifier();
  const queue = opts.queue ?? new SqliteHandoffQueue(db);
  const service = new HandoffService({
    cases,
    queue,
    notifier,
    agents: AGENTS,
    settings: { ...fileSettings, ...opts.settings },
    clock: () => clock.t,
    log: createLogger('silent'),
  });
  return { db, clock, cases, notifier, queue, service };
}

export function decision(overrides: Partial<Decision> = {}): Decision {
  return {
    ruleId: 'FOOD-EXPIRED-REFUSED',
    tableHash: 'abc123',
    remedy: 'refund',
    compensation: { kind: 'tenfold_price', label: 'statutory', min: 1000 },
    compensation_amount: 1000,
    escalate: true,
    priority: 2,
    escalate_reason: 'merchant_refused',
    explain: { 'zh-CN': '商家拒绝，转人工', en: 'The merchant refused; a person will decide' },
    matched: ['complaint = expired_food', 'merchant_response = refused'],
    ...overrides,
  };
}
