/** Small in-memory CaseStore / EvidenceStore and a recording notifier for the handoff tests. */
import { createHash, randomUUID } from 'node:crypto';
import type { CaseFilter, CaseRecord, CaseStore, EvidenceStore, NewCase, StoredEvidence } from '../../domain/cases.js';
import type { ShopperEvent, ShopperNotifier } from '../../bot/handoff/index.js';

export class MemoryCaseStore implements CaseStore {
  readonly rows = new Map<string, CaseRecord>();
  private n = 0;

  async create(input: NewCase): Promise<CaseRecord> {
    const at = new Date().toISOString();
    const c: CaseRecord = {
      history: [],
      transcript: [],
      ...input,
      id: `K${++this.n}`,
      version: 1,
      createdAt: at,
      updatedAt: at,
    };
    this.rows.set(c.id, structuredClone(c));
    return c;
  }
  async get(id: string): Promise<CaseRecord | undefined> {
    const c = this.rows.get(id);
    return c && structuredClone(c);
  }
  async update(id: string, change: (current: CaseRecord) => CaseRecord): Promise<CaseRecord> {
    const cur = this.rows.get(id);
    if (cur === undefined) throw new Error(`no case ${id}`);
    const next = { ...change(structuredClone(cur)), version: cur.version + 1, updatedAt: new Date().toISOString() };
    this.rows.set(id, structuredClone(next));
    return next;
  }
  async list(filter: CaseFilter = {}): Promise<CaseRecord[]> {
    return [...this.rows.values()]
      .filter((c) => !filter.status || filter.status.includes(c.status))
      .map((c) => structuredClone(c));
  }
  async delete(id: string): Promise<boolean> {
    return this.rows.delete(id);
  }
}

export class MemoryEvidenceStore implements EvidenceStore {
  readonly items = new Map<string, { data: Buffer; contentType: string }>();
  async put(data: Buffer, contentType: string): Promise<StoredEvidence> {
    const key = randomUUID();
    this.items.set(key, { data, contentType });
    return { key, sha256: createHash('sha256').update(data).digest('hex'), bytes: data.length };
  }
  async get(key: string) {
    return this.items.get(key);
  }
  async delete(key: string): Promise<void> {
    this.items.delete(key);
  }
}

export class RecordingNotifier implements ShopperNotifier {
  readonly events: Array<{ caseId: string; event: ShopperEvent }> = [];
  async notify(c: CaseRecord, event: ShopperEvent): Promise<void> {
    this.events.push({ caseId: c.id, event });
  }
  of(caseId: string): ShopperEvent[] {
    return this.events.filter((e) => e.caseId === caseId).map((e) => e.event);
  }
}

export function newCase(overrides: Partial<NewCase> = {}): NewCase {
  return {
    shopperId: 'shopper-1',
    conversationId: 'conv-1',
    channelId: 'directline',
    locale: 'zh-CN',
    complaint: 'expired_food',
    facts: { complaint: 'expired_food', category: 'food', member_tier: 'regular', evidence: ['photo_date_label'] },
    evidence: [],
    status: 'proposed',
    ...overrides,
  };
}
