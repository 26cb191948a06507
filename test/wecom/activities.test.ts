/** What kefu's replies look like in WeChat, and what a shopper's tap or message becomes. */
import { expect } from 'chai';
import { MessageFactory } from 'botbuilder';
import { toActivity, toMessages } from '../../bot/wecom/activities.js';

const tapOf = (id: string, content: string) =>
  toActivity({
    msgid: 'm1',
    open_kfid: 'wk1',
    external_userid: 'u1',
    origin: 3,
    msgtype: 'text',
    text: { content, menu_id: id },
  });

describe('WeCom messages', () => {
  it("joins a turn's replies into one message, the question's choices as a msgmenu", () => {
    const out = toMessages([
      MessageFactory.text('已为您创建工单 KF2611-ABC123。'),
      { type: 'typing' },
      MessageFactory.suggestedActions(
        [
          { type: 'imBack', title: '接受', value: '接受' },
          { type: 'imBack', title: '不接受，转人工', value: '不接受，转人工' },
        ],
        '您接受这个方案吗？',
      ),
    ]);
    expect(out).to.have.length(1);
    expect(out[0]).to.deep.include({ msgtype: 'msgmenu' });
    const menu = (out[0] as Extract<(typeof out)[0], { msgtype: 'msgmenu' }>).msgmenu;
    expect(menu.head_content).to.equal('已为您创建工单 KF2611-ABC123。\n\n您接受这个方案吗？');
    expect(menu.list.map((i) => i.click.content)).to.deep.equal(['接受', '不接受，转人工']);
    // A tap comes back as the button's value, answering the question like a button.
    expect(tapOf(menu.list[1]!.click.id, '不接受，转人工')?.text).to.equal('不接受，转人工');
  });

  it("keeps to WeCom's limits: 2048-byte texts, 64-byte ids, 128-byte labels, 10 items", () => {
    const long = '破'.repeat(1000); // 3000 bytes
    const texts = toMessages([MessageFactory.text(long)]);
    expect(texts.map((m) => (m as { text: { content: string } }).text.content).join('')).to.equal(long);
    expect(texts.every((m) => Buffer.byteLength((m as { text: { content: string } }).text.content) <= 2048)).to.equal(
      true,
    );

    const value = '这个值很长'.repeat(10);
    const actions = Array.from({ length: 12 }, (_, i) => ({
      type: 'imBack',
      title: `${'选项'.repeat(30)}${i}`,
      value: i === 0 ? value : `v${i}`,
    }));
    const [menu] = toMessages([MessageFactory.suggestedActions(actions, '请选择')]) as {
      msgmenu: { list: { click: { id: string; content: string } }[] };
    }[];
    expect(menu!.msgmenu.list).to.have.length(10);
    for (const item of menu!.msgmenu.list) {
      expect(Buffer.byteLength(item.click.id)).to.be.within(1, 64);
      expect(Buffer.byteLength(item.click.content)).to.be.within(1, 128);
    }
    // Too long a value for an id: the tap answers with the label the shopper saw.
    expect(tapOf(menu!.msgmenu.list[0]!.click.id, '选项选项')?.text).to.equal('选项选项');
  });

  it('turns a voice message into an empty message, an enter_session with a welcome_code into a greeting carrying the order from scene_param', () => {
    const voice = toActivity({
      msgid: 'm2',
      open_kfid: 'wk1',
      external_userid: 'u1',
      origin: 3,
      msgtype: 'voice',
      voice: { media_id: 'x' },
    });
    expect([voice?.type, voice?.text, voice?.attachments]).to.deep.equal(['message', '', undefined]);
    const location = toActivity({
      msgid: 'm6',
      open_kfid: 'wk1',
      external_userid: 'u1',
      origin: 3,
      msgtype: 'location',
    });
    expect([location?.type, location?.text]).to.deep.equal(['message', '']);
    const event = {
      event_type: 'enter_session',
      open_kfid: 'wk1',
      external_userid: 'u1',
      scene_param: '284716350192837465',
    };
    const enter = toActivity({ msgid: 'm3', msgtype: 'event', origin: 4, event: { ...event, welcome_code: 'W1' } });
    expect(enter?.type).to.equal('conversationUpdate');
    expect(enter?.channelData).to.deep.equal({
      wecom: { scene: '', orderId: '284716350192837465', welcomeCode: 'W1' },
    });
    // No welcome_code: WeCom allows no greeting now, so the bot is not asked for one.
    expect(toActivity({ msgid: 'm5', msgtype: 'event', origin: 4, event })).to.equal(undefined);
    // An agent's own message in the WeCom client is not the shopper talking.
    expect(
      toActivity({
        msgid: 'm4',
        open_kfid: 'wk1',
        external_userid: 'u1',
        origin: 5,
        msgtype: 'text',
        text: { content: '您好' },
      }),
    ).to.equal(undefined);
  });
});
