/**
 * Builds the activities kefu sends: the shopper's language for this turn, and prompts that carry
 * the machine-readable `channelData.prompt` (docs/contract.md) plus buttons where a channel shows them.
 */
import { ActionTypes, CardFactory, MessageFactory, type Activity, type TurnContext } from 'botbuilder';
import { channelCaps } from './cards/index.js';
import type { PromptValidatorContext } from './sdk.js';
import type { Lang } from '../intents/labels.js';

export type PromptKind = 'text' | 'choice' | 'confirm' | 'attachment' | 'date' | 'number';

export interface PromptInfo {
  slot: string;
  kind: PromptKind;
  /** Machine values; `titles` (same order) are what the buttons show. */
  choices?: string[];
  titles?: string[];
  /** What a button sends as the shopper's message; default its title (an order button sends the id). */
  sends?: string[];
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

/**
 * A question with its options shown the way the channel can: suggested actions where they fit
 * (Teams shows at most three), an Adaptive Card of buttons where they do not, or a numbered list
 * on text-only channels (the shopper may answer with the number).
 */
export function promptActivity(text: string, prompt: PromptInfo, channelId = 'webchat'): Partial<Activity> {
  const titles = prompt.titles ?? prompt.choices ?? [];
  const sends = prompt.sends ?? titles;
  const caps = channelCaps(channelId);
  let activity: Partial<Activity>;
  if (titles.length === 0) activity = MessageFactory.text(text);
  else if (caps.suggestedActions && titles.length <= caps.maxSuggestedActions) {
    activity = MessageFactory.suggestedActions(
      titles.map((title, i) => ({ type: ActionTypes.ImBack, title, value: sends[i]! })),
      text,
    );
  } else if (caps.adaptiveCards) {
    // Teams posts `msteams.value` as the shopper's own message; Web Chat posts `data` as `value`.
    const actions = titles.map((title, i) => ({
      type: 'Action.Submit',
      title,
      data: { [prompt.slot]: prompt.choices?.[i] ?? sends[i], msteams: { type: 'imBack', value: sends[i] } },
    }));
    activity = MessageFactory.attachment(
      CardFactory.adaptiveCard({
        type: 'AdaptiveCard',
        version: '1.2',
        body: [{ type: 'TextBlock', text, wrap: true }],
        actions,
      }),
    );
    activity.summary = text;
  } else {
    activity = MessageFactory.text([text, ...titles.map((title, i) => `${i + 1}. ${title}`)].join('\n'));
  }
  activity.inputHint = 'expectingInput';
  activity.channelData = {
    prompt: {
      slot: prompt.slot,
      kind: prompt.kind,
      ...(prompt.choices ? { choices: prompt.choices } : {}),
      ...(prompt.optional ? { optional: true } : {}),
    },
  };
  return activity;
}

/** An item's name in the shopper's language (the Chinese name when no English one is given). */
export function itemName(lang: Lang, item: { name: string; nameEn?: string }): string {
  return lang === 'en' && item.nameEn ? item.nameEn : item.name;
}

/** A TextPrompt validator that also takes a card or button submit (`value` without text). */
export async function textOrValue(pc: PromptValidatorContext<string>): Promise<boolean> {
  return pc.recognized.succeeded || (pc.context.activity.value !== undefined && pc.context.activity.value !== null);
}
