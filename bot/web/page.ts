/**
 * The demo shop page served at `/`: a supermarket storefront with the kefu chat launcher, in
 * Chinese or English (`?lang=en`). The page itself declares its language on `<html lang>`, and
 * the widget script takes Web Chat's locale from there, as a shop's own page would.
 */
import type { DemoShopper } from './shoppers.js';

export type PageLang = 'zh-CN' | 'en';

const TEXT = {
  'zh-CN': {
    title: '喵选超市 · 在线客服演示',
    shop: '喵选超市',
    tagline: '天天低价 · 次日达',
    shopper: '演示顾客',
    other: 'English',
    otherHref: '?lang=en',
    chat: '联系客服',
    chatTitle: '客服 · kefu',
    close: '关闭',
    products: [
      ['洗', '草本洗发水 750ml', '¥39.90'],
      ['奶', '全脂纯牛奶 1L×12', '¥69.00'],
      ['莓', '丹东草莓 500g', '¥45.80'],
      ['吹', '负离子吹风机', '¥199.00'],
    ],
    hint: '收到的商品有问题？点右下角“联系客服”，拍照上传即可处理。',
  },
  en: {
    title: 'Meow Mart · customer service demo',
    shop: 'Meow Mart',
    tagline: 'Low prices every day · next-day delivery',
    shopper: 'Demo shopper',
    other: '中文',
    otherHref: '?lang=zh-CN',
    chat: 'Chat with us',
    chatTitle: 'Customer service · kefu',
    close: 'Close',
    products: [
      ['洗', 'Herbal shampoo 750 ml', '¥39.90'],
      ['奶', 'Whole milk 1 L × 12', '¥69.00'],
      ['莓', 'Dandong strawberries 500 g', '¥45.80'],
      ['吹', 'Ionic hair dryer', '¥199.00'],
    ],
    hint: 'Something wrong with your order? Open the chat at the bottom right and send a photo.',
  },
} as const;

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function pickLang(requested: string | null | undefined): PageLang {
  return requested !== null && requested !== undefined && /^en\b/i.test(requested) ? 'en' : 'zh-CN';
}

export function renderPage(lang: PageLang, shoppers: readonly DemoShopper[]): string {
  const t = TEXT[lang];
  const options = shoppers
    .map((s) => {
      const name = s.name === undefined ? '' : ` data-name="${escapeHtml(s.name)}"`;
      return `<option value="${escapeHtml(s.id)}"${name}>${escapeHtml(s.name === undefined ? s.id : `${s.name} (${s.id})`)}</option>`;
    })
    .join('');
  const products = t.products
    .map(
      ([icon, name, price]) =>
        `<li class="product"><span class="product-icon" aria-hidden="true">${icon}</span><span class="product-name">${name}</span><span class="product-price">${price}</span></li>`,
    )
    .join('');
  // Config as JSON data, never interpolated into script code.
  const config = JSON.stringify({ tokenUrl: '/v3/directline/tokens/generate', domain: '/v3/directline' }).replace(
    /</g,
    '\\u003c',
  );
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${t.title}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/widget.css">
</head>
<body>
<header class="shop-header">
  <div class="shop-brand"><span class="shop-logo" aria-hidden="true">喵</span><div><div class="shop-name">${t.shop}</div><div class="shop-tagline">${t.tagline}</div></div></div>
  <div class="shop-tools">
    <label>${t.shopper} <select id="kefu-shopper">${options}</select></label>
    <a class="shop-lang" href="${t.otherHref}">${t.other}</a>
  </div>
</header>
<main class="shop-main">
  <p class="shop-hint">${t.hint}</p>
  <ul class="products">${products}</ul>
</main>
<button id="kefu-open" class="kefu-launcher" type="button">💬 ${t.chat}</button>
<section id="kefu-panel" class="kefu-panel" hidden aria-label="${t.chatTitle}">
  <div class="kefu-panel-header"><span>${t.chatTitle}</span><button id="kefu-close" type="button" aria-label="${t.close}">×</button></div>
  <div id="kefu-webchat" class="kefu-webchat" role="main"></div>
</section>
<script id="kefu-config" type="application/json">${config}</script>
<script src="/webchat.js"></script>
<script src="/widget.js"></script>
</body>
</html>
`;
}
