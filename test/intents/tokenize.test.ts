import { expect } from 'chai';
import { features } from '../../intents/index.js';
import { featuresOfNormalized } from '../../intents/tokenize.js';
import { normalize } from '../../intents/normalize.js';

const shared = (a: string, b: string) => {
  const fb = new Set(features(b));
  return features(a).filter((f) => fb.has(f));
};

describe('classifier features', () => {
  it('gives synonyms of one domain idea a shared concept feature, in both languages', () => {
    expect(shared('my parcel is late', 'the courier is slow')).to.include('k:ship');
    expect(shared('my package never came', 'tracking stuck')).to.include('k:ship');
    expect(shared('the lettuce wilted', 'strawberries are mouldy')).to.include.members(['k:rot', 'k:produce']);
    expect(shared('快递三天没动', '包裹还没到')).to.include('k:ship');
    expect(shared('草莓烂了', '车厘子发霉了')).to.include.members(['k:rot', 'k:produce']);
    expect(features('the table is lovely')).not.to.satisfy((fs: string[]) => fs.some((f) => f.startsWith('k:')));
  });

  it('lets a typo keep most of an English word through letter trigrams', () => {
    const right = features('expired').filter((f) => f.startsWith('t:'));
    const typo = new Set(features('expird').filter((f) => f.startsWith('t:')));
    expect(right.length).to.be.greaterThan(3);
    expect(right.filter((f) => typo.has(f)).length).to.be.at.least(right.length / 2);
  });

  it('keeps pronouns, auxiliaries and negations, which carry intent in short messages', () => {
    expect(features('where is my refund')).to.include.members(['e:where', 'e:is', 'e:my', 'e2:is_my']);
    expect(features("it didn't arrive")).to.include.members(['e:not', 'e2:not_arriv']);
    expect(features('the box')).not.to.include('e:the');
  });

  it('gives the same features whether it normalises the text or is handed normalised text', () => {
    for (const text of ['１２０ｃｍ的桌子 too small', 'Box ARRIVED crushed!', '快递丢了 order 1234567890123456']) {
      expect(featuresOfNormalized(normalize(text))).to.deep.equal(features(text));
    }
  });

  it('remembers stems without changing them', () => {
    const first = features('refunds refunding refunded');
    expect(features('refunds refunding refunded')).to.deep.equal(first);
    expect(first).to.include('e:refund');
  });
});
