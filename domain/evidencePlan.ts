/**
 * What to ask a shopper for, per complaint (`data/evidence.yaml`). The plan is data so support
 * leads can change what is asked without code; a test cross-checks it against the rule table.
 */
import { COMPLAINTS, type Complaint } from '../intents/labels.js';
import { CATEGORIES, EVIDENCE_KINDS, type Category, type EvidenceKind, type Facts } from '../rules/facts.js';
import { DataFileError, problemAt, readYamlSource, validated } from '../lib/dataFile.js';
import { derivedFromFiles } from '../lib/startCache.js';

export const HELPER_SLOTS = ['expiry_date', 'listed_size', 'measured_size', 'measured_weight'] as const;
export const FACT_SLOTS = [
  'near_expiry_disclosed',
  'affected_ratio',
  'merchant_response',
  'merchant_reply_hours',
  'health_harm',
  'thawed',
] as const;
/**
 * Slots a step may ask only once the shopper's words mention them (`when_mentioned: true`): the
 * dialogs know which extracted fact suggests each one (health_harm: `Entities.harm`).
 */
export const MENTIONABLE_SLOTS = ['health_harm'] as const;
export type SlotName = EvidenceKind | (typeof HELPER_SLOTS)[number] | (typeof FACT_SLOTS)[number];
const SLOT_NAMES: readonly string[] = [...EVIDENCE_KINDS, ...HELPER_SLOTS, ...FACT_SLOTS];

export type FileKind = 'image' | 'video' | 'pdf';
export type SlotSpec =
  | { kind: 'attachment'; accept: FileKind[] }
  | { kind: 'date' }
  | { kind: 'confirm' }
  | { kind: 'number'; unit: 'cm' | 'share' | 'hours' | 'g'; min: number; max: number }
  | { kind: 'choice'; choices: string[] };

/** `{ fact: "<0" }`: ask only when the earlier answer compares true. */
export type AskIf = Partial<Record<keyof Facts, string>>;

export interface PlanStep {
  slot: SlotName;
  optional: boolean;
  categories?: Category[];
  askIf?: AskIf;
  /** Asked only after the shopper's words suggest it (first message or any later answer). */
  whenMentioned?: boolean;
}

export interface EvidencePlan {
  slots: Record<SlotName, SlotSpec>;
  steps(complaint: Complaint): PlanStep[];
}

const stepSchema = {
  anyOf: [
    { type: 'string', enum: SLOT_NAMES },
    {
      type: 'object',
      required: ['slot'],
      additionalProperties: false,
      properties: {
        slot: { type: 'string', enum: SLOT_NAMES },
        optional: { type: 'boolean' },
        categories: { type: 'array', items: { type: 'string', enum: CATEGORIES } },
        ask_if: { type: 'object', additionalProperties: { type: 'string', pattern: '^(<=|>=|<|>|=)\\S+$' } },
        when_mentioned: { type: 'boolean' },
      },
    },
  ],
};
const schema = {
  type: 'object',
  required: ['slots', 'complaints'],
  additionalProperties: false,
  properties: {
    slots: {
      type: 'object',
      propertyNames: { enum: SLOT_NAMES },
      additionalProperties: {
        type: 'object',
        required: ['kind'],
        properties: {
          kind: { enum: ['attachment', 'date', 'confirm', 'number', 'choice'] },
          accept: { type: 'array', items: { enum: ['image', 'video', 'pdf'] }, minItems: 1 },
          unit: { enum: ['cm', 'share', 'hours', 'g'] },
          min: { type: 'number' },
          max: { type: 'number' },
          choices: { type: 'array', items: { type: 'string' }, minItems: 2 },
        },
      },
    },
    complaints: {
      type: 'object',
      required: [...COMPLAINTS],
      additionalProperties: false,
      properties: Object.fromEntries(COMPLAINTS.map((c) => [c, { type: 'array', items: stepSchema }])),
    },
  },
};

type RawStep =
  | string
  | { slot: string; optional?: boolean; categories?: Category[]; ask_if?: AskIf; when_mentioned?: boolean };
interface Raw {
  slots: Record<string, SlotSpec>;
  complaints: Record<Complaint, RawStep[]>;
}

/** The plan in `file`; from the build, a plan already checked with exactly these bytes comes from the start cache. */
export function loadEvidencePlan(file: string): EvidencePlan {
  const { slots, byComplaint } = derivedFromFiles('evidence-plan', [file], () => readPlan(file));
  return { slots, steps: (c) => byComplaint.get(c) ?? [] };
}

function readPlan(file: string): { slots: Record<SlotName, SlotSpec>; byComplaint: Map<Complaint, PlanStep[]> } {
  const source = readYamlSource(file);
  const raw = validated<Raw>(source, schema);
  const byComplaint = new Map<Complaint, PlanStep[]>();
  for (const complaint of COMPLAINTS) {
    byComplaint.set(
      complaint,
      raw.complaints[complaint].map((s, i) => {
        const step: PlanStep =
          typeof s === 'string'
            ? { slot: s as SlotName, optional: false }
            : {
                slot: s.slot as SlotName,
                optional: s.optional ?? false,
                categories: s.categories,
                askIf: s.ask_if,
                ...(s.when_mentioned ? { whenMentioned: true } : {}),
              };
        if (!(step.slot in raw.slots)) {
          throw new DataFileError(
            problemAt(
              source,
              ['complaints', complaint, i],
              `complaints.${complaint}.${i}: slot '${step.slot}' has no definition under 'slots'`,
            ),
          );
        }
        if (step.whenMentioned && !(MENTIONABLE_SLOTS as readonly string[]).includes(step.slot)) {
          throw new DataFileError(
            problemAt(
              source,
              ['complaints', complaint, i, 'when_mentioned'],
              `complaints.${complaint}.${i}.when_mentioned: kefu cannot tell when a shopper mentions '${step.slot}' (expected one of: ${MENTIONABLE_SLOTS.join(', ')})`,
            ),
          );
        }
        return step;
      }),
    );
  }
  return { slots: raw.slots as Record<SlotName, SlotSpec>, byComplaint };
}

/** Whether an `ask_if` condition holds for the facts gathered so far (absent facts: false). */
export function askIfHolds(askIf: AskIf | undefined, facts: Partial<Facts>): boolean {
  if (askIf === undefined) return true;
  return Object.entries(askIf).every(([fact, cond]) => {
    const value = facts[fact as keyof Facts];
    if (value === undefined || cond === undefined) return false;
    const [, op, rhs] = /^(<=|>=|<|>|=)(.+)$/.exec(cond) ?? [];
    if (op === '=') return String(value) === rhs;
    const a = Number(value);
    const b = Number(rhs);
    if (op === '<') return a < b;
    if (op === '<=') return a <= b;
    if (op === '>') return a > b;
    return a >= b;
  });
}
