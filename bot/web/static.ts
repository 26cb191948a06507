/**
 * Serves a few fixed files (Web Chat's bundle from the installed package, the widget's own
 * script and style) from memory, gzipped once on first use: webchat.js is 3.9 MB raw and about
 * 1 MB gzipped, and no CDN is involved. An ETag lets browsers revalidate cheaply.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import type { Request, Response } from 'restify';

interface Cached {
  raw: Buffer;
  gzip: Buffer;
  etag: string;
}

export function staticFile(file: string, contentType: string, maxAgeSeconds: number) {
  let cached: Promise<Cached> | undefined;
  const load = async (): Promise<Cached> => {
    const raw = await readFile(file);
    return { raw, gzip: gzipSync(raw), etag: `"${createHash('sha256').update(raw).digest('base64url').slice(0, 27)}"` };
  };
  return async (req: Request, res: Response): Promise<void> => {
    cached ??= load();
    let body: Cached;
    try {
      body = await cached;
    } catch {
      cached = undefined;
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(`not found: ${file} is missing (is the package installed?)\n`);
      return;
    }
    const headers: Record<string, string | number> = {
      'Content-Type': contentType,
      'Cache-Control': `public, max-age=${maxAgeSeconds}`,
      ETag: body.etag,
      Vary: 'Accept-Encoding',
      'Access-Control-Allow-Origin': '*',
    };
    if (req.headers['if-none-match'] === body.etag) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    const payload = gzip ? body.gzip : body.raw;
    if (gzip) headers['Content-Encoding'] = 'gzip';
    headers['Content-Length'] = payload.length;
    res.writeHead(200, headers);
    res.end(payload);
  };
}
