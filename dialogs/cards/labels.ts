/**
 * The card labels in `data/cards.yaml`, parsed and validated once into a typed value. Support
 * leads edit that file, so a mistake is reported as `file:line:col` with what was expected.
 */
import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { LineCounter, parseDocument } from 'yaml';
import { projectPath } from '../../lib/paths.js';
import { REMEDIES, type Remedy } from '../../rules/facts.js';

export type CardLang = 'zh-CN' | 'en';
export const CARD_LANGS: readonly CardLang[] = ['zh-CN', 'en'];

export const CHECKLIST_STATUSES = ['done', 'skipped', 'pending', 'current'] as const;
export type ChecklistStatus = (typeof CHECKLIST_STATUSES)[number];

export interface CardLabels {
  checklist: { progress: string; optional: string; status: Record<ChecklistStatus, string> };
  remedy: {
    title: string;
    case: string;
    remedy: string;
    remedies: Record<Remedy, string>;
    refund_pct: string;
    compensation: string;
    return_shipping: string;
    shipping_payer: { merchant: string; shopper: string };
    express_refund: string;
    express_refund_yes: string;
    escalated: string;
    rule: string;
    accept: string;
    decline: string;
    acknowledge: string;
    ask_human: string;
    reply_hint: string;
  };
  csat: { title: string; question: string; scores: string[]; reply_hint: string };
}

export const DEFAULT_CARDS_FILE = projectPath('data', 'cards.yaml');

export class CardLabelsError extends Error {}

const text = { type: 'string', minLength: 1, maxLength: 300 } as const;
/** Buttons: Teams truncates action titles at about 20 characters. */
const button = { type: 'string', minLength: 1, maxLength: 20 } as const;

function strings(keys: readonly string[], of: object = text): object {
  return {
    type: 'object',
    additionalProperties: false,
    required: [...keys],
    properties: Object.fromEntries(keys.map((k) => [k, of])),
  };
}

const langSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['checklist', 'remedy', 'csat'],
  properties: {
    checklist: {
      type: 'object',
      additionalProperties: false,
      required: ['progress', 'optional', 'status'],
      properties: {
        progress: { ...text, allOf: [{ pattern: '\\{done\\}' }, { pattern: '\\{total\\}' }] },
        optional: text,
        status: strings(CHECKLIST_STATUSES),
      },
    },
    remedy: {
      type: 'object',
      additionalProperties: false,
      required: [
        'title',
        'case',
        'remedy',
        'remedies',
        'refund_pct',
        'compensation',
        'return_shipping',
        'shipping_payer',
        'express_refund',
        'express_refund_yes',
        'escalated',
        'rule',
        'accept',
        'decline',
        'acknowledge',
        'ask_human',
        'reply_hint',
      ],
      properties: {
        ...Object.fromEntries(
          [
            'title',
            'case',
            'remedy',
            'refund_pct',
            'compensation',
            'return_shipping',
            'express_refund',
            'express_refund_yes',
            'escalated',
            'rule',
            'reply_hint',
          ].map((k) => [k, text]),
        ),
        remedies: strings(REMEDIES),
        shipping_payer: strings(['merchant', 'shopper']),
        accept: button,
        decline: button,
        acknowledge: button,
        ask_human: button,
      },
    },
    csat: {
      type: 'object',
      additionalProperties: false,
      required: ['title', 'question', 'scores', 'reply_hint'],
      properties: {
        title: text,
        question: text,
        scores: { type: 'array', minItems: 5, maxItems: 5, items: button },
        reply_hint: text,
      },
    },
  },
};

const fileSchema = {
  type: 'object',
  additionalProperties: false,
  required: [...CARD_LANGS],
  properties: { 'zh-CN': langSchema, en: langSchema },
};

let compiled: ValidateFunction<Record<CardLang, CardLabels>> | undefined;

/** Compiled when labels are first read, not at import: compiling costs a start-up that sends no card yet. */
function validator(): ValidateFunction<Record<CardLang, CardLabels>> {
  compiled ??= new Ajv({ allErrors: true }).compile<Record<CardLang, CardLabels>>(fileSchema);
  return compiled;
}

function describe(err: ErrorObject): string {
  const p = err.params as Record<string, unknown>;
  switch (err.keyword) {
    case 'required':
      return `'${String(p.missingProperty)}' is missing`;
    case 'additionalProperty':
    case 'additionalProperties':
      return `'${String(p.additionalProperty)}' is not a known key`;
    case 'pattern':
      return `must keep the placeholder ${String(p.pattern).replace(/\\/g, '')}`;
    default:
      return err.message ?? err.keyword;
  }
}

/** Reads and checks a labels file; throws CardLabelsError naming every mistake with its position. */
export function loadCardLabels(file: string = DEFAULT_CARDS_FILE): Record<CardLang, CardLabels> {
  const source = readFileSync(file, 'utf8');
  const lines = new LineCounter();
  const doc = parseDocument(source, { lineCounter: lines, prettyErrors: false });
  const where = (offset: number | undefined): string => {
    const pos = lines.linePos(offset ?? 0);
    return `${file}:${pos.line}:${pos.col}`;
  };
  if (doc.errors.length > 0) {
    throw new CardLabelsError(doc.errors.map((e) => `${where(e.pos[0])}: ${e.message.split('\n')[0]}`).join('\n'));
  }
  const value: unknown = doc.toJS();
  const validate = validator();
  if (validate(value)) return value;
  const messages = (validate.errors ?? []).map((err) => {
    const path = err.instancePath
      .split('/')
      .slice(1)
      .map((s) => (/^\d+$/.test(s) ? Number(s) : s.replace(/~1/g, '/').replace(/~0/g, '~')));
    const node = doc.getIn(path, true) as { range?: [number, number, number] } | undefined;
    const at = path.length > 0 ? ` ${path.join('.')}` : '';
    return `${where(node?.range?.[0])}:${at} ${describe(err)}`;
  });
  throw new CardLabelsError(messages.join('\n'));
}

let cached: Record<CardLang, CardLabels> | undefined;

/** The labels of one language from `data/cards.yaml`, read on first use. */
export function cardLabels(lang: CardLang): CardLabels {
  cached ??= loadCardLabels();
  return cached[lang];
}
