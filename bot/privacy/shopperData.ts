/**
 * A shopper's data: what kefu holds about them (export), erasing it on request, and purging old
 * data after the retention period. kefu keeps a shopper's data in these places, and erase and
 * purge cover each: cases (with their transcripts), evidence files, conversation state rows, the
 * embedded Direct Line's transcripts and uploads, the replies the activity ledger keeps for
 * redeliveries, and `.tmp` leftovers of interrupted writes.
 *
 * Cases with a person right now are kept until the agent closes them (deleting them mid-handoff
 * would pull a live case out of an agent's hands), and so is the state of their conversations;
 * they are reported as kept, and erased by the next request or by retention. The state of the
 * shopper's other conversations is deleted rather than left pointing at erased cases: such a
 * conversation simply starts over on its next message.
 * Evidence files are content-addressed, so a file is deleted only when no remaining case uses it.
 */
import type { Storage } from 'botbuilder';
import type { CaseRecord, CaseStore, CaseStatus, EvidenceStore } from '../../domain/cases.js';
import type { ActivityLedger } from '../store/types.js';
import { conversationScope } from '../resilience/activityOnce.js';
import type { ErasePort, ShopperExport, EraseResult } from '../../dialogs/privacyDialog.js';

const WITH_A_PERSON: readonly CaseStatus[] = ['escalated', 'assigned'];

/** What the embedded Direct Line holds about a user (see `bot/directline`). */
export interface DirectLineData {
  /** The Direct Line's channel id (`directline`): only its users have data there. */
  channelId: string;
  conversationsOf(userId: string): Promise<string[]>;
  eraseConversation(conversationId: string): Promise<void>;
  /** Deletes every upload of the user; returns how many. */
  eraseUploads(userId: string): Promise<number>;
}

/** Housekeeping a backend may offer for purge: state idle that long, orphaned files, leftovers. */
export interface Sweepers {
  /** Deletes state rows not written for `idleSeconds`; returns how many. */
  idleState?(idleSeconds: number): Promise<number>;
  /** Deletes evidence files no case uses (and `.tmp` leftovers) older than `before`. */
  evidence?(inUse: Set<string>, before: Date): Promise<number>;
  /** Deletes Direct Line uploads (and `.tmp` leftovers) older than `before`. */
  uploads?(before: Date): Promise<number>;
  /**
   * Deletes only `.tmp` leftovers of interrupted writes (older than an hour: younger ones may be
   * in progress). They cannot be told apart by shopper, so erase removes them all.
   */
  leftovers?(): Promise<number>;
}

export interface ShopperDataDeps {
  cases: CaseStore;
  evidence: EvidenceStore;
  /** Conversation state (keys `<channel>/conversations/<id>/`). */
  state?: Storage;
  directLine?: DirectLineData;
  sweepers?: Sweepers;
  /** The replies kept for redelivered activities, by conversation. */
  ledger?: ActivityLedger;
  now: () => Date;
}

export interface PurgeResult {
  cases: number;
  files: number;
  /** State rows, uploads and leftovers of interrupted writes swept with them. */
  other: number;
  cutoff: string;
}

export function stateKey(channelId: string, conversationId: string): string {
  return `${channelId}/conversations/${conversationId}/`;
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
        evidence: c.evidence.map((e) => ({
          kind: e.kind,
          contentType: e.contentType,
          bytes: e.bytes,
          receivedAt: e.receivedAt,
          ...(e.fileName ? { fileName: e.fileName } : {}),
        })),
        transcript: c.transcript.map((t) => ({ at: t.at, from: t.from, text: t.text })),
        ...(c.decision ? { remedy: c.decision.remedy } : {}),
        ...(c.resolution
          ? { resolution: { remedy: c.resolution.remedy, note: c.resolution.note, at: c.resolution.at } }
          : {}),
        ...(c.csat ? { csat: c.csat } : {}),
      })),
    };
  }

  /**
   * Erases the shopper's data on `channelId`. `conversationId` is the conversation asking: its
   * state is deleted too (the turn then saves its own fresh, empty session).
   */
  async erase(shopperId: string, channelId: string, conversationId?: string): Promise<EraseResult> {
    const cases = await this.casesOf(shopperId, channelId);
    const kept = cases.filter((c) => WITH_A_PERSON.includes(c.status));
    const gone = cases.filter((c) => !WITH_A_PERSON.includes(c.status));
    const files = await this.deleteCases(gone);
    const dl = this.deps.directLine?.channelId === channelId ? this.deps.directLine : undefined;
    const conversations = new Set([
      ...gone.map((c) => c.conversationId),
      ...(dl ? await dl.conversationsOf(shopperId) : []),
      ...(conversationId ? [conversationId] : []),
    ]);
    for (const c of kept) conversations.delete(c.conversationId);
    await this.deps.state?.delete([...conversations].map((id) => stateKey(channelId, id)));
    await this.deps.ledger?.forget([...conversations].map((id) => conversationScope(channelId, id)));
    let uploads = 0;
    if (dl) {
      for (const id of conversations) await dl.eraseConversation(id);
      uploads = await dl.eraseUploads(shopperId);
    }
    await this.deps.sweepers?.leftovers?.();
    return { cases: gone.length, files: files + uploads, kept: kept.map((c) => c.id) };
  }

  /**
   * Deletes cases not touched for `days` days (except those with a person right now), the files
   * only they used, and what is as old elsewhere: idle state, Direct Line uploads, orphaned
   * evidence and leftovers of interrupted writes.
   */
  async purge(days: number): Promise<PurgeResult> {
    const cutoffDate = new Date(this.deps.now().getTime() - days * 86_400_000);
    const cutoff = cutoffDate.toISOString();
    if (days <= 0) return { cases: 0, files: 0, other: 0, cutoff };
    const old = (await this.deps.cases.list()).filter((c) => c.updatedAt < cutoff && !WITH_A_PERSON.includes(c.status));
    const files = await this.deleteCases(old);
    await this.deps.ledger?.forget(old.map((c) => conversationScope(c.channelId, c.conversationId)));
    const sweep = this.deps.sweepers ?? {};
    let other = (await sweep.idleState?.(days * 86_400)) ?? 0;
    other += (await sweep.uploads?.(cutoffDate)) ?? 0;
    // Files written but never attached to a case (a turn that failed after storing them).
    const inUse = new Set((await this.deps.cases.list()).flatMap((c) => c.evidence.map((e) => e.storageKey)));
    other += (await sweep.evidence?.(inUse, cutoffDate)) ?? 0;
    return { cases: old.length, files, other, cutoff };
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
