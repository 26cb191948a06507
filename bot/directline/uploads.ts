/**
 * Files shoppers upload through the Direct Line, kept under `<dataDir>/directline-uploads/` as
 * `<id>` (the bytes) and `<id>.json` (what they are); an upload is streamed into `.incoming/`
 * there first and moved into place once checked. Ids are 128 random bits, so an attachment
 * URL is a capability: the widget's `<img>` can show it without a token, and nobody can guess
 * another shopper's. The bot reads its own uploads through `resolve` without an HTTP request,
 * and only for URLs this store issued: a URL from elsewhere is never fetched (no SSRF).
 */
import { randomBytes } from 'node:crypto';
import { readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

export interface StoredUpload {
  id: string;
  contentType: string;
  name: string;
  bytes: number;
  /** The URL handed out in `attachments[].contentUrl`. */
  url: string;
}

const ID = /^[A-Za-z0-9_-]{22}$/;
export const ATTACHMENT_PATH = '/v3/directline/attachments/';
/** Temp files older than this in `.incoming/` are leftovers of a process that died mid-upload. */
const STALE_MS = 60 * 60 * 1000;

export class UploadStore {
  private readonly dir: string;
  /** Where uploads are streamed before they are checked; same file system, so keeping one is a rename. */
  readonly incoming: string;
  private swept = false;

  constructor(dataDir: string) {
    this.dir = path.join(dataDir, 'directline-uploads');
    this.incoming = path.join(this.dir, '.incoming');
  }

  /** Keeps a checked temp file from `incoming` (moves it; the temp path is gone afterwards). */
  async keep(tempFile: string, bytes: number, contentType: string, name: string, baseUrl: string): Promise<StoredUpload> {
    const meta = this.describe(contentType, name, bytes, baseUrl);
    await rename(tempFile, path.join(this.dir, meta.id));
    await writeFile(path.join(this.dir, `${meta.id}.json`), JSON.stringify(meta));
    return meta;
  }

  /** Once per process: removes temp files a crashed process left in `incoming`. */
  async sweep(now = Date.now()): Promise<void> {
    if (this.swept) return;
    this.swept = true;
    const names = await readdir(this.incoming).catch(() => [] as string[]);
    for (const name of names) {
      const file = path.join(this.incoming, name);
      const info = await stat(file).catch(() => undefined);
      if (info !== undefined && now - info.mtimeMs > STALE_MS) await rm(file, { force: true });
    }
  }

  private describe(contentType: string, name: string, bytes: number, baseUrl: string): StoredUpload {
    const id = randomBytes(16).toString('base64url');
    const safeName = name.replace(/[^\p{L}\p{N}._-]+/gu, '_').slice(-100) || 'file';
    return { id, contentType, name, bytes, url: `${baseUrl}${ATTACHMENT_PATH}${id}/${encodeURIComponent(safeName)}` };
  }

  async get(id: string): Promise<{ meta: StoredUpload; data: Buffer } | undefined> {
    if (!ID.test(id)) return undefined;
    try {
      const meta = JSON.parse(await readFile(path.join(this.dir, `${id}.json`), 'utf8')) as StoredUpload;
      return { meta, data: await readFile(path.join(this.dir, id)) };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  /** The bytes behind an attachment URL this store issued; undefined for any other URL. */
  async resolve(url: string): Promise<{ data: Buffer; contentType: string } | undefined> {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return undefined;
    }
    if (!parsed.pathname.startsWith(ATTACHMENT_PATH)) return undefined;
    const id = parsed.pathname.slice(ATTACHMENT_PATH.length).split('/')[0] ?? '';
    const found = await this.get(id);
    if (found === undefined || found.meta.url !== url) return undefined;
    return { data: found.data, contentType: found.meta.contentType };
  }
}
