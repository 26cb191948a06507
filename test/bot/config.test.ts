import { expect } from 'chai';
import { ConfigError, loadConfig } from '../../bot/config.js';

describe('configuration', () => {
  it('defaults to local anonymous mode on port 3978', () => {
    const c = loadConfig({}, '/srv/kefu');
    expect(c.port).to.equal(3978);
    expect(c.anonymous).to.equal(true);
    expect(c.rulesFile).to.equal('/srv/kefu/data/rules.yaml');
    expect(c.dataDir).to.equal('/srv/kefu/var');
  });

  it('names the variable and the expectation on a bad value', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).to.throw(ConfigError, /PORT='eighty'.*port number/);
    expect(() => loadConfig({ MicrosoftAppType: 'Single' })).to.throw(ConfigError, /expected one of MultiTenant/);
  });

  it('takes an http(s) URL for the Direct Line service address and refuses anything else', () => {
    expect(loadConfig({ DIRECT_LINE_SERVICE_URL: 'http://10.0.0.5:3978/' }).directLineServiceUrl).to.equal(
      'http://10.0.0.5:3978',
    );
    expect(loadConfig({}).directLineServiceUrl).to.equal(undefined);
    expect(() => loadConfig({ DIRECT_LINE_SERVICE_URL: 'ftp://lb' })).to.throw(
      ConfigError,
      /DIRECT_LINE_SERVICE_URL='ftp:\/\/lb'.*http\(s\) URL/,
    );
  });

  it('refuses production without app credentials', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).to.throw(ConfigError, /production needs MicrosoftAppId/);
    expect(loadConfig({ NODE_ENV: 'production', MicrosoftAppId: 'id', MicrosoftAppPassword: 'pw' }).anonymous).to.equal(
      false,
    );
  });

  it('parses agent tokens and rejects short ones', () => {
    expect(loadConfig({ AGENT_TOKENS: 'li:0123456789abcdef0123' }).agents).to.deep.equal([
      { name: 'li', token: '0123456789abcdef0123' },
    ]);
    expect(() => loadConfig({ AGENT_TOKENS: 'li:short' })).to.throw(ConfigError, /AGENT_TOKENS entry 1/);
  });
});

describe('.env.example', () => {
  it('is a valid configuration as shipped, naming every variable the bot reads', async () => {
    const { readFileSync } = await import('node:fs');
    const dotenv = await import('dotenv');
    const text = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8');
    const env = dotenv.parse(text);
    const c = loadConfig(env, '/srv/kefu');
    expect(c.port).to.equal(3978);
    expect(c.anonymous).to.equal(true);
    const source = readFileSync(new URL('../../bot/config.ts', import.meta.url), 'utf8');
    const read = new Set([...source.matchAll(/env\.([A-Za-z_]+)/g)].map((m) => m[1]!));
    for (const name of read) expect(text, `.env.example mentions ${name}`).to.match(new RegExp(`^#? ?${name}=`, 'm'));
  });
});
