/**
 * All the facts found in one shopper message. Each extractor is pure and independent; this
 * module only normalises the text once (full-width digits, control characters) and collects.
 */
import { extractAmounts } from './extract/amounts.js';
import { extractDates } from './extract/dates.js';
import { extractMerchantResponse } from './extract/merchant.js';
import { extractOrderIds } from './extract/orderIds.js';
import { extractShares } from './extract/shares.js';
import { extractSizes } from './extract/sizes.js';
import { extractWeights } from './extract/weights.js';
import { normalize } from './normalize.js';
import type { Entities } from './types.js';

export function extractEntities(text: string, now: Date = new Date()): Entities {
  const clean = normalize(typeof text === 'string' ? text : String(text ?? ''));
  // Order ids first, then masked, so their digits are not read as amounts, sizes or dates.
  const orderIds = extractOrderIds(clean);
  const rest = clean.replace(/\d{16,19}/g, (d) => '_'.repeat(d.length));
  const entities: Entities = {
    orderIds,
    dates: extractDates(rest, now),
    sizes: extractSizes(rest),
    weights: extractWeights(rest),
    shares: extractShares(rest),
    amounts: extractAmounts(rest),
  };
  const merchantResponse = extractMerchantResponse(rest);
  if (merchantResponse !== undefined) entities.merchantResponse = merchantResponse;
  return entities;
}
