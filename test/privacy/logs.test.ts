/**
 * Personal data never reaches the log: a real conversation full of it runs at debug level and the
 * captured log lines are searched for every piece. The masked forms must be there, so the test
 * also fails if the lines simply stopped being written.
 */
import { expect } from 'chai';
import { maskText } from '../../bot/log.js';
import { startHarness, type Harness } from '../support/kefuHarness.js';
import { captureLog } from '../security/logCapture.js';

const MORE_SECRETS = [
  '6222 0212 3456 7890',
  '6222021234567890',
  '１３８１２３４５６７８',
  '13812345678',
  '11010119900307457X',
  '阳光花园',
  '文一西路',
  '王芳',
  'Baker Street',
  'Emily Stone',
];
const SECRETS = [
  '13812345678',
  '139 1234 5678',
  '张小明',
  '世纪大道100号',
  '浦东新区',
  '284716350192837465',
  'John Smith',
  'john.smith@example.com',
  '221 Baker Street',
  'Li Hua Real',
];

describe('privacy: logs', function () {
  this.timeout(30_000);

  it('masks phones, e-mails, order ids, addresses and names in free text', () => {
    expect(maskText('电话13812345678')).to.equal('电话138****5678');
    expect(maskText('call +86 139 1234 5678')).to.equal('call 139****5678');
    expect(maskText('订单284716350192837465')).to.equal('订单28…65');
    expect(maskText('寄到上海市浦东新区世纪大道100号3栋')).to.not.match(/世纪大道|浦东/);
    expect(maskText('我叫张小明')).to.equal('我叫[name]');
    expect(maskText('My name is John Smith, mail john.smith@example.com, 221 Baker Street')).to.equal(
      'My name is [name], mail [email], [address]',
    );
    expect(maskText('the milk expired 3 days ago')).to.equal('the milk expired 3 days ago');
  });

  it('masks bank cards, ID numbers, full-width digits, buildings, roads and more names', () => {
    expect(maskText('卡号6222 0212 3456 7890')).to.equal('卡号62…90');
    expect(maskText('card 6222-0212-3456-7890-123')).to.equal('card 62…23');
    expect(maskText('手机１３８１２３４５６７８')).to.equal('手机138****5678');
    expect(maskText('身份证 110101 19900307 457X')).to.equal('身份证 11…7X');
    expect(maskText('送到阳光花园小区5栋2单元301')).to.not.match(/阳光|5栋|301/);
    expect(maskText('杭州市西湖区文三路')).to.equal('[address]');
    expect(maskText('联系人：王芳')).to.equal('联系人:[name]');
    expect(maskText('我是王芳，想问一下')).to.equal('我是[name],想问一下');
    expect(maskText('我是想问一下退款')).to.equal('我是想问一下退款');
    expect(maskText("I'm Emily Stone, Apt 5B, 221B Baker Street")).to.equal("I'm [name], [address], [address]");
  });

  it('masks what a child logger is bound with, at debug level too', () => {
    const captured = captureLog('debug');
    captured.log
      .child({ shopper: '我是王芳，手机１３８１２３４５６７８' })
      .debug({ card: '6222 0212 3456 7890' }, '卡号6222021234567890');
    const text = captured.text();
    for (const secret of ['王芳', '１３８１２３４５６７８', '6222 0212 3456 7890', '6222021234567890'])
      expect(text, secret).to.not.include(secret);
    expect(text).to.include('138****5678');
  });

  it('keeps cards, full-width phones, addresses and names out of a debug log of a real conversation', async () => {
    const captured = captureLog('debug');
    const h: Harness = await startHarness({ LOG_LEVEL: 'debug' }, { log: captured.log });
    try {
      await h.say('pii-3', 'u-wangfang', {
        text: '我是王芳，手机１３８１２３４５６７８，卡号6222 0212 3456 7890，身份证11010119900307457X，地址浙江杭州余杭区五常街道文一西路阳光花园小区5栋2单元301，牛奶过期了',
      });
      await h.say('pii-3', 'u-wangfang', { text: '退款到6222021234567890' });
      await h.say('pii-4', 'u-emily', { locale: 'en-US', text: "I'm Emily Stone, 221B Baker Street. My milk expired" });
      const text = captured.text();
      expect(captured.lines().length).to.be.greaterThan(3);
      for (const secret of MORE_SECRETS) expect(text, `the log contains "${secret}"`).to.not.include(secret);
      expect(text).to.include('138****5678');
    } finally {
      await h.close();
    }
  });

  it('keeps personal data out of the log of a real conversation at debug level', async () => {
    const captured = captureLog('debug');
    const h: Harness = await startHarness({ LOG_LEVEL: 'debug' }, { log: captured.log });
    try {
      await h.say('pii-1', 'u-lihua', {
        from: { id: 'u-lihua', name: 'Li Hua Real' },
        text: '我叫张小明，手机13812345678，地址上海市浦东新区世纪大道100号，订单284716350192837465 的牛奶过期了',
      });
      await h.say('pii-1', 'u-lihua', { from: { id: 'u-lihua', name: 'Li Hua Real' }, text: '284716350192837465' });
      await h.say('pii-2', 'u-emily', {
        locale: 'en-US',
        text: 'My name is John Smith, phone +86 139 1234 5678, email john.smith@example.com, I live at 221 Baker Street. Agent please',
      });
      const text = captured.text();
      expect(captured.lines().length).to.be.greaterThan(3);
      for (const secret of SECRETS) expect(text, `the log contains "${secret}"`).to.not.include(secret);
      expect(text).to.include('138****5678');
      expect(text).to.include('139****5678');
    } finally {
      await h.close();
    }
  });
});
