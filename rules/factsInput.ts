/**
 * Facts from outside (a test case in YAML, `--facts` JSON on the command line) parsed once into
 * a typed `Facts`, with messages that name the fact, what came and what was expected.
 */
import type { Facts } from './facts.js';
import { FACT_NAMES, FACT_SPECS, isFactName } from './vocabulary.js';

/** Facts a caller may leave out: the values a new conversation starts with. */
export const FACT_DEFAULTS: Partial<Facts> = {
  evidence: [],
  merchant_response: 'not_contacted',
  member_tier: 'regular',
  prior_claims_90d: 0,
};

export type FactsResult = { ok: true; facts: Facts } | { ok: false; errors: { fact?: string; message: string }[] };

export function parseFacts(value: unknown, defaults: Partial<Facts> = FACT_DEFAULTS): FactsResult {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return {
      ok: false,
      errors: [
        {
          message: `facts are ${Array.isArray(value) ? 'a list' : JSON.stringify(value)} (expected an object such as {"complaint": "expired_food", ...})`,
        },
      ],
    };
  }
  const merged: Record<string, unknown> = { ...defaults, ...(value as Record<string, unknown>) };
  const errors: { fact?: string; message: string }[] = [];
  for (const [name, v] of Object.entries(merged)) {
    if (!isFactName(name)) {
      errors.push({ fact: name, message: `'${name}' is not a known fact (expected one of ${FACT_NAMES.join(', ')})` });
      continue;
    }
    if (v === undefined || v === null) {
      delete merged[name];
      continue;
    }
    const spec = FACT_SPECS[name];
    const shown = JSON.stringify(v);
    if (spec.kind === 'enum' && !(typeof v === 'string' && spec.values!.includes(v)))
      errors.push({ fact: name, message: `${name} is ${shown} (expected one of ${spec.values!.join(', ')})` });
    if (spec.kind === 'bool' && typeof v !== 'boolean')
      errors.push({ fact: name, message: `${name} is ${shown} (expected true or false)` });
    if (spec.kind === 'number' && !(typeof v === 'number' && Number.isFinite(v)))
      errors.push({ fact: name, message: `${name} is ${shown} (expected a number)` });
    if (spec.kind === 'set' && !(Array.isArray(v) && v.every((k) => typeof k === 'string' && spec.values!.includes(k))))
      errors.push({ fact: name, message: `${name} is ${shown} (expected a list of ${spec.values!.join(', ')})` });
  }
  for (const name of FACT_NAMES)
    if (!FACT_SPECS[name].optional && merged[name] === undefined)
      errors.push({ fact: name, message: `${name} is missing (expected it to be given)` });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, facts: merged as unknown as Facts };
}
