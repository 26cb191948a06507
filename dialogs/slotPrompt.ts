/**
 * Asks for one slot of evidence or one fact and reads the answer: files, dates, numbers, choices,
 * yes/no. Handles "help" (explain, then ask the same thing again), "skip", "I don't have it" and
 * "correct" itself, and re-asks with the reason when an answer does not fit, at most three times,
 * so a shopper is never stuck in a loop.
 */
import { Dialog, type DialogContext, type DialogTurnResult } from 'botbuilder-dialogs';
import type { Attachment } from 'botbuilder';
import type { Lang } from '../intents/labels.js';
import type { EvidenceItem } from '../bot/store/types.js';
import type { EvidenceKind } from '../rules/facts.js';
import type { SlotName, SlotSpec } from '../bot/data/evidencePlan.js';
import { parseChoiceAnswer, parseDateAnswer, parseNumberAnswer, type Parsed } from './answers.js';
import { langOf, pickedByNumber, promptActivity, type PromptKind } from './reply.js';
import type { KefuServices } from './services.js';

export const SLOT_PROMPT = 'slotPrompt';
const MAX_ATTEMPTS = 3;
const MAX_FILES = 5;

export interface SlotPromptOptions {
  slot: SlotName;
  spec: SlotSpec;
  optional: boolean;
}

export type SlotAnswer =
  | { type: 'value'; value: string | number | boolean; display: string }
  | { type: 'files'; items: EvidenceItem[] }
  | { type: 'skipped' }
  | { type: 'missing' }
  | { type: 'correct' };

interface PromptState {
  options: SlotPromptOptions;
  attempts: number;
}

const KIND: Record<SlotSpec['kind'], PromptKind> = { attachment: 'attachment', date: 'date', confirm: 'confirm', number: 'number', choice: 'choice' };
const EXAMPLE: Record<string, string> = { cm: '120cm', share: '30%', hours: '24', g: '735g' };

function isFile(a: Attachment): boolean {
  return !a.contentType?.startsWith('application/vnd.microsoft.card') && a.contentType !== 'text/html' && typeof a.contentUrl === 'string';
}

export class SlotPrompt extends Dialog<SlotPromptOptions> {
  constructor(private readonly services: KefuServices) {
    super(SLOT_PROMPT);
  }

  override async beginDialog(dc: DialogContext, options?: SlotPromptOptions): Promise<DialogTurnResult> {
    if (!options) throw new Error('SlotPrompt needs options');
    const state: PromptState = { options, attempts: 0 };
    dc.activeDialog!.state = state;
    await this.ask(dc, options);
    return Dialog.EndOfTurn;
  }

  /** Back on top after an interruption (the shopper looked at their data): ask the same thing again. */
  override async resumeDialog(dc: DialogContext): Promise<DialogTurnResult> {
    await this.repromptDialog(dc.context, dc.activeDialog as { state: PromptState });
    return Dialog.EndOfTurn;
  }

  override async repromptDialog(context: DialogContext['context'], instance: { state: PromptState }): Promise<void> {
    await context.sendActivity(this.promptFor(langOf(context), instance.state.options, context.activity.channelId));
  }

  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    const activity = dc.context.activity;
    if (activity.type !== 'message') return Dialog.EndOfTurn;
    const state = dc.activeDialog!.state as PromptState;
    const { options } = state;
    const lang = langOf(dc.context);
    const { responses: r, controls } = this.services;
    const text = activity.text ?? '';
    const control = controls.match(text);

    if (control === 'help') {
      await dc.context.sendActivity(r.t(lang, `slot_help.${options.spec.kind}`, { maxMb: Math.round(this.services.intake.maxBytes / 1048576) }));
      await this.ask(dc, options);
      return Dialog.EndOfTurn;
    }
    if (control === 'correct') return dc.endDialog({ type: 'correct' } satisfies SlotAnswer);
    if (options.spec.kind !== 'confirm' && (control === 'skip' || control === 'dont_have')) {
      if (options.optional) {
        await dc.context.sendActivity(r.t(lang, 'noted.skipped'));
        return dc.endDialog({ type: 'skipped' } satisfies SlotAnswer);
      }
      if (control === 'dont_have') {
        await dc.context.sendActivity(r.t(lang, 'noted.missing'));
        return dc.endDialog({ type: 'missing' } satisfies SlotAnswer);
      }
      return this.retry(dc, state, r.t(lang, 'reask.required'));
    }

    if (options.spec.kind === 'attachment') return this.readFiles(dc, state, lang);
    const parsed = this.readValue(text, activity.value, options, lang, control);
    if (parsed.ok) return dc.endDialog({ type: 'value', value: parsed.value, display: this.display(lang, options, parsed.value) } satisfies SlotAnswer);
    const reason =
      parsed.reason === 'out_of_range'
        ? r.t(lang, 'reask.out_of_range', { value: parsed.value ?? '' })
        : r.t(lang, `reask.${parsed.reason}`, { example: options.spec.kind === 'number' ? EXAMPLE[options.spec.unit] ?? '10' : '' });
    return this.retry(dc, state, reason);
  }

  private readValue(text: string, value: unknown, options: SlotPromptOptions, lang: Lang, control: string | undefined): Parsed<string | number | boolean> {
    const { spec, slot } = options;
    const given = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[slot] ?? (value as Record<string, unknown>).value : undefined;
    switch (spec.kind) {
      case 'confirm':
        if (typeof given === 'boolean') return { ok: true, value: given };
        if (given === 'yes' || given === 'no') return { ok: true, value: given === 'yes' };
        if (control === 'yes' || pickedByNumber(text, [true, false]) === true) return { ok: true, value: true };
        if (pickedByNumber(text, [true, false]) === false) return { ok: true, value: false };
        if (control === 'no' || control === 'dont_have') return { ok: true, value: false };
        return { ok: false, reason: 'confirm' };
      case 'choice': {
        const choices = spec.choices.map((c) => ({ value: c, titles: (['zh-CN', 'en'] as const).map((l) => this.services.responses.t(l, `${slot}.${c}`)) }));
        const byNumber = pickedByNumber(text, spec.choices);
        if (byNumber !== undefined) return { ok: true, value: byNumber };
        return parseChoiceAnswer(text, given, choices, this.services.extract(text, this.services.now()).merchantResponse);
      }
      case 'date':
        if (typeof given === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(given)) return { ok: true, value: given };
        return parseDateAnswer(this.services.extract(text, this.services.now()));
      case 'number':
        if (typeof given === 'number') return given >= spec.min && given <= spec.max ? { ok: true, value: given } : { ok: false, reason: 'out_of_range', value: String(given) };
        return parseNumberAnswer(text, this.services.extract(text, this.services.now()), spec);
      default:
        void lang;
        return { ok: false, reason: 'choice' };
    }
  }

  private async readFiles(dc: DialogContext, state: PromptState, lang: Lang): Promise<DialogTurnResult> {
    const { responses: r, intake } = this.services;
    const spec = state.options.spec as Extract<SlotSpec, { kind: 'attachment' }>;
    const expected = r.t(lang, `label.${state.options.slot}`);
    const files = (dc.context.activity.attachments ?? []).filter(isFile);
    if (files.length === 0) return this.retry(dc, state, r.t(lang, 'reask.need_attachment', { expected }));
    if (files.length > MAX_FILES) await dc.context.sendActivity(r.t(lang, 'reask.too_many_files', { max: MAX_FILES }));
    const items: EvidenceItem[] = [];
    let refusal: string | undefined;
    for (const file of files.slice(0, MAX_FILES)) {
      const result = await intake.take(dc.context, file, state.options.slot as EvidenceKind, spec.accept);
      if (result.ok) items.push(result.item);
      else if (result.reason === 'bad_type') refusal = r.t(lang, 'reask.bad_type', { found: result.found, expected });
      else if (result.reason === 'too_large') refusal = r.t(lang, 'reask.too_large', { sizeMb: (result.bytes / 1048576).toFixed(1), maxMb: Math.round(intake.maxBytes / 1048576) });
      else refusal = r.t(lang, 'reask.fetch_failed');
    }
    if (items.length === 0) return this.retry(dc, state, refusal ?? r.t(lang, 'reask.fetch_failed'));
    await dc.context.sendActivity(r.t(lang, 'noted.file', { label: expected }));
    return dc.endDialog({ type: 'files', items } satisfies SlotAnswer);
  }

  private async retry(dc: DialogContext, state: PromptState, reason: string): Promise<DialogTurnResult> {
    state.attempts += 1;
    const lang = langOf(dc.context);
    if (state.attempts >= MAX_ATTEMPTS) {
      await dc.context.sendActivity(this.services.responses.t(lang, 'reask.gave_up'));
      return dc.endDialog({ type: state.options.optional ? 'skipped' : 'missing' } satisfies SlotAnswer);
    }
    await dc.context.sendActivity(reason);
    await this.ask(dc, state.options);
    return Dialog.EndOfTurn;
  }

  private async ask(dc: DialogContext, options: SlotPromptOptions): Promise<void> {
    await dc.context.sendActivity(this.promptFor(langOf(dc.context), options, dc.context.activity.channelId));
  }

  private promptFor(lang: Lang, { slot, spec, optional }: SlotPromptOptions, channelId: string) {
    const r = this.services.responses;
    const values = spec.kind === 'choice' ? spec.choices : spec.kind === 'confirm' ? ['yes', 'no'] : undefined;
    const titles = values?.map((v) => r.t(lang, spec.kind === 'confirm' ? `confirm.${v}` : `${slot}.${v}`));
    return promptActivity(r.t(lang, `ask.${slot}`), { slot, kind: KIND[spec.kind], choices: values, titles, optional }, channelId);
  }

  /** How an accepted answer is echoed back ("Noted the listed size: 120 cm"). */
  private display(lang: Lang, { slot, spec }: SlotPromptOptions, value: string | number | boolean): string {
    const r = this.services.responses;
    if (spec.kind === 'choice') return r.t(lang, `${slot}.${String(value)}`);
    if (spec.kind === 'confirm') return r.t(lang, `confirm.${value ? 'yes' : 'no'}`);
    if (spec.kind === 'number' && spec.unit === 'share') return `${Math.round(Number(value) * 100)}%`;
    if (spec.kind === 'number') return r.t(lang, `unit.${spec.unit}`, { value: String(value) });
    return String(value);
  }
}
