/**
 * Structured logging (pino). Personal data is redacted by key wherever it appears in a logged
 * object; free text should be passed through `maskText` before it is logged.
 */
import { pino, type Logger } from 'pino';

const REDACT_KEYS = ['text', 'phone', 'address', 'name', 'orderId', 'order_id', 'token', 'authorization', 'password'];

export function createLogger(level: string = process.env.LOG_LEVEL || 'info'): Logger {
  return pino({
    level,
    redact: { paths: [...REDACT_KEYS, ...REDACT_KEYS.map((k) => `*.${k}`)], censor: '[redacted]' },
  });
}

const PHONE = /(?<!\d)1[3-9]\d{9}(?!\d)/g;
const LONG_DIGITS = /\d{8,}/g;

/** Masks phone numbers and long digit runs (order ids, card numbers) in free text. */
export function maskText(text: string): string {
  return text.replace(PHONE, (m) => `${m.slice(0, 3)}****${m.slice(-4)}`).replace(LONG_DIGITS, (m) => `${m.slice(0, 2)}…${m.slice(-2)}`);
}

export type { Logger };
