/**
 * What each Bot Framework channel can show, so the dialogs send a card where it renders and
 * plain text where it does not. Sources: the Bot Service channels reference, Teams' docs
 * (Adaptive Cards up to 1.5; suggested actions in every scope, only the first three shown;
 * files in personal chats when the manifest sets `supportsFiles`), Web Chat (cards up to 1.6)
 * and botbuilder-dialogs' own channel table. An unknown channel gets the safe minimum: text.
 */
import type { Activity, Attachment } from 'botbuilder';
import { ADAPTIVE_CARD_CONTENT_TYPE } from './adaptive.js';

export interface ChannelCaps {
  adaptiveCards: boolean;
  /** Highest Adaptive Card schema version the channel renders; '0' when it renders none. */
  maxCardVersion: string;
  suggestedActions: boolean;
  /** How many suggested actions the channel shows (Teams: 3); 0 when none. */
  maxSuggestedActions: number;
  /** The shopper can send photos and files in the chat. */
  fileUpload: boolean;
  /** Message text is rendered as Markdown. */
  markdown: boolean;
}

const TEXT_ONLY: ChannelCaps = {
  adaptiveCards: false,
  maxCardVersion: '0',
  suggestedActions: false,
  maxSuggestedActions: 0,
  fileUpload: false,
  markdown: false,
};
const WEB_CHAT: ChannelCaps = {
  adaptiveCards: true,
  maxCardVersion: '1.6',
  suggestedActions: true,
  maxSuggestedActions: 100,
  fileUpload: true,
  markdown: true,
};

const CAPS: Record<string, ChannelCaps> = {
  msteams: {
    adaptiveCards: true,
    maxCardVersion: '1.5',
    suggestedActions: true,
    maxSuggestedActions: 3,
    fileUpload: true,
    markdown: true,
  },
  webchat: WEB_CHAT,
  directline: WEB_CHAT,
  // Bot Framework Emulator 4.14.1 embeds an older Web Chat: 1.4 cards do not render and some 1.3
  // cards show as an empty box (BotFramework-Emulator issues 2409, 2452); 1.2 is safe.
  emulator: { ...WEB_CHAT, maxCardVersion: '1.2' },
  // Speech clients read `speak`; the card's fallbackText is what they fall back to.
  directlinespeech: { ...TEXT_ONLY, suggestedActions: true, maxSuggestedActions: 100 },
  slack: { ...TEXT_ONLY, fileUpload: true, markdown: true },
  telegram: { ...TEXT_ONLY, suggestedActions: true, maxSuggestedActions: 100, fileUpload: true, markdown: true },
  facebook: { ...TEXT_ONLY, suggestedActions: true, maxSuggestedActions: 10, fileUpload: true },
  line: { ...TEXT_ONLY, suggestedActions: true, maxSuggestedActions: 13, fileUpload: true },
  // WeCom 微信客服 (bot/wecom): choices become a msgmenu of click items; photos and files arrive.
  wecom: { ...TEXT_ONLY, suggestedActions: true, maxSuggestedActions: 10, fileUpload: true },
  sms: TEXT_ONLY,
  twilio: TEXT_ONLY,
  email: { ...TEXT_ONLY, fileUpload: true },
  // botbuilder's TestAdapter: tests see what Web Chat would get.
  test: WEB_CHAT,
};

export function channelCaps(channelId: string): ChannelCaps {
  return CAPS[channelId.toLowerCase()] ?? TEXT_ONLY;
}

/** Compares dotted versions numerically: '1.10' is after '1.6'. */
export function versionAtMost(version: string, max: string): boolean {
  const a = version.split('.').map(Number);
  const b = max.split('.').map(Number);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x !== y) return x < y;
  }
  return true;
}

/**
 * The message to send for a card on this channel: the card when the channel renders its version,
 * otherwise the text fallback as plain text (so no Markdown reinterprets shopper-supplied text).
 */
export function cardOrText(channelId: string, card: Attachment, text: string): Partial<Activity> {
  const caps = channelCaps(channelId);
  const version = (card.content as { version?: unknown } | undefined)?.version;
  const renders =
    caps.adaptiveCards &&
    card.contentType === ADAPTIVE_CARD_CONTENT_TYPE &&
    typeof version === 'string' &&
    versionAtMost(version, caps.maxCardVersion);
  return renders ? { type: 'message', attachments: [card] } : { type: 'message', text, textFormat: 'plain' };
}
