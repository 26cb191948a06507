/**
 * The callback crypto against the official WXBizMsgCrypt sample vectors (Tencent's WeCom SDK
 * samples: Token QDG6eK, CorpID wx5823bf96d3bd56c7), plus the refusals kefu depends on.
 */
import { expect } from 'chai';
import { WeComCrypto, WeComCryptoError, xmlField } from '../../bot/wecom/crypto.js';

const TOKEN = 'QDG6eK';
const CORP_ID = 'wx5823bf96d3bd56c7';
const AES_KEY = 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C';
// VerifyURL sample.
const ECHO = 'P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==';
// DecryptMsg sample.
const ENCRYPTED =
  'RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==';

describe('WeCom callback crypto (official sample vectors)', () => {
  const crypto = new WeComCrypto(TOKEN, AES_KEY, CORP_ID);

  it('verifies the URL check of the sample and decrypts its echostr', () => {
    expect(crypto.verify('5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3', '1409659589', '263014780', ECHO)).to.equal(true);
    expect(crypto.decrypt(ECHO)).to.equal('1616140317555161061');
  });

  it('verifies and decrypts the sample message', () => {
    expect(crypto.signature('1409659813', '1372623149', ENCRYPTED)).to.equal(
      '477715d11cdb4164915debcba66cb864d751f3e6',
    );
    const xml = crypto.decrypt(ENCRYPTED);
    expect(xmlField(xml, 'Content')).to.equal('hello');
    expect(xmlField(xml, 'FromUserName')).to.equal('mycreate');
    expect(xmlField(xml, 'CreateTime')).to.equal('1409659813');
  });

  it('refuses a changed signature, another CorpID and a corrupt body', () => {
    expect(crypto.verify('5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd4', '1409659589', '263014780', ECHO)).to.equal(false);
    expect(crypto.verify('5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3', '1409659590', '263014780', ECHO)).to.equal(false);
    expect(() => new WeComCrypto(TOKEN, AES_KEY, 'ww-someone-else').decrypt(ECHO)).to.throw(
      WeComCryptoError,
      /not this CorpID/,
    );
    expect(() => crypto.decrypt(Buffer.alloc(48, 7).toString('base64'))).to.throw(WeComCryptoError);
  });

  it('encrypts Chinese text so that it decrypts to the same text (16 random bytes, padding to 32)', () => {
    const message = '<xml><Content><![CDATA[洗发水漏了]]></Content></xml>';
    const a = crypto.encrypt(message);
    const b = crypto.encrypt(message);
    expect(a).to.not.equal(b);
    expect(Buffer.from(a, 'base64').length % 32).to.equal(0);
    expect(crypto.decrypt(a)).to.equal(message);
  });
});
