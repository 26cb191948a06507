/**
 * WeCom messages to Bot Framework activities and back, so the dialogs never learn which channel
 * they talk to.
 * In: text (a 菜单 tap carries the `menu_id` of the button, which holds what the button says),
 * image, video and file (a `wecom-media:` URL the evidence intake fetches with `media/get`),
 * voice and other kinds kefu cannot read (an empty message: the bot asks the shopper to type or
 * send a photo, since kefu does not transcribe) and `enter_session` with a `welcome_code` (a conversation update, so the bot
 * greets; a `scene_param` that is an order number rides along in `channelData.wecom.orderId`).
 * Out: one turn's replies are merged into as few WeCom messages as possible (WeCom allows 5
 * messages per shopper message), and choices become a `msgmenu` of click items.
 */
import type { Activity, CardAction } from 'botbuilder';
import type { KfMessage } from './api.js';

export const CHANNEL_ID = 'wecom';
export const MEDIA_SCHEME = 'wecom-media:';
/** WeCom's limit on `text.content` (bytes of UTF-8). */
export const MAX_TEXT_BYTES = 2048;
/** WeCom's msgmenu limits: a click item's label and id, and the head text (bytes of UTF-8). */
const MAX_LABEL_BYTES = 128;
const MAX_ID_BYTES = 64;
const MAX_HEAD_BYTES = 1024;

const MEDIA_TYPES: Record<string, { contentType: string }> = {
  image: { contentType: 'image/*' },
  video: { contentType: 'video/*' },
  file: { contentType: 'application/octet-stream' },
};

export function conversationId(openKfId: string, externalUserId: string): string {
  return `${openKfId}:${externalUserId}`;
}

/** The activity for one synced message, or undefined for what the bot does not handle. */
export function toActivity(msg: KfMessage): Partial<Activity> | undefined {
  const event = msg.msgtype === 'event' ? msg.event : undefined;
  const kf = event?.open_kfid ?? msg.open_kfid;
  const user = event?.external_userid ?? msg.external_userid;
  if (!kf || !user || !msg.msgid) return undefined;
  const base: Partial<Activity> = {
    id: msg.msgid,
    channelId: CHANNEL_ID,
    serviceUrl: CHANNEL_ID,
    conversation: { id: conversationId(kf, user), isGroup: false, conversationType: 'personal', name: '' },
    from: { id: user, name: '', role: 'user' },
    recipient: { id: kf, name: '', role: 'bot' },
    timestamp: new Date((msg.send_time ?? Math.floor(Date.now() / 1000)) * 1000),
    locale: 'zh-CN',
  };
  if (event?.event_type === 'enter_session') {
    // Without a welcome_code WeCom allows no greeting (the shopper was greeted or wrote in the
    // last 48 hours): the conversation simply goes on with their next message.
    if (!event.welcome_code) return undefined;
    const orderId = /^\d{12,24}$/.test(event.scene_param ?? '') ? event.scene_param : undefined;
    return {
      ...base,
      type: 'conversationUpdate',
      membersAdded: [{ id: user, name: '' }],
      channelData: {
        wecom: { scene: event.scene ?? '', ...(orderId ? { orderId } : {}), welcomeCode: event.welcome_code },
      },
    };
  }
  // Agents answering in the WeCom client (origin 5) and system events are not the shopper's words.
  if (msg.origin !== undefined && msg.origin !== 3) return undefined;
  if (msg.msgtype === 'text') {
    const tapped = menuValue(msg.text?.menu_id);
    return {
      ...base,
      type: 'message',
      text: tapped ?? msg.text?.content ?? '',
      channelData: { wecom: { msgtype: 'text', ...(tapped !== undefined ? { menuId: msg.text?.menu_id } : {}) } },
    };
  }
  const media = MEDIA_TYPES[msg.msgtype];
  const mediaId = (msg[msg.msgtype as 'image' | 'video' | 'file'] as { media_id?: string } | undefined)?.media_id;
  if (media && mediaId) {
    return {
      ...base,
      type: 'message',
      text: '',
      attachments: [{ contentType: media.contentType, contentUrl: `${MEDIA_SCHEME}${mediaId}` }],
      channelData: { wecom: { msgtype: msg.msgtype } },
    };
  }
  if (msg.msgtype === 'event') return undefined;
  // Voice, and what kefu cannot read (location, link, card, mini-program...): an empty message,
  // which the bot answers by asking for words or a photo rather than staying silent.
  return { ...base, type: 'message', text: '', channelData: { wecom: { msgtype: msg.msgtype } } };
}

/**
 * A menu id: `v` and the button's value in base64url when that fits WeCom's 64 bytes, so a tap
 * says what the button says; otherwise `n` and its position, and the tap says the label.
 */
export function menuId(value: string, index: number): string {
  const id = `v${Buffer.from(value, 'utf8').toString('base64url')}`;
  return id.length <= MAX_ID_BYTES ? id : `n${index}`;
}

/** The value a tapped menu id holds; undefined when it holds none (the label is the answer). */
function menuValue(id: string | undefined): string | undefined {
  if (!id || !/^v[A-Za-z0-9_-]+$/.test(id)) return undefined;
  const value = Buffer.from(id.slice(1), 'base64url').toString('utf8');
  return value.trim() === '' ? undefined : value;
}

/** Cuts `text` into pieces of at most `max` UTF-8 bytes, never inside a character. */
export function splitBytes(text: string, max = MAX_TEXT_BYTES): string[] {
  const pieces: string[] = [];
  let current = '';
  let bytes = 0;
  for (const ch of text) {
    const n = Buffer.byteLength(ch);
    if (bytes + n > max) {
      pieces.push(current);
      current = '';
      bytes = 0;
    }
    current += ch;
    bytes += n;
  }
  if (current !== '' || pieces.length === 0) pieces.push(current);
  return pieces;
}

function clip(text: string, max: number): string {
  return splitBytes(text, max)[0]!;
}

export type OutMessage =
  | { msgtype: 'text'; text: { content: string } }
  | {
      msgtype: 'msgmenu';
      msgmenu: { head_content: string; list: { type: 'click'; click: { id: string; content: string } }[] };
    };

/**
 * The WeCom messages for one batch of replies: texts are joined until a question with choices
 * ends them as its menu's head; attachments the channel cannot show are left out (kefu sends
 * cards only where a channel renders them, so here there are none).
 */
export function toMessages(activities: Partial<Activity>[]): OutMessage[] {
  const out: OutMessage[] = [];
  let texts: string[] = [];
  const flushText = () => {
    const text = texts.join('\n\n').trim();
    texts = [];
    if (text !== '') for (const content of splitBytes(text)) out.push({ msgtype: 'text', text: { content } });
  };
  for (const a of activities) {
    if (a.type !== undefined && a.type !== 'message') continue;
    if (a.text) texts.push(a.text);
    const actions = (a.suggestedActions?.actions ?? []).filter(
      (x: CardAction) => typeof x.title === 'string' && x.title !== '',
    );
    if (actions.length === 0) continue;
    const head = texts.join('\n\n');
    texts = [];
    // WeCom shows at most 10 items; the channel's caps keep kefu's choices within that.
    const list = actions.slice(0, 10).map((x: CardAction, i: number) => {
      const value = typeof x.value === 'string' && x.value !== '' ? x.value : x.title;
      return { type: 'click' as const, click: { id: menuId(value, i), content: clip(x.title, MAX_LABEL_BYTES) } };
    });
    // A head too long for the menu goes first as text.
    const heads = splitBytes(head, MAX_HEAD_BYTES);
    for (const content of heads.slice(0, -1)) out.push({ msgtype: 'text', text: { content } });
    out.push({ msgtype: 'msgmenu', msgmenu: { head_content: heads.at(-1)!, list } });
  }
  flushText();
  return out;
}
