/**
 * All the facts found in one shopper message. Each extractor is pure and independent; this
 * module only normalises the text once (full-width digits, control characters) and collects.
 */
import { extractAmounts } from './extract/amounts.js';
import { extractDates, type DateOptions } from './extract/dates.js';
import { extractHarm } from './extract/harm.js';
import { extractMerchantResponse } from './extract/merchant.js';
import { extractOrderIds } from './extract/orderIds.js';
import { extractShares } from './extract/shares.js';
import { extractSizes } from './extract/sizes.js';
import { extractWeights } from './extract/weights.js';
import { normalize } from './normalize.js';
import type { Entities } from './types.js';

// Cheap gates: most messages hold no number, so most extractors need not run at all.
const NUMERIC = /[\d零〇一二两三四五六七八九十百千万半]/u;
const DATE_WORDS =
  /[\d天日周期拜]|yesterday|today|tomorrow|ago|days?\b|week|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec/iu;
const SHARE_WORDS = /[\d一二两三四五六七八九十全整大]|half|third|quarter|all of|every|whole|most of/iu;
const SELLER_WORDS =
  /商|卖|店|客服|老板|他们|对方|回|拒|人|seller|merchant|shop|store|vendor|they|he|she|repl|respon|heard|contact/iu;
const NO_DATES: Entities['dates'] = [];

/** `dates` places year-less and keyword-less dates (see extract/dates.ts): pass what the question knows. */
export function extractEntities(text: string, now: Date = new Date(), dates: DateOptions = {}): Entities {
  return extractEntitiesOfNormalized(normalize(typeof text === 'string' ? text : String(text ?? '')), now, dates);
}

/**
 * False when `text` holds nothing `extractEntities` could read as a date: then its result does not
 * depend on the date options, and a second reading with other options would find the same.
 */
export function mayMentionDates(text: string): boolean {
  return DATE_WORDS.test(maskOrderIds(normalize(text)));
}

/** Order ids blanked out, so their digits are not read as amounts, sizes or dates. */
function maskOrderIds(clean: string): string {
  return clean.replace(/\d{16,19}/g, (d) => '_'.repeat(d.length));
}

/** `extractEntities` of text already passed through `normalize` (the classifier normalises once). */
export function extractEntitiesOfNormalized(
  clean: string,
  now: Date = new Date(),
  dateOptions: DateOptions = {},
): Entities {
  // Order ids first, then masked, so their digits are not read as amounts, sizes or dates.
  const orderIds = /\d{6}|订单|单号|order/iu.test(clean) ? extractOrderIds(clean) : [];
  const rest = maskOrderIds(clean);
  const numeric = NUMERIC.test(rest);
  const entities: Entities = {
    orderIds,
    dates: DATE_WORDS.test(rest) ? extractDates(rest, now, dateOptions) : [...NO_DATES],
    sizes: numeric ? extractSizes(rest) : [],
    weights: numeric ? extractWeights(rest) : [],
    shares: SHARE_WORDS.test(rest) ? extractShares(rest) : [],
    amounts: numeric || rest.includes('¥') ? extractAmounts(rest) : [],
  };
  const merchantResponse = SELLER_WORDS.test(rest) ? extractMerchantResponse(rest) : undefined;
  if (merchantResponse !== undefined) entities.merchantResponse = merchantResponse;
  const harm = extractHarm(rest);
  if (harm !== undefined) entities.harm = harm;
  return entities;
}
