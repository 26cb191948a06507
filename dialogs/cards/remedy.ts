/**
 * The remedy proposal: what the rule table decided, with Accept / Decline buttons. The buttons
 * submit `{ action: 'accept' | 'decline', caseId }`. When the decision is `reject` or `none`
 * there is nothing to accept, so the buttons read "OK" / "Ask a person" but submit the same
 * values, and the dialog treats "decline" as a request for a person in both cases.
 */
import type { Attachment } from 'botbuilder';
import type { Decision } from '../../rules/facts.js';
import { attachment, card, textBlock, type SubmitAction } from './adaptive.js';
import { escapeCardText, formatPct, formatYuan, LIMITS, truncate } from './format.js';
import { cardLabels, type CardLang } from './labels.js';

export interface RemedyProposal {
  caseId: string;
  decision: Decision;
  /** One or two sentences about the complaint, e.g. "Shampoo bottle broken, leaked". */
  summary: string;
}

export type RemedyAnswer = { action: 'accept' | 'decline'; caseId: string };

interface Fact {
  title: string;
  value: string;
}

function facts(lang: CardLang, p: RemedyProposal): Fact[] {
  const l = cardLabels(lang).remedy;
  const d = p.decision;
  const out: Fact[] = [
    { title: l.case, value: p.caseId },
    { title: l.remedy, value: l.remedies[d.remedy] },
  ];
  if (d.refund_pct !== undefined) out.push({ title: l.refund_pct, value: formatPct(d.refund_pct) });
  // An amount still waiting for a person's approval is never shown to the shopper.
  if (d.compensation_amount !== undefined && d.compensation_amount > 0 && !d.pending_approval)
    out.push({ title: l.compensation, value: formatYuan(d.compensation_amount) });
  if (d.return_shipping_paid_by !== undefined)
    out.push({ title: l.return_shipping, value: l.shipping_payer[d.return_shipping_paid_by] });
  if (d.express_refund === true) out.push({ title: l.express_refund, value: l.express_refund_yes });
  return out;
}

/** Nothing to accept: the shopper can only acknowledge or ask for a person. */
function isFinal(d: Decision): boolean {
  return d.remedy === 'reject' || d.remedy === 'none';
}

export function remedyProposalText(lang: CardLang, p: RemedyProposal): string {
  const l = cardLabels(lang).remedy;
  const sep = lang === 'en' ? ': ' : '：';
  return [
    l.title,
    truncate(p.summary, LIMITS.summary),
    ...facts(lang, p).map((f) => `${f.title}${sep}${f.value}`),
    truncate(p.decision.explain[lang], LIMITS.explain),
    ...(p.decision.escalate ? [l.escalated] : []),
    `${l.rule}${sep}${p.decision.ruleId}`,
    l.reply_hint,
  ]
    .filter((line) => line !== '')
    .join('\n');
}

export function remedyProposalCard(lang: CardLang, p: RemedyProposal): Attachment {
  const l = cardLabels(lang).remedy;
  const d = p.decision;
  const final = isFinal(d);
  const actions: SubmitAction[] = [
    {
      type: 'Action.Submit',
      title: final ? l.acknowledge : l.accept,
      data: { action: 'accept', caseId: p.caseId },
      style: 'positive',
    },
    { type: 'Action.Submit', title: final ? l.ask_human : l.decline, data: { action: 'decline', caseId: p.caseId } },
  ];
  const summary = truncate(p.summary, LIMITS.summary);
  return attachment(
    card(
      remedyProposalText(lang, p),
      [
        textBlock(l.title, { size: 'medium', weight: 'bolder' }),
        ...(summary === '' ? [] : [textBlock(escapeCardText(summary), { isSubtle: true, spacing: 'none' })]),
        { type: 'FactSet', facts: facts(lang, p).map((f) => ({ title: f.title, value: escapeCardText(f.value) })) },
        textBlock(escapeCardText(truncate(d.explain[lang], LIMITS.explain))),
        ...(d.escalate
          ? [{ type: 'Container' as const, style: 'warning' as const, items: [textBlock(l.escalated)] }]
          : []),
        textBlock(`${l.rule}${lang === 'en' ? ': ' : '：'}${escapeCardText(d.ruleId)}`, {
          size: 'small',
          isSubtle: true,
        }),
      ],
      actions,
    ),
  );
}

/** Reads a card answer back: the choice and case, or undefined when `value` is not a remedy answer. */
export function parseRemedyValue(value: unknown): RemedyAnswer | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  if ((v.action !== 'accept' && v.action !== 'decline') || typeof v.caseId !== 'string' || v.caseId === '')
    return undefined;
  return { action: v.action, caseId: v.caseId };
}
