/**
 * The WeCom 微信客服 channel: the callback URL `/api/wecom` and the pull of messages.
 * - `GET` is WeCom's check of the URL: `echostr` decrypted, when signed, is the answer.
 * - `POST` is a signed, encrypted event. Anything unsigned, wrongly signed, older than
 *   `maxSkewSeconds`, with a nonce already seen, or not decrypting to our CorpID is refused with
 *   4xx. A `kf_msg_or_event` starts a pull: `kf/sync_msg` from the cursor kept in the store,
 *   page after page while `has_more`. Each message runs as a turn (msgid as the activity id, so
 *   the activity ledger handles it once across instances) and is marked seen; the cursor is
 *   saved after its page, so a restart mid-page repeats the pull and the seen marks skip what
 *   was done. The callback is answered at once; WeCom retries a slow answer.
 */
import type { Request, Response, Server } from 'restify';
import type { TurnContext } from 'botbuilder';
import { setVerifiedShopper } from '../../dialogs/identity.js';
import type { Logger } from '../log.js';
import type { WeComApi } from './api.js';
import { type WeComCrypto, xmlField } from './crypto.js';
import { WeComAdapter } from './adapter.js';
import { CHANNEL_ID, MEDIA_SCHEME, toActivity } from './activities.js';
import type { WeComSyncState } from './syncState.js';
import { sendRefusal } from '../httpErrors.js';

export const WECOM_PATH = '/api/wecom';
/** sync_msg returns three days of messages; a handled msgid is remembered a little longer. */
const SEEN_MSG_SECONDS = 4 * 24 * 3600;

export interface WeComChannelOptions {
  crypto: WeComCrypto;
  api: WeComApi;
  state: WeComSyncState;
  /** The bot's turn, as every other channel runs it. */
  turn: (context: TurnContext) => Promise<void>;
  log: Logger;
  /** Oldest (and newest) callback timestamp accepted, seconds from now; default 300. */
  maxSkewSeconds?: number;
  now?: () => number;
}

export class WeComChannel {
  readonly adapter: WeComAdapter;
  /** One pull at a time per 客服 account in this process; the next event pulls again after it. */
  private readonly pulls = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();
  private readonly now: () => number;

  constructor(private readonly options: WeComChannelOptions) {
    this.adapter = new WeComAdapter(options.api, options.log);
    this.now = options.now ?? Date.now;
  }

  /** Reads a `wecom-media:` URL for the evidence intake; undefined for any other URL. */
  async resolveMedia(
    url: string,
    maxBytes: number,
  ): Promise<{ data: Buffer; contentType: string } | 'too_large' | undefined> {
    if (!url.startsWith(MEDIA_SCHEME)) return undefined;
    // A failed fetch is the intake's "could not receive the file" (the API logged the errcode).
    return this.options.api.getMedia(url.slice(MEDIA_SCHEME.length), maxBytes).catch(() => undefined);
  }

  mount(server: Server): void {
    server.get(WECOM_PATH, (req: Request, res: Response, next: () => void) => {
      void this.verifyUrl(req, res).finally(() => next());
    });
    server.post(WECOM_PATH, (req: Request, res: Response, next: () => void) => {
      void this.callback(req, res).finally(() => next());
    });
  }

  /**
   * Pulls once for every account pulled before, so messages that arrived while kefu was down (or
   * that a pull cut short by a restart left) are answered without waiting for the next callback.
   */
  async resume(): Promise<void> {
    for (const kf of await this.options.state.accounts()) this.pull(kf, undefined);
  }

  /** Waits for the pulls under way (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.pulls.size > 0) await Promise.allSettled([...this.pulls.values()]);
  }

  private async verifyUrl(req: Request, res: Response): Promise<void> {
    const q = query(req);
    const checked = await this.check(q, q.echostr);
    if (!checked.ok) return refuse(res, checked.status, checked.message);
    res.sendRaw(200, checked.plain, { 'content-type': 'text/plain; charset=utf-8' });
  }

  private async callback(req: Request, res: Response): Promise<void> {
    const body = typeof req.body === 'string' ? req.body : Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
    const checked = await this.check(query(req), xmlField(body, 'Encrypt'));
    if (!checked.ok) return refuse(res, checked.status, checked.message);
    const event = xmlField(checked.plain, 'Event');
    res.sendRaw(200, 'success', { 'content-type': 'text/plain; charset=utf-8' });
    if (event !== 'kf_msg_or_event') {
      this.options.log.debug({ event }, 'wecom: callback event not used');
      return;
    }
    this.pull(xmlField(checked.plain, 'OpenKfId') ?? '', xmlField(checked.plain, 'Token'));
  }

  /** Signature, freshness, nonce and decryption, in that order (cheapest refusal first). */
  private async check(
    q: Record<string, string | undefined>,
    encrypted: string | undefined,
  ): Promise<{ ok: true; plain: string } | { ok: false; status: number; message: string }> {
    const { msg_signature: signature, timestamp, nonce } = q;
    if (!signature || !timestamp || !nonce || !encrypted)
      return {
        ok: false,
        status: 401,
        message: 'expected msg_signature, timestamp, nonce and an encrypted body (echostr or <Encrypt>)',
      };
    if (!this.options.crypto.verify(signature, timestamp, nonce, encrypted))
      return { ok: false, status: 401, message: 'msg_signature does not match' };
    const skew = Math.abs(this.now() / 1000 - Number(timestamp));
    const max = this.options.maxSkewSeconds ?? 300;
    if (!/^\d{1,12}$/.test(timestamp) || skew > max)
      return { ok: false, status: 403, message: `timestamp is more than ${max} s away from now` };
    // Marked for the whole window a timestamp is accepted, so a replay is refused either way.
    if (!(await this.options.state.mark(`nonce:${timestamp}:${nonce}`, 2 * max)))
      return { ok: false, status: 403, message: 'nonce already used' };
    try {
      return { ok: true, plain: this.options.crypto.decrypt(encrypted) };
    } catch (err) {
      return { ok: false, status: 400, message: (err as Error).message };
    }
  }

  private pull(openKfId: string, token: string | undefined): void {
    if (this.pulls.has(openKfId)) {
      this.again.add(openKfId);
      return;
    }
    const run = (async () => {
      do {
        this.again.delete(openKfId);
        await this.syncAll(openKfId, token).catch((err: unknown) =>
          this.options.log.error({ err, openKfId }, 'wecom: pulling messages failed; the next callback pulls again'),
        );
      } while (this.again.has(openKfId));
    })().finally(() => this.pulls.delete(openKfId));
    this.pulls.set(openKfId, run);
  }

  private async syncAll(openKfId: string, token: string | undefined): Promise<void> {
    const { api, state, log } = this.options;
    for (;;) {
      const cursor = await state.cursor(openKfId);
      const page = await api.syncMsg({
        ...(cursor ? { cursor } : {}),
        ...(token ? { token } : {}),
        ...(openKfId ? { open_kfid: openKfId } : {}),
        limit: 1000,
      });
      for (const msg of page.msg_list ?? []) {
        if (!msg.msgid || (await state.seen(`msg:${msg.msgid}`))) continue;
        const activity = toActivity(msg);
        if (activity) await this.run(activity);
        else log.debug({ msgtype: msg.msgtype, origin: msg.origin }, 'wecom: message not for the bot');
        await state.mark(`msg:${msg.msgid}`, SEEN_MSG_SECONDS);
      }
      if (page.next_cursor) await state.setCursor(openKfId, page.next_cursor);
      if (!page.has_more || !page.next_cursor) return;
    }
  }

  private async run(activity: Parameters<WeComAdapter['processActivity']>[0]): Promise<void> {
    await this.adapter.processActivity(activity, async (context) => {
      // WeCom signed the callback and kefu fetched the message itself with its own secret: the
      // external_userid is proven.
      setVerifiedShopper(context, { id: activity.from!.id, channelId: CHANNEL_ID, via: 'channel' });
      await this.options.turn(context);
    });
  }
}

function query(req: Request): Record<string, string | undefined> {
  const q = (req.query ?? {}) as Record<string, unknown>;
  const one = (k: string) => (typeof q[k] === 'string' ? (q[k] as string) : undefined);
  return {
    msg_signature: one('msg_signature'),
    timestamp: one('timestamp'),
    nonce: one('nonce'),
    echostr: one('echostr'),
  };
}

function refuse(res: Response, status: number, message: string): void {
  sendRefusal(res, status === 400 ? 'bad_request' : 'forbidden', message, status);
}
