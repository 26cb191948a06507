/**
 * Structured logging (pino) that never writes personal data. Every logged object is walked
 * before it is written: values under personal keys (text, name, phone, address, order id, tokens)
 * become `[redacted]` at any depth, and every other string, the message included, goes through
 * `maskText`, which masks phone numbers, bank-card, ID and order numbers, e-mail addresses,
 * street addresses and self-introduced names in free text, also in full-width characters. This
 * runs at every level, debug included, and for the fields a child logger is bound with. Errors
 * keep their type but their message is masked too.
 */
import { pino, type DestinationStream, type Logger } from 'pino';

const REDACT_KEYS = new Set(
  [
    'text',
    'phone',
    'mobile',
    'address',
    'name',
    'username',
    'email',
    'orderid',
    'order_id',
    'token',
    'authorization',
    'cookie',
    'password',
    'secret',
    'contenturl',
    'value',
    'receiver',
    'recipientname',
  ].map((k) => k.toLowerCase()),
);
const MAX_DEPTH = 8;

/** `destination`: where lines go (default stdout); tests pass a stream to read what was logged. */
export function createLogger(level: string = process.env.LOG_LEVEL || 'info', destination?: DestinationStream): Logger {
  const options = {
    level,
    formatters: {
      log: (object: Record<string, unknown>) => scrub(object, 0) as Record<string, unknown>,
    },
    hooks: {
      logMethod(this: Logger, args: unknown[], method: (...a: unknown[]) => void) {
        method.apply(
          this,
          args.map((a) => (typeof a === 'string' ? maskText(a) : a)),
        );
      },
    },
  };
  return scrubChildren(destination ? pino(options, destination) : pino(options));
}

/** A child logger's bound fields skip the `log` formatter in pino: they are scrubbed here instead. */
function scrubChildren(logger: Logger): Logger {
  const child = logger.child.bind(logger);
  const scrubbed = (bindings: Record<string, unknown>, options?: object): Logger =>
    scrubChildren(child(scrub(bindings, 0) as Record<string, unknown>, options));
  logger.child = scrubbed as unknown as Logger['child'];
  return logger;
}

function scrub(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return maskText(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return '[deep]';
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code;
    // `errName`: pino's err serializer, which runs after this, sets `type` from the (now plain) object.
    return {
      errName: value.name,
      message: maskText(value.message),
      ...(typeof code === 'string' ? { code } : {}),
      stack: maskText(value.stack ?? ''),
    };
  }
  if (Array.isArray(value)) return value.slice(0, 50).map((v) => scrub(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    out[key] = REDACT_KEYS.has(key.toLowerCase()) && v !== undefined && v !== null ? '[redacted]' : scrub(v, depth + 1);
  }
  return out;
}

const PHONE = /(?<![\d])(?:\+?86[\s-]?)?1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}(?!\d)/g;
const EMAIL = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g;
// Bank cards, ID numbers and order ids written in groups ("6222 0212 3456 7890", "110101 19900307 457X").
const DIGIT_GROUPS = /(?<![\d])\d(?:[ -]?\d){11,}(?:[ -]?[Xx])?(?![\dA-Za-z])/g;
const LONG_DIGITS = /\d{8,}[Xx]?/g;
// A Chinese street address: anything up to a road marker followed by a house number ("…路100号…").
const ADDRESS_ZH = /[\p{Script=Han}\dA-Za-z]*(?:路|街|道|巷|弄|里|村)\s*\d+\s*号[\p{Script=Han}\dA-Za-z\-#]*/gu;
// A district, town or sub-district followed by a road name, even without a number ("西湖区文三路").
const ROAD_ZH = /[\p{Script=Han}]{2,}(?:区|县|镇|街道)[\p{Script=Han}\d]{1,12}?(?:路|街|大道|巷|弄|胡同)/gu;
// Province / city / district sequences ("上海市浦东新区", "广东省深圳市") even without a street.
const REGION_ZH =
  /[\p{Script=Han}]{2,}(?:省|自治区)[\p{Script=Han}]*?(?:市|州|盟)|[\p{Script=Han}]{2,}市[\p{Script=Han}]{1,6}?(?:区|县)/gu;
// Building, unit and room ("阳光花园小区5栋2单元301", "3号楼1单元1501室").
const BUILDING_ZH =
  /(?:[\p{Script=Han}A-Za-z]{2,12}(?:小区|花园|公寓|大厦|广场|家园|苑|城))?\s*\d+\s*(?:栋|幢|号楼|单元)(?:\s*\d+\s*(?:栋|幢|号楼|单元|室|楼|层)?)*/gu;
const ADDRESS_EN =
  /\b\d{1,6}[A-Za-z]?\s+(?:[A-Z][a-z]+\s+){1,4}(?:Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Drive|Dr|Boulevard|Blvd|Way|Court|Ct|Place|Pl)\b\.?/g;
const UNIT_EN = /\b(?:Apt|Apartment|Suite|Unit|Flat)\.?\s*#?\s*[\dA-Za-z-]{1,6}\b/g;
// Names a shopper gives about themselves or a recipient.
const NAME_ZH = /(我叫|我的名字是|名字是|姓名[:：]?|收件人[:：]?|收货人[:：]?|联系人[:：]?)\s*[\p{Script=Han}·]{1,4}/gu;
// "我是王芳，…": only a short name followed by a pause, so "我是想问一下" stays.
const NAME_ZH_SELF = /(我是)[\p{Script=Han}·]{2,3}(?=[，,。.！!\s]|$)/gu;
const NAME_EN = /\b(my name is|name:|recipient:?|deliver to|ship to)\s+[A-Za-z]+(?:\s+[A-Z][a-z]+)?/gi;
const NAME_EN_SELF = /\b(I am|I'm|[Tt]his is)\s+[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?/g;

const maskDigits = (m: string): string => {
  const digits = m.replace(/[^\dXx]/g, '');
  return `${digits.slice(0, 2)}…${digits.slice(-2)}`;
};

/**
 * Masks personal data in free text; keeps enough shape ("138****5678") for a log to stay useful.
 * Text is NFKC-normalized first, so full-width digits ("１３８…") and letters are masked too.
 */
export function maskText(text: string): string {
  return text
    .normalize('NFKC')
    .replace(EMAIL, '[email]')
    .replace(PHONE, (m) => {
      const digits = m.replace(/\D/g, '').slice(-11);
      return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
    })
    .replace(DIGIT_GROUPS, maskDigits)
    .replace(LONG_DIGITS, maskDigits)
    .replace(ADDRESS_ZH, '[address]')
    .replace(ROAD_ZH, '[address]')
    .replace(REGION_ZH, '[address]')
    .replace(BUILDING_ZH, '[address]')
    .replace(ADDRESS_EN, '[address]')
    .replace(UNIT_EN, '[address]')
    .replace(NAME_ZH, (_m, lead: string) => `${lead}[name]`)
    .replace(NAME_ZH_SELF, (_m, lead: string) => `${lead}[name]`)
    .replace(NAME_EN, (_m, lead: string) => `${lead} [name]`)
    .replace(NAME_EN_SELF, (_m, lead: string) => `${lead} [name]`);
}

export type { Logger };
