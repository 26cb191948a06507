/** Driving the shop page's Web Chat in Chromium the way a shopper does (shared by the browser tests). */
import { expect } from 'chai';
import type { Page } from 'playwright-core';

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Transcript bubbles whose text contains `text`. */
export function bubble(page: Page, text: string | RegExp) {
  return page.locator('.webchat__bubble__content').filter({ hasText: text });
}

export async function waitBubble(page: Page, text: string | RegExp, timeout = 20_000): Promise<void> {
  await bubble(page, text).first().waitFor({ timeout });
}

/** The suggested-action button titled `title` (Web Chat renders them under the transcript). */
export function action(page: Page, title: string | RegExp) {
  return page
    .locator('.webchat__suggested-actions button')
    .filter({ hasText: typeof title === 'string' ? new RegExp(`^\\s*${escapeRe(title)}`) : title });
}

export async function say(page: Page, text: string): Promise<void> {
  const input = page.locator('[data-id="webchat-sendbox-input"]');
  await input.fill(text);
  await input.press('Enter');
}

/** Opens the shop page, picks a demo shopper (the page reloads for a new shopper) and opens the chat. */
export async function openChat(page: Page, baseUrl: string, shopperId: string): Promise<void> {
  await page.goto(`${baseUrl}/`);
  if ((await page.inputValue('#kefu-shopper')) !== shopperId) {
    await Promise.all([page.waitForEvent('load'), page.selectOption('#kefu-shopper', shopperId)]);
  }
  expect(await page.inputValue('#kefu-shopper')).to.equal(shopperId);
  await page.click('#kefu-open');
  await page.locator('[data-id="webchat-sendbox-input"]').waitFor();
}

/** Picks a file with Web Chat's own file input, then waits until Web Chat holds it for the next send. */
export async function attach(page: Page, name: string, buffer: Buffer): Promise<void> {
  await page.locator('#kefu-webchat input[type=file]').setInputFiles({ name, mimeType: 'image/png', buffer });
  // Web Chat makes a thumbnail first; the paperclip shows a check once the file is attached.
  await page.locator('#kefu-webchat .webchat__attachment-icon--checked').waitFor();
}

/** Polls `check` until it holds; fails with `what` after `ms`. */
export async function eventually(check: () => Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`never happened: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export function watchErrors(page: Page, errors: string[]): void {
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('response', (r) => {
    if (r.status() >= 400) errors.push(`${r.status()} ${r.url()}`);
  });
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
}
