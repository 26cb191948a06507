/**
 * Asks for one slot of evidence or one fact and reads the answer (files, dates, numbers, choices,
 * yes/no) through the recognizers in intents/answers. Handles "help" (explain, then ask the same
 * thing again), declining in any wording ("skip", "no video sorry", "没拍") and "correct" itself.
 * An answer that does not fit is re-asked at most twice, each time with the reason and an
 * example; the second re-ask also offers buttons and a person, and a third miss moves on, so the
 * shopper never sees the same question a fourth time in a row.
 */
import { Dialog, type DialogContext, type DialogTurnResult } from './sdk.js';
import type { Attachment } from 'botbuilder';
import type { Lang } from '../intents/labels.js';
import type { EvidenceItem } from '../domain/cases.js';
import type { EvidenceKind } from '../rules/facts.js';
import type { SlotName, SlotSpec } from '../domain/evidencePlan.js';
import type { DateRole, Entities } from '../intents/types.js';
import {
  controlByMeaning,
  isCorrection,
  recognizeChoice,
  recognizeDate,
  recognizeDecline,
  recognizeNumber,
  recognizeYesNo,
  type Parsed,
} from '../intents/answers/index.js';
import { langOf, promptActivity, type PromptKind } from './reply.js';
import type { KefuServices } from './services.js';

export const SLOT_PROMPT = 'slotPrompt';
/** A question is shown at most this many times in a row. */
export const MAX_ATTEMPTS = 3;
const MAX_FILES = 5;

export interface SlotPromptOptions {
  slot: SlotName;
  spec: SlotSpec;
  optional: boolean;
  /** The order's delivery day (ISO): a date answer without a year is placed around it. */
  reference?: string;
  /** Other slots of this complaint a message may fill in passing ("不对，保质期是12月5日"). */
  others?: SlotName[];
  /** Times this question was already asked in a row (asked again after facts given in passing). */
  asked?: number;
}

/** A fact for another slot, given while this one was asked. */
export interface SlotFill {
  slot: SlotName;
  value: string | number;
  display: string;
}

export type SlotAnswer = (
  | { type: 'value'; value: string | number | boolean; display: string }
  | { type: 'files'; items: EvidenceItem[] }
  | { type: 'skipped' }
  | { type: 'missing' }
  | { type: 'correct' }
  | { type: 'fills'; fills: SlotFill[] }
) & {
  /** Slots of `when_mentioned` steps the words suggested ("孩子吃了拉肚子": health_harm), asked next. */
  mentioned?: SlotName[];
};

/** The `when_mentioned` slots a message's facts suggest (see data/evidence.yaml). */
export function mentionedSlots(e: Entities): SlotName[] {
  return e.harm ? ['health_harm'] : [];
}

interface PromptState {
  options: SlotPromptOptions;
  attempts: number;
}

const KIND: Record<SlotSpec['kind'], PromptKind> = {
  attachment: 'attachment',
  date: 'date',
  confirm: 'confirm',
  number: 'number',
  choice: 'choice',
};
const EXAMPLE: Record<string, string> = { cm: '120cm', share: '30%', hours: '24', g: '735g' };
/** What a date slot asks for, so a date typed without a keyword gets that role. */
const DATE_ROLE: Partial<Record<SlotName, DateRole>> = { expiry_date: 'expiry' };
/** A plain "no" answers these choice questions ("Have you contacted the seller?" "Not yet"). */
const NO_MEANS: Partial<Record<SlotName, string>> = { merchant_response: 'not_contacted' };

/** A short answer with nothing else in it: at most three words, or six Chinese characters. */
function isBare(text: string): boolean {
  const t = text.trim();
  return /\p{Script=Han}/u.test(t) ? t.replace(/[\s\p{P}]/gu, '').length <= 6 : t.split(/\s+/).length <= 3;
}

function isFile(a: Attachment): boolean {
  return (
    !a.contentType?.startsWith('application/vnd.microsoft.card') &&
    a.contentType !== 'text/html' &&
    typeof a.contentUrl === 'string'
  );
}

export class SlotPrompt extends Dialog<SlotPromptOptions> {
  constructor(private readonly services: KefuServices) {
    super(SLOT_PROMPT);
  }

  override async beginDialog(dc: DialogContext, options?: SlotPromptOptions): Promise<DialogTurnResult> {
    if (!options) throw new Error('SlotPrompt needs options');
    const state: PromptState = { options, attempts: Math.min(options.asked ?? 0, MAX_ATTEMPTS - 1) };
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

    if (control === 'help') return this.help(dc, options, lang);
    if (control === 'correct') return dc.endDialog({ type: 'correct' } satisfies SlotAnswer);
    const hasFiles = (activity.attachments ?? []).some(isFile);
    if (options.spec.kind === 'attachment' && hasFiles) return this.readFiles(dc, state, lang);

    // A correction in words ("不对，是12月5日") fills the slot it names before anything else.
    const { fills, mentioned } = this.otherFacts(text, options, lang);
    const end = (answer: SlotAnswer) => dc.endDialog(mentioned.length > 0 ? { ...answer, mentioned } : answer);
    if (fills.length > 0 && isCorrection(text)) return end({ type: 'fills', fills });
    // An answer to the question comes first: "没有" answers "did the page say near-expiry?".
    const parsed = options.spec.kind === 'attachment' ? undefined : this.readValue(text, activity.value, options);
    if (parsed?.ok)
      return end({ type: 'value', value: parsed.value, display: this.display(lang, options, parsed.value) });

    // Declining in words is read at file steps only: "no reply from the seller" answers a question.
    const declined =
      control === 'skip' || control === 'dont_have'
        ? control
        : options.spec.kind === 'attachment'
          ? recognizeDecline(text)
          : undefined;
    if (declined) {
      if (options.optional) {
        await dc.context.sendActivity(r.t(lang, 'noted.skipped'));
        return end({ type: 'skipped' });
      }
      if (declined === 'dont_have') {
        await dc.context.sendActivity(r.t(lang, 'noted.missing'));
        return end({ type: 'missing' });
      }
      return this.retry(dc, state, r.t(lang, 'reask.required'));
    }
    if (control === undefined && this.asksForHelp(text, activity.attachments)) return this.help(dc, options, lang);
    // Not an answer, but facts for other questions ("商家已经拒绝了" while asked for a photo): keep them, ask again.
    // Harm suggested in passing ("孩子吃了拉肚子") is confirmed next, before this question again.
    if (fills.length > 0 || mentioned.length > 0) return end({ type: 'fills', fills });
    if (options.spec.kind === 'attachment') {
      const expected = r.t(lang, `label.${options.slot}`);
      return this.retry(
        dc,
        state,
        r.t(lang, options.optional ? 'reask.need_attachment_optional' : 'reask.need_attachment', { expected }),
      );
    }
    return this.retry(dc, state, this.reason(lang, options, parsed!));
  }

  /** Explains how to answer this kind of question, then asks it again (not counted as a miss). */
  private async help(dc: DialogContext, options: SlotPromptOptions, lang: Lang): Promise<DialogTurnResult> {
    await dc.context.sendActivity(
      this.services.responses.t(lang, `slot_help.${options.spec.kind}`, {
        maxMb: Math.round(this.services.intake.maxBytes / 1048576),
      }),
    );
    await this.ask(dc, options);
    return Dialog.EndOfTurn;
  }

  /** "我不知道怎么发照片" / "how do I do that?": help asked in other words (the classifier is sure). */
  private asksForHelp(text: string, attachments: unknown[] | undefined): boolean {
    if (text.trim() === '' || (attachments ?? []).length > 0) return false;
    return controlByMeaning(this.services.classifier.classify(text, { now: this.services.now() })) === 'help';
  }

  /** Facts in `text` for the complaint's other slots (an expiry date, the seller's response), and slots it mentions. */
  private otherFacts(
    text: string,
    options: SlotPromptOptions,
    lang: Lang,
  ): { fills: SlotFill[]; mentioned: SlotName[] } {
    const others = options.others ?? [];
    if (text.trim() === '' || others.length === 0) return { fills: [], mentioned: [] };
    const r = this.services.responses;
    const reference = options.reference ? new Date(options.reference) : undefined;
    const correcting = isCorrection(text);
    const e = this.services.extract(text, this.services.now(), {
      ...(reference ? { reference } : {}),
      ...(correcting && others.includes('expiry_date') ? { expect: 'expiry' as const } : {}),
    });
    const fills: SlotFill[] = [];
    const expiry = e.dates.find((d) => d.role === 'expiry');
    if (expiry && others.includes('expiry_date'))
      fills.push({ slot: 'expiry_date', value: expiry.date, display: expiry.date });
    if (e.merchantResponse && others.includes('merchant_response'))
      fills.push({
        slot: 'merchant_response',
        value: e.merchantResponse,
        display: r.t(lang, `merchant_response.${e.merchantResponse}`),
      });
    return { fills, mentioned: mentionedSlots(e).filter((s) => others.includes(s)) };
  }

  /** Why an answer was not taken, with an example of one that would be. */
  private reason(lang: Lang, options: SlotPromptOptions, parsed: Parsed<unknown> & { ok: false }): string {
    const r = this.services.responses;
    const { spec, slot } = options;
    if (parsed.reason === 'out_of_range') return r.t(lang, 'reask.out_of_range', { value: parsed.value ?? '' });
    if (parsed.reason === 'choice' && spec.kind === 'choice') {
      const titles = (parsed.value ?? '')
        .split('|')
        .filter(Boolean)
        .map((v) => r.t(lang, `${slot}.${v}`));
      if (titles.length > 1)
        return r.t(lang, 'reask.ambiguous', { options: titles.join(r.t(lang, 'case.list_separator')) });
      return r.t(lang, 'reask.choice', { example: r.t(lang, `${slot}.${spec.choices[0]}`) });
    }
    return r.t(lang, `reask.${parsed.reason}`, { example: spec.kind === 'number' ? (EXAMPLE[spec.unit] ?? '10') : '' });
  }

  private readValue(text: string, value: unknown, options: SlotPromptOptions): Parsed<string | number | boolean> {
    const { spec, slot } = options;
    const given =
      value !== null && typeof value === 'object'
        ? ((value as Record<string, unknown>)[slot] ?? (value as Record<string, unknown>).value)
        : undefined;
    const now = this.services.now();
    switch (spec.kind) {
      case 'confirm': {
        if (typeof given === 'boolean') return { ok: true, value: given };
        if (given === 'yes' || given === 'no') return { ok: true, value: given === 'yes' };
        const titles = (['yes', 'no'] as const).map((v) => ({
          value: v,
          names: (['zh-CN', 'en'] as const).map((l) => this.services.responses.t(l, `confirm.${v}`)),
        }));
        const picked = recognizeChoice(text, undefined, titles);
        if (picked.ok) return { ok: true, value: picked.value === 'yes' };
        const yes = recognizeYesNo(text);
        if (yes !== undefined) return { ok: true, value: yes };
        // "孩子吃了拉肚子" answers "has anyone been harmed?" with a yes.
        return mentionedSlots(this.services.extract(text, now)).includes(slot)
          ? { ok: true, value: true }
          : { ok: false, reason: 'confirm' };
      }
      case 'choice': {
        const choices = spec.choices.map((c) => ({
          value: c,
          names: (['zh-CN', 'en'] as const).map((l) => this.services.responses.t(l, `${slot}.${c}`)),
        }));
        // What the words say about the seller ("they refused", "I haven't contacted them") outranks a title fragment.
        const said = slot === 'merchant_response' ? this.services.extract(text, now).merchantResponse : undefined;
        if (said !== undefined && spec.choices.includes(said)) return { ok: true, value: said };
        const picked = recognizeChoice(text, given, choices);
        if (picked.ok) return picked;
        // Only a bare "no" ("not yet", "还没"): "the seller won't refund" holds a no but means something else.
        if (NO_MEANS[slot] !== undefined && isBare(text) && recognizeYesNo(text) === false)
          return { ok: true, value: NO_MEANS[slot]! };
        return picked.reason === 'ambiguous'
          ? { ok: false, reason: 'choice', value: picked.values.join('|') }
          : { ok: false, reason: 'choice' };
      }
      case 'date': {
        if (typeof given === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(given)) return { ok: true, value: given };
        const expect = DATE_ROLE[slot] ?? 'unknown';
        const reference = options.reference ? new Date(options.reference) : undefined;
        return recognizeDate(this.services.extract(text, now, { expect, ...(reference ? { reference } : {}) }), expect);
      }
      case 'number':
        if (typeof given === 'number')
          return given >= spec.min && given <= spec.max
            ? { ok: true, value: given }
            : { ok: false, reason: 'out_of_range', value: String(given) };
        return recognizeNumber(text, this.services.extract(text, now), spec);
      default:
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
      else if (result.reason === 'too_large')
        refusal = r.t(lang, 'reask.too_large', {
          sizeMb: (result.bytes / 1048576).toFixed(1),
          maxMb: Math.round(intake.maxBytes / 1048576),
        });
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
      await dc.context.sendActivity(
        this.services.responses.t(lang, state.options.optional ? 'reask.gave_up_optional' : 'reask.gave_up'),
      );
      return dc.endDialog({ type: state.options.optional ? 'skipped' : 'missing' } satisfies SlotAnswer);
    }
    await dc.context.sendActivity(reason);
    // The last try offers every way out as a button: the choices, skip or "I don't have it", a person.
    await this.ask(dc, state.options, state.attempts === MAX_ATTEMPTS - 1);
    return Dialog.EndOfTurn;
  }

  private async ask(dc: DialogContext, options: SlotPromptOptions, wayOut = false): Promise<void> {
    await dc.context.sendActivity(this.promptFor(langOf(dc.context), options, dc.context.activity.channelId, wayOut));
  }

  private promptFor(lang: Lang, { slot, spec, optional }: SlotPromptOptions, channelId: string, wayOut = false) {
    const r = this.services.responses;
    const values = spec.kind === 'choice' ? spec.choices : spec.kind === 'confirm' ? ['yes', 'no'] : undefined;
    const titles = values?.map((v) => r.t(lang, spec.kind === 'confirm' ? `confirm.${v}` : `${slot}.${v}`)) ?? [];
    const extra = wayOut
      ? [
          ...(values ? [] : [r.t(lang, optional ? 'reask.skip_button' : 'reask.dont_have_button')]),
          r.t(lang, 'reask.person_button'),
        ]
      : [];
    const buttons = [...titles, ...extra];
    return promptActivity(
      r.t(lang, `ask.${slot}`),
      { slot, kind: KIND[spec.kind], choices: values, titles: buttons.length > 0 ? buttons : undefined, optional },
      channelId,
    );
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
