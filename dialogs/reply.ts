/**
 * Builds the activities kefu sends: the shopper's language for this turn, and prompts that carry
 * the machine-readable `channelData.prompt` (CONTRACT.md) plus buttons where a channel shows them.
 */
import { ActionTypes, MessageFactory, type Activity, type TurnContext } from 'botbuilder';
import type { PromptValidatorContext } from 'botbuilder-dialogs';
import type { Lang } from '../intents/labels.js';

export type PromptKind = 'text' | 'choice' | 'confirm' | 'attachment' | 'date' | 'number';

export interface PromptInfo {
  slot: string;
  kind: PromptKind;
  /** Machine values; `titles` (same order) are what the buttons show. */
  choices?: string[];
  titles?: string[];
  optional?: boolean;
}

const LANG_KEY = 'kefu.lang';

/** The language of this turn, set by the bot from `activity.locale` or the text itself. */
export function langOf(context: TurnContext): Lang {
  return (context.turnState.get(LANG_KEY) as Lang | undefined) ?? 'zh-CN';
}

export function setLang(context: TurnContext, lang: Lang): void {
  context.turnState.set(LANG_KEY, lang);
}

export function promptActivity(text: string, prompt: PromptInfo): Partial<Activity> {
  const titles = prompt.titles ?? prompt.choices;
  const activity =
    titles && titles.length > 0
      ? MessageFactory.suggestedActions(
          titles.map((title) => ({ type: ActionTypes.ImBack, title, value: title })),
          text,
        )
      : MessageFactory.text(text);
  activity.inputHint = 'expectingInput';
  activity.channelData = {
    prompt: { slot: prompt.slot, kind: prompt.kind, ...(prompt.choices ? { choices: prompt.choices } : {}), ...(prompt.optional ? { optional: true } : {}) },
  };
  return activity;
}

/** A TextPrompt validator that also takes a card or button submit (`value` without text). */
export async function textOrValue(pc: PromptValidatorContext<string>): Promise<boolean> {
  return pc.recognized.succeeded || (pc.context.activity.value !== undefined && pc.context.activity.value !== null);
}
