/**
 * Evidence files in a directory (by default `<KEFU_DATA_DIR>/evidence`), content-addressed: the
 * key is the SHA-256 of the bytes, so the same photo sent twice is kept once and a key names
 * exactly one content. Layout: `<dir>/<first two hex digits>/<sha256>`, plus `<sha256>.json`
 * holding the content type when the type cannot be told from the file's first bytes (every type
 * kefu accepts from shoppers can, so a photo is one file). Files are written to a temporary name
 * and renamed, so a crash never leaves a half-written file under a key.
 */
import { createHash, randomBytes } from 'node:crypto';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { sniff } from '../directline/fileTypes.js';
import { StoredDataError } from './errors.js';
import type { EvidenceStore, StoredEvidence } from '../../domain/cases.js';

const KEY = /^[0-9a-f]{64}$/;

/** A key as `put` makes them (64 hex digits): anything else is never looked up, let alone made a path. */
export function isEvidenceKey(key: string): boolean {
  return KEY.test(key);
}

/**
 * Files up to this size are written with synchronous calls. Each asynchronous call is a trip
 * through libuv's thread pool and back (a photo takes five), which costs more CPU than the system
 * call itself when the file is small; a file this small is in the page cache within microseconds,
 * so the event loop barely waits. Larger files (a video, a full-size photo) go through the pool, so
 * they never hold up other conversations.
 */
export const SYNC_WRITE_MAX = 256 * 1024;

type FileCalls = Pick<typeof import('node:fs/promises'), 'writeFile' | 'rename' | 'rm'>;
const POOLED: FileCalls = { writeFile, rename, rm };
const INLINE: FileCalls = {
  writeFile: async (file, data) => writeFileSync(file as string, data as Buffer | string),
  rename: async (from, to) => renameSync(from, to),
  rm: async (file, options) => rmSync(file, options),
};

export function sha256Hex(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

export class DirEvidenceStore implements EvidenceStore {
  /** Sub-directories known to exist: each costs a file-system round trip only once. */
  private readonly made = new Set<string>();

  constructor(readonly dir: string) {}

  /** Keys are checked before they become paths: a key is never a way out of `dir`. */
  private fileOf(key: string): string | undefined {
    return KEY.test(key) ? path.join(this.dir, key.slice(0, 2), key) : undefined;
  }

  async put(data: Buffer, contentType: string): Promise<StoredEvidence> {
    const key = sha256Hex(data);
    const file = this.fileOf(key)!;
    try {
      await this.write(file, data, contentType);
    } catch (err) {
      // The sub-directory went away behind our back (an operator tidied up): make it again.
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      this.made.delete(path.dirname(file));
      await this.write(file, data, contentType);
    }
    return { key, sha256: key, bytes: data.length };
  }

  private async write(file: string, data: Buffer, contentType: string): Promise<void> {
    const sub = path.dirname(file);
    if (!this.made.has(sub)) {
      await mkdir(sub, { recursive: true });
      this.made.add(sub);
    }
    // Both files at once (fewer round trips while the shopper waits); no case names the key
    // until this resolves, so a crash in between leaves nothing a reader could find.
    const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
    const fs = data.length <= SYNC_WRITE_MAX ? INLINE : POOLED;
    const place = async (from: string, to: string, content: string | Buffer) => {
      await fs.writeFile(from, content);
      await fs.rename(from, to);
    };
    // A type the bytes tell needs no `.json`; one left by an earlier put of the same bytes under
    // another declared type goes, so the type read back is always the last one put.
    const meta =
      sniff(data)?.contentType === contentType
        ? fs.rm(`${file}.json`, { force: true })
        : place(`${tmp}.json`, `${file}.json`, JSON.stringify({ contentType }));
    await Promise.all([meta, place(tmp, file, data)]);
  }

  async get(key: string): Promise<{ data: Buffer; contentType: string } | undefined> {
    const file = this.fileOf(key);
    if (file === undefined) return undefined;
    let data: Buffer;
    try {
      data = await readFile(file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    let meta: unknown;
    try {
      meta = JSON.parse(await readFile(`${file}.json`, 'utf8'));
    } catch (err) {
      // No `.json`: the type is the one the bytes tell (see `write`).
      meta = (err as NodeJS.ErrnoException).code === 'ENOENT' ? { contentType: sniff(data)?.contentType } : undefined;
    }
    const contentType = (meta as { contentType?: unknown } | undefined)?.contentType;
    if (typeof contentType !== 'string')
      throw new StoredDataError(`evidence ${key}`, 'a .json file with its contentType, or a type its bytes tell');
    return { data, contentType };
  }

  async delete(key: string): Promise<void> {
    const file = this.fileOf(key);
    if (file === undefined) return;
    await rm(file, { force: true });
    await rm(`${file}.json`, { force: true });
  }

  /**
   * Deletes files last written before `before` that no case uses (`inUse` keys), and `.tmp`
   * leftovers of interrupted writes older than `tmpBefore`; returns how many files went. Younger
   * files are left: a turn may have stored one a moment before its case names it.
   */
  async sweep(inUse: Set<string>, before: Date, tmpBefore: Date = new Date(Date.now() - 3600_000)): Promise<number> {
    let gone = 0;
    const entries = await readdir(this.dir, { recursive: true, withFileTypes: true }).catch(
      (err: NodeJS.ErrnoException) => {
        if (err.code === 'ENOENT') return [];
        throw err;
      },
    );
    for (const entry of entries) {
      if (!entry.isFile()) continue;
      const file = path.join(entry.parentPath, entry.name);
      const key = entry.name.endsWith('.tmp') ? undefined : entry.name.replace(/\.json$/, '');
      if (key !== undefined && (!KEY.test(key) || inUse.has(key))) continue;
      const modified = (await stat(file).catch(() => undefined))?.mtime;
      if (modified === undefined || modified >= (key === undefined ? tmpBefore : before)) continue;
      await rm(file, { force: true });
      if (!entry.name.endsWith('.json')) gone++;
    }
    return gone;
  }
}
