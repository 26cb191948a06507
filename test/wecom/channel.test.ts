/**
 * kefu's WeCom 微信客服 channel end to end: the real kefu behind `/api/wecom`, a local stand-in
 * of WeCom (test/wecom/fakeWeCom.ts) signing and encrypting callbacks, serving sync_msg pages,
 * gettoken and media/get, and recording what kefu sends.
 */
import { expect } from 'chai';
import { agentApi, startHarness, type Harness } from '../support/kefuHarness.js';
import { WeComCrypto } from '../../bot/wecom/crypto.js';
import { AES_KEY, KF, TOKEN, startFakeWeCom, wecomEnv, type FakeWeCom, type Sent } from './fakeWeCom.js';

const SHOPPER = 'u-lihua';
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(2000, 1)]);

describe('WeCom 微信客服 channel', function () {
  this.timeout(30_000);
  let fake: FakeWeCom;
  let kefu: Harness;

  beforeEach(async () => {
    fake = await startFakeWeCom();
    kefu = await startHarness(wecomEnv(fake), { allowLoopbackAttachments: false });
  });
  afterEach(async () => {
    await kefu.close();
    await fake.close();
  });

  /** The shopper does something in WeChat; WeCom calls back; kefu pulls and answers. */
  async function shopper(msg: Record<string, unknown>): Promise<Sent[]> {
    const before = fake.sent.length;
    fake.add({ external_userid: SHOPPER, ...msg });
    const res = await fake.callback(kefu.app.url);
    expect(res.status, res.body).to.equal(200);
    await kefu.app.wecom!.idle();
    return fake.sent.slice(before);
  }
  const says = (content: string) => shopper({ msgtype: 'text', text: { content } });
  const taps = (menu: Sent, label: string | RegExp) => {
    const item = menu.msgmenu!.list.find((i) =>
      typeof label === 'string' ? i.click.content === label : label.test(i.click.content),
    );
    expect(item, `no menu item ${label} in ${JSON.stringify(menu.msgmenu)}`).to.not.equal(undefined);
    return shopper({ msgtype: 'text', text: { content: item!.click.content, menu_id: item!.click.id } });
  };
  const texts = (sent: Sent[]) => sent.map((s) => s.text?.content ?? s.msgmenu?.head_content ?? '').join('\n');

  it('holds the shampoo story in Chinese: menus as msgmenu, taps answer them, photos become evidence', async () => {
    fake.media.set('MEDIA_ITEM', { data: JPEG, contentType: 'image/jpeg' });
    fake.media.set('MEDIA_BOX', { data: JPEG, contentType: 'image/jpeg' });
    let out = await shopper({
      msgtype: 'event',
      origin: 4,
      event: {
        event_type: 'enter_session',
        open_kfid: KF,
        external_userid: SHOPPER,
        scene: 'order',
        scene_param: '284716350192837465',
        welcome_code: 'WELCOME1',
      },
    });
    expect(out.map((s) => s.api)).to.deep.equal(['send_msg_on_event']);
    expect(out[0]!.code).to.equal('WELCOME1');
    expect(texts(out)).to.contain('kefu');

    out = await says('洗发水瓶子破了，漏了一箱');
    expect(out.map((s) => s.msgtype)).to.deep.equal(['msgmenu']);
    expect(out[0]!.touser).to.equal(SHOPPER);

    // The shopper's shampoo order: offered among their orders, or alone to confirm.
    out = await taps(out[0]!, out[0]!.msgmenu!.list.some((i) => /海飞丝/.test(i.click.content)) ? /海飞丝/ : '是这笔');
    expect(texts(out)).to.contain('已为您创建工单');
    const caseId = /KF\d{4}-[0-9A-Z]+/.exec(texts(out))?.[0];
    expect(caseId, texts(out)).to.be.a('string');

    out = await shopper({ msgtype: 'image', image: { media_id: 'MEDIA_ITEM' } });
    expect(texts(out)).to.contain('已收到商品照片');
    out = await shopper({ msgtype: 'image', image: { media_id: 'MEDIA_BOX' } });
    out = await says('跳过');
    const merchant = out.find((s) => s.msgtype === 'msgmenu')!;
    out = await taps(merchant, '还没联系商家');
    const proposal = out.find((s) => s.msgtype === 'msgmenu')!;
    expect(proposal.msgmenu!.list.map((i) => i.click.content)).to.include('接受');
    out = await taps(proposal, '接受');
    expect(texts(out)).to.contain('方案已确认');

    const stored = await kefu.app.stores.cases.get(caseId!);
    expect(stored?.status).to.equal('accepted');
    expect(stored?.orderId).to.equal('284716350192837465');
    expect(stored?.evidence.map((e) => [e.kind, e.contentType, e.bytes])).to.deep.equal([
      ['photo_item', 'image/jpeg', JPEG.length],
      ['photo_package', 'image/jpeg', JPEG.length],
    ]);
    // Each turn's replies went out as one WeCom message (5 are allowed per shopper message).
    expect(fake.sent.length).to.equal(8);
  });

  it('checks media from WeChat like any upload: a file that is not a photo or is too large is refused, an unknown media_id is asked again', async () => {
    fake.media.set('MEDIA_TEXT', { data: Buffer.from('这不是图片，是一段文字'.repeat(20)), contentType: 'image/jpeg' });
    const opened = await says('洗发水瓶子破了，漏了一箱 284716350192837465');
    const caseId = /KF\d{4}-[0-9A-Z]+/.exec(texts(opened))?.[0];
    expect(caseId, texts(opened)).to.be.a('string');
    let out = await shopper({ msgtype: 'image', image: { media_id: 'MEDIA_TEXT' } });
    expect(texts(out)).to.match(/^收到的文件是 .+，这一步需要/);
    out = await shopper({ msgtype: 'file', file: { media_id: 'MEDIA_GONE' } });
    expect(texts(out)).to.contain('文件没有接收成功，请重新发送一次。');
    // A third failure moves on to the next photo (as on every channel); that one is too large.
    out = await shopper({ msgtype: 'file', file: { media_id: 'MEDIA_GONE' } });
    expect(texts(out)).to.contain('外包装');
    fake.media.set('MEDIA_HUGE', {
      data: Buffer.concat([JPEG, Buffer.alloc(10 * 1024 * 1024)]),
      contentType: 'image/jpeg',
    });
    out = await shopper({ msgtype: 'image', image: { media_id: 'MEDIA_HUGE' } });
    expect(texts(out)).to.match(/^文件太大了（10\.0MB），单个文件请不要超过 10MB。/);
    expect((await kefu.app.stores.cases.get(caseId!))?.evidence).to.deep.equal([]);
  });

  it("answers WeCom's URL check with the decrypted echostr, and refuses an unsigned or forged one", async () => {
    const timestamp = String(Math.floor(Date.now() / 1000));
    const echostr = fake.crypto.encrypt('8372615509348123');
    const signature = fake.crypto.signature(timestamp, '5551', echostr);
    const url = (sig: string, nonce: string) =>
      `${kefu.app.url}/api/wecom?msg_signature=${sig}&timestamp=${timestamp}&nonce=${nonce}&echostr=${encodeURIComponent(echostr)}`;
    const ok = await fetch(url(signature, '5551'));
    expect([ok.status, await ok.text()]).to.deep.equal([200, '8372615509348123']);
    const forged = await fetch(url(signature, '5552'));
    expect(forged.status).to.equal(401);
    const unsigned = await fetch(`${kefu.app.url}/api/wecom?echostr=${encodeURIComponent(echostr)}`);
    expect(unsigned.status).to.equal(401);
  });

  it('refuses forged, unsigned, replayed, stale and undecryptable callbacks, and pulls nothing for them', async () => {
    fake.add({ external_userid: SHOPPER, msgtype: 'text', text: { content: '洗发水漏了' } });
    expect((await fake.callback(kefu.app.url, { tamper: 'signature' })).status).to.equal(401);
    expect((await fake.callback(kefu.app.url, { tamper: 'unsigned' })).status).to.equal(401);
    expect((await fake.callback(kefu.app.url, { timestamp: Math.floor(Date.now() / 1000) - 3600 })).status).to.equal(
      403,
    );
    expect((await fake.callback(kefu.app.url, { tamper: 'body' })).status).to.equal(400);
    // Encrypted for another company: signed with our token, but not ours to read.
    const foreign = new WeComCrypto(TOKEN, AES_KEY, 'wwSomeOtherCorp').encrypt(
      '<xml><Event><![CDATA[kf_msg_or_event]]></Event></xml>',
    );
    const ts = String(Math.floor(Date.now() / 1000));
    const signed = `msg_signature=${fake.crypto.signature(ts, '77', foreign)}&timestamp=${ts}&nonce=77`;
    expect(
      (await fake.post(kefu.app.url, signed, `<xml><Encrypt><![CDATA[${foreign}]]></Encrypt></xml>`)).status,
    ).to.equal(400);
    // A genuine callback, then the very same request again.
    const genuine = await fake.callback(kefu.app.url, { nonce: '99' });
    expect(genuine.status).to.equal(200);
    const replay = await fake.post(kefu.app.url, genuine.query, genuine.xml);
    expect(replay.status).to.equal(403);
    expect(replay.body).to.contain('nonce');
    await kefu.app.wecom!.idle();
    // Only the one genuine callback pulled.
    expect(fake.syncs.length).to.equal(1);
    // XML stays refused on every other route.
    const elsewhere = await fetch(`${kefu.app.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'text/xml' },
      body: genuine.xml,
    });
    expect(elsewhere.status).to.equal(415);
  });

  it('asks a shopper who sends a voice message to type or send a photo', async () => {
    const out = await shopper({ msgtype: 'voice', voice: { media_id: 'VOICE1' } });
    expect(texts(out)).to.equal('我没有收到文字内容，请用文字描述一下问题，或直接发送照片。');
  });

  it('fetches a new access_token when WeCom says it expired, and retries a rate-limited send', async () => {
    await says('你好');
    expect(fake.tokensIssued).to.equal(1);
    fake.expireTokens();
    fake.failNext('kf/send_msg', 45009);
    const out = await says('洗发水瓶子破了，漏了一箱');
    expect(out.map((s) => s.msgtype)).to.deep.equal(['msgmenu']);
    expect(fake.tokensIssued).to.equal(2);
    // The token is cached: later calls fetch none.
    await says('取消');
    expect(fake.tokensIssued).to.equal(2);
  });

  it('keeps the sync cursor across a restart: nothing lost, nothing answered twice', async () => {
    fake.pageSize = 2;
    fake.add({ external_userid: SHOPPER, msgtype: 'text', text: { content: '你好' } });
    fake.add({ external_userid: 'u-wangfang', msgtype: 'text', text: { content: '你好' } });
    fake.add({ external_userid: 'u-zhangwei', msgtype: 'text', text: { content: '你好' } });
    // The second page fails (not a retryable error): the pull stops after the first page.
    fake.failNext('kf/sync_msg', 40013, 1, 1);
    await fake.callback(kefu.app.url);
    await kefu.app.wecom!.idle();
    expect(fake.sent.map((s) => s.touser)).to.deep.equal([SHOPPER, 'u-wangfang']);

    await kefu.restart();
    await kefu.app.wecom!.idle();
    // At start kefu pulls again from where the first page ended: the third message is answered
    // without waiting for another callback, and nothing is answered twice.
    // (The failed call is not among the served syncs.)
    expect(fake.syncs.map((s) => s.cursor)).to.deep.equal([undefined, 'c2']);
    expect(fake.sent.map((s) => s.touser)).to.deep.equal([SHOPPER, 'u-wangfang', 'u-zhangwei']);

    fake.add({ external_userid: 'u-chenjing', msgtype: 'text', text: { content: '你好' } });
    await fake.callback(kefu.app.url);
    await kefu.app.wecom!.idle();
    expect(fake.syncs.at(-1)?.cursor).to.equal('c3');
    expect(fake.sent.map((s) => s.touser)).to.deep.equal([SHOPPER, 'u-wangfang', 'u-zhangwei', 'u-chenjing']);
  });

  it('answers each msgid once when WeCom serves messages again', async () => {
    await says('你好');
    expect(fake.sent.length).to.equal(1);
    // As a pull without a cursor does: the last three days again, plus one new message.
    fake.ignoreCursor = true;
    const out = await says('洗发水瓶子破了，漏了一箱');
    expect(out.map((s) => s.msgtype)).to.deep.equal(['msgmenu']);
    expect(fake.sent.length).to.equal(2);
  });

  it("takes 转人工 to the console, and the agent's replies reach WeChat through send_msg", async () => {
    const agent = (path: string, body?: unknown) => agentApi(kefu.app.url, path, body);
    await says('洗发水瓶子破了，漏了一箱 284716350192837465');
    const queued = await says('转人工');
    expect(texts(queued)).to.match(/KF\d{4}-[0-9A-Z]+/);
    const caseId = /KF\d{4}-[0-9A-Z]+/.exec(texts(queued))![0];
    const queue = (await (await agent('/queue')).json()) as { items: { caseId?: string; id?: string }[] };
    expect(JSON.stringify(queue.items)).to.contain(caseId);

    expect((await agent(`/cases/${caseId}/claim`, {})).status).to.equal(200);
    expect((await agent(`/cases/${caseId}/messages`, { text: '您好，我是客服小李，马上为您处理。' })).status).to.equal(
      201,
    );
    await kefu.app.outbox.idle();
    const toShopper = fake.sent
      .filter((s) => s.touser === SHOPPER && s.api === 'send_msg')
      .map((s) => s.text?.content ?? '');
    expect(toShopper.some((t) => t.includes('马上为您处理'))).to.equal(true);

    // The shopper's answer goes to the agent, not to the dialogs.
    const relayed = await says('好的，谢谢');
    expect(relayed).to.have.length(0);
    const file = (await (await agent(`/cases/${caseId}`)).json()) as {
      case: { transcript: { from: string; text: string }[] };
    };
    expect(file.case.transcript.some((t) => t.from === 'shopper' && t.text === '好的，谢谢')).to.equal(true);
  });
});
