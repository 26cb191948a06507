import { expect } from 'chai';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pickLang, renderPage } from '../../bot/web/page.js';
import { DEFAULT_SHOPPERS, loadShoppers } from '../../bot/web/shoppers.js';

describe('widget page', () => {
  it('reads demo shoppers from the orders file whatever its layout, else uses the defaults', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'kefu-web-'));
    try {
      const file = path.join(dir, 'orders.yaml');
      await writeFile(
        file,
        'shoppers:\n  - id: u-zhao\n    name: 赵女士\norders:\n  - id: TM1\n    shopperId: u-qian\n  - id: TM2\n    shopperId: u-zhao\n',
      );
      expect(await loadShoppers(file)).to.deep.equal([{ id: 'u-zhao', name: '赵女士' }, { id: 'u-qian' }]);
      expect(await loadShoppers(path.join(dir, 'missing.yaml'))).to.deep.equal(DEFAULT_SHOPPERS);
      await writeFile(file, 'orders: [');
      expect(await loadShoppers(file)).to.deep.equal(DEFAULT_SHOPPERS);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('declares its language for the widget and escapes shopper names', () => {
    expect(pickLang('en')).to.equal('en');
    expect(pickLang(null)).to.equal('zh-CN');
    const html = renderPage('en', [{ id: 'u-x', name: '<img src=x onerror=alert(1)>' }]);
    expect(html).to.contain('<html lang="en">').and.contain('Chat with us');
    expect(html).to.not.contain('<img src=x');
    // The widget script reads a shopper's name from the option for the token and the avatar.
    expect(renderPage('zh-CN', [{ id: 'u-lihua', name: '李华' }])).to.contain(
      '<option value="u-lihua" data-name="李华">李华 (u-lihua)</option>',
    );
    expect(renderPage('zh-CN', DEFAULT_SHOPPERS))
      .to.contain('<html lang="zh-CN">')
      .and.contain('联系客服')
      .and.contain('<option value="u-chen">u-chen</option>');
  });
});
