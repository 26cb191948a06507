/**
 * Evaluates the rule table on the collected facts, explains the proposal in the shopper's
 * language with the rule's reason, and asks the shopper to accept or decline. A rule that
 * escalates, or a decline, ends with a handoff request for the caller to carry out.
 */
import { MessageFactory, type Activity } from 'botbuilder';
import { channelCaps, remedyProposalCard } from './cards/index.js';
import { TextPrompt, type DialogContext, type DialogReason, type DialogTurnResult } from './sdk.js';
import type { Lang } from '../intents/labels.js';
import type { Decision, Facts } from '../rules/facts.js';
import { recognizeChoice, recognizeYesNo } from '../intents/answers/index.js';
import { langOf, promptActivity, textOrValue } from './reply.js';
import type { KefuServices } from './services.js';
import { activeState, KefuDialog } from './stack.js';
import { HANDOFF_REASONS, type HandoffReason } from '../domain/handoff/types.js';

export const REMEDY_DIALOG = 'remedyDialog';
const ANSWER = 'remedyAnswer';
export const REMEDY_PROMPTS = [new TextPrompt(ANSWER, textOrValue)];

/** Why the case goes to a person, as the handoff names it. */
function handoffReason(d: Decision, facts: Facts): HandoffReason {
  const named = HANDOFF_REASONS.find((x) => x === d.escalate_reason);
  if (named) return named;
  if (d.pending_approval) return 'approval';
  return facts.merchant_response === 'refused' || facts.merchant_response === 'no_reply' ? 'merchant_refused' : 'rule';
}

export interface RemedyOptions {
  caseId: string;
  facts: Facts;
  decision?: Decision;
  asked?: number;
}

export type RemedyResult = { outcome: 'accepted' } | { outcome: 'escalate'; reason: HandoffReason };

export function remedyText(services: KefuServices, lang: Lang, caseId: string, d: Decision): string {
  const r = services.responses;
  const parts = [
    r.t(lang, 'remedy.proposal', {
      caseId,
      remedy: r.t(lang, `remedy.name.${d.remedy}`, { pct: d.refund_pct ?? 0 }),
      explain: d.explain[lang],
    }),
  ];
  // An amount a person has yet to approve is never shown: the shopper hears "under review".
  if (d.pending_approval) parts.push(r.t(lang, 'remedy.under_review'));
  else if (d.compensation_amount) parts.push(r.t(lang, 'remedy.compensation', { amount: d.compensation_amount }));
  if (d.return_shipping_paid_by === 'merchant') parts.push(r.t(lang, 'remedy.merchant_shipping'));
  if (d.express_refund) parts.push(r.t(lang, 'remedy.express'));
  return parts.join(lang === 'en' ? ' ' : '');
}

/** What widgets and drivers see; an amount pending a person's approval is left out. */
export function triageData(caseId: string, complaint: string, d: Decision) {
  const { explain, matched, compensation_amount, ...outcome } = d;
  const shown = d.pending_approval || compensation_amount === undefined ? {} : { compensation_amount };
  return {
    caseId,
    complaint,
    ...outcome,
    ...shown,
    ruleId: d.ruleId,
    tableHash: d.tableHash,
    remedy: d.remedy,
    escalate: d.escalate,
  };
}

/**
 * Proposes, then reads the answer (asking again at most twice). A plain Dialog rather than a
 * waterfall, so the proposal and the answer run in the turn's own DialogContext.
 */
export class RemedyDialog extends KefuDialog<RemedyOptions> {
  constructor(private readonly services: KefuServices) {
    super(REMEDY_DIALOG);
  }

  override beginDialog(dc: DialogContext, options?: RemedyOptions): Promise<DialogTurnResult> {
    return this.propose(dc, options!);
  }

  /** The proposal's question was answered. */
  override resumeDialog(dc: DialogContext, _reason: DialogReason, result?: unknown): Promise<DialogTurnResult> {
    return this.read(dc, activeState<{ options: RemedyOptions }>(dc).options, result);
  }

  private async propose(dc: DialogContext, o: RemedyOptions): Promise<DialogTurnResult> {
    activeState<{ options: RemedyOptions }>(dc).options = o;
    const lang = langOf(dc.context);
    const r = this.services.responses;
    let decision = o.decision;
    if (!decision) {
      decision = this.services.rules.evaluate(o.facts);
      const d = decision;
      const now = this.services.now().toISOString();
      await this.services.cases.update(o.caseId, (c) => ({
        ...c,
        decision: d,
        status: d.escalate ? c.status : 'proposed',
        history: d.escalate ? c.history : [...c.history, { at: now, status: 'proposed', by: 'bot', note: d.ruleId }],
      }));
      const text = remedyText(this.services, lang, o.caseId, d);
      if (!d.escalate && channelCaps(dc.context.activity.channelId).adaptiveCards) {
        // The card shows the proposal with Accept / Decline buttons and is itself the question.
        const card: Partial<Activity> = {
          type: 'message',
          attachments: [
            remedyProposalCard(lang, {
              caseId: o.caseId,
              decision: d,
              summary: r.t(lang, `intent.${o.facts.complaint}`),
            }),
          ],
          summary: text,
          channelData: {
            triage: triageData(o.caseId, o.facts.complaint, d),
            prompt: { slot: 'accept_remedy', kind: 'confirm', choices: ['accept', 'decline'] },
          },
        };
        return dc.prompt(ANSWER, { prompt: card });
      }
      const proposal = MessageFactory.text(text);
      proposal.channelData = { triage: triageData(o.caseId, o.facts.complaint, d) };
      await dc.context.sendActivity(proposal);
      if (d.escalate) {
        // "This proposal needs review" only when there is a proposal; otherwise the handoff message says why.
        if (d.remedy !== 'none') await dc.context.sendActivity(r.t(lang, 'remedy.review'));
        return dc.endDialog({ outcome: 'escalate', reason: handoffReason(d, o.facts) } satisfies RemedyResult);
      }
    }
    const question = promptActivity(
      r.t(lang, 'remedy.accept_q'),
      {
        slot: 'accept_remedy',
        kind: 'confirm',
        choices: ['accept', 'decline'],
        titles: [r.t(lang, 'remedy.accept'), r.t(lang, 'remedy.decline')],
      },
      dc.context.activity.channelId,
    );
    return dc.prompt(ANSWER, { prompt: question });
  }

  /** Accept or decline, from a card or button value, a button title, a list number or yes/no in words ("可以，谢谢"). */
  private answerOf(value: unknown, text: string): 'accept' | 'decline' | undefined {
    const v = (value ?? {}) as { action?: unknown; accept_remedy?: unknown };
    const given = v.action ?? v.accept_remedy;
    if (given === 'accept' || given === true) return 'accept';
    if (given === 'decline' || given === false) return 'decline';
    const r = this.services.responses;
    const titles = (['accept', 'decline'] as const).map((a) => ({
      value: a,
      names: [r.t('zh-CN', `remedy.${a}`), r.t('en', `remedy.${a}`)],
    }));
    const picked = recognizeChoice(text, undefined, titles);
    if (picked.ok) return picked.value as 'accept' | 'decline';
    const yes = recognizeYesNo(text);
    return yes === undefined ? undefined : yes ? 'accept' : 'decline';
  }

  private async read(dc: DialogContext, o: RemedyOptions, result: unknown): Promise<DialogTurnResult> {
    const lang = langOf(dc.context);
    const r = this.services.responses;
    const answer = this.answerOf(dc.context.activity.value, String(result ?? '').trim());
    const accepted = answer === 'accept';
    const declined = answer === 'decline';
    if (accepted) {
      const now = this.services.now().toISOString();
      await this.services.cases.update(o.caseId, (c) => ({
        ...c,
        status: 'accepted',
        history: [...c.history, { at: now, status: 'accepted', by: 'shopper' }],
      }));
      await dc.context.sendActivity(r.t(lang, 'remedy.accepted', { caseId: o.caseId }));
      return dc.endDialog({ outcome: 'accepted' } satisfies RemedyResult);
    }
    if (declined || (o.asked ?? 0) >= 2)
      return dc.endDialog({ outcome: 'escalate', reason: 'declined' } satisfies RemedyResult);
    await dc.context.sendActivity(r.t(lang, 'reask.confirm'));
    return this.propose(dc, {
      ...o,
      decision: o.decision ?? (await this.services.cases.get(o.caseId))?.decision,
      asked: (o.asked ?? 0) + 1,
    });
  }
}
