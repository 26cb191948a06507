/**
 * ID and bank-card numbers in what agents see: masked until an agent reveals them (recorded in
 * the case). A Chinese resident ID is 17 digits and a check character (ISO 7064 MOD 11-2) with a
 * plausible birth date; a bank card is 13-19 digits (groups of digits with spaces or dashes too)
 * passing the Luhn check. The checks keep order numbers, which are also long digit runs, visible:
 * agents need those. Full-width digits count too.
 */
import type { CaseRecord } from '../cases.js';

const RUN = /(?<![\d０-９])[\d０-９](?:[ -]?[\d０-９]){12,18}(?:[ -]?[XxＸｘ])?(?![\d０-９A-Za-z])/g;

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

function isResidentId(chars: string): boolean {
  if (!/^\d{17}[\dX]$/.test(chars)) return false;
  const [year, month, day] = [Number(chars.slice(6, 10)), Number(chars.slice(10, 12)), Number(chars.slice(12, 14))];
  if (year < 1900 || month < 1 || month > 12 || day < 1 || day > 31) return false;
  const sum = ID_WEIGHTS.reduce((s, w, i) => s + w * Number(chars[i]), 0);
  return ID_CHECK[sum % 11] === chars[17];
}

function isCardNumber(digits: string): boolean {
  if (!/^\d{13,19}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

/**
 * `text` with ID and card numbers masked (ID: first 4 and last 4 kept; card: last 4 kept), and
 * how many there were. `keep`: numbers shown as they are (the case's own order id).
 */
export function maskSensitive(text: string, keep: readonly string[] = []): { text: string; masked: number } {
  let masked = 0;
  const out = text.replace(RUN, (m) => {
    const chars = m.normalize('NFKC').replace(/[ -]/g, '').toUpperCase();
    if (keep.includes(chars)) return m;
    if (isResidentId(chars)) {
      masked++;
      return `${chars.slice(0, 4)}**********${chars.slice(-4)}`;
    }
    if (isCardNumber(chars)) {
      masked++;
      return `${'*'.repeat(chars.length - 4)}${chars.slice(-4)}`;
    }
    return m;
  });
  return { text: out, masked };
}

/** The case as an agent sees it before revealing: transcript and notes masked; the count of masked numbers. */
export function maskCase<T extends Pick<CaseRecord, 'transcript' | 'history' | 'orderId'>>(
  c: T,
): { case: T; masked: number } {
  const keep = c.orderId ? [c.orderId] : [];
  let masked = 0;
  const mask = (text: string): string => {
    const r = maskSensitive(text, keep);
    masked += r.masked;
    return r.text;
  };
  return {
    case: {
      ...c,
      transcript: c.transcript.map((t) => ({ ...t, text: mask(t.text) })),
      history: c.history.map((h) => (h.note === undefined ? h : { ...h, note: mask(h.note) })),
    },
    masked,
  };
}
