/**
 * One complaint from start to finish: which order, open the case, collect the evidence, propose
 * a remedy, and hand off when the rules or the shopper ask for it. "Cancel" and "a person" work
 * at every step (help is answered by the step itself, so it can ask the same thing again).
 */
import type { DialogReason, DialogContext, DialogTurnResult } from './sdk.js';
import type { Complaint } from '../intents/labels.js';
import { mayMentionDates } from '../intents/entities.js';
import type { Entities } from '../intents/types.js';
import type { Facts } from '../rules/facts.js';
import {
  applicableSteps,
  applyAnswer,
  EVIDENCE_DIALOG,
  withMentioned,
  type EvidenceOptions,
  type EvidenceResult,
} from './evidenceDialog.js';
import { activeCaseFor, baseFacts, openCase } from './openCase.js';
import type { CaseRecord } from '../domain/cases.js';
import { knownAtOnce, ORDER_DIALOG, type OrderOptions, type OrderResult } from './orderDialog.js';
import { PRIVACY_DIALOG } from './privacyDialog.js';
import { REMEDY_DIALOG, type RemedyResult } from './remedyDialog.js';
import { itemName, langOf } from './reply.js';
import { mentionedSlots } from './slotPrompt.js';
import { activeState, KefuDialog, onStack } from './stack.js';
import type { Control } from '../domain/controls.js';
import { sessionOf } from './session.js';
import type { KefuServices } from './services.js';
import type { HandoffReason } from '../domain/handoff/types.js';

export const COMPLAINT_DIALOG = 'complaintDialog';

export interface ComplaintOptions {
  complaint: Complaint;
  entities: Entities;
  /** The message that started the complaint: its words name the product, its dates are re-read once the delivery day is known. */
  text?: string;
}

/** Fills slots the shopper already answered in their first message ("商家拒绝了", "烂了一半"). */
function prefill(services: KefuServices, o: EvidenceOptions, entities: Entities): EvidenceOptions {
  const slots = new Set(services.plan.steps(o.complaint).map((s) => s.slot));
  // "孩子喝了拉肚子": the health question applies, and is asked first.
  let next = withMentioned(
    o,
    mentionedSlots(entities).filter((s) => slots.has(s)),
  );
  if (entities.merchantResponse && slots.has('merchant_response')) {
    const display = services.responses.t('zh-CN', `merchant_response.${entities.merchantResponse}`);
    next = applyAnswer(
      next,
      'merchant_response',
      { type: 'value', value: entities.merchantResponse, display },
      services.now(),
    );
  }
  const share = entities.shares[0];
  if (share && slots.has('affected_ratio')) {
    next = applyAnswer(
      next,
      'affected_ratio',
      { type: 'value', value: share.ratio, display: `${Math.round(share.ratio * 100)}%` },
      services.now(),
    );
  }
  const expiry = entities.dates.find((d) => d.role === 'expiry');
  if (expiry && slots.has('expiry_date'))
    next = applyAnswer(
      next,
      'expiry_date',
      { type: 'value', value: expiry.date, display: expiry.date },
      services.now(),
    );
  return next;
}

/** The first message's facts, with its dates read again around the order's delivery day. */
function firstFacts(services: KefuServices, o: ComplaintOptions, deliveredAt: string | undefined): Entities {
  if (o.text === undefined || deliveredAt === undefined || !mayMentionDates(o.text)) return o.entities;
  return services.extract(o.text, services.now(), { reference: new Date(deliveredAt) });
}

/** What the complaint is waiting for: the order question, the evidence round, the remedy. */
type Stage = 'order' | 'evidence' | 'remedy';
/** The stage of a complaint saved by the waterfall this dialog once was, by its step index. */
const WATERFALL_STAGES: readonly Stage[] = ['order', 'evidence', 'remedy'];

interface ComplaintState {
  options: ComplaintOptions;
  stage?: Stage;
  stepIndex?: number;
}

/**
 * A complaint runs its stages in order (order, case, evidence, remedy), each a child dialog whose
 * result the next one reads. A plain Dialog rather than a waterfall: botbuilder-dialogs builds a
 * DialogContext for each waterfall step, and a stage here runs in the context it resumes in.
 */
export class ComplaintDialog extends KefuDialog<ComplaintOptions> {
  constructor(private readonly services: KefuServices) {
    super(COMPLAINT_DIALOG);
  }

  override beginDialog(dc: DialogContext, options?: ComplaintOptions): Promise<DialogTurnResult> {
    activeState<ComplaintState>(dc).options = options!;
    return this.order(dc, options!);
  }

  /** A stage's dialog ended: the next stage reads its result. */
  override resumeDialog(dc: DialogContext, _reason: DialogReason, result?: unknown): Promise<DialogTurnResult> {
    const state = activeState<ComplaintState>(dc);
    const stage = state.stage ?? WATERFALL_STAGES[state.stepIndex ?? 0];
    if (stage === 'evidence') return this.remedy(dc, result as EvidenceResult);
    if (stage === 'remedy') return this.finish(dc, result as RemedyResult);
    return this.open(dc, result as OrderResult | undefined);
  }

  /** Starts a stage's dialog, to be resumed with its result. */
  private stage(dc: DialogContext, stage: Stage, dialogId: string, options: object): Promise<DialogTurnResult> {
    const state = activeState<ComplaintState>(dc);
    state.stage = stage;
    delete state.stepIndex;
    return dc.beginDialog(dialogId, options);
  }

  /**
   * "Cancel" and "a person" at any step of a complaint, before the active dialog reads the
   * message (the privacy question answers for itself). True when it took the turn.
   */
  async interrupt(dc: DialogContext, control: Control | undefined): Promise<boolean> {
    if ((control !== 'cancel' && control !== 'human') || !onStack(dc, COMPLAINT_DIALOG) || onStack(dc, PRIVACY_DIALOG))
      return false;
    await dc.cancelAllDialogs();
    if (control === 'cancel') await this.cancel(dc);
    else await this.escalate(dc, 'request_human');
    return true;
  }

  private async cancel(dc: DialogContext): Promise<void> {
    const session = sessionOf(dc.context);
    const lang = langOf(dc.context);
    const caseId = session.caseId;
    if (caseId) {
      const at = this.services.now().toISOString();
      await this.services.cases.update(caseId, (c) => ({
        ...c,
        status: 'cancelled',
        history: [...c.history, { at, status: 'cancelled', by: 'shopper' }],
      }));
      session.caseId = undefined;
    }
    await dc.context.sendActivity(
      this.services.responses.t(lang, caseId ? 'cancelled' : 'cancelled_nocase', { caseId: caseId ?? '' }),
    );
  }

  private async escalate(
    dc: DialogContext,
    reason: HandoffReason,
    complaint: Complaint | 'other' = 'other',
  ): Promise<void> {
    const session = sessionOf(dc.context);
    const caseId =
      session.caseId ??
      (await openCase(dc.context, this.services, complaint, complaint === 'other' ? {} : { complaint })).id;
    await this.services.handoff.escalate(dc.context, caseId, reason);
  }

  private async order(dc: DialogContext, o: ComplaintOptions) {
    const options: OrderOptions = {
      shopperId: dc.context.activity.from.id,
      mentioned: o.entities.orderIds,
      ...(o.text ? { text: o.text } : {}),
    };
    // Named in the first message, order and item: nothing to ask, so no order dialog to run.
    const known = await knownAtOnce(this.services, options);
    return known ? this.open(dc, known) : this.stage(dc, 'order', ORDER_DIALOG, options);
  }

  private async open(dc: DialogContext, found: OrderResult | undefined) {
    const o = activeState<ComplaintState>(dc).options;
    const { complaint } = o;
    if (!found) {
      await this.escalate(dc, 'unsure', complaint);
      return dc.endDialog();
    }
    const active = await activeCaseFor(this.services, dc.context.activity.from.id, found.order.id, found.item.sku);
    if (active) return this.join(dc, o, active);
    const facts = await baseFacts(this.services, complaint, found.order, found.item);
    const record = await openCase(dc.context, this.services, complaint, facts, found.order.id, found.item.sku);
    const deliveredAt = found.order.deliveredAt;
    const base: EvidenceOptions = {
      caseId: record.id,
      complaint,
      category: found.item.category,
      facts,
      evidence: [],
      answers: {},
      ...(deliveredAt ? { deliveredAt } : {}),
    };
    const options = prefill(this.services, base, firstFacts(this.services, o, deliveredAt));
    if (options.facts !== facts) await this.services.cases.update(record.id, (c) => ({ ...c, facts: options.facts }));
    const lang = langOf(dc.context);
    const r = this.services.responses;
    const todo = applicableSteps(this.services, options).filter((s) => options.answers[s.slot] === undefined);
    const list = todo
      .map((s) => r.t(lang, s.optional ? 'case.optional_item' : 'case.item', { label: r.t(lang, `label.${s.slot}`) }))
      .join(r.t(lang, 'case.list_separator'));
    await dc.context.sendActivity(
      r.t(lang, 'case.opened', { caseId: record.id, item: itemName(lang, found.item), count: todo.length, list }),
    );
    // What the first message already told us, said back once so a wrong reading can be corrected.
    const known = (Object.keys(options.answers) as (keyof typeof options.answers)[]).map((slot) =>
      r.t(lang, 'noted.item', { label: r.t(lang, `label.${slot}`), value: options.answers[slot]! }),
    );
    if (known.length > 0)
      await dc.context.sendActivity(
        r.t(lang, 'noted.from_first_message', { list: known.join(r.t(lang, 'case.list_separator')) }),
      );
    return this.stage(dc, 'evidence', EVIDENCE_DIALOG, options);
  }

  /** A second complaint about an item whose case is with the rules or a person: it joins that case. */
  private async join(dc: DialogContext, o: ComplaintOptions, active: CaseRecord) {
    const session = sessionOf(dc.context);
    const lang = langOf(dc.context);
    const r = this.services.responses;
    const at = this.services.now().toISOString();
    const said = o.text ? [{ at, from: 'shopper' as const, text: o.text }] : [];
    await this.services.cases.update(active.id, (c) => ({
      ...c,
      history: [...c.history, { at, status: c.status, by: 'shopper', note: `complained again (${o.complaint})` }],
      transcript: [...c.transcript, ...session.transcript, ...said],
    }));
    session.transcript = [];
    session.caseId = undefined;
    await dc.context.sendActivity(
      r.t(lang, 'case.joined', { caseId: active.id, status: r.t(lang, `status.state.${active.status}`) }),
    );
    return dc.endDialog();
  }

  private async remedy(dc: DialogContext, { facts }: EvidenceResult) {
    const session = sessionOf(dc.context);
    const complete: Facts = {
      merchant_response: 'not_contacted',
      evidence: [],
      order_amount: 0,
      member_tier: 'regular',
      prior_claims_90d: 0,
      ...facts,
    } as Facts;
    const { listed_size, measured_size, measured_weight, ...ruleFacts } = complete as Facts & {
      listed_size?: number;
      measured_size?: number;
      measured_weight?: number;
    };
    return this.stage(dc, 'remedy', REMEDY_DIALOG, { caseId: session.caseId!, facts: ruleFacts });
  }

  private async finish(dc: DialogContext, result: RemedyResult) {
    if (result.outcome === 'escalate')
      await this.escalate(dc, result.reason, activeState<ComplaintState>(dc).options.complaint);
    else sessionOf(dc.context).caseId = undefined;
    return dc.endDialog();
  }
}
