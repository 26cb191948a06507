/**
 * A local stand-in for WeCom's 微信客服 API and callbacks: `gettoken`, `kf/sync_msg` (cursor
 * pages with `has_more`), `kf/send_msg`, `kf/send_msg_on_event` and `media/get`, with the error
 * codes kefu must survive (expired token 42001, rate limit 45009). It also plays WeCom's side of
 * the callback: signs and encrypts a `kf_msg_or_event` and POSTs it to kefu's `/api/wecom`.
 */
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { WeComCrypto } from '../../bot/wecom/crypto.js';

export const CORP_ID = 'ww0123456789abcdef';
export const SECRET = 'kf-secret-for-tests';
export const TOKEN = 'kefuCallbackToken';
export const AES_KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
export const KF = 'wkKefuShop001';

export interface Sent {
  api: 'send_msg' | 'send_msg_on_event';
  touser?: string;
  open_kfid?: string;
  code?: string;
  msgtype: string;
  text?: { content: string };
  msgmenu?: { head_content: string; list: { type: string; click: { id: string; content: string } }[] };
}

export interface FakeWeCom {
  base: string;
  crypto: WeComCrypto;
  /** Messages kefu sent, in order. */
  sent: Sent[];
  /** Every sync_msg request body kefu made. */
  syncs: { cursor?: string; token?: string; open_kfid?: string }[];
  tokensIssued: number;
  /** Adds a message to the account's history (msgid generated unless given); returns it. */
  add(msg: Record<string, unknown>): Record<string, unknown>;
  media: Map<string, { data: Buffer; contentType: string }>;
  pageSize: number;
  /** After `after` good calls, the next `times` calls to `api` answer this errcode. */
  failNext(api: string, errcode: number, times?: number, after?: number): void;
  /** Every token issued so far is expired from now on (42001). */
  expireTokens(): void;
  /** Serves sync_msg from the start of the history whatever the cursor (as without a cursor). */
  ignoreCursor: boolean;
  /** A signed, encrypted callback; `tamper` changes it after signing. */
  callback(
    kefuUrl: string,
    options?: { timestamp?: number; nonce?: string; tamper?: 'signature' | 'body' | 'unsigned'; plain?: string },
  ): Promise<{ status: number; body: string; query: string; xml: string }>;
  post(kefuUrl: string, query: string, xml: string): Promise<{ status: number; body: string }>;
  close(): Promise<void>;
}

export async function startFakeWeCom(): Promise<FakeWeCom> {
  const crypto = new WeComCrypto(TOKEN, AES_KEY, CORP_ID);
  const history: Record<string, unknown>[] = [];
  const valid = new Set<string>();
  const failures = new Map<string, number[]>();
  let seq = 0;
  const fake: FakeWeCom = {
    base: '',
    crypto,
    sent: [],
    syncs: [],
    tokensIssued: 0,
    media: new Map(),
    pageSize: 100,
    ignoreCursor: false,
    add(msg) {
      const full = {
        msgid: `msg${String(++seq).padStart(4, '0')}`,
        open_kfid: KF,
        origin: 3,
        send_time: Math.floor(Date.now() / 1000),
        ...msg,
      };
      history.push(full);
      return full;
    },
    failNext(api, errcode, times = 1, after = 0) {
      failures.set(api, [
        ...(failures.get(api) ?? []),
        ...Array<number>(after).fill(0),
        ...Array<number>(times).fill(errcode),
      ]);
    },
    expireTokens() {
      valid.clear();
    },
    async callback(kefuUrl, options = {}) {
      const plain =
        options.plain ??
        `<xml><ToUserName><![CDATA[${CORP_ID}]]></ToUserName><CreateTime>${Math.floor(Date.now() / 1000)}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[kf_msg_or_event]]></Event><Token><![CDATA[ENC${randomBytes(8).toString('hex')}]]></Token><OpenKfId><![CDATA[${KF}]]></OpenKfId></xml>`;
      const encrypted =
        options.tamper === 'body' ? Buffer.from(randomBytes(64)).toString('base64') : crypto.encrypt(plain);
      const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
      const nonce = options.nonce ?? String(randomBytes(4).readUInt32BE());
      let signature = crypto.signature(timestamp, nonce, encrypted);
      if (options.tamper === 'signature') signature = signature.replace(/^./, (c) => (c === 'a' ? 'b' : 'a'));
      const query =
        options.tamper === 'unsigned' ? '' : `msg_signature=${signature}&timestamp=${timestamp}&nonce=${nonce}`;
      const xml = `<xml><ToUserName><![CDATA[${CORP_ID}]]></ToUserName><Encrypt><![CDATA[${encrypted}]]></Encrypt><AgentID><![CDATA[]]></AgentID></xml>`;
      return { ...(await fake.post(kefuUrl, query, xml)), query, xml };
    },
    async post(kefuUrl, query, xml) {
      const res = await fetch(`${kefuUrl}/api/wecom${query ? `?${query}` : ''}`, {
        method: 'POST',
        headers: { 'content-type': 'text/xml' },
        body: xml,
      });
      return { status: res.status, body: await res.text() };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };

  // 0 in the queue: that call goes through.
  const failure = (api: string): number | undefined => failures.get(api)?.shift() || undefined;
  const json = (res: http.ServerResponse, body: unknown) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };

  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (d: Buffer) => (raw += d.toString('utf8')));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const api = url.pathname.replace(/^\/cgi-bin\//, '');
      if (api === 'gettoken') {
        if (url.searchParams.get('corpid') !== CORP_ID || url.searchParams.get('corpsecret') !== SECRET)
          return json(res, { errcode: 40001, errmsg: 'invalid credential' });
        const token = `tok-${++fake.tokensIssued}-${randomBytes(6).toString('hex')}`;
        valid.add(token);
        return json(res, { errcode: 0, errmsg: 'ok', access_token: token, expires_in: 7200 });
      }
      if (!valid.has(url.searchParams.get('access_token') ?? ''))
        return json(res, { errcode: 42001, errmsg: 'access_token expired' });
      const code = failure(api);
      if (code !== undefined) return json(res, { errcode: code, errmsg: 'injected by the test' });
      if (api === 'kf/sync_msg') {
        const body = JSON.parse(raw) as { cursor?: string; token?: string; open_kfid?: string };
        fake.syncs.push(body);
        const start = fake.ignoreCursor || !body.cursor ? 0 : Number(body.cursor.replace(/^c/, ''));
        const page = history.slice(start, start + fake.pageSize);
        const end = start + page.length;
        return json(res, {
          errcode: 0,
          errmsg: 'ok',
          next_cursor: `c${end}`,
          has_more: end < history.length,
          msg_list: page,
        });
      }
      if (api === 'kf/send_msg' || api === 'kf/send_msg_on_event') {
        const body = JSON.parse(raw) as Omit<Sent, 'api'>;
        fake.sent.push({ api: api === 'kf/send_msg' ? 'send_msg' : 'send_msg_on_event', ...body });
        return json(res, { errcode: 0, errmsg: 'ok', msgid: `out${fake.sent.length}` });
      }
      if (api === 'media/get') {
        const file = fake.media.get(url.searchParams.get('media_id') ?? '');
        if (!file) return json(res, { errcode: 40007, errmsg: 'invalid media_id' });
        res.writeHead(200, { 'content-type': file.contentType, 'content-length': file.data.length });
        return res.end(file.data);
      }
      return json(res, { errcode: 404, errmsg: `no such api ${api}` });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}

/** The environment that turns kefu's WeCom channel on against `fake`. */
export function wecomEnv(fake: FakeWeCom): Record<string, string> {
  return {
    WECOM_CORP_ID: CORP_ID,
    WECOM_KF_SECRET: SECRET,
    WECOM_TOKEN: TOKEN,
    WECOM_ENCODING_AES_KEY: AES_KEY,
    WECOM_API_BASE: fake.base,
  };
}
