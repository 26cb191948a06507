/**
 * Files shoppers upload through the Direct Line, kept under `<dataDir>/directline-uploads/` as
 * `<id>` (the bytes) and `<id>.json` (what they are, and whose); an upload is streamed into
 * `.incoming/` there first and moved into place once checked. A file's URL carries a signature
 * bound to its conversation (`?t=`), so it is served only to someone the conversation's own
 * activities were shown to (the widget's `<img>` cannot send a header), or to a request with the
 * conversation's token. The bot reads its own uploads through `resolve` without an HTTP request,
 * and only for URLs this store issued: a URL from elsewhere is never fetched (no SSRF).
 * Files are written under a `.tmp` name and renamed, so a crash leaves only `.tmp` leftovers,
 * which `sweep` removes.
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
  /** Whose it is: erase finds a shopper's files by these. */
  conversationId?: string;
  userId?: string;
  createdAt?: string;
}

export interface UploadOwner {
  conversationId: string;
  userId: string;
}

const ID = /^[A-Za-z0-9_-]{22}$/;
export const ATTACHMENT_PATH = '/v3/directline/attachments/';
/** Temp files older than this are leftovers of a process that died mid-write. */
const STALE_MS = 60 * 60 * 1000;

export const UPLOADS_DIR = 'directline-uploads';
const INCOMING_DIR = '.incoming';

export class UploadStore {
  readonly dir: string;
  /** Where uploads are streamed before they are checked; same file system, so keeping one is a rename. */
  readonly incoming: string;
  private swept = false;

  constructor(
    dataDir: string,
    /** The signature a file's URL carries (from the token key). */
    private readonly sign: (conversationId: string, fileId: string) => string,
  ) {
    this.dir = path.join(dataDir, UPLOADS_DIR);
    this.incoming = path.join(this.dir, INCOMING_DIR);
  }

  /** Keeps a checked temp file from `incoming` (moves it; the temp path is gone afterwards). */
  async keep(
    tempFile: string,
    bytes: number,
    contentType: string,
    name: string,
    baseUrl: string,
    owner: UploadOwner,
  ): Promise<StoredUpload> {
    const id = randomBytes(16).toString('base64url');
    const safeName = name.replace(/[^\p{L}\p{N}._-]+/gu, '_').slice(-100) || 'file';
    const url = `${baseUrl}${ATTACHMENT_PATH}${id}/${encodeURIComponent(safeName)}?t=${this.sign(owner.conversationId, id)}`;
    const meta: StoredUpload = { id, contentType, name, bytes, url, ...owner, createdAt: new Date().toISOString() };
    await rename(tempFile, path.join(this.dir, id));
    const tmp = path.join(this.dir, `${id}.json.${randomBytes(6).toString('hex')}.tmp`);
    await writeFile(tmp, JSON.stringify(meta));
    await rename(tmp, path.join(this.dir, `${id}.json`));
    return meta;
  }

  /** Once per process: removes temp files a crashed process left in `incoming`. */
  async sweepIncoming(now = Date.now()): Promise<void> {
    if (this.swept) return;
    this.swept = true;
    await sweepStale(this.incoming, new Date(now - STALE_MS));
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

  /** Whether `signature` (the URL's `t`) is the one this file's URL was issued with. */
  signedFor(meta: StoredUpload, signature: string): boolean {
    return (
      meta.conversationId !== undefined && signature !== '' && this.sign(meta.conversationId, meta.id) === signature
    );
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

  /** See `sweepUploads`. */
  sweep(matches: (meta: StoredUpload) => boolean, tmpBefore?: Date): Promise<number> {
    return sweepUploads(this.dir, matches, tmpBefore);
  }
}

/**
 * Deletes the files `matches` picks (and any whose description is unreadable), and every
 * `.tmp` leftover older than `tmpBefore` (younger ones may be an upload in progress); returns
 * how many files went.
 */
export async function sweepUploads(
  dir: string,
  matches: (meta: StoredUpload) => boolean,
  tmpBefore: Date = new Date(Date.now() - STALE_MS),
): Promise<number> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw err;
  }
  let gone = await sweepStale(path.join(dir, INCOMING_DIR), tmpBefore);
  for (const name of names) {
    const file = path.join(dir, name);
    if (name.endsWith('.tmp')) {
      const modified = (await stat(file).catch(() => undefined))?.mtime.getTime();
      if (modified !== undefined && modified < tmpBefore.getTime()) await rm(file, { force: true });
      continue;
    }
    if (!name.endsWith('.json')) continue;
    const id = name.slice(0, -'.json'.length);
    let meta: StoredUpload | undefined;
    try {
      meta = JSON.parse(await readFile(file, 'utf8')) as StoredUpload;
    } catch {
      meta = undefined;
    }
    if (meta !== undefined && !matches(meta)) continue;
    await rm(path.join(dir, id), { force: true });
    await rm(file, { force: true });
    gone++;
  }
  return gone;
}

/** Deletes the files in `dir` last written before `before`; returns how many. */
async function sweepStale(dir: string, before: Date): Promise<number> {
  let gone = 0;
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    const file = path.join(dir, name);
    const modified = (await stat(file).catch(() => undefined))?.mtimeMs;
    if (modified !== undefined && modified < before.getTime()) {
      await rm(file, { force: true });
      gone++;
    }
  }
  return gone;
}
