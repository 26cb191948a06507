/**
 * The satisfaction question asked when a case closes: five buttons, each submitting
 * `{ csat: 1..5, caseId }`. The text fallback asks for a number instead.
 */
import type { Attachment } from 'botbuilder';
import { attachment, card, textBlock, type SubmitAction } from './adaptive.js';
import { cardLabels, type CardLang } from './labels.js';

export type CsatAnswer = { csat: 1 | 2 | 3 | 4 | 5; caseId: string };

export function csatText(lang: CardLang): string {
  const l = cardLabels(lang).csat;
  return [l.title, l.question, l.scores.join(' / '), l.reply_hint].join('\n');
}

export function csatCard(lang: CardLang, caseId: string): Attachment {
  const l = cardLabels(lang).csat;
  const actions: SubmitAction[] = l.scores.map((title, i) => ({
    type: 'Action.Submit',
    title,
    data: { csat: i + 1, caseId },
  }));
  return attachment(
    card(csatText(lang), [textBlock(l.title, { size: 'medium', weight: 'bolder' }), textBlock(l.question)], actions),
  );
}

/** Reads a card answer back: the score and case, or undefined when `value` is not a CSAT answer. */
export function parseCsatValue(value: unknown): CsatAnswer | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  const score = typeof v.csat === 'string' ? Number(v.csat) : v.csat;
  if (
    typeof score !== 'number' ||
    !Number.isInteger(score) ||
    score < 1 ||
    score > 5 ||
    typeof v.caseId !== 'string' ||
    v.caseId === ''
  )
    return undefined;
  return { csat: score as CsatAnswer['csat'], caseId: v.caseId };
}
