/**
 * The ports the dialogs use. Dialogs stay thin: they ask and route; classification, rules,
 * storage, evidence intake and handoff are behind these interfaces and wired in `bot/app.ts`.
 */
import type { TurnContext } from 'botbuilder';
import type { Classifier, Entities } from '../intents/types.js';
import type { DateOptions } from '../intents/extract/dates.js';
import type { Decision, Facts } from '../rules/facts.js';
import type { CaseStore, EvidenceItem } from '../domain/cases.js';
import type { OrderSource } from '../domain/orders.js';
import type { Responses } from '../domain/responses.js';
import type { Controls } from '../domain/controls.js';
import type { EvidencePlan, FileKind } from '../domain/evidencePlan.js';
import type { EvidenceKind } from '../rules/facts.js';
import type { ErasePort } from './privacyDialog.js';
import type { HandoffReason } from '../domain/handoff/types.js';

/** The rule table currently serving (hot-reloaded underneath). */
export interface RulesPort {
  evaluate(facts: Facts): Decision;
}

export type IntakeResult =
  | { ok: true; item: EvidenceItem }
  | { ok: false; reason: 'bad_type'; found: string }
  | { ok: false; reason: 'too_large'; bytes: number }
  | { ok: false; reason: 'fetch_failed' };

/** Fetches an attachment (data: URL, Direct Line upload, channel URL), checks it and stores it. */
export interface EvidenceIntake {
  readonly maxBytes: number;
  take(
    context: TurnContext,
    attachment: { contentType?: string; contentUrl?: string; name?: string },
    kind: EvidenceKind,
    accept: FileKind[],
  ): Promise<IntakeResult>;
}

/** Hands a case to people; implemented by the bot around the handoff service. */
export interface HandoffPort {
  escalate(context: TurnContext, caseId: string, reason: HandoffReason): Promise<void>;
}

export interface KefuServices {
  classifier: Classifier;
  rules: RulesPort;
  orders: OrderSource;
  cases: CaseStore;
  intake: EvidenceIntake;
  handoff: HandoffPort;
  responses: Responses;
  controls: Controls;
  plan: EvidencePlan;
  /** Facts in a text; `dates` tells the date parser what the question asks for and around which day. */
  extract(text: string, now: Date, dates?: DateOptions): Entities;
  now(): Date;
  /** A shopper's "my data" / "delete my data" requests; absent: answered as unavailable. */
  privacy?: ErasePort;
}
