/**
 * Personal data never reaches the log: a real conversation full of it runs at debug level and the
 * captured log lines are searched for every piece. The masked forms must be there, so the test
 * also fails if the lines simply stopped being written.
 */
import { expect } from 'chai';
import { maskText } from '../../bot/log.js';
import { startHarness, type Harness } from '../support/kefuHarness.js';
import { captureLog } from '../security/logCapture.js';

const SECRETS = ['13812345678', '139 1234 5678', '张小明', '世纪大道100号', '浦东新区', '284716350192837465', 'John Smith', 'john.smith@example.com', '221 Baker Street', 'Li Hua Real'];

describe('privacy: logs', function () {
  this.timeout(30_000);

  it('masks phones, e-mails, order ids, addresses and names in free text', () => {
    expect(maskText('电话13812345678')).to.equal('电话138****5678');
    expect(maskText('call +86 139 1234 5678')).to.equal('call 139****5678');
    expect(maskText('订单284716350192837465')).to.equal('订单28…65');
    expect(maskText('寄到上海市浦东新区世纪大道100号3栋')).to.not.match(/世纪大道|浦东/);
    expect(maskText('我叫张小明')).to.equal('我叫[name]');
    expect(maskText('My name is John Smith, mail john.smith@example.com, 221 Baker Street')).to.equal('My name is [name], mail [email], [address]');
    expect(maskText('the milk expired 3 days ago')).to.equal('the milk expired 3 days ago');
  });

  it('keeps personal data out of the log of a real conversation at debug level', async () => {
    const captured = captureLog('debug');
    const h: Harness = await startHarness({ LOG_LEVEL: 'debug' }, { log: captured.log });
    try {
      await h.say('pii-1', 'u-lihua', { from: { id: 'u-lihua', name: 'Li Hua Real' }, text: '我叫张小明，手机13812345678，地址上海市浦东新区世纪大道100号，订单284716350192837465 的牛奶过期了' });
      await h.say('pii-1', 'u-lihua', { from: { id: 'u-lihua', name: 'Li Hua Real' }, text: '284716350192837465' });
      await h.say('pii-2', 'u-emily', { locale: 'en-US', text: 'My name is John Smith, phone +86 139 1234 5678, email john.smith@example.com, I live at 221 Baker Street. Agent please' });
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
