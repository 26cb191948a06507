/**
 * The agent console shows what strangers typed: the fuzzer's script payloads, sent by a shopper
 * through a real conversation and escalated to a person, must appear in the console as text and
 * never run or become elements (checked in headless Chromium).
 */
import { expect } from 'chai';
import type { Browser } from 'playwright-core';
import { SCRIPT_PAYLOADS } from '../fuzz/generator.js';
import { AGENT_TOKEN, startHarness, type Harness } from '../support/kefuHarness.js';
import { launchChromium } from '../support/browser.js';

describe('security: agent console renders hostile text as text', function () {
  this.timeout(60_000);
  let browser: Browser;
  let h: Harness;

  before(async function () {
    browser = await launchChromium();
    h = await startHarness();
  });
  after(async () => {
    await browser?.close();
    await h?.close();
  });

  it('shows every script payload literally and runs none of them', async () => {
    const user = { id: 'u-xss', name: SCRIPT_PAYLOADS[1] };
    for (const payload of SCRIPT_PAYLOADS) await h.say('xss-1', 'u-xss', { from: user, text: `收到的牛奶 ${payload}` });
    await h.say('xss-1', 'u-xss', { from: user, text: '转人工' });
    const [c] = await h.app.stores.cases.list({ shopperId: 'u-xss' });
    expect(c?.status).to.equal('escalated');

    const page = await browser.newPage();
    const alarms: string[] = [];
    page.on('pageerror', (e) => alarms.push(e.message));
    page.on('dialog', (d) => {
      alarms.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
    await page.goto(`${h.app.url}/console`);
    await page.fill('#token', AGENT_TOKEN);
    await page.click('#sign-in-form button[type=submit]');
    await page.waitForSelector('#who:has-text("li")');
    await page.locator(`#queue tr[data-case-id="${c!.id}"]`).getByRole('button', { name: 'Claim' }).click();
    await page.waitForSelector(`#case-id:has-text("${c!.id}")`);
    await page.waitForSelector('#transcript li');

    const transcript = (await page.textContent('#transcript')) ?? '';
    for (const payload of SCRIPT_PAYLOADS) expect(transcript).to.include(payload);
    expect(
      await page.locator('#transcript script, #transcript img, #transcript svg, #transcript iframe').count(),
    ).to.equal(0);
    expect(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss)).to.equal(undefined);
    expect(alarms).to.deep.equal([]);
    await page.close();
  });
});
