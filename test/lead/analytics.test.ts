import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { main } from '../../bot/cli/main.js';
import { DEFAULT_SETTINGS } from '../../domain/handoff/settings.js';
import { analyze, parseSince, type Analytics } from '../../domain/analytics.js';
import { SqliteCaseStore } from '../../bot/store/sqliteCaseStore.js';
import { openSqlite } from '../../bot/store/sqliteDb.js';
import type { CaseRecord, NewCase } from '../../domain/cases.js';
import { parseTable } from '../../rules/index.js';
import { captureIo } from '../support/cliIo.js';
import { acceptedCase, facts, newCase, OLD_TABLE, resolvedCase } from './fixtures.js';

const BASE = Date.parse('2026-03-02T08:00:00Z');
const table = parseTable(OLD_TABLE, 'old.yaml');

/** A stored case as the store would return it, created at BASE. */
function stored(n: NewCase, i: number): CaseRecord {
  const at = new Date(BASE).toISOString();
  return {
    ...n,
    id: `K${i}`,
    version: 1,
    history: n.history ?? [],
    transcript: n.transcript ?? [],
    createdAt: at,
    updatedAt: at,
  };
}

function story(): NewCase[] {
  const exp = facts({ complaint: 'expired_food', order_amount: 80 });
  const dmg = facts({ complaint: 'damaged_packaging', category: 'daily_chemical', order_amount: 60 });
  return [
    acceptedCase({
      base: BASE,
      minutes: 4,
      complaint: 'expired_food',
      facts: exp,
      firstMessage: '牛奶过期了',
      decision: table.evaluate(exp as never),
    }),
    acceptedCase({
      base: BASE,
      minutes: 10,
      complaint: 'damaged_packaging',
      facts: dmg,
      firstMessage: '瓶子破了',
      decision: table.evaluate(dmg as never),
    }),
    // Resolved by an agent within every SLA (regular tier, rule urgency 5 → 15 min / 240 min).
    resolvedCase({
      base: BASE,
      reason: 'merchant_refused',
      answerMinutes: 3,
      resolveMinutes: 60,
      complaint: 'size_mismatch',
      facts: facts({ complaint: 'size_mismatch', category: 'home', merchant_response: 'refused', order_amount: 99 }),
      firstMessage: '桌子比描述小',
      resolution: { kind: 'change', remedy: 'return_refund' },
      csat: 5,
    }),
    // The bot read "logistics"; the agent says it was damaged in transit. Late first answer, late resolution.
    resolvedCase({
      base: BASE,
      reason: 'unsure',
      answerMinutes: 30,
      resolveMinutes: 300,
      complaint: 'logistics',
      facts: facts({ complaint: 'logistics', category: 'other', order_amount: 50 }),
      firstMessage: '快递到了箱子全压扁了',
      resolution: {
        kind: 'change',
        remedy: 'partial_refund',
        refund_pct: 20,
        compensation_amount: 10,
        complaint: 'damaged_packaging',
      },
      csat: 2,
    }),
    {
      ...newCase(facts({ complaint: 'quality_defect', category: 'appliance' })),
      complaint: 'quality_defect',
      status: 'open',
    },
  ];
}

describe('lead analytics', () => {
  let a: Analytics;
  before(
    () =>
      (a = analyze(
        story().map(stored),
        { since: new Date(BASE - 86_400_000), until: new Date(BASE + 86_400_000) },
        DEFAULT_SETTINGS,
      )),
  );

  it('containment counts cases settled without a person against those handed off', () => {
    expect(a.cases).to.equal(5);
    expect(a.contained).to.equal(2);
    expect(a.handedOff).to.equal(2);
    expect(a.containmentRate).to.equal(2 / 4);
    expect(a.handoffRate).to.equal(2 / 5);
    expect(a.handoffReasons).to.deep.equal({ merchant_refused: 1, unsure: 1 });
    expect(a.byStatus).to.deep.equal({ accepted: 2, resolved: 2, open: 1 });
  });

  it('measures time to resolution for the bot and for agents', () => {
    expect(a.resolutionTime.bot).to.deep.equal({ count: 2, median: 4 * 60, p90: 10 * 60 });
    expect(a.resolutionTime.agent).to.deep.equal({ count: 2, median: 60 * 60, p90: 300 * 60 });
  });

  it('checks each resolved handoff against the SLA of its priority', () => {
    expect(a.sla).to.include({
      measured: 2,
      firstResponseMet: 1,
      resolutionMet: 1,
      firstResponseRate: 0.5,
      resolutionRate: 0.5,
    });
  });

  it('averages CSAT and keeps the distribution', () => {
    expect(a.csat).to.deep.equal({ count: 2, average: 3.5, distribution: [0, 1, 0, 0, 1] });
  });

  it('totals remedies and money per complaint from what each case ended with', () => {
    const by = Object.fromEntries(a.byComplaint.map((c) => [c.complaint, c]));
    expect(by.expired_food).to.deep.include({ cases: 1, remedies: { refund: 1 }, refunds: 80, compensation: 0 });
    expect(by.damaged_packaging).to.deep.include({ cases: 1, remedies: { partial_refund: 1 }, refunds: 60 * 0.3 });
    expect(by.size_mismatch).to.deep.include({ remedies: { return_refund: 1 }, refunds: 99 });
    expect(by.logistics).to.deep.include({ remedies: { partial_refund: 1 }, refunds: 10, compensation: 10 });
    expect(by.quality_defect).to.deep.include({ cases: 1, remedies: {}, refunds: 0 });
    expect(a.totals).to.deep.equal({ refunds: 80 + 18 + 99 + 10, compensation: 10 });
  });

  it('shows where the classifier is weak: unsure handoffs and agents’ corrections', () => {
    expect(a.weakSpots.unsure).to.deep.equal([{ caseId: 'K3', text: '快递到了箱子全压扁了' }]);
    expect(a.weakSpots.corrections).to.have.length(1);
    expect(a.weakSpots.corrections[0]).to.include({
      caseId: 'K3',
      from: 'logistics',
      to: 'damaged_packaging',
      agent: 'li',
    });
    expect(a.weakSpots.confusions).to.deep.equal([{ from: 'logistics', to: 'damaged_packaging', count: 1 }]);
  });

  it('reads the window as a span or a date', () => {
    const now = new Date(BASE);
    expect(parseSince('7d', now).toISOString()).to.equal(new Date(BASE - 7 * 86_400_000).toISOString());
    expect(parseSince('24h', now).toISOString()).to.equal(new Date(BASE - 86_400_000).toISOString());
    expect(parseSince('2026-01-01', now).toISOString()).to.equal('2026-01-01T00:00:00.000Z');
    expect(() => parseSince('last week', now)).to.throw(/expected a span such as 7d/);
  });

  describe('kefu report', () => {
    let dir: string;
    before(async () => {
      dir = mkdtempSync(path.join(tmpdir(), 'kefu-lead-report-'));
      const db = openSqlite(path.join(dir, 'kefu.sqlite'));
      const store = new SqliteCaseStore(db);
      for (const c of story()) await store.create(c);
      db.close();
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('prints the figures of the stored cases, as text and as JSON', async () => {
      const j = captureIo();
      j.io.env = { KEFU_DATA_DIR: dir };
      expect(await main(['report', '--since', '7d', '--json'], j.io)).to.equal(0);
      const doc = JSON.parse(j.out()) as Analytics;
      expect(doc).to.include({ cases: 5, contained: 2, handedOff: 2, containmentRate: 0.5 });
      expect(doc.csat.average).to.equal(3.5);
      const t = captureIo();
      t.io.env = { KEFU_DATA_DIR: dir };
      expect(await main(['report'], t.io)).to.equal(0);
      expect(t.out())
        .to.contain('containment       50.0%  (2 settled by the bot, 2 handed to a person)')
        .and.contain('CSAT              3.5 / 5 from 2 ratings');
      expect(t.out()).to.contain('read as logistics, agents said damaged_packaging: 1');
    });

    it('refuses a window it cannot read', async () => {
      const c = captureIo();
      c.io.env = { KEFU_DATA_DIR: dir };
      expect(await main(['report', '--since', 'soon'], c.io)).to.equal(2);
      expect(c.err()).to.contain("since 'soon' is not valid");
    });
  });
});
