/**
 * Dates: `2026-05-01`, `2026/5/1`, `2026年5月1日`, `5月1日`, `May 1`, `1 May 2026`, and relative
 * ones (`今天`, `昨天`, `前天`, `3天前`, `上周二`, `上周`, `三天后`, `只剩三天`, yesterday,
 * "last Tuesday", "2 days ago", "in 3 days", "3 days left", "last week"), resolved against `now`
 * (local calendar date) and written as YYYY-MM-DD. This is kefu's only date parser: the dialogs
 * read every typed date through it.
 * The role comes from the nearest keyword in the same clause: 生产 / made on → production,
 * 过期 / expires / best before → expiry, 收到 / 签收 / delivered → delivery; without one, the
 * role the question asked for (`expect`), else `unknown`.
 * The year of a date written without one is the year that fits the question: an expiry date is
 * the nearest such date around the `reference` day (the delivery date when known), in either
 * direction, because a label a shopper complains about is close to when the goods arrived; any
 * other date (made, delivered) lies in the past, so it is the nearest one not after tomorrow.
 * `5/1` alone is not taken: it is as often a share (3/10) as a date.
 */
import type { DateRole, Entities } from '../types.js';
import { parseNumber } from './numerals.js';

type Found = { role: DateRole; date: string; text: string; at: number; end: number };

export interface DateOptions {
  /** The day an expiry date without a year is placed around (the delivery date); default `now`. */
  reference?: Date;
  /** The role of a date with no keyword beside it (what the question asked for). */
  expect?: DateRole;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH =
  '(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)';
const WEEKDAYS_EN = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const WEEKDAYS_ZH = '日天一二三四五六';
const CN_SMALL = '[一二三四五六七八九十]+';

const FULL = /(?<!\d)(20\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?:日|号)?(?!\d)/gu;
// `12月3` without 日 too, but not `3个月` or the start of a longer number.
const MONTH_DAY_ZH = new RegExp(
  `(?<![\\d年])(\\d{1,2}|${CN_SMALL})月(\\d{1,2}|${CN_SMALL})(?:日|号|(?![\\d天个号日]))`,
  'gu',
);
const MONTH_DAY_EN = new RegExp(`\\b${MONTH}\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?(?:,?\\s+(20\\d{2}))?\\b`, 'giu');
const DAY_MONTH_EN = new RegExp(
  `\\b(\\d{1,2})(?:st|nd|rd|th)?\\s+(?:of\\s+)?${MONTH}\\b\\.?(?:,?\\s+(20\\d{2}))?`,
  'giu',
);
const RELATIVE_ZH = /大前天|前天|昨天|昨日|今天|今日|明天|后天/gu;
const DAYS_AGO_ZH = new RegExp(`(\\d{1,2}|${CN_SMALL}|两)天(?:前|以前|之前)`, 'gu');
// 三天后 / 3天以后 / 只剩三天 / 还有两天(过期|到期) / 还剩3天: days from today.
const DAYS_AHEAD_ZH = new RegExp(
  `(?:(?:只|就|还|仅)(?:剩|有|剩下)(?:了)?\\s*(\\d{1,3}|${CN_SMALL}|两)\\s*天)|(?:(\\d{1,3}|${CN_SMALL}|两)\\s*天(?:后|以后|之后))`,
  'gu',
);
// 过期三天了 / 已经过期2天: expired that many days ago.
const EXPIRED_DAYS_ZH = new RegExp(`过期(?:了)?\\s*(\\d{1,3}|${CN_SMALL}|两)\\s*天`, 'gu');
const LAST_WEEK_ZH = /上(?:个)?(?:周|星期|礼拜)(?![日天一二三四五六])/gu;
const WEEKDAY_ZH = new RegExp(`(上+)?(?:周|星期|礼拜)([${WEEKDAYS_ZH}])`, 'gu');
const RELATIVE_EN = /\b(?:the day before yesterday|yesterday|today|tomorrow)\b/giu;
const DAYS_AGO_EN = /\b(\d{1,2}|a|one|two|three|four|five|six|seven) days? ago\b/giu;
const DAYS_AHEAD_EN =
  /\b(?:in (\d{1,3}|a|one|two|three|four|five|six|seven) days?|(\d{1,3}|one|two|three|four|five|six|seven) days? (?:left|to go|from now|remaining))\b/giu;
const LAST_WEEK_EN = /\b(?:last week|a week ago)\b/giu;
const WEEKDAY_EN = /\b(last|on|this past)\s+(sunday|monday|tuesday|wednesday|thursday|friday|saturday)\b/giu;

const ROLE_WORDS: [DateRole, RegExp][] = [
  ['production', /生产|产于|制造|出厂|灌装|包装日期|produc|manufactur|made on|made|mfg|mfd|packed on|packaged on/giu],
  [
    'expiry',
    /过期|到期|保质期|有效期|截止|临期|expir|best before|use by|sell by|\bbb\b|\bexp\b|good until|valid until/giu,
  ],
  ['delivery', /收到|签收|送到|送达|到货|配送|派送|送货|到的|deliver|arriv|receiv|came|\bgot\b|showed up/giu],
];
const CLAUSE_BREAK = /[,，。;；!！?？\n]|\b(?:but|and then)\b/iu;
const EN_SMALL: Record<string, number> = { a: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7 };

/** Of `candidates` (one date in three years), the one that fits the role: see the module comment. */
function pickYear(candidates: Date[], role: DateRole, now: Date, reference: Date): Date | undefined {
  const latest = now.getTime() + 86_400_000;
  const allowed = role === 'expiry' ? candidates : candidates.filter((c) => c.getTime() <= latest);
  const around = role === 'expiry' ? reference.getTime() : now.getTime();
  return allowed.sort((a, b) => Math.abs(a.getTime() - around) - Math.abs(b.getTime() - around))[0];
}

function ymd(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}
function daysBefore(now: Date, days: number): Date {
  return new Date(now.getFullYear(), now.getMonth(), now.getDate() - days);
}
function valid(y: number, m: number, d: number): Date | undefined {
  const date = new Date(y, m - 1, d);
  return date.getMonth() === m - 1 && date.getDate() === d ? date : undefined;
}
/** The most recent past `weekday`; `weeksBack` ≥ 1 means "last week's". */
function lastWeekday(now: Date, weekday: number, weeksBack: number): Date {
  if (weeksBack === 0) return daysBefore(now, (now.getDay() - weekday + 7) % 7);
  const mondayBased = (now.getDay() + 6) % 7; // days since this week's Monday
  const target = (weekday + 6) % 7;
  return daysBefore(now, mondayBased + 7 * weeksBack - target);
}

/** Nearest role keyword in the same clause; before the date wins a tie. */
function roleAt(text: string, at: number, end: number): DateRole {
  const before =
    text
      .slice(Math.max(0, at - 24), at)
      .split(CLAUSE_BREAK)
      .pop() ?? '';
  const after = text.slice(end, end + 24).split(CLAUSE_BREAK)[0] ?? '';
  let before_: { role: DateRole; distance: number } = { role: 'unknown', distance: Infinity };
  let after_: { role: DateRole; distance: number } = { role: 'unknown', distance: Infinity };
  for (const [role, re] of ROLE_WORDS) {
    for (const m of before.matchAll(re)) {
      const distance = before.length - (m.index + m[0].length);
      if (distance < before_.distance) before_ = { role, distance };
    }
    for (const m of after.matchAll(re)) {
      if (m.index < after_.distance) after_ = { role, distance: m.index };
    }
  }
  const best = before_.distance <= after_.distance ? before_ : after_;
  return best.role;
}

export function extractDates(text: string, now: Date = new Date(), opts: DateOptions = {}): Entities['dates'] {
  const found: Found[] = [];
  const reference = opts.reference ?? now;
  const add = (date: Date | undefined, m: RegExpMatchArray, role_?: DateRole) => {
    if (date === undefined) return;
    const at = m.index!;
    const end = at + m[0].length;
    if (found.some((f) => at < f.end && end > f.at)) return;
    const keyword = role_ ?? roleAt(text, at, end);
    const role = keyword === 'unknown' ? (opts.expect ?? 'unknown') : keyword;
    found.push({ role, date: ymd(date), text: m[0], at, end });
  };
  /** A month and day without a year: the year comes from the role (see the module comment). */
  const addYearless = (month: number, day: number, m: RegExpMatchArray) => {
    const at = m.index!;
    const keyword = roleAt(text, at, at + m[0].length);
    const role = keyword === 'unknown' ? (opts.expect ?? 'unknown') : keyword;
    const y = reference.getFullYear();
    const candidates = [y - 1, y, y + 1]
      .map((year) => valid(year, month, day))
      .filter((d): d is Date => d !== undefined);
    add(pickYear(candidates, role, now, reference), m);
  };
  for (const m of text.matchAll(FULL)) add(valid(Number(m[1]), Number(m[2]), Number(m[3])), m);
  for (const m of text.matchAll(MONTH_DAY_ZH)) addYearless(parseNumber(m[1]!), parseNumber(m[2]!), m);
  for (const m of text.matchAll(MONTH_DAY_EN)) {
    const month = MONTHS.indexOf(m[1]!.slice(0, 3).toLowerCase()) + 1;
    if (m[3]) add(valid(Number(m[3]), month, Number(m[2])), m);
    else addYearless(month, Number(m[2]), m);
  }
  for (const m of text.matchAll(DAY_MONTH_EN)) {
    const month = MONTHS.indexOf(m[2]!.slice(0, 3).toLowerCase()) + 1;
    if (m[3]) add(valid(Number(m[3]), month, Number(m[1])), m);
    else addYearless(month, Number(m[1]), m);
  }
  const zhOffsets: Record<string, number> = {
    大前天: 3,
    前天: 2,
    昨天: 1,
    昨日: 1,
    今天: 0,
    今日: 0,
    明天: -1,
    后天: -2,
  };
  for (const m of text.matchAll(RELATIVE_ZH)) add(daysBefore(now, zhOffsets[m[0]]!), m);
  for (const m of text.matchAll(DAYS_AGO_ZH)) add(daysBefore(now, parseNumber(m[1]!)), m);
  // "Only three days left" speaks of the expiry date even without 过期 beside it.
  for (const m of text.matchAll(DAYS_AHEAD_ZH))
    add(daysBefore(now, -parseNumber(m[1] ?? m[2]!)), m, m[1] !== undefined ? 'expiry' : undefined);
  for (const m of text.matchAll(EXPIRED_DAYS_ZH)) add(daysBefore(now, parseNumber(m[1]!)), m, 'expiry');
  for (const m of text.matchAll(LAST_WEEK_ZH)) add(daysBefore(now, 7), m);
  for (const m of text.matchAll(WEEKDAY_ZH))
    add(
      lastWeekday(
        now,
        WEEKDAYS_ZH.indexOf(m[2]!) === 0 ? 0 : Math.max(0, WEEKDAYS_ZH.indexOf(m[2]!) - 1),
        m[1]?.length ?? 0,
      ),
      m,
    );
  const enOffsets: Record<string, number> = { 'the day before yesterday': 2, yesterday: 1, today: 0, tomorrow: -1 };
  for (const m of text.matchAll(RELATIVE_EN)) add(daysBefore(now, enOffsets[m[0].toLowerCase()]!), m);
  for (const m of text.matchAll(DAYS_AGO_EN)) add(daysBefore(now, EN_SMALL[m[1]!.toLowerCase()] ?? Number(m[1])), m);
  for (const m of text.matchAll(DAYS_AHEAD_EN)) {
    const n = (m[1] ?? m[2])!.toLowerCase();
    add(daysBefore(now, -(EN_SMALL[n] ?? Number(n))), m, m[2] !== undefined ? 'expiry' : undefined);
  }
  for (const m of text.matchAll(LAST_WEEK_EN)) add(daysBefore(now, 7), m);
  for (const m of text.matchAll(WEEKDAY_EN)) {
    const weekday = WEEKDAYS_EN.indexOf(m[2]!.toLowerCase());
    // "last Tuesday" is the most recent past Tuesday, as most shoppers mean it.
    const d = lastWeekday(now, weekday, 0);
    add(d.getTime() === daysBefore(now, 0).getTime() && m[1]!.toLowerCase() !== 'on' ? daysBefore(now, 7) : d, m);
  }
  return found.sort((a, b) => a.at - b.at).map(({ role, date, text }) => ({ role, date, text }));
}
