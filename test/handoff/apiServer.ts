/** Starts a restify server with the agent API over the test harness, on a free port. */
import restify from 'restify';
import type { AddressInfo } from 'node:net';
import { createLogger } from '../../bot/log.js';
import { mountAgentApi } from '../../bot/handoff/index.js';
import type { EvidenceItem } from '../../domain/cases.js';
import { AGENTS, decision, harness } from './helpers.js';
import { MemoryEvidenceStore, newCase } from './memoryStores.js';

/** A 2×2 red PNG. */
export const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP4z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==',
  'base64',
);

export async function apiServer() {
  const h = harness();
  const evidence = new MemoryEvidenceStore();
  const server = restify.createServer({ name: 'kefu-test', handleUncaughtExceptions: false });
  server.use(restify.plugins.queryParser());
  server.use(restify.plugins.bodyParser({ mapParams: false }));
  mountAgentApi(server, { service: h.service, evidence, agents: AGENTS, log: createLogger('silent') });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  async function evidenceItem(data: Buffer, contentType: string, kind: EvidenceItem['kind']): Promise<EvidenceItem> {
    const stored = await evidence.put(data, contentType);
    return {
      id: `ev-${stored.key.slice(0, 8)}`,
      kind,
      contentType,
      bytes: stored.bytes,
      sha256: stored.sha256,
      storageKey: stored.key,
      receivedAt: new Date().toISOString(),
    };
  }

  /** A shopper's case with a date-label photo and the rule's proposal, escalated by the rule. */
  async function queuedCase(shopperId = 'shopper-1') {
    const photo = await evidenceItem(PNG, 'image/png', 'photo_date_label');
    const c = await h.cases.create(
      newCase({
        shopperId,
        evidence: [photo],
        decision: decision(),
        facts: {
          complaint: 'expired_food',
          category: 'food',
          member_tier: 'vip',
          merchant_response: 'refused',
          evidence: ['photo_date_label'],
        },
        transcript: [
          {
            at: new Date().toISOString(),
            from: 'shopper',
            text: '<img src=x onerror=alert(1)> 零食快过期了，商家不认',
          },
        ],
      }),
    );
    await h.service.escalate(c.id, 'rule');
    return { c, photo };
  }

  return {
    ...h,
    evidence,
    evidenceItem,
    queuedCase,
    base,
    auth: (agent = AGENTS[0]!) => ({ Authorization: `Bearer ${agent.token}` }),
    async close() {
      await h.service.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
