import { expect } from 'chai';
import { ConfigError, loadConfig } from '../../bot/config.js';

describe('WeCom settings', () => {
  const full = {
    WECOM_CORP_ID: 'ww0123',
    WECOM_KF_SECRET: 's',
    WECOM_TOKEN: 't',
    WECOM_ENCODING_AES_KEY: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
  };

  it('keeps the channel off until all four are set, and names what is missing or malformed', () => {
    expect(loadConfig({}).wecom).to.equal(undefined);
    expect(loadConfig(full).wecom).to.deep.equal({
      corpId: 'ww0123',
      secret: 's',
      token: 't',
      aesKey: full.WECOM_ENCODING_AES_KEY,
      apiBase: 'https://qyapi.weixin.qq.com',
    });
    expect(() => loadConfig({ ...full, WECOM_TOKEN: '' })).to.throw(ConfigError, /missing: WECOM_TOKEN/);
    expect(() => loadConfig({ ...full, WECOM_ENCODING_AES_KEY: 'short' })).to.throw(
      ConfigError,
      /WECOM_ENCODING_AES_KEY.*43 letters/,
    );
    expect(() => loadConfig({ ...full, WECOM_API_BASE: 'qyapi' })).to.throw(ConfigError, /WECOM_API_BASE/);
  });
});
