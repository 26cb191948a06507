/**
 * Times in the demo order file, relative to when it is loaded (`-6h`, `-3d`, `-40m`, `+5d`) or
 * absolute (ISO 8601), so report windows ("live goods within 12 h of delivery") stay testable
 * on any day without editing dates.
 */

const RELATIVE = /^([+-])(\d+(?:\.\d+)?)\s*(m|h|d)$/;
const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The instant `text` names, or undefined when it is neither relative nor ISO 8601. */
export function resolveTime(text: string, now: Date): Date | undefined {
  const m = RELATIVE.exec(text.trim());
  if (m) {
    const sign = m[1] === '-' ? -1 : 1;
    return new Date(now.getTime() + sign * Number(m[2]) * UNIT_MS[m[3] as keyof typeof UNIT_MS]);
  }
  if (!/^\d{4}-\d{2}-\d{2}/.test(text)) return undefined;
  const t = new Date(text);
  return Number.isNaN(t.getTime()) ? undefined : t;
}

/** A calendar date (`YYYY-MM-DD`, UTC) from a relative time or an ISO date. */
export function resolveDate(text: string, now: Date): string | undefined {
  if (ISO_DATE.test(text.trim())) return resolveTime(text, now) === undefined ? undefined : text.trim();
  return resolveTime(text, now)?.toISOString().slice(0, 10);
}
