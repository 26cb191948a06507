/**
 * The card labels in `data/cards.yaml`, parsed and validated once into a typed value. Support
 * leads edit that file, so a mistake is reported as `file:line:col` with what was expected.
 */
import type { ErrorObject } from 'ajv';
import { readYamlFile, type PathSeg } from '../../lib/dataFile.js';
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

/** Placeholders are the one thing the generic phrasing would not say plainly. */
function describe(err: ErrorObject, path: PathSeg[]): string | undefined {
  if (err.keyword !== 'pattern') return undefined;
  return `${path.join('.')} must keep the placeholder ${String(err.params.pattern).replace(/\\/g, '')}`;
}

/** Reads and checks a labels file; throws DataFileError naming every mistake with its position. */
export function loadCardLabels(file: string = DEFAULT_CARDS_FILE): Record<CardLang, CardLabels> {
  return readYamlFile<Record<CardLang, CardLabels>>(file, fileSchema, describe);
}

let cached: Record<CardLang, CardLabels> | undefined;

/** The labels of one language from `data/cards.yaml`, read on first use. */
export function cardLabels(lang: CardLang): CardLabels {
  cached ??= loadCardLabels();
  return cached[lang];
}
