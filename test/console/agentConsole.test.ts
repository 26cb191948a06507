import { expect } from 'chai';
import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { apiServer } from '../handoff/apiServer.js';
import { AGENTS } from '../handoff/helpers.js';
import { launchChromium } from '../support/browser.js';

describe('agent console in headless Chromium', function () {
  this.timeout(60_000);
  let browser: Browser;
  let api: Awaited<ReturnType<typeof apiServer>>;

  before(async function () {
    browser = await launchChromium();
  });
  after(async () => browser?.close());
  beforeEach(async () => (api = await apiServer()));
  afterEach(async () => api.close());

  it('lets an agent sign in, claim a case, see the evidence, chat with the shopper and close the case', async () => {
    const { c } = await api.queuedCase();
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('dialog', (d) => errors.push(`dialog: ${d.message()}`));
    await page.goto(`${api.base}/console`);

    await page.fill('#token', 'not-a-real-token-000');
    await page.click('#sign-in-form button[type=submit]');
    await page.waitForSelector('#sign-in-error:has-text("not accepted")');

    await page.fill('#token', AGENTS[0]!.token);
    await page.click('#sign-in-form button[type=submit]');
    await page.waitForSelector('#who:has-text("alice")');
    const row = page.locator(`#queue tr[data-case-id="${c.id}"]`);
    expect(await row.locator('td').nth(2).textContent()).to.equal('P2');
    await page.waitForFunction(() => document.body.dataset.live === 'yes');

    // A new case arrives while the agent is signed in: the console shows a notice.
    const second = await api.queuedCase('shopper-2');
    await page.waitForSelector(`.notice:has-text("New case ${second.c.id}")`);

    await row.getByRole('button', { name: 'Claim' }).click();
    await page.waitForSelector(`#case-id:has-text("${c.id}")`);
    await page.waitForFunction(() => {
      const img = document.querySelector<HTMLImageElement>('#evidence img');
      return img?.complete && img.naturalWidth === 2;
    });
    expect(await page.textContent('#proposal'))
      .to.contain('FOOD-EXPIRED-REFUSED')
      .and.contain('商家拒绝');
    // Shopper text is shown as text, never parsed as markup.
    expect(await page.locator('#transcript img').count()).to.equal(0);
    expect(await page.textContent('#transcript')).to.contain('<img src=x onerror=alert(1)>');

    await page.fill('#message', '您好，我是客服小A，正在核对您的照片');
    await page.click('#send-form button[type=submit]');
    await page.waitForSelector('#transcript li.agent:has-text("正在核对")');
    expect(api.notifier.of(c.id).at(-1)).to.deep.equal({
      type: 'agent_message',
      agent: 'alice',
      text: '您好，我是客服小A，正在核对您的照片',
    });

    await api.service.shopperMessage(c.id, '好的，谢谢');
    await page.waitForSelector('#transcript li.shopper:has-text("好的，谢谢")');

    mkdirSync('test-artifacts', { recursive: true });
    await page.screenshot({ path: 'test-artifacts/agent-console-case.png', fullPage: true });
    await page.selectOption('#close-kind', 'accept_proposal');
    // The agent also corrects how the bot read the complaint: a candidate training example.
    await page.selectOption('#close-complaint', 'quality_defect');
    await page.fill('#close-note', 'date label altered; refund plus tenfold compensation');
    await page.click('#close-form button[type=submit]');
    await page.waitForSelector(`.notice:has-text("Case ${c.id} closed")`);

    await page.screenshot({ path: 'test-artifacts/agent-console.png', fullPage: true });
    const stored = await api.cases.get(c.id);
    expect(stored?.status).to.equal('resolved');
    expect(stored?.resolution).to.include({
      kind: 'accept_proposal',
      remedy: 'refund',
      agent: 'alice',
      complaint: 'quality_defect',
    });
    expect(api.notifier.of(c.id).at(-1)?.type).to.equal('resolved');
    expect(errors).to.deep.equal([]);
    await page.close();
  });

  it("speaks zh-CN or en by the agent's choice, and its notices can be dismissed and expire", async () => {
    const { c } = await api.queuedCase();
    const page = await browser.newPage();
    await page.clock.install();
    await page.goto(`${api.base}/console`);
    await page.fill('#token', AGENTS[0]!.token);
    await page.click('#sign-in-form button[type=submit]');
    await page.waitForSelector('#who:has-text("alice")');
    await page.waitForFunction(() => document.body.dataset.live === 'yes');

    await page.selectOption('#lang', 'zh-CN');
    expect(await page.textContent('#queue-panel h2')).to.equal('队列');
    expect(await page.textContent('#who')).to.equal('已登录：alice');
    const row = page.locator(`#queue tr[data-case-id="${c.id}"]`);
    await row.getByRole('button', { name: '接单' }).waitFor();
    expect(await page.getAttribute('html', 'lang')).to.equal('zh-CN');

    // Notices: in the chosen language, closed with ×, or gone by themselves after 15 s.
    const first = await api.queuedCase('shopper-2');
    const notice = page.locator(`.notice:has-text("新工单 ${first.c.id}")`);
    await notice.waitFor();
    await notice.getByRole('button', { name: '关闭' }).click();
    await notice.waitFor({ state: 'detached' });
    const second = await api.queuedCase('shopper-3');
    const expiring = page.locator(`.notice:has-text("新工单 ${second.c.id}")`);
    await expiring.waitFor();
    await page.clock.runFor(16_000);
    await expiring.waitFor({ state: 'detached', timeout: 2000 });

    // The choice stays for the next visit; English again on request.
    await page.reload();
    await page.waitForSelector('#who:has-text("已登录")');
    await page.selectOption('#lang', 'en');
    expect(await page.textContent('#queue-panel h2')).to.equal('Queue');
    mkdirSync('test-artifacts', { recursive: true });
    await page.screenshot({ path: 'test-artifacts/agent-console-en.png', fullPage: true });
    await page.close();
  });
});
