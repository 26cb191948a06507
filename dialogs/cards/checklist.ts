/**
 * The evidence checklist: which photos and screenshots the case still needs, shown as a card on
 * channels that render Adaptive Cards and as plain text elsewhere. Both show the same facts:
 * the title, the progress count, and every item with its status and whether it is optional.
 */
import type { Attachment } from 'botbuilder';
import { attachment, card, textBlock, type TextBlock } from './adaptive.js';
import { escapeCardText, fill, LIMITS, truncate } from './format.js';
import { cardLabels, type CardLang, type ChecklistStatus } from './labels.js';

export interface ChecklistItem {
  /** The evidence kind (or another slot name); not shown, kept for the dialog. */
  key: string;
  label: string;
  status: ChecklistStatus;
  optional: boolean;
}

const ICON: Record<ChecklistStatus, string> = { done: '✅', skipped: '⏭️', pending: '⬜', current: '👉' };

interface Line {
  icon: string;
  label: string;
  status: string;
  item: ChecklistItem;
}

function lines(lang: CardLang, items: ChecklistItem[]): { progress: string; rows: Line[] } {
  const l = cardLabels(lang).checklist;
  const done = items.filter((i) => i.status === 'done').length;
  const rows = items.map((item) => ({
    icon: ICON[item.status],
    label:
      truncate(item.label, LIMITS.label) +
      (item.optional ? (lang === 'en' ? ` (${l.optional})` : `（${l.optional}）`) : ''),
    status: l.status[item.status],
    item,
  }));
  return { progress: fill(l.progress, { done, total: items.length }), rows };
}

export function evidenceChecklistText(lang: CardLang, title: string, items: ChecklistItem[]): string {
  const { progress, rows } = lines(lang, items);
  const sep = lang === 'en' ? ': ' : '：';
  return [
    `${truncate(title, LIMITS.title)} (${progress})`,
    ...rows.map((r) => `${r.icon} ${r.label}${sep}${r.status}`),
  ].join('\n');
}

export function evidenceChecklistCard(lang: CardLang, title: string, items: ChecklistItem[]): Attachment {
  const { progress, rows } = lines(lang, items);
  const sep = lang === 'en' ? ': ' : '：';
  const itemBlock = (r: Line): TextBlock =>
    textBlock(`${r.icon} ${escapeCardText(r.label)}${sep}${r.status}`, {
      spacing: 'small',
      ...(r.item.status === 'current' ? { weight: 'bolder', color: 'accent' } : {}),
      ...(r.item.status === 'done' ? { color: 'good' } : {}),
      ...(r.item.status === 'skipped' ? { isSubtle: true } : {}),
    });
  return attachment(
    card(evidenceChecklistText(lang, title, items), [
      textBlock(escapeCardText(truncate(title, LIMITS.title)), { size: 'medium', weight: 'bolder' }),
      textBlock(progress, { isSubtle: true, spacing: 'none' }),
      ...rows.map(itemBlock),
    ]),
  );
}
