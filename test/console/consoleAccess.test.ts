/**
 * The console right after `npm start`: a local kefu with no AGENT_TOKENS prints a ready sign-in
 * link for a demo agent, and the link signs the agent in. In production, no agents means no
 * console.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../support/browser.js';
import { loadConfig } from '../../bot/config.js';
import { createLogger } from '../../bot/log.js';
import { startApp } from '../../bot/app.js';
import { ROOT } from '../support/kefuHarness.js';
import { startKefuProcess, type KefuProcess } from '../support/kefuProcess.js';

describe('entering the agent console', function () {
  this.timeout(90_000);

  describe('local kefu without AGENT_TOKENS', () => {
    let kefu: KefuProcess;
    let browser: Browser;
    before(async () => {
      kefu = await startKefuProcess();
      browser = await launchChromium();
    });
    after(async () => {
      await browser?.close();
      await kefu?.close();
    });

    it('prints a sign-in link for a demo agent that opens the console signed in', async () => {
      const link = /agent console \(demo agent[^)]*\): (http:\/\/localhost:\d+\/console#token=[\w-]+)/.exec(
        kefu.output(),
      )?.[1];
      expect(link, kefu.output()).to.be.a('string');
      const token = link!.split('#token=')[1]!;
      const me = await fetch(`${kefu.url}/api/agent/me`, { headers: { authorization: `Bearer ${token}` } });
      expect(await me.json()).to.deep.equal({ name: 'demo', teams: null });

      const page = await browser.newPage();
      await page.goto(link!.replace('localhost', '127.0.0.1'));
      await page.waitForSelector('#who:has-text("demo")');
      // The token leaves the address bar at once.
      expect(page.url()).to.not.contain('token');
      await page.close();
    });
  });

  it('production without AGENT_TOKENS: no demo agent, the console says why it is off', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'kefu-console-off-'));
    const config = loadConfig(
      {
        PORT: '0',
        KEFU_DATA_DIR: dataDir,
        NODE_ENV: 'production',
        MicrosoftAppId: 'app-id-console-off',
        MicrosoftAppPassword: 'app-password-console-off',
      },
      ROOT,
    );
    const app = await startApp(config, { log: createLogger('silent'), host: '127.0.0.1', timers: false });
    try {
      expect(app.consoleSignIn).to.equal(undefined);
      const page = await fetch(`${app.url}/console`);
      expect(page.status).to.equal(503);
      expect(await page.text()).to.contain('AGENT_TOKENS');
      expect(
        (await fetch(`${app.url}/api/agent/me`, { headers: { authorization: 'Bearer anything-at-all-0123456789' } }))
          .status,
      ).to.equal(401);
    } finally {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
