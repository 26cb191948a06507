/**
 * kefu's WeCom 微信客服 channel end to end: the real kefu behind `/api/wecom`, a local stand-in
 * of WeCom (test/wecom/fakeWeCom.ts) signing and encrypting callbacks, serving sync_msg pages,
 * gettoken and media/get, and recording what kefu sends.
 */
import { expect } from 'chai';
import { startHarness, type Harness } from '../support/kefuHarness.js';
import { KF, startFakeWeCom, wecomEnv, type FakeWeCom, type Sent } from './fakeWeCom.js';

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
    const item = menu.msgmenu!.list.find((i) => (typeof label === 'string' ? i.click.content === label : label.test(i.click.content)));
    expect(item, `no menu item ${label} in ${JSON.stringify(menu.msgmenu)}`).to.not.equal(undefined);
    return shopper({ msgtype: 'text', text: { content: item!.click.content, menu_id: item!.click.id } });
  };
  const texts = (sent: Sent[]) => sent.map((s) => s.text?.content ?? s.msgmenu?.head_content ?? '').join('\n');

  it('holds the shampoo story in Chinese: menus as msgmenu, taps answer them, photos become evidence', async () => {
    fake.media.set('MEDIA_ITEM', { data: JPEG, contentType: 'image/jpeg' });
    fake.media.set('MEDIA_BOX', { data: JPEG, contentType: 'image/jpeg' });
    let out = await shopper({ msgtype: 'event', origin: 4, event: { event_type: 'enter_session', open_kfid: KF, external_userid: SHOPPER, scene: 'order', scene_param: '284716350192837465', welcome_code: 'WELCOME1' } });
    expect(out.map((s) => s.api)).to.deep.equal(['send_msg_on_event']);
    expect(out[0]!.code).to.equal('WELCOME1');
    expect(texts(out)).to.contain('kefu');

    out = await says('洗发水瓶子破了，漏了一箱');
    expect(out.map((s) => s.msgtype)).to.deep.equal(['msgmenu']);
    expect(out[0]!.touser).to.equal(SHOPPER);

    out = await taps(out[0]!, /海飞丝/);
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
});
