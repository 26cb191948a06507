/**
 * Collects the evidence and facts a complaint needs, step by step as `data/evidence.yaml` plans
 * them. Every answer is written to the case at once, so nothing the shopper gave is lost if they
 * leave or the process restarts. The shopper may correct an earlier answer at any step.
 */
import { TextPrompt, type DialogContext, type DialogReason, type DialogTurnResult } from './sdk.js';
import { recognizeChoice } from '../intents/answers/index.js';
import type { Complaint } from '../intents/labels.js';
import type { Category, EvidenceKind, Facts } from '../rules/facts.js';
import { EVIDENCE_KINDS } from '../rules/facts.js';
import type { EvidenceItem } from '../domain/cases.js';
import { askIfHolds, type PlanStep, type SlotName } from '../domain/evidencePlan.js';
import { daysBetween } from './answers.js';
import { langOf, promptActivity, textOrValue } from './reply.js';
import { MAX_ATTEMPTS, SLOT_PROMPT, type SlotAnswer, type SlotFill } from './slotPrompt.js';
import { activeState, KefuDialog } from './stack.js';
import type { KefuServices } from './services.js';

export const EVIDENCE_DIALOG = 'evidenceDialog';
const PICK = 'correctPick';
export const EVIDENCE_PROMPTS = [new TextPrompt(PICK, textOrValue)];

export interface EvidenceOptions {
  caseId: string;
  complaint: Complaint;
  category: Category;
  facts: Partial<Facts>;
  evidence: EvidenceItem[];
  /**
   * When the order arrived (ISO): expiry is judged against it, not today, and a date answer
   * without a year is placed around it.
   */
  deliveredAt?: string;
  /** Display text of each answered slot (`-` when skipped or missing). */
  answers: Partial<Record<SlotName, string>>;
  /** Times the next question was asked again after facts given in passing: it counts toward the re-ask limit. */
  repeats?: number;
  /** The slot being corrected, asked again before continuing. */
  redo?: SlotName;
  correcting?: boolean;
  /** Slots of `when_mentioned` steps the shopper's words suggested (health_harm): they apply from then on. */
  mentioned?: SlotName[];
}

export interface EvidenceResult {
  facts: Partial<Facts>;
  evidence: EvidenceItem[];
}

/** The plan steps that apply to this case, in order (category and ask_if filters). */
export function applicableSteps(
  services: KefuServices,
  o: Pick<EvidenceOptions, 'complaint' | 'category' | 'facts' | 'mentioned'>,
): PlanStep[] {
  return services.plan
    .steps(o.complaint)
    .filter(
      (s) =>
        (!s.categories || s.categories.includes(o.category)) &&
        askIfHolds(s.askIf, o.facts) &&
        (!s.whenMentioned || (o.mentioned ?? []).includes(s.slot)),
    );
}

/** Adds slots the shopper's words mentioned (a `when_mentioned` step then applies). */
export function withMentioned(o: EvidenceOptions, slots: readonly SlotName[] | undefined): EvidenceOptions {
  const added = (slots ?? []).filter((s) => !(o.mentioned ?? []).includes(s));
  return added.length === 0 ? o : { ...o, mentioned: [...(o.mentioned ?? []), ...added] };
}

/**
 * The label's expiry date against the delivery date (not today): positive, it was already
 * expired on arrival; negative, the days it had left. In transit, against today.
 */
export function daysPastExpiryAtDelivery(labelDate: string, deliveredAt: string | undefined, now: Date): number {
  return daysBetween(labelDate, deliveredAt ? new Date(deliveredAt) : now);
}

/** Applies one answer to the facts, deriving the rule inputs from helper slots. */
export function applyAnswer(o: EvidenceOptions, slot: SlotName, answer: SlotAnswer, now: Date): EvidenceOptions {
  const facts: Partial<Facts> = { ...o.facts };
  const evidence = [...o.evidence];
  const answers = { ...o.answers };
  const isEvidence = (EVIDENCE_KINDS as readonly string[]).includes(slot);
  if (answer.type === 'files') {
    evidence.push(...answer.items);
    facts.evidence = [...new Set([...(facts.evidence ?? []), slot as EvidenceKind])];
    answers[slot] = `${answer.items.length}`;
  } else if (answer.type === 'value') {
    answers[slot] = answer.display;
    const v = answer.value;
    if (slot === 'expiry_date') facts.days_past_expiry = daysPastExpiryAtDelivery(String(v), o.deliveredAt, now);
    else if (slot === 'merchant_response') facts.merchant_response = v as Facts['merchant_response'];
    else if (slot === 'near_expiry_disclosed' || slot === 'health_harm' || slot === 'thawed') facts[slot] = Boolean(v);
    else if (slot === 'measured_weight') Object.assign(facts, shortfallFacts(facts.net_content_nominal, Number(v)));
    else if (slot === 'affected_ratio' || slot === 'merchant_reply_hours') facts[slot] = Number(v);
    else if (slot === 'listed_size' || slot === 'measured_size') (facts as Record<string, unknown>)[slot] = Number(v);
  } else if (answer.type === 'skipped' || answer.type === 'missing') {
    answers[slot] = '-';
    if (isEvidence) facts.evidence = (facts.evidence ?? []).filter((k) => k !== slot);
  }
  const sizes = facts as Record<string, unknown>;
  if (typeof sizes.listed_size === 'number' && typeof sizes.measured_size === 'number' && sizes.listed_size > 0) {
    facts.size_deviation_pct =
      Math.round((Math.abs(sizes.listed_size - sizes.measured_size) / sizes.listed_size) * 1000) / 10;
  }
  return { ...o, facts, evidence, answers };
}

/** Net-content shortfall from the nominal quantity and what the scale showed (g or ml). */
export function shortfallFacts(nominal: number | undefined, measured: number): Partial<Facts> {
  if (nominal === undefined || nominal <= 0) return {};
  const shortfall = Math.max(0, Math.round((nominal - measured) * 10) / 10);
  return { net_content_shortfall: shortfall, weight_shortfall_pct: Math.round((shortfall / nominal) * 10000) / 100 };
}

/**
 * One question per round, a loop: the round's options are this dialog's state, each answer (the
 * slot prompt's, or the correction pick's) is read when the question ends, and the next round
 * starts in the same dialog context. A plain Dialog rather than a two-step waterfall replaced at
 * every answer: botbuilder-dialogs builds a DialogContext for each waterfall step, so an answer
 * costs no context beyond the turn's own.
 */
export class EvidenceDialog extends KefuDialog<EvidenceOptions> {
  constructor(private readonly services: KefuServices) {
    super(EVIDENCE_DIALOG);
  }

  override beginDialog(dc: DialogContext, options?: EvidenceOptions): Promise<DialogTurnResult> {
    return this.round(dc, options!);
  }

  /** The question of this round was answered: read the answer, then the next round. */
  override resumeDialog(dc: DialogContext, _reason: DialogReason, result?: unknown): Promise<DialogTurnResult> {
    return this.read(dc, activeState<{ options: EvidenceOptions }>(dc).options, result);
  }

  /** A message with no question open (none should reach it): ask this round's question again. */
  override continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    return this.round(dc, activeState<{ options: EvidenceOptions }>(dc).options);
  }

  private nextSlot(o: EvidenceOptions): PlanStep | undefined {
    if (o.redo) return this.services.plan.steps(o.complaint).find((s) => s.slot === o.redo);
    return applicableSteps(this.services, o).find((s) => o.answers[s.slot] === undefined);
  }

  /** Starts a round with these options: asks its question, or ends with the facts when none is left. */
  private async round(dc: DialogContext, o: EvidenceOptions): Promise<DialogTurnResult> {
    activeState<{ options: EvidenceOptions }>(dc).options = o;
    const lang = langOf(dc.context);
    const r = this.services.responses;
    if (o.correcting) {
      const answered = (Object.keys(o.answers) as SlotName[]).filter((s) => o.answers[s] !== undefined);
      if (answered.length === 0) {
        await dc.context.sendActivity(r.t(lang, 'correct.nothing'));
        return this.round(dc, { ...o, correcting: false });
      }
      const titles = [...answered.map((s) => r.t(lang, `label.${s}`)), r.t(lang, 'correct.cancel_choice')];
      const prompt = promptActivity(
        r.t(lang, 'correct.which'),
        { slot: 'correct', kind: 'choice', choices: [...answered, 'keep'], titles },
        dc.context.activity.channelId,
      );
      return dc.prompt(PICK, { prompt });
    }
    // Illness or injury goes to a person at once: no more questions first.
    const next = o.facts.health_harm === true ? undefined : this.nextSlot(o);
    if (!next) return dc.endDialog({ facts: o.facts, evidence: o.evidence } satisfies EvidenceResult);
    const others = this.services.plan
      .steps(o.complaint)
      .map((s) => s.slot)
      .filter((s) => s !== next.slot);
    return dc.beginDialog(SLOT_PROMPT, {
      slot: next.slot,
      spec: this.services.plan.slots[next.slot],
      optional: next.optional,
      others,
      asked: o.repeats ?? 0,
      ...(o.deliveredAt ? { reference: o.deliveredAt } : {}),
    });
  }

  /** Facts for other slots given in passing: each replaces what was there, then the same question again. */
  private async fill(
    dc: DialogContext,
    o: EvidenceOptions,
    fills: SlotFill[],
    asked: PlanStep,
    mentioned: SlotName[] | undefined,
  ) {
    const lang = langOf(dc.context);
    const r = this.services.responses;
    let updated = withMentioned(o, mentioned);
    // A mention that puts another question first (harm to confirm) is not this question asked again.
    const moved = this.nextSlot(updated)?.slot !== asked.slot;
    for (const f of fills) {
      updated = applyAnswer(
        updated,
        f.slot,
        { type: 'value', value: f.value, display: f.display },
        this.services.now(),
      );
      await dc.context.sendActivity(
        r.t(lang, 'noted.value', { label: r.t(lang, `label.${f.slot}`), value: f.display }),
      );
    }
    const repeats = moved ? 0 : (o.repeats ?? 0) + 1;
    if (repeats >= MAX_ATTEMPTS) {
      // Asked three times in a row already: move on rather than ask a fourth time.
      await dc.context.sendActivity(r.t(lang, asked.optional ? 'reask.gave_up_optional' : 'reask.gave_up'));
      updated = applyAnswer(updated, asked.slot, { type: asked.optional ? 'skipped' : 'missing' }, this.services.now());
    }
    const facts = updated.facts;
    await this.services.cases.update(updated.caseId, (c) => ({ ...c, facts: { ...c.facts, ...facts } }));
    return this.round(dc, { ...updated, repeats: repeats >= MAX_ATTEMPTS || repeats === 0 ? undefined : repeats });
  }

  private async read(dc: DialogContext, o: EvidenceOptions, result: unknown) {
    if (o.correcting) {
      const answered = (Object.keys(o.answers) as SlotName[]).filter((s) => o.answers[s] !== undefined);
      // Which answer to change, by name in either language or position; anything else keeps the answers.
      const r = this.services.responses;
      const options = answered.map((slot) => ({
        value: slot,
        names: [r.t('zh-CN', `label.${slot}`), r.t('en', `label.${slot}`)],
      }));
      const value = (dc.context.activity.value as { correct?: unknown } | undefined)?.correct;
      const picked = recognizeChoice(String(result ?? ''), value, options);
      return this.round(dc, { ...o, correcting: false, redo: picked.ok ? (picked.value as SlotName) : undefined });
    }
    const answer = result as SlotAnswer;
    if (answer.type === 'correct') return this.round(dc, { ...o, correcting: true, redo: undefined });
    if (answer.type === 'fills') return this.fill(dc, o, answer.fills, this.nextSlot(o)!, answer.mentioned);
    const slot = this.nextSlot(o)!.slot;
    // A corrected file slot replaces the files given before.
    const evidence = o.redo && answer.type === 'files' ? o.evidence.filter((e) => e.kind !== slot) : o.evidence;
    const updated = applyAnswer(
      withMentioned({ ...o, evidence, redo: undefined, repeats: undefined }, answer.mentioned),
      slot,
      answer,
      this.services.now(),
    );
    if (answer.type === 'value') {
      const lang = langOf(dc.context);
      await dc.context.sendActivity(
        this.services.responses.t(lang, 'noted.value', {
          label: this.services.responses.t(lang, `label.${slot}`),
          value: answer.display,
        }),
      );
    }
    await this.services.cases.update(o.caseId, (c) => ({
      ...c,
      facts: { ...c.facts, ...updated.facts },
      evidence: updated.evidence,
    }));
    return this.round(dc, updated);
  }
}
