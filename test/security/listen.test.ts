/**
 * Local anonymous mode listens on loopback only: another machine on the network cannot reach an
 * unauthenticated bot. Binding elsewhere needs app credentials or an explicit, loudly logged opt-in.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig } from '../../bot/config.js';
import { startApp } from '../../bot/app.js';
import { ROOT } from '../support/kefuHarness.js';
import { captureLog } from './logCapture.js';

/** This machine's first non-loopback IPv4 address: what another host on the LAN would dial. */
function lanAddress(): string | undefined {
  return Object.values(os.networkInterfaces())
    .flat()
    .find((a) => a !== undefined && a.family === 'IPv4' && !a.internal)?.address;
}

function connects(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: 2000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

describe('security: where kefu listens', function () {
  this.timeout(30_000);
  const dirs: string[] = [];
  after(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  const env = (extra: Record<string, string> = {}) => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kefu-listen-'));
    dirs.push(dir);
    return { PORT: '0', KEFU_DATA_DIR: dir, ...extra };
  };

  it('binds loopback only in local anonymous mode, so the LAN cannot reach it', async () => {
    const app = await startApp(loadConfig(env(), ROOT), { log: captureLog('warn').log, timers: false });
    try {
      expect(await connects('127.0.0.1', app.port), 'reachable on loopback').to.equal(true);
      expect((app.server.server.address() as net.AddressInfo).address).to.equal('127.0.0.1');
      const lan = lanAddress();
      if (lan !== undefined) expect(await connects(lan, app.port), `reachable on ${lan}`).to.equal(false);
      // The quick start's widget answers on localhost.
      expect((await fetch(`http://localhost:${app.port}/`)).status).to.equal(200);
    } finally {
      await app.close();
    }
  });

  it('refuses a network HOST in anonymous mode unless credentials or the opt-in are given', () => {
    expect(loadConfig({}).host).to.equal('127.0.0.1');
    expect(() => loadConfig({ HOST: '0.0.0.0' })).to.throw(
      ConfigError,
      /HOST='0.0.0.0' is not valid in local anonymous mode.*ALLOW_ANONYMOUS_NETWORK=1/,
    );
    expect(loadConfig({ HOST: '::1' }).host).to.equal('::1');
    expect(loadConfig({ MicrosoftAppId: 'id', MicrosoftAppPassword: 'pw' }).host).to.equal('0.0.0.0');
    expect(loadConfig({ HOST: '0.0.0.0', ALLOW_ANONYMOUS_NETWORK: '1' }).host).to.equal('0.0.0.0');
  });

  it('says loudly at start that an anonymous bot is on the network when opted in', async () => {
    const captured = captureLog('warn');
    const app = await startApp(loadConfig(env({ HOST: '0.0.0.0', ALLOW_ANONYMOUS_NETWORK: '1' }), ROOT), {
      log: captured.log,
      timers: false,
    });
    try {
      expect(captured.text()).to.include('ANONYMOUS BOT ON THE NETWORK');
      expect(captured.text()).to.include('0.0.0.0');
    } finally {
      await app.close();
    }
  });
});
