import { expect } from 'chai';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { startHarness, type Harness } from '../support/kefuHarness.js';
import { loadTranscript, mismatch, runTranscript } from './transcriptRunner.js';

const dir = path.join(path.dirname(new URL(import.meta.url).pathname), 'transcripts');
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.yaml'))
  .sort();

describe('conversation transcripts (test/dialogs/transcripts)', function () {
  this.timeout(60_000);
  // A fresh bot per transcript: a shopper's open case from another transcript would otherwise be
  // joined (one open case per order and item).
  let h: Harness;
  beforeEach(async () => (h = await startHarness()));
  afterEach(async () => h?.close());

  for (const file of files) {
    const t = loadTranscript(path.join(dir, file));
    it(`${file}: ${t.title}`, async () => {
      const conversation = `conv-${file}`;
      await runTranscript(h, t, conversation);
      if (!t.case) return;
      const conversationId = h.directLineConversation(conversation, t.shopper) ?? conversation;
      const cases = await h.app.stores.cases.list({ shopperId: t.shopper, conversationId });
      if (t.case === 'none') {
        expect(
          cases.map((c) => c.id),
          'no case for this conversation',
        ).to.deep.equal([]);
        return;
      }
      expect(cases, 'a case for this conversation').to.have.length.greaterThan(0);
      const stored = cases.sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0]!;
      const { evidence_kinds, ...fields } = t.case;
      expect(mismatch(stored, fields), `stored case ${stored.id}`).to.equal(undefined);
      if (evidence_kinds) {
        expect([...new Set(stored.evidence.map((e) => e.kind))].sort()).to.deep.equal([...evidence_kinds].sort());
        for (const e of stored.evidence)
          expect(await h.app.stores.evidence.get(e.storageKey), `evidence ${e.id} is stored`).to.not.equal(undefined);
      }
      if (t.queue)
        expect(mismatch(await h.app.handoff.queue.get(stored.id), t.queue), `queue entry of ${stored.id}`).to.equal(
          undefined,
        );
    });
  }
});
