/**
 * A shopper's data: what kefu holds about them (export), erasing it on request, and purging old
 * closed cases after the retention period. Cases with a person right now are kept until the
 * agent closes them (deleting them mid-handoff would pull a live case out of an agent's hands);
 * they are reported as kept, and erased by the next request or by retention.
 * Evidence files are content-addressed, so a file is deleted only when no remaining case uses it.
 */
import type { CaseRecord, CaseStore, CaseStatus, EvidenceStore } from '../store/types.js';
import type { ErasePort, ShopperExport, EraseResult } from '../../dialogs/privacyDialog.js';

const WITH_A_PERSON: readonly CaseStatus[] = ['escalated', 'assigned'];

export interface ShopperDataDeps {
  cases: CaseStore;
  evidence: EvidenceStore;
  now: () => Date;
}

export interface PurgeResult {
  cases: number;
  files: number;
  cutoff: string;
}

export class ShopperData implements ErasePort {
  constructor(private readonly deps: ShopperDataDeps) {}

  /** Everything kept about `shopperId` on `channelId` (a user id is only unique within a channel). */
  async export(shopperId: string, channelId: string): Promise<ShopperExport> {
    const cases = await this.casesOf(shopperId, channelId);
    return {
      shopperId,
      exportedAt: this.deps.now().toISOString(),
      cases: cases.map((c) => ({
        id: c.id,
        status: c.status,
        complaint: c.complaint,
        ...(c.orderId ? { orderId: c.orderId } : {}),
        createdAt: c.createdAt,
        updatedAt: c.updatedAt,
        facts: c.facts,
        evidence: c.evidence.map((e) => ({ kind: e.kind, contentType: e.contentType, bytes: e.bytes, receivedAt: e.receivedAt, ...(e.fileName ? { fileName: e.fileName } : {}) })),
        transcript: c.transcript.map((t) => ({ at: t.at, from: t.from, text: t.text })),
        ...(c.decision ? { remedy: c.decision.remedy } : {}),
        ...(c.resolution ? { resolution: { remedy: c.resolution.remedy, note: c.resolution.note, at: c.resolution.at } } : {}),
        ...(c.csat ? { csat: c.csat } : {}),
      })),
    };
  }

  async erase(shopperId: string, channelId: string): Promise<EraseResult> {
    const cases = await this.casesOf(shopperId, channelId);
    const kept = cases.filter((c) => WITH_A_PERSON.includes(c.status));
    const gone = cases.filter((c) => !WITH_A_PERSON.includes(c.status));
    const files = await this.deleteCases(gone);
    return { cases: gone.length, files, kept: kept.map((c) => c.id) };
  }

  /** Deletes cases not touched for `days` days, except those with a person right now. */
  async purge(days: number): Promise<PurgeResult> {
    const cutoff = new Date(this.deps.now().getTime() - days * 86_400_000).toISOString();
    if (days <= 0) return { cases: 0, files: 0, cutoff };
    const old = (await this.deps.cases.list()).filter((c) => c.updatedAt < cutoff && !WITH_A_PERSON.includes(c.status));
    const files = await this.deleteCases(old);
    return { cases: old.length, files, cutoff };
  }

  private async casesOf(shopperId: string, channelId: string): Promise<CaseRecord[]> {
    return (await this.deps.cases.list({ shopperId })).filter((c) => c.channelId === channelId);
  }

  /** Deletes the cases first, then the files no remaining case refers to. */
  private async deleteCases(cases: CaseRecord[]): Promise<number> {
    if (cases.length === 0) return 0;
    const keys = new Set(cases.flatMap((c) => c.evidence.map((e) => e.storageKey)));
    for (const c of cases) await this.deps.cases.delete(c.id);
    for (const other of await this.deps.cases.list()) for (const e of other.evidence) keys.delete(e.storageKey);
    for (const key of keys) await this.deps.evidence.delete(key);
    return keys.size;
  }
}
