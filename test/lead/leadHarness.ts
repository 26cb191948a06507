/** Starts the real kefu for the lead tests: a copy of OLD_TABLE with tests beside it, the seeded cases, a lead token. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startHarness, type Harness } from '../support/kefuHarness.js';
import { OLD_TABLE, SEED, newCase } from './fixtures.js';

export const LEAD_TOKEN = 'lead-wang-token-0123456789';

/** Tests beside the table: both OLD and NEW pass them; a table that stops escalating refused size complaints does not. */
export const TESTS = `tests:
  - name: refused size complaint goes to a person
    given: { complaint: size_mismatch, category: home, merchant_response: refused, order_amount: 99 }
    expect: { rule: SIZE, remedy: return_refund, escalate: true }
`;

/** Starts kefu on a copy of OLD_TABLE with the seeded cases stored. */
export async function leadHarness(): Promise<{ h: Harness; rulesFile: string; dir: string }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'kefu-lead-rules-'));
  const rulesFile = path.join(dir, 'rules.yaml');
  writeFileSync(rulesFile, OLD_TABLE);
  writeFileSync(path.join(dir, 'rules.tests.yaml'), TESTS);
  const h = await startHarness({ RULES_FILE: rulesFile, LEAD_TOKENS: `wang:${LEAD_TOKEN}` });
  for (const c of SEED) await h.app.stores.cases.create(newCase(c.facts));
  return { h, rulesFile, dir };
}

export async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined): Promise<T> {
  for (let i = 0; i < 400; i++) {
    const v = await probe();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`gave up waiting for ${what}`);
}
