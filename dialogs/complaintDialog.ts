/**
 * One complaint from start to finish: which order, open the case, collect the evidence, propose
 * a remedy, and hand off when the rules or the shopper ask for it. "Cancel" and "a person" work
 * at every step (help is answered by the step itself, so it can ask the same thing again).
 */
import { WaterfallDialog, type DialogContext, type WaterfallStepContext } from './sdk.js';
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
import { onStack } from './stack.js';
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

export class ComplaintDialog extends WaterfallDialog<ComplaintOptions> {
  constructor(private readonly services: KefuServices) {
    super(COMPLAINT_DIALOG);
    for (const step of [this.order, this.open, this.remedy, this.finish]) this.addStep(step.bind(this));
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

  private async order(step: WaterfallStepContext<ComplaintOptions>) {
    const { entities, text } = step.options;
    const options: OrderOptions = {
      shopperId: step.context.activity.from.id,
      mentioned: entities.orderIds,
      ...(text ? { text } : {}),
    };
    // Named in the first message, order and item: nothing to ask, so no order dialog to run.
    const known = await knownAtOnce(this.services, options);
    return known ? step.next(known) : step.beginDialog(ORDER_DIALOG, options);
  }

  private async open(step: WaterfallStepContext<ComplaintOptions>) {
    const { complaint } = step.options;
    const found = step.result as OrderResult | undefined;
    if (!found) {
      await this.escalate(step, 'unsure', complaint);
      return step.endDialog();
    }
    const active = await activeCaseFor(this.services, step.context.activity.from.id, found.order.id, found.item.sku);
    if (active) return this.join(step, active);
    const facts = await baseFacts(this.services, complaint, found.order, found.item);
    const record = await openCase(step.context, this.services, complaint, facts, found.order.id, found.item.sku);
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
    const options = prefill(this.services, base, firstFacts(this.services, step.options, deliveredAt));
    if (options.facts !== facts) await this.services.cases.update(record.id, (c) => ({ ...c, facts: options.facts }));
    const lang = langOf(step.context);
    const r = this.services.responses;
    const todo = applicableSteps(this.services, options).filter((s) => options.answers[s.slot] === undefined);
    const list = todo
      .map((s) => r.t(lang, s.optional ? 'case.optional_item' : 'case.item', { label: r.t(lang, `label.${s.slot}`) }))
      .join(r.t(lang, 'case.list_separator'));
    await step.context.sendActivity(
      r.t(lang, 'case.opened', { caseId: record.id, item: itemName(lang, found.item), count: todo.length, list }),
    );
    // What the first message already told us, said back once so a wrong reading can be corrected.
    const known = (Object.keys(options.answers) as (keyof typeof options.answers)[]).map((slot) =>
      r.t(lang, 'noted.item', { label: r.t(lang, `label.${slot}`), value: options.answers[slot]! }),
    );
    if (known.length > 0)
      await step.context.sendActivity(
        r.t(lang, 'noted.from_first_message', { list: known.join(r.t(lang, 'case.list_separator')) }),
      );
    return step.beginDialog(EVIDENCE_DIALOG, options);
  }

  /** A second complaint about an item whose case is with the rules or a person: it joins that case. */
  private async join(step: WaterfallStepContext<ComplaintOptions>, active: CaseRecord) {
    const session = sessionOf(step.context);
    const lang = langOf(step.context);
    const r = this.services.responses;
    const at = this.services.now().toISOString();
    const said = step.options.text ? [{ at, from: 'shopper' as const, text: step.options.text }] : [];
    await this.services.cases.update(active.id, (c) => ({
      ...c,
      history: [
        ...c.history,
        { at, status: c.status, by: 'shopper', note: `complained again (${step.options.complaint})` },
      ],
      transcript: [...c.transcript, ...session.transcript, ...said],
    }));
    session.transcript = [];
    session.caseId = undefined;
    await step.context.sendActivity(
      r.t(lang, 'case.joined', { caseId: active.id, status: r.t(lang, `status.state.${active.status}`) }),
    );
    return step.endDialog();
  }

  private async remedy(step: WaterfallStepContext<ComplaintOptions>) {
    const { facts } = step.result as EvidenceResult;
    const session = sessionOf(step.context);
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
    return step.beginDialog(REMEDY_DIALOG, { caseId: session.caseId!, facts: ruleFacts });
  }

  private async finish(step: WaterfallStepContext<ComplaintOptions>) {
    const result = step.result as RemedyResult;
    if (result.outcome === 'escalate') await this.escalate(step, result.reason, step.options.complaint);
    else sessionOf(step.context).caseId = undefined;
    return step.endDialog();
  }
}
