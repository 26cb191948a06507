/**
 * The web widget: the demo shop page at `/`, Web Chat's bundle at `/webchat.js` (from the
 * installed `botframework-webchat` package, never a CDN), and the widget's script and style.
 * The page talks to the embedded Direct Line mounted by `bot/directline`.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Request, Response, Server } from 'restify';
import { projectPath } from '../../lib/paths.js';
import { pickLang, renderPage } from './page.js';
import { loadShoppers } from './shoppers.js';
import { staticFile } from './static.js';

export interface WidgetOptions {
  /** The demo order source; the page's shopper picker lists its shoppers. */
  ordersFile?: string;
}

const assets = projectPath('bot', 'web', 'assets');

export function webChatBundlePath(): string {
  const main = createRequire(import.meta.url).resolve('botframework-webchat');
  return path.join(path.dirname(main), '..', 'dist', 'webchat.js');
}

export function mountWidget(server: Server, options: WidgetOptions = {}): void {
  const page = async (req: Request, res: Response): Promise<void> => {
    const lang = pickLang(new URL(req.url ?? '/', 'http://localhost').searchParams.get('lang'));
    const html = renderPage(lang, await loadShoppers(options.ordersFile));
    res.writeHead(200, {
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Length': Buffer.byteLength(html),
      'Cache-Control': 'no-cache',
      // Web Chat renders images from our own uploads (and data: thumbnails), styles inline.
      'Content-Security-Policy':
        "default-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; style-src 'self' 'unsafe-inline'; connect-src 'self' ws: wss: blob:; script-src 'self'; worker-src 'self' blob:; frame-ancestors 'self'",
    });
    res.end(html);
  };
  server.get('/', page);
  server.get('/index.html', page);
  server.get('/webchat.js', staticFile(webChatBundlePath(), 'application/javascript; charset=utf-8', 86400));
  server.get('/widget.js', staticFile(path.join(assets, 'widget.js'), 'application/javascript; charset=utf-8', 300));
  server.get('/widget.css', staticFile(path.join(assets, 'widget.css'), 'text/css; charset=utf-8', 300));
}
