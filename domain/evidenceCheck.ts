/**
 * Evidence and rows agree: every evidence kind a rule row requires must be asked for that
 * complaint in `data/evidence.yaml`, and asked as required unless another row decides the
 * complaint without it (otherwise a shopper who skips it lands on the default row). Run by
 * `kefu rules check` and by `npm test`; findings point at the row in the rule table.
 */
import { COMPLAINTS, type Complaint } from '../intents/labels.js';
import type { Cond, Diagnostic, Row, TableModel } from '../rules/index.js';
import { strandedWithout } from '../rules/lint.js';
import { CATEGORIES, type Category } from '../rules/facts.js';
import { FACT_SLOTS, type EvidencePlan, type PlanStep } from './evidencePlan.js';

function valuesOf<T extends string>(cond: Cond | undefined, all: readonly T[]): T[] {
  if (cond === undefined || cond.kind !== 'oneOf') return [...all];
  return all.filter((v) => cond.values.includes(v) !== cond.negate);
}

/** Evidence kinds the row cannot match without: all of an `includes` list, or one of an `includes any`. */
function needs(row: Row): { op: 'all' | 'some'; members: string[] } | undefined {
  const cond = row.cells.find((c) => c.input === 'evidence')?.cond;
  if (cond?.kind !== 'set' || cond.negate) return undefined;
  return { op: cond.op, members: [...cond.members] };
}

function appliesTo(row: Row, complaint: Complaint): boolean {
  return valuesOf(row.cells.find((c) => c.input === 'complaint')?.cond, COMPLAINTS).includes(complaint);
}

/** The plan's step for this evidence kind that can be asked for these categories. */
function stepFor(plan: EvidencePlan, complaint: Complaint, kind: string, categories: Category[]): PlanStep | undefined {
  const steps = plan
    .steps(complaint)
    .filter((s) => s.slot === kind && (!s.categories || s.categories.some((c) => categories.includes(c))));
  return steps.find((s) => !s.optional) ?? steps[0];
}

/** Facts only a question sets (health_harm, thawed...) that the row needs known to match. */
function askedFactsNeeded(row: Row): string[] {
  return row.cells
    .filter(
      (c) => (FACT_SLOTS as readonly string[]).includes(c.input) && c.cond.kind !== 'any' && c.cond.kind !== 'absent',
    )
    .map((c) => c.input);
}

export function checkEvidencePlan(model: TableModel, plan: EvidencePlan, planFile: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const add = (row: Row, severity: Diagnostic['severity'], code: string, message: string) =>
    out.push({ file: model.file, line: row.pos.line, column: row.pos.column, ruleId: row.id, severity, code, message });
  for (const row of model.rows) {
    // A row on an asked fact (HEALTH: health_harm true) is reachable only if some complaint asks it,
    // even if only when the shopper's words mention it (`when_mentioned`).
    const complaints = COMPLAINTS.filter((c) => appliesTo(row, c));
    for (const fact of askedFactsNeeded(row)) {
      if (complaints.some((c) => plan.steps(c).some((s) => s.slot === fact))) continue;
      add(
        row,
        'error',
        'fact_not_asked',
        `row ${row.id} needs ${fact} known, but ${planFile} never asks for it under ${complaints.map((c) => `complaints.${c}`).join(', ')} (expected a step for it, asked always or when_mentioned)`,
      );
    }
  }
  for (const row of model.rows) {
    const need = needs(row);
    if (need === undefined) continue;
    const categories = valuesOf(row.cells.find((c) => c.input === 'category')?.cond, CATEGORIES);
    for (const complaint of COMPLAINTS.filter((c) => appliesTo(row, c))) {
      const steps = need.members.map((kind) => ({ kind, step: stepFor(plan, complaint, kind, categories) }));
      const asked = steps.filter((s) => s.step !== undefined);
      const missing = need.op === 'all' ? steps.filter((s) => s.step === undefined) : asked.length === 0 ? steps : [];
      if (missing.length > 0) {
        add(
          row,
          'error',
          'evidence_not_asked',
          `row ${row.id} needs ${need.op === 'all' ? 'all of' : 'one of'} [${need.members.join(', ')}] for ${complaint}, but ${planFile} never asks for ${missing.map((s) => s.kind).join(', ')} (expected a step for it under complaints.${complaint})`,
        );
        continue;
      }
      // Optional evidence: a shopper who skips it must still land on a row that decides.
      const optional =
        need.op === 'all' ? asked.filter((s) => s.step!.optional) : asked.every((s) => s.step!.optional) ? asked : [];
      for (const { kind } of optional) {
        const stranded = strandedWithout(model, row, kind, complaint);
        if (stranded === undefined) continue;
        add(
          row,
          'warning',
          'evidence_optional',
          `row ${row.id} needs ${kind} for ${complaint}, but ${planFile} asks for it as optional and no other row decides a shopper who skips it, e.g. ${stranded} (expected it asked as required, or a row for shoppers who skip it)`,
        );
      }
    }
  }
  return out;
}
