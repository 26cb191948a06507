/**
 * Case ids a shopper can read aloud and type back: `KF` + year and month + `-` + six characters
 * of Crockford base32 (no I, L, O or U), e.g. `KF2611-7Q4M9C`. Random rather than sequential so
 * that instances need no coordination; a rare collision is caught by the primary key and the
 * store draws again.
 */
import { randomChunk } from './randomPool.js';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const SHAPE = /^KF\d{4}-[0-9A-HJKMNP-TV-Z]{6}$/;

export function newCaseId(now: Date = new Date()): string {
  const yy = String(now.getUTCFullYear() % 100).padStart(2, '0');
  const mm = String(now.getUTCMonth() + 1).padStart(2, '0');
  const bytes = randomChunk(6);
  let tail = '';
  for (const b of bytes) tail += ALPHABET[b & 31];
  return `KF${yy}${mm}-${tail}`;
}

/**
 * What a shopper typed or said back, as the stored id: case and spaces ignored, the dash
 * optional, and the letters people confuse with digits read as Crockford does (O→0, I/L→1).
 * Returns undefined when it cannot be a case id.
 */
export function normalizeCaseId(input: string): string | undefined {
  const compact = input.toUpperCase().replace(/[\s-]/g, '');
  if (!compact.startsWith('KF') || compact.length !== 12) return undefined;
  const digits = compact.slice(2, 6).replace(/O/g, '0').replace(/[IL]/g, '1');
  const tail = compact.slice(6).replace(/O/g, '0').replace(/[IL]/g, '1');
  const id = `KF${digits}-${tail}`;
  return SHAPE.test(id) ? id : undefined;
}
