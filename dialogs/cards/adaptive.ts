/**
 * The few Adaptive Card elements kefu's cards use, typed, and the attachment wrapper. Cards use
 * only schema 1.2 features so one payload renders on every card channel (Teams renders up to 1.5,
 * Web Chat 1.6); `CARD_VERSION` is what `channelCaps().maxCardVersion` is compared with.
 */
import type { Attachment } from 'botbuilder';

export const CARD_VERSION = '1.2';
export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

export interface TextBlock {
  type: 'TextBlock';
  text: string;
  wrap: true;
  size?: 'small' | 'default' | 'medium' | 'large';
  weight?: 'default' | 'bolder';
  color?: 'default' | 'good' | 'warning' | 'attention' | 'accent';
  isSubtle?: boolean;
  spacing?: 'none' | 'small' | 'medium';
}

export interface FactSet {
  type: 'FactSet';
  facts: { title: string; value: string }[];
}

export interface Container {
  type: 'Container';
  items: CardElement[];
  style?: 'default' | 'emphasis' | 'good' | 'attention' | 'warning';
}

export type CardElement = TextBlock | FactSet | Container;

export interface SubmitAction {
  type: 'Action.Submit';
  title: string;
  /** Arrives as `activity.value` when the shopper presses the button. */
  data: Record<string, string | number>;
  style?: 'positive' | 'destructive';
}

export interface AdaptiveCard {
  type: 'AdaptiveCard';
  $schema: 'http://adaptivecards.io/schemas/adaptive-card.json';
  version: string;
  // No `lang`: the text is already localized, and the JS SDK (Web Chat's renderer) checks `lang`
  // with a global regex whose state makes every other card fail validation.
  /** Shown by hosts that cannot render the card. */
  fallbackText: string;
  /** Read aloud by speech channels. */
  speak?: string;
  body: CardElement[];
  actions?: SubmitAction[];
  /** Teams: use the chat's full width instead of the narrow default. Other hosts ignore it. */
  msteams: { width: 'Full' };
}

export function textBlock(text: string, style: Omit<TextBlock, 'type' | 'text' | 'wrap'> = {}): TextBlock {
  return { type: 'TextBlock', text, wrap: true, ...style };
}

export function card(fallbackText: string, body: CardElement[], actions?: SubmitAction[]): AdaptiveCard {
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: CARD_VERSION,
    fallbackText,
    body,
    ...(actions === undefined ? {} : { actions }),
    msteams: { width: 'Full' },
  };
}

export function attachment(content: AdaptiveCard): Attachment {
  return { contentType: ADAPTIVE_CARD_CONTENT_TYPE, content };
}
