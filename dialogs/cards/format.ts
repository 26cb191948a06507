/**
 * Small text helpers shared by the cards and their text fallbacks, so that both show the same
 * values, cut at the same length, in the same money format.
 */

/** Longest shown lengths, in characters (code points): long text makes cards unreadable on phones. */
export const LIMITS = { title: 80, label: 60, summary: 400, explain: 600 } as const;

/** Cuts `text` to at most `max` characters, ending with an ellipsis when cut. Never splits a surrogate pair. */
export function truncate(text: string, max: number): string {
  const chars = Array.from(text.replace(/\s+/g, ' ').trim());
  return chars.length <= max ? chars.join('') : `${chars.slice(0, max - 1).join('')}…`;
}

/**
 * Makes shopper- or rule-supplied text display literally in an Adaptive Card TextBlock or FactSet:
 * cards render a Markdown subset (emphasis, links, lists) and `{{DATE(...)}}` / `{{TIME(...)}}`
 * functions, so a product name like `**FREE** [click](http://x)` must not turn into markup.
 */
export function escapeCardText(text: string): string {
  return text
    .replace(/[\\`*_[\]]/g, (c) => `\\${c}`)
    .replace(/^(\s*)([-+]|\d+\.)(\s)/gm, (_m, sp: string, mark: string, ws: string) => `${sp}\\${mark}${ws}`)
    .replace(/\{\{/g, '{\u200B{');
}

/** Yuan with a thousands separator: `¥1,000`, `¥12.50`. */
export function formatYuan(amount: number): string {
  return `¥${(Number.isInteger(amount) ? WHOLE : CENTS).format(amount)}`;
}

// Built once: `toLocaleString` builds a formatter on every call, ~100 µs each.
const WHOLE = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const CENTS = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** A share 0..100 as `30%`. */
export function formatPct(pct: number): string {
  return `${Math.round(pct * 100) / 100}%`;
}

/** Fills `{name}` placeholders; unknown names stay as they are so a mistake shows. */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (m, name: string) => (name in values ? String(values[name]) : m));
}
