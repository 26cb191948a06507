import { expect } from 'chai';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { mountWidget } from '../../bot/web/index.js';
import { startHarness, type Harness } from '../directline/echoBot.js';
import { solidPng } from './png.js';
import { launchChromium } from '../support/browser.js';

const ARTIFACTS = path.resolve('test-artifacts');
const PNG = solidPng(64, 48, [255, 0, 54]);

/** Transcript bubbles whose whole text is `text`. */
function bubble(page: Page, text: string) {
  const exact = new RegExp(`^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
  return page.locator('.webchat__bubble__content').filter({ hasText: exact });
}

async function bubbles(page: Page, text: string): Promise<number> {
  return bubble(page, text).count();
}

async function waitBubble(page: Page, text: string, timeout = 15_000): Promise<void> {
  await bubble(page, text).first().waitFor({ timeout });
}

describe('web widget in headless Chromium', function () {
  this.timeout(90_000);
  let h: Harness;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  before(async () => {
    h = await startHarness({}, (server) => mountWidget(server, { ordersFile: '/nonexistent/orders.yaml' }));
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1100, height: 760 } });
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('response', (r) => {
      if (r.status() >= 400) errors.push(`${r.status()} ${r.url()}`);
    });
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
  });
  after(async () => {
    await browser?.close();
    await h?.close();
  });

  it('opens the shop page with the demo shoppers and Web Chat served locally', async () => {
    await page.goto(`${h.baseUrl}/`);
    expect(await page.getAttribute('html', 'lang')).to.equal('zh-CN');
    expect(
      await page.locator('#kefu-shopper option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value)),
    ).to.deep.equal(['u-zhang', 'u-li', 'u-wang', 'u-chen']);
    expect(
      await page.evaluate(
        () => typeof (window as unknown as { WebChat?: { renderWebChat?: unknown } }).WebChat?.renderWebChat,
      ),
    ).to.equal('function');
    await page.click('#kefu-open');
    await page.locator('[data-id="webchat-sendbox-input"]').waitFor();
    await waitBubble(page, 'welcome u-zhang');
  });

  it('shows the reply to a typed Chinese message', async () => {
    const input = page.locator('[data-id="webchat-sendbox-input"]');
    await input.fill('洗发水瓶子破了');
    await input.press('Enter');
    await waitBubble(page, 'echo: 洗发水瓶子破了');
    const turn = h.received.at(-1)!;
    expect(turn).to.deep.include({ text: '洗发水瓶子破了', channelId: 'directline', locale: 'zh-CN' });
    expect((turn.from as { id: string }).id).to.equal('u-zhang');
  });

  it('uploads a photo that reaches the bot', async () => {
    await page
      .locator('#kefu-webchat input[type=file]')
      .setInputFiles({ name: 'bottle.png', mimeType: 'image/png', buffer: PNG });
    // Web Chat makes a thumbnail before it holds the file for sending; the paperclip then shows a check.
    await page.locator('#kefu-webchat .webchat__attachment-icon--checked').waitFor();
    const input = page.locator('[data-id="webchat-sendbox-input"]');
    await input.fill('瓶子的照片');
    await input.press('Enter');
    await waitBubble(page, `got bottle.png:image/png:${PNG.length}`);
    expect(h.received.at(-1)!.text).to.equal('瓶子的照片');
    const attachments = h.received.at(-1)!.attachments as { contentType: string; contentUrl: string }[];
    expect(attachments).to.have.length(1);
    expect(attachments[0]!.contentType).to.equal('image/png');
    expect((await h.directLine.resolveAttachment(attachments[0]!.contentUrl))?.data.equals(PNG)).to.equal(true);
  });

  it('loses no message when its WebSocket is dropped and reconnects', async () => {
    const input = page.locator('[data-id="webchat-sendbox-input"]');
    await input.fill('burst 3');
    await input.press('Enter');
    await waitBubble(page, 'burst armed');
    const conversationId = (h.received.at(-1)!.conversation as { id: string }).id;
    expect(h.directLine.disconnectStreams(conversationId)).to.equal(1);
    await h.releaseBurst();
    // directlinejs waits 3-15 s before it fetches a new stream URL with its watermark.
    await waitBubble(page, 'proactive 3', 40_000);
    for (const text of ['proactive 1', 'proactive 2', 'proactive 3', 'burst armed', 'echo: 洗发水瓶子破了']) {
      expect(await bubbles(page, text), text).to.equal(1);
    }
    await mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'widget.png') });
    expect(errors).to.deep.equal([]);
  });
});
