import { expect } from 'chai';
import {
  controlByMeaning,
  isCorrection,
  matchOrder,
  ordinalOf,
  recognizeChoice,
  recognizeDecline,
  recognizeNumber,
  recognizeRating,
  recognizeYesNo,
  type OrderCandidate,
} from '../../intents/answers/index.js';
import { extractDates, extractEntities, loadClassifier } from '../../intents/index.js';

describe('one date parser, with a year rule that fits the question (intents/extract/dates)', () => {
  const typedOn = new Date(2026, 10, 30); // 2026-11-30
  const delivered = new Date(2026, 10, 28);
  const expiry = (t: string, now = typedOn, reference = delivered) =>
    extractDates(t, now, { reference, expect: 'expiry' }).map((x) => `${x.role}:${x.date}`);

  it('an expiry date without a year is the nearest one around the delivery date', () => {
    // Old rule: a year-less date in the future is last year's, so the snack looked a year expired.
    expect(expiry('12月3日')).to.deep.equal(['expiry:2026-12-03']);
    expect(expiry('12月3')).to.deep.equal(['expiry:2026-12-03']);
    expect(expiry('Dec 3')).to.deep.equal(['expiry:2026-12-03']);
    expect(expiry('3 December')).to.deep.equal(['expiry:2026-12-03']);
    // Across the new year: typed on 2 January about goods delivered on 30 December.
    expect(expiry('12月28日', new Date(2027, 0, 2), new Date(2026, 11, 30))).to.deep.equal(['expiry:2026-12-28']);
    expect(expiry('1月5日', new Date(2026, 11, 31), new Date(2026, 11, 29))).to.deep.equal(['expiry:2027-01-05']);
  });

  it('a production or delivery date without a year is never in the future', () => {
    expect(extractDates('12月30日生产', new Date(2026, 4, 20)).map((x) => x.date)).to.deep.equal(['2025-12-30']);
    expect(extractDates('5月18日收到的', new Date(2026, 4, 20)).map((x) => x.date)).to.deep.equal(['2026-05-18']);
  });

  it('relative dates, before and after today, in both languages', () => {
    expect(expiry('只剩三天')).to.deep.equal(['expiry:2026-12-03']);
    expect(expiry('三天后过期')).to.deep.equal(['expiry:2026-12-03']);
    expect(expiry('还有两天到期')).to.deep.equal(['expiry:2026-12-02']);
    expect(expiry('上周就过期了')).to.deep.equal(['expiry:2026-11-23']);
    expect(expiry('过期三天了')).to.deep.equal(['expiry:2026-11-27']);
    expect(expiry('yesterday')).to.deep.equal(['expiry:2026-11-29']);
    expect(expiry('in 3 days')).to.deep.equal(['expiry:2026-12-03']);
    expect(expiry('only 3 days left')).to.deep.equal(['expiry:2026-12-03']);
    expect(expiry('it expired last week')).to.deep.equal(['expiry:2026-11-23']);
    // The role of a relative date still comes from the words beside it.
    expect(extractDates('三天前收到的', typedOn).map((x) => `${x.role}:${x.date}`)).to.deep.equal([
      'delivery:2026-11-27',
    ]);
    expect(extractDates('保质期3个月', typedOn)).to.deep.equal([]);
  });
});

describe('answer recognizers (intents/answers)', () => {
  it('yes and no with extra words, both languages', () => {
    for (const t of [
      '可以，谢谢',
      '是的',
      '对，就是这笔',
      '好的呀',
      '有标注',
      '没问题',
      'yes please',
      'sure, go ahead',
      'Yes, it did',
      'ok thanks',
    ])
      expect(recognizeYesNo(t), t).to.equal(true);
    for (const t of [
      '没有',
      '不是',
      '没标',
      '不同意',
      '不用了谢谢',
      'no',
      'not yet',
      "No, it didn't",
      'nope',
      "I haven't",
    ])
      expect(recognizeYesNo(t), t).to.equal(false);
    for (const t of ['the milk', '卡乐比', '12月3日']) expect(recognizeYesNo(t), t).to.equal(undefined);
  });

  it('ordinals', () => {
    expect(
      [
        '1',
        '2.',
        '第二个',
        '第2个',
        '第三笔',
        'the second one',
        'second',
        '2nd',
        'number 2',
        '最后一个',
        'the last one',
      ].map(ordinalOf),
    ).to.deep.equal([1, 2, 2, 2, 3, 2, 2, 2, 2, -1, -1]);
    expect(['卡乐比', '120cm', '2026'].map(ordinalOf)).to.deep.equal([undefined, undefined, undefined]);
  });

  it('a choice by value, title, fragment, SKU or position; several fitting is ambiguous', () => {
    const items = [
      {
        value: 'CALBEE-JP-3',
        names: ['日本卡乐比薯条三兄弟 18袋装', 'Calbee Jagarico potato stick snacks, 18 bags (Japan)', 'CALBEE-JP-3'],
      },
      { value: 'KR-SEAWEED', names: ['韩国海苔 12包', 'Korean seaweed snack, 12 packs', 'KR-SEAWEED'] },
    ];
    const pick = (t: string, v?: unknown) => {
      const a = recognizeChoice(t, v, items);
      return a.ok ? a.value : a.reason;
    };
    expect(pick('卡乐比')).to.equal('CALBEE-JP-3');
    expect(pick('1')).to.equal('CALBEE-JP-3');
    expect(pick('第二个')).to.equal('KR-SEAWEED');
    expect(pick('kr-seaweed')).to.equal('KR-SEAWEED');
    expect(pick('the seaweed')).to.equal('KR-SEAWEED');
    expect(pick('', 'CALBEE-JP-3')).to.equal('CALBEE-JP-3');
    expect(pick('12包')).to.equal('KR-SEAWEED');
    expect(pick('巧克力')).to.equal('choice');
  });

  it('declining a step in any wording', () => {
    for (const t of [
      'no video sorry',
      '没有视频，不好意思',
      '没拍',
      "I didn't film it",
      'threw the box away',
      '没保留',
    ])
      expect(recognizeDecline(t), t).to.equal('dont_have');
    for (const t of ['skip', '跳过吧', 'skip this one please']) expect(recognizeDecline(t), t).to.equal('skip');
    for (const t of ['12月3日', 'the seller refused']) expect(recognizeDecline(t), t).to.equal(undefined);
  });

  it('numbers for the unit asked', () => {
    const n = (t: string, unit: string) => {
      const p = recognizeNumber(t, extractEntities(t), { unit, min: 0, max: 10000 });
      return p.ok ? p.value : p.reason;
    };
    expect([
      n('1.2米', 'cm'),
      n('一半', 'share'),
      n('3 out of 10', 'share'),
      n('30%', 'share'),
      n('两天', 'hours'),
      n('abc', 'cm'),
    ]).to.deep.equal([120, 0.5, 0.3, 0.3, 48, 'number']);
  });

  it('a correction marker, and controls by meaning only when the classifier is sure', () => {
    expect(['不对，是12月5日', 'actually it is December 5', 'I meant 100cm'].map(isCorrection)).to.deep.equal([
      true,
      true,
      true,
    ]);
    expect(['12月5日', 'the seller refused'].map(isCorrection)).to.deep.equal([false, false]);
    const classifier = loadClassifier();
    const meaning = (t: string) => controlByMeaning(classifier.classify(t));
    expect(meaning('算了不要了，不处理了')).to.equal('cancel');
    expect(meaning("forget it, I don't want to deal with this")).to.equal('cancel');
    expect(meaning('帮我找个人工吧')).to.equal('human');
    expect(meaning('我不知道怎么发照片')).to.equal('help');
    expect(meaning('商家拒绝了')).to.equal(undefined);
    expect(controlByMeaning({ intent: 'cancel', confidence: 0.63 })).to.equal(undefined);
  });

  it('a rating typed as text', () => {
    expect(
      ['5', '5星', '五星好评', '4分', 'great, 5 stars', '5/5', '★★★', '很满意', 'terrible', '不满意'].map(
        recognizeRating,
      ),
    ).to.deep.equal([5, 5, 5, 4, 5, 5, 3, 5, 1, 2]);
    expect(recognizeRating('where is my refund')).to.equal(undefined);
  });

  it('an order named in words, by category, by day or by position', () => {
    const now = new Date(2026, 10, 30, 12);
    const orders: OrderCandidate[] = [
      {
        id: 'snacks',
        merchant: '环球进口零食专营店',
        deliveredAt: new Date(2026, 10, 29, 10).toISOString(),
        items: [
          {
            sku: 'CALBEE-JP-3',
            names: ['日本卡乐比薯条三兄弟 18袋装', 'Calbee Jagarico potato stick snacks, 18 bags (Japan)'],
            category: 'food',
          },
          { sku: 'KR-SEAWEED', names: ['韩国海苔 12包', 'Korean seaweed snack, 12 packs'], category: 'food' },
        ],
      },
      {
        id: 'shrimp',
        merchant: '海鲜冻品专营店',
        deliveredAt: new Date(2026, 10, 28, 10).toISOString(),
        items: [
          {
            sku: 'EC-SHRIMP-2KG',
            names: ['厄瓜多尔白虾 冷冻 2kg', 'Ecuadorian white shrimp, frozen, 2kg'],
            category: 'fresh',
          },
        ],
      },
      {
        id: 'kettle',
        merchant: '美的生活电器旗舰店',
        deliveredAt: new Date(2026, 10, 20, 10).toISOString(),
        items: [{ sku: 'KETTLE-1.7', names: ['美的电水壶 1.7L', 'Midea electric kettle 1.7L'], category: 'appliance' }],
      },
    ];
    expect(matchOrder('零食那个订单', orders, now)).to.deep.equal({ kind: 'one', orderId: 'snacks' });
    expect(matchOrder('卡乐比薯条过期了', orders, now, 3)).to.deep.equal({
      kind: 'one',
      orderId: 'snacks',
      sku: 'CALBEE-JP-3',
    });
    expect(matchOrder('the shrimp', orders, now)).to.deep.equal({
      kind: 'one',
      orderId: 'shrimp',
      sku: 'EC-SHRIMP-2KG',
    });
    expect(matchOrder('the kettle order', orders, now)).to.deep.equal({
      kind: 'one',
      orderId: 'kettle',
      sku: 'KETTLE-1.7',
    });
    expect(matchOrder('昨天到的', orders, now)).to.deep.equal({ kind: 'one', orderId: 'snacks' });
    expect(matchOrder('the second one', orders, now)).to.deep.equal({ kind: 'one', orderId: 'shrimp' });
    expect(matchOrder('专营店', orders, now)).to.deep.equal({ kind: 'several', orderIds: ['snacks', 'shrimp'] });
    expect(matchOrder('iPhone', orders, now)).to.deep.equal({ kind: 'none' });
  });
});
