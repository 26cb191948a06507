/**
 * The WeCom server API kefu calls: `gettoken` (the access_token is cached until shortly before
 * it expires, and fetched again when WeCom says it is invalid or expired), `kf/sync_msg`,
 * `kf/send_msg`, `kf/send_msg_on_event` and `media/get`. Rate limits and "system busy" are
 * retried with backoff; every error is logged with its errcode, never with the token.
 */
import type { Logger } from '../log.js';
import { KefuError } from '../../lib/errors.js';

export interface WeComApiOptions {
  /** `https://qyapi.weixin.qq.com`, or a test stand-in. */
  base: string;
  corpId: string;
  secret: string;
  log: Logger;
  /** Tries for a rate-limited call; default 4. */
  attempts?: number;
  /** Wait before the first retry, doubled each time; default 500 ms. */
  backoffMs?: number;
  timeoutMs?: number;
  now?: () => number;
}

export class WeComApiError extends KefuError {
  constructor(
    readonly api: string,
    readonly errcode: number,
    errmsg: string,
  ) {
    super('wecom_api', `WeCom ${api} failed: errcode ${errcode} (${errmsg})`);
  }
}

/** One message or event of `kf/sync_msg` (the fields kefu reads). */
export interface KfMessage {
  msgid: string;
  open_kfid?: string;
  external_userid?: string;
  send_time?: number;
  /** 3: from the WeChat user; 4: a system event; 5: from an agent in the WeCom client. */
  origin?: number;
  msgtype: string;
  text?: { content?: string; menu_id?: string };
  image?: { media_id?: string };
  video?: { media_id?: string };
  file?: { media_id?: string };
  voice?: { media_id?: string };
  event?: {
    event_type?: string;
    open_kfid?: string;
    external_userid?: string;
    scene?: string;
    scene_param?: string;
    welcome_code?: string;
  };
}

export interface SyncPage {
  next_cursor: string;
  has_more: boolean;
  msg_list: KfMessage[];
}

/** The access_token is invalid or expired: fetch a new one and try again. */
const TOKEN_ERRORS = new Set([40001, 40014, 42001]);
/** Busy or over the call frequency: wait and try again. */
const RETRY_ERRORS = new Set([-1, 45009, 45033]);
/** Refresh a little before WeCom's own expiry, so a call never carries a token about to lapse. */
const TOKEN_MARGIN_MS = 5 * 60 * 1000;

export class WeComApi {
  private token?: { value: string; until: number };
  private fetching?: Promise<string>;
  private readonly now: () => number;

  constructor(private readonly options: WeComApiOptions) {
    this.now = options.now ?? Date.now;
  }

  syncMsg(body: { cursor?: string; token?: string; open_kfid?: string; limit?: number }): Promise<SyncPage> {
    return this.call<SyncPage>('kf/sync_msg', body);
  }

  sendMsg(body: Record<string, unknown>): Promise<{ msgid?: string }> {
    return this.call<{ msgid?: string }>('kf/send_msg', body);
  }

  /** A reply to an event (the `welcome_code` of `enter_session`), usable once within 20 s. */
  sendMsgOnEvent(body: Record<string, unknown>): Promise<{ msgid?: string }> {
    return this.call<{ msgid?: string }>('kf/send_msg_on_event', body);
  }

  /** The bytes of a media file (at most `maxBytes`), or 'too_large'. */
  async getMedia(mediaId: string, maxBytes: number): Promise<{ data: Buffer; contentType: string } | 'too_large'> {
    return this.withRetries('media/get', async (token) => {
      const url = `${this.options.base}/cgi-bin/media/get?access_token=${encodeURIComponent(token)}&media_id=${encodeURIComponent(mediaId)}`;
      const res = await fetch(url, { signal: AbortSignal.timeout(this.options.timeoutMs ?? 15_000) });
      const type = res.headers.get('content-type') ?? '';
      // Errors come back as JSON; files as their own type.
      if (type.includes('json') || type.startsWith('text/plain')) return this.check('media/get', await res.json());
      if (Number(res.headers.get('content-length') ?? 0) > maxBytes) {
        await res.body?.cancel();
        return 'too_large';
      }
      const data = Buffer.from(await res.arrayBuffer());
      return data.length > maxBytes ? 'too_large' : { data, contentType: type };
    });
  }

  private call<T>(api: string, body: unknown): Promise<T> {
    return this.withRetries(api, async (token) => {
      const res = await fetch(`${this.options.base}/cgi-bin/${api}?access_token=${encodeURIComponent(token)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 15_000),
      });
      return this.check<T>(api, await res.json());
    });
  }

  private check<T>(api: string, json: unknown): T {
    const { errcode, errmsg } = (json ?? {}) as { errcode?: unknown; errmsg?: unknown };
    if (typeof errcode === 'number' && errcode !== 0) throw new WeComApiError(api, errcode, String(errmsg ?? ''));
    return json as T;
  }

  private async withRetries<T>(api: string, work: (token: string) => Promise<T>): Promise<T> {
    const attempts = this.options.attempts ?? 4;
    let wait = this.options.backoffMs ?? 500;
    let refreshed = false;
    for (let attempt = 1; ; attempt++) {
      try {
        return await work(await this.accessToken());
      } catch (err) {
        const code = err instanceof WeComApiError ? err.errcode : undefined;
        this.options.log.warn(
          { api, errcode: code, attempt, err: code === undefined ? err : undefined },
          `WeCom ${api} failed`,
        );
        if (code !== undefined && TOKEN_ERRORS.has(code) && !refreshed) {
          refreshed = true;
          this.token = undefined;
          continue;
        }
        if (code === undefined || !RETRY_ERRORS.has(code) || attempt >= attempts) throw err;
        await new Promise((resolve) => setTimeout(resolve, wait));
        wait *= 2;
      }
    }
  }

  private async accessToken(): Promise<string> {
    if (this.token && this.token.until > this.now()) return this.token.value;
    // One fetch for every caller waiting on it.
    this.fetching ??= this.fetchToken().finally(() => (this.fetching = undefined));
    return this.fetching;
  }

  private async fetchToken(): Promise<string> {
    const { base, corpId, secret } = this.options;
    const res = await fetch(
      `${base}/cgi-bin/gettoken?corpid=${encodeURIComponent(corpId)}&corpsecret=${encodeURIComponent(secret)}`,
      {
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 15_000),
      },
    );
    const json = this.check<{ access_token?: unknown; expires_in?: unknown }>('gettoken', await res.json());
    if (typeof json.access_token !== 'string' || json.access_token === '')
      throw new WeComApiError('gettoken', -2, 'no access_token in the answer');
    const seconds = typeof json.expires_in === 'number' ? json.expires_in : 7200;
    this.token = { value: json.access_token, until: this.now() + Math.max(0, seconds * 1000 - TOKEN_MARGIN_MS) };
    return this.token.value;
  }
}
