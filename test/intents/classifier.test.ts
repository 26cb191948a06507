import { expect } from 'chai';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  loadClassifier,
  loadHeldOut,
  loadTrainingData,
  MODEL_FILE,
  parseExamples,
  parseTrainingFile,
  readModel,
  trainModel,
  serializeModel,
} from '../../intents/index.js';
import { INTENTS } from '../../intents/labels.js';
import { captureIo } from '../support/cliIo.js';
import { main } from '../../bot/cli/main.js';

describe('intent classifier', () => {
  const classifier = loadClassifier();

  it('ships an artifact built from the current training data (run `npm run train` if this fails)', () => {
    expect(readModel(MODEL_FILE).dataHash).to.equal(loadTrainingData().hash);
  });

  it('training is deterministic: retraining reproduces the saved artifact byte for byte', function () {
    this.timeout(120_000);
    expect(serializeModel(trainModel(loadTrainingData()).model)).to.equal(readFileSync(MODEL_FILE, 'utf8'));
  });

  it('has training examples for every label in both languages', () => {
    const { examples } = loadTrainingData();
    for (const lang of ['zh-CN', 'en'] as const) {
      for (const intent of INTENTS) {
        expect(
          examples.filter((e) => e.lang === lang && e.intent === intent).length,
          `${lang} ${intent}`,
        ).to.be.greaterThan(15);
      }
    }
  });

  const cases: [string, string][] = [
    ['我买的酸奶已经过期了', 'expired_food'],
    ['the yogurt expired last week', 'expired_food'],
    ['洗发水瓶子破了漏了一箱', 'damaged_packaging'],
    ['box arrived crushed', 'damaged_packaging'],
    ['桌子尺寸和描述不符，短了30厘米', 'size_mismatch'],
    ['草莓烂了一半', 'fresh_produce_loss'],
    ['crabs dead on arrival', 'fresh_produce_loss'],
    ['吹风机不转了', 'quality_defect'],
    ["kettle won't heat", 'quality_defect'],
    ['显示签收但没收到', 'logistics'],
    ['退款到哪了', 'check_status'],
    ['怎么开发票', 'other'],
    ['do you sell iPhones', 'other'],
  ];
  for (const [text, intent] of cases) {
    it(`classifies "${text}" as ${intent}`, () => {
      const c = classifier.classify(text);
      expect(c.intent).to.equal(intent);
      expect(c.candidates[0]!.intent).to.equal(intent);
    });
  }

  it('lets a keyword override win with confidence 1 and says so', () => {
    for (const text of ['转人工', '我的牛奶坏了，转人工', 'can I talk to a human']) {
      const c = classifier.classify(text);
      expect(c, text).to.include({ intent: 'request_human', confidence: 1, source: 'override', unsure: false });
    }
  });

  it('returns calibrated, ordered candidates and marks low confidence as unsure', () => {
    const c = classifier.classify('the thing I bought');
    expect(c.candidates.length).to.be.at.most(3);
    const confs = c.candidates.map((x) => x.confidence);
    expect(confs).to.deep.equal([...confs].sort((a, b) => b - a));
    for (const x of confs) expect(x).to.be.within(0, 1);
    expect(c.unsure).to.equal(c.confidence < readModel(MODEL_FILE).threshold);
  });

  it('is unsure about a message that names no problem (the dialog then asks), and sure about one that does', () => {
    for (const text of [
      '我的订单出了点状况',
      '我对买的东西有意见',
      'there is something up with the thing I ordered',
      "there's a problem with my purchase",
    ]) {
      const c = classifier.classify(text);
      expect(c.unsure, `${text}: ${c.intent} ${c.confidence}`).to.equal(true);
      expect(c.candidates).to.have.length(3);
    }
    for (const text of ['草莓烂了一半', 'box arrived crushed'])
      expect(classifier.classify(text).unsure, text).to.equal(false);
  });

  it("reads a training file's `unclear` list apart from the intents; held-out files may not have one", () => {
    const source = 'greeting:\n  - hi\nunclear:\n  - about my order\n';
    const hi = { text: 'hi', intent: 'greeting', lang: 'en' };
    expect(parseTrainingFile(source, 'en.yaml', 'en')).to.deep.equal({ examples: [hi], unclear: ['about my order'] });
    expect(parseExamples(source, 'en.yaml', 'en')).to.deep.equal([hi]);
    expect(loadTrainingData().unclear.length).to.be.greaterThan(60);
    const dir = mkdtempSync(path.join(tmpdir(), 'kefu-heldout-'));
    try {
      mkdirSync(path.join(dir, 'heldout'));
      writeFileSync(path.join(dir, 'heldout', 'zh-CN.yaml'), 'greeting:\n  - 你好\n');
      writeFileSync(path.join(dir, 'heldout', 'en.yaml'), source);
      expect(() => loadHeldOut(dir)).to.throw(/heldout\/en\.yaml:\d+:\d+: 'unclear' is not a known intent/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('gives the facts and the reply language with the intent', () => {
    const c = classifier.classify('订单号 1234567890123456，牛奶5月1日过期了，¥59', { now: new Date(2026, 4, 20) });
    expect(c.lang).to.equal('zh-CN');
    expect(c.entities.orderIds).to.deep.equal(['1234567890123456']);
    expect(c.entities.amounts.map((a) => a.yuan)).to.deep.equal([59]);
    expect(c.entities.dates).to.deep.equal([{ role: 'expiry', date: '2026-05-01', text: '5月1日' }]);
  });

  it('answers sensibly to bad input instead of throwing', () => {
    const garbage = Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 37) % 256)).toString('latin1');
    expect(classifier.classify('')).to.include({ intent: 'other', unsure: false });
    expect(classifier.classify('   \n\t')).to.include({ intent: 'other' });
    expect(classifier.classify('😀😡👍')).to.include({ intent: 'other', lang: 'zh-CN' });
    expect(classifier.classify('\ud800\u0000\uffff')).to.include({ intent: 'other' });
    expect(classifier.classify(garbage).candidates.length).to.be.greaterThan(0);
    const long = classifier.classify('快递箱子压烂了，'.repeat(1250));
    expect(long.intent).to.equal('damaged_packaging');
    expect(long.text.length).to.equal(10000);
    expect(classifier.classify('我的order还没到, still not here')).to.include({ intent: 'logistics' });
    expect(classifier.classify(undefined as unknown as string).intent).to.equal('other');
  });

  it('intents/ imports nothing from botbuilder, restify or storage code', () => {
    const dir = path.resolve('intents');
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    expect(files.length).to.be.greaterThan(5);
    for (const f of files) {
      const src = readFileSync(path.join(dir, f), 'utf8');
      expect(src, f).not.to.match(
        /from ['"](botbuilder[^'"]*|restify[^'"]*|better-sqlite3|ioredis|pg|[./]*bot\/[^'"]*)['"]/,
      );
    }
  });

  it('`kefu classify` prints one JSON line per stdin line, and classifies its argument', async () => {
    const c = captureIo('牛奶过期了\nbox arrived crushed\n');
    expect(await main(['classify'], c.io)).to.equal(0);
    const lines = c
      .out()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => l.intent)).to.deep.equal(['expired_food', 'damaged_packaging']);
    expect(Object.keys(lines[0]!)).to.include.members([
      'text',
      'intent',
      'confidence',
      'candidates',
      'entities',
      'lang',
    ]);
    expect(lines[1]).to.include({ text: 'box arrived crushed', lang: 'en' });
    const one = captureIo();
    expect(await main(['classify', '转人工'], one.io)).to.equal(0);
    expect(JSON.parse(one.out())).to.include({ intent: 'request_human', source: 'override' });
  });
});
