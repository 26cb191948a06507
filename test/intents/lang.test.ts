import { expect } from 'chai';
import { detectLang } from '../../intents/index.js';

describe('detectLang', () => {
  const cases: [string, string][] = [
    ['牛奶过期了', 'zh-CN'],
    ['the milk expired', 'en'],
    ['我的order还没到', 'zh-CN'],
    ['my 快递 has not arrived yet', 'en'],
    ['hi', 'en'],
    ['你好', 'zh-CN'],
    ['', 'zh-CN'],
    ['😀👍', 'zh-CN'],
    ['1234567890123456', 'zh-CN'],
    ['ＨＥＬＬＯ there', 'en'],
  ];
  for (const [text, lang] of cases) it(`"${text}" → ${lang}`, () => expect(detectLang(text)).to.equal(lang));
});
