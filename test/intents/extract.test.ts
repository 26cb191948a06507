import { expect } from 'chai';
import {
  extractAmounts,
  extractDates,
  extractEntities,
  extractHarm,
  extractMerchantResponse,
  extractOrderIds,
  extractShares,
  extractSizes,
  extractWeights,
} from '../../intents/index.js';
import { mayMentionDates } from '../../intents/entities.js';

const now = new Date(2026, 4, 20); // Wednesday 2026-05-20

describe('fact extraction', () => {
  it('order ids: 16-19 digit runs and ids after 订单号 / order #, never phone numbers', () => {
    expect(extractOrderIds('订单1234567890123456坏了')).to.deep.equal(['1234567890123456']);
    expect(extractOrderIds('单号:2233445566778899001')).to.deep.equal(['2233445566778899001']);
    expect(extractOrderIds('order #A12345678 broke')).to.deep.equal(['A12345678']);
    expect(extractOrderIds('订单号是 DD20260501001')).to.deep.equal(['DD20260501001']);
    expect(extractOrderIds('call me on 13812345678')).to.deep.equal([]);
    expect(extractOrderIds('12345678901234567890123')).to.deep.equal([]);
    expect(extractOrderIds('order number please')).to.deep.equal([]);
  });

  it('dates with roles, absolute and relative, both languages', () => {
    const d = (t: string) => extractDates(t, now).map(({ role, date }) => `${role}:${date}`);
    expect(d('生产日期2026-05-01')).to.deep.equal(['production:2026-05-01']);
    expect(d('5月1日就过期了')).to.deep.equal(['expiry:2026-05-01']);
    expect(d('2026年4月3日生产的')).to.deep.equal(['production:2026-04-03']);
    expect(d('昨天收到的')).to.deep.equal(['delivery:2026-05-19']);
    expect(d('上周二签收')).to.deep.equal(['delivery:2026-05-12']);
    expect(d('3天前到的货')).to.deep.equal(['delivery:2026-05-17']);
    expect(d('it arrived last Tuesday')).to.deep.equal(['delivery:2026-05-19']);
    expect(d('best before May 1')).to.deep.equal(['expiry:2026-05-01']);
    expect(d('made on 3 March 2026')).to.deep.equal(['production:2026-03-03']);
    expect(d('delivered yesterday')).to.deep.equal(['delivery:2026-05-19']);
    expect(d('12月30日生产')).to.deep.equal(['production:2025-12-30']);
    // An expiry date without a year is the nearest one around the reference day (default: today).
    expect(d('保质期到12月30日')).to.deep.equal(['expiry:2025-12-30']);
    expect(d('2026-02-30')).to.deep.equal([]);
    expect(d('买了3/10个')).to.deep.equal([]);
    expect(d('may I ask something, 5月份')).to.deep.equal([]);
  });

  it('sizes with units and dimensions', () => {
    const s = (t: string) =>
      extractSizes(t).map(({ value, unit, dims }) => (dims ? `${dims.join('x')}${unit}` : `${value}${unit}`));
    expect(s('说是120x60cm')).to.deep.equal(['120x60cm']);
    expect(s('120*60*75厘米的桌子')).to.deep.equal(['120x60x75cm']);
    expect(s('1.8米的床')).to.deep.equal(['1.8m']);
    expect(s('一米八的床')).to.deep.equal(['1.8m']);
    expect(s('30升的垃圾桶')).to.deep.equal(['30L']);
    expect(s('500ml, 24寸, 27 inch, 5 mm')).to.deep.equal(['500ml', '24in', '27in', '5mm']);
    expect(s('１２０ｃｍ')).to.deep.equal([]); // extractSizes expects normalised text; see extractEntities
    expect(extractEntities('１２０ｃｍ').sizes.map((x) => x.value)).to.deep.equal([120]);
    expect(s('5 min, 10斤大米, 玉米, 2x faster, 手机升级')).to.deep.equal([]);
  });

  it('weights in grams', () => {
    const w = (t: string) => extractWeights(t).map((x) => x.grams);
    expect(w('八两')).to.deep.equal([400]);
    expect(w('500g')).to.deep.equal([500]);
    expect(w('1斤')).to.deep.equal([500]);
    expect(w('一斤半')).to.deep.equal([750]);
    expect(w('半斤')).to.deep.equal([250]);
    expect(w('2.5kg, 3公斤')).to.deep.equal([2500, 3000]);
    expect(w('2 lbs')).to.deep.equal([907.2]);
    expect(w('三两天就坏了, 两个苹果, 5 grapes, 300ml')).to.deep.equal([]);
  });

  it('shares affected', () => {
    const r = (t: string) => extractShares(t).map((x) => x.ratio);
    expect(r('烂了一半')).to.deep.equal([0.5]);
    expect(r('3 of 10 were rotten')).to.deep.equal([0.3]);
    expect(r('3 out of 12')).to.deep.equal([0.25]);
    expect(r('三分之一坏了')).to.deep.equal([0.333]);
    expect(r('百分之三十')).to.deep.equal([0.3]);
    expect(r('10个坏了3个')).to.deep.equal([0.3]);
    expect(r('half of them')).to.deep.equal([0.5]);
    expect(r('全部烂了')).to.deep.equal([1]);
    expect(r('30% off today, 3 of them, 打八折')).to.deep.equal([]);
  });

  it('amounts in yuan', () => {
    const a = (t: string) => extractAmounts(t).map((x) => x.yuan);
    expect(a('¥59')).to.deep.equal([59]);
    expect(a('￥59.9')).to.deep.equal([]); // full-width sign: normalised by extractEntities
    expect(extractEntities('￥59.9').amounts.map((x) => x.yuan)).to.deep.equal([59.9]);
    expect(a('花了59元')).to.deep.equal([59]);
    expect(a('59块钱, 20块')).to.deep.equal([59, 20]);
    expect(a('RMB 100, 35 yuan')).to.deep.equal([100, 35]);
    expect(a('五十九元')).to.deep.equal([59]);
    expect(a('3块饼干, 500g, 元旦, 59 days')).to.deep.equal([]);
  });

  it("the merchant's response", () => {
    expect(extractMerchantResponse('商家拒绝退款')).to.equal('refused');
    expect(extractMerchantResponse('商家不同意')).to.equal('refused');
    expect(extractMerchantResponse('卖家说是拍摄角度问题')).to.equal('refused');
    expect(extractMerchantResponse('the seller refused to refund')).to.equal('refused');
    expect(extractMerchantResponse('商家一直不回复')).to.equal('no_reply');
    expect(extractMerchantResponse("seller didn't reply")).to.equal('no_reply');
    expect(extractMerchantResponse('商家同意补发了')).to.equal('agreed');
    expect(extractMerchantResponse('the seller agreed to reship')).to.equal('agreed');
    expect(extractMerchantResponse('还没联系商家')).to.equal('not_contacted');
    expect(extractMerchantResponse("I haven't contacted the seller")).to.equal('not_contacted');
    expect(extractMerchantResponse('牛奶过期了')).to.equal(undefined);
    expect(extractMerchantResponse('the box was crushed and I refused delivery')).to.equal(undefined);
  });

  it('harm suggested by the words: illness, injury, a foreign object, both languages', () => {
    const k = (t: string) => extractHarm(t)?.kind;
    for (const t of [
      '孩子喝了这个牛奶拉肚子了',
      '吃完肚子疼',
      '喝了以后呕吐',
      '吃了过敏了',
      '吃了以后一直不舒服',
      '昨天吃了住院了',
      '食物中毒',
    ])
      expect(k(t), t).to.equal('illness');
    for (const t of [
      'my son got sick after drinking it',
      'I was vomiting all night',
      'food poisoning from the yogurt',
      'had an allergic reaction',
      'it made my daughter sick',
      'we ended up in hospital',
    ])
      expect(k(t), t).to.equal('illness');
    for (const t of [
      '开盒的时候被划伤了',
      '烫伤了手',
      '玻璃碴把手割破了',
      '插上就被电到了',
      'I cut myself on the lid',
      'the kettle burned my hand',
      'my kid got hurt',
      'chipped my tooth on it',
    ])
      expect(k(t), t).to.equal('injury');
    for (const t of [
      '吃到异物',
      '面包里面有玻璃',
      '喝出一根头发',
      '孩子把干燥剂吞了',
      'found glass in it',
      'there was a piece of metal in the bread',
      'a hair in my soup',
      'my son swallowed something',
    ])
      expect(k(t), t).to.equal('foreign_object');
    for (const t of [
      '不舒服的包装',
      '这把椅子坐着不舒服',
      '牛奶过期了',
      '玻璃瓶碎了一地',
      '没有人不舒服，就是过期了',
      'nobody got sick but it expired',
      "I'm sick of waiting for a refund",
      'the box was cut open',
      'the glass jar arrived broken',
      'crabs dead on arrival',
      '商家拒绝退款',
      '充电到一半就停了',
      '退款被吞了',
    ])
      expect(k(t), t).to.equal(undefined);
    expect(extractEntities('孩子喝了这个牛奶拉肚子了', now).harm?.kind).to.equal('illness');
    expect(extractEntities('草莓烂了一半', now).harm).to.equal(undefined);
  });

  it('keeps order-id digits out of the other facts', () => {
    const e = extractEntities('订单号 2026050112345678 草莓烂了一半', now);
    expect(e.orderIds).to.deep.equal(['2026050112345678']);
    expect(e.dates).to.deep.equal([]);
    expect(e.amounts).to.deep.equal([]);
    expect(e.shares.map((s) => s.ratio)).to.deep.equal([0.5]);
  });
});

describe('messages that may mention dates', () => {
  const reference = new Date(2024, 1, 10);
  it('tells a message whose facts do not depend on the reference day', () => {
    for (const text of [
      '洗发水瓶子破了，漏了一箱 284716350192837465',
      'the lid was cracked, order 284716350192837465',
    ]) {
      expect(mayMentionDates(text), text).to.equal(false);
      expect(extractEntities(text, now, { reference }), text).to.deep.equal(extractEntities(text, now));
    }
  });

  it('keeps every message with a date word, number or month name', () => {
    for (const text of [
      '2月29日过期的牛奶',
      '昨天收到的',
      '保质期到３月１日',
      'expired on Feb 29',
      'it came 3 days ago',
    ])
      expect(mayMentionDates(text), text).to.equal(true);
    // The reason it matters: a year-less date is placed around the reference day.
    const text = '2月29日过期的牛奶';
    expect(extractEntities(text, now, { reference }).dates).to.not.deep.equal(extractEntities(text, now).dates);
  });
});
