/**
 * What the intents core hands the dialogs: a classification with calibrated confidence and the
 * facts found in the text. Plain values only, so dialogs, tests and the CLI share them.
 */
import type { MerchantResponse } from '../rules/facts.js';
import type { HarmKind } from './extract/harm.js';
import type { Intent, Lang } from './labels.js';

export type DateRole = 'production' | 'expiry' | 'delivery' | 'unknown';
/** Normalised: lengths in mm/cm/m/in as written, volumes in ml or L as written. */
export type SizeUnit = 'mm' | 'cm' | 'm' | 'in' | 'ml' | 'L';

export interface Entities {
  /** Order ids: runs of 16-19 digits, or the id written after 订单号 / order #. */
  orderIds: string[];
  dates: { role: DateRole; date: string; text: string }[];
  /** `value` is the first (or only) number; `dims` holds every number of `120x60cm`. */
  sizes: { value: number; unit: SizeUnit; dims?: number[]; text: string }[];
  weights: { grams: number; text: string }[];
  /** Share of the goods affected, 0..1. */
  shares: { ratio: number; text: string }[];
  amounts: { yuan: number; text: string }[];
  merchantResponse?: MerchantResponse;
  /** The words suggest someone was harmed (ill, hurt, a foreign object): kefu asks to confirm. */
  harm?: { kind: HarmKind; text: string };
}

export interface Candidate {
  intent: Intent;
  confidence: number;
}

export interface Classification {
  text: string;
  intent: Intent;
  /** Calibrated probability of `intent`, 0..1. */
  confidence: number;
  /** Top 3, best first. */
  candidates: Candidate[];
  /** Below the threshold: the dialog should ask "did you mean A or B?". */
  unsure: boolean;
  entities: Entities;
  lang: Lang;
  source: 'model' | 'override';
}

export interface Classifier {
  classify(text: string, opts?: { now?: Date }): Classification;
}
