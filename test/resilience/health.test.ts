/**
 * Liveness and readiness on the embedded store, and the settings that bound every wait.
 * (Outages of Redis and PostgreSQL are in outage.test.ts.)
 */
import { expect } from 'chai';
import { ConfigError, DEFAULT_RESILIENCE, loadConfig } from '../../bot/config.js';
import { startHarness, type Harness } from '../support/kefuHarness.js';

describe('health and readiness (embedded store)', function () {
  this.timeout(30_000);
  let h: Harness;
  before(async () => (h = await startHarness()));
  after(async () => h?.close());

  it('/readyz is 200 with the SQLite file answering and the rule table loaded; /healthz is liveness', async () => {
    const ready = await fetch(`${h.app.url}/readyz`);
    expect(ready.status).to.equal(200);
    expect(await ready.json()).to.deep.equal({
      status: 'ready',
      stores: { sqlite: 'ok' },
      rules: h.app.rules.current().hash,
    });
    const live = await fetch(`${h.app.url}/healthz`);
    expect(live.status).to.equal(200);
    expect(((await live.json()) as { status: string }).status).to.equal('ok');
  });

  it('/readyz is 503 and names the store when the SQLite file cannot be read', async () => {
    h.app.stores.sqlite!.close();
    try {
      const res = await fetch(`${h.app.url}/readyz`);
      expect(res.status).to.equal(503);
      expect(await res.json()).to.deep.include({ status: 'not_ready', stores: { sqlite: 'error' } });
    } finally {
      await h.restart();
    }
    expect((await fetch(`${h.app.url}/readyz`)).status).to.equal(200);
  });
});

describe('resilience settings', () => {
  it('default to seconds-long waits, a bounded outbox and an hour of activity memory', () => {
    expect(loadConfig({}).resilience).to.deep.equal(DEFAULT_RESILIENCE);
    expect(DEFAULT_RESILIENCE).to.deep.include({ connectTimeoutMs: 3000, storeTimeoutMs: 3000, dedupeSeconds: 3600 });
  });

  it('are read from the environment', () => {
    const r = loadConfig({
      STORE_TIMEOUT_MS: '750',
      STORE_CONNECT_TIMEOUT_MS: '1500',
      READY_TIMEOUT_MS: '200',
      OUTBOX_MAX: '50',
      OUTBOX_TIMEOUT_MS: '2000',
      OUTBOX_ATTEMPTS: '3',
      OUTBOX_BACKOFF_MS: '250',
      ACTIVITY_DEDUPE_SECONDS: '0',
      SHUTDOWN_TIMEOUT_MS: '5000',
    }).resilience;
    expect(r).to.deep.equal({
      connectTimeoutMs: 1500,
      storeTimeoutMs: 750,
      readyTimeoutMs: 200,
      outbox: { max: 50, timeoutMs: 2000, attempts: 3, backoffMs: 250 },
      dedupeSeconds: 0,
      shutdownMs: 5000,
    });
  });

  it('name the variable and the expectation on a bad value', () => {
    expect(() => loadConfig({ STORE_TIMEOUT_MS: '0' })).to.throw(
      ConfigError,
      /STORE_TIMEOUT_MS='0'.*milliseconds 1\.\.600000/,
    );
    expect(() => loadConfig({ STORE_TIMEOUT_MS: '2s' })).to.throw(ConfigError, /STORE_TIMEOUT_MS='2s'/);
    expect(() => loadConfig({ OUTBOX_ATTEMPTS: '0' })).to.throw(ConfigError, /OUTBOX_ATTEMPTS='0'.*≥ 1/);
    expect(() => loadConfig({ ACTIVITY_DEDUPE_SECONDS: '-1' })).to.throw(ConfigError, /ACTIVITY_DEDUPE_SECONDS='-1'/);
  });
});
