/**
 * A streaming multipart/form-data reader for the upload route: file parts go straight to temp
 * files in the data directory (never the system temp directory, never whole in memory), with
 * caps on each file, the number of files and the whole request. The caller moves the files it
 * keeps and calls `discard()` in a `finally`, so nothing is left behind whatever happens; on an
 * error the reader removes what it wrote itself.
 *
 * The format (RFC 7578): parts separated by `\r\n--<boundary>`, each with headers, a blank line
 * and its bytes; the last delimiter is followed by `--`. The reader keeps at most one delimiter's
 * length of unconsumed bytes between chunks, so memory stays at one chunk plus the small parts.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, rm, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { DirectLineError } from './errors.js';
import { formatBytes } from './bodies.js';

export interface ReceivedFile {
  /** The file name the client gave (not a path: never used to build one). */
  name: string;
  declaredType: string;
  /** Temp file holding the bytes. */
  path: string;
  bytes: number;
  /** The first bytes, for telling the type from the content. */
  head: Buffer;
}

export interface ReceivedUpload {
  /** The raw `activity` part, if any. */
  activity?: Buffer;
  files: ReceivedFile[];
  /** Removes every temp file still in place (moved ones are simply gone). */
  discard(): Promise<void>;
}

export interface MultipartLimits {
  /** Where temp files go (created if missing). */
  dir: string;
  maxFileBytes: number;
  maxFiles: number;
  /** The whole request body. */
  maxBytes: number;
  /** Non-file parts (the activity), kept in memory. */
  maxFieldBytes: number;
}

const HEAD_BYTES = 64;
const MAX_HEADER_BYTES = 16 * 1024;
const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');

const bad = (message: string) => new DirectLineError(400, 'BadArgument', message);
const tooBig = (message: string) => new DirectLineError(413, 'MessageSizeTooBig', message);

export function boundaryOf(contentType: string): string {
  if (!/^multipart\/form-data\b/i.test(contentType)) {
    throw bad(`an upload must be multipart/form-data (got '${contentType || 'no content type'}')`);
  }
  const match = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;]{1,70}))/i.exec(contentType);
  const boundary = match?.[1] ?? match?.[2];
  if (boundary === undefined) throw bad('the upload is not valid multipart/form-data (no boundary)');
  return boundary;
}

/** `form-data; name="file"; filename="照片.png"` (or `filename*=UTF-8''...`) into its parameters. */
export function dispositionParams(header: string): Record<string, string> {
  const params: Record<string, string> = {};
  for (const m of header.matchAll(/;\s*([^=;\s]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;]*)/g)) {
    const key = m[1]!.toLowerCase();
    let value = m[2]!.trim();
    if (value.startsWith('"')) value = value.slice(1, -1).replace(/\\(.)/g, '$1');
    if (key.endsWith('*')) {
      const ext = /^[^']*'[^']*'(.*)$/.exec(value);
      try {
        params[key.slice(0, -1)] = decodeURIComponent(ext?.[1] ?? value);
      } catch {
        /* a malformed extended value: keep the plain one, if any */
      }
      continue;
    }
    params[key] ??= value;
  }
  return params;
}

interface Part {
  field: string;
  filename?: string;
  type: string;
  bytes: number;
  chunks?: Buffer[];
  file?: { handle: FileHandle; path: string; head: Buffer[]; headBytes: number };
}

export async function receiveMultipart(
  body: AsyncIterable<Buffer>,
  contentType: string,
  limits: MultipartLimits,
  declaredBytes?: number,
): Promise<ReceivedUpload> {
  if (declaredBytes !== undefined && declaredBytes > limits.maxBytes) {
    throw tooBig(
      `the upload is larger than the limit of ${formatBytes(limits.maxBytes)} (got at least ${formatBytes(declaredBytes)})`,
    );
  }
  const delimiter = Buffer.from(`\r\n--${boundaryOf(contentType)}`);
  const written: string[] = [];
  const upload: ReceivedUpload = {
    files: [],
    discard: async () => void (await Promise.all(written.map((p) => rm(p, { force: true })))),
  };
  type State = 'preamble' | 'after' | 'headers' | 'body' | 'done';
  let state = 'preamble' as State;
  // The CRLF lets the first delimiter (at the very start) match like the others.
  let buf: Buffer = Buffer.from(CRLF);
  let total = 0;
  let part: Part | undefined;

  const startPart = async (headerText: string): Promise<void> => {
    const headers = new Map<string, string>();
    for (const line of headerText.split('\r\n')) {
      const colon = line.indexOf(':');
      if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
    }
    const params = dispositionParams(headers.get('content-disposition') ?? '');
    const p: Part = {
      field: params.name ?? '',
      filename: params.filename,
      type: headers.get('content-type') ?? '',
      bytes: 0,
    };
    if (p.field === 'activity') p.chunks = [];
    else if (p.filename !== undefined) {
      if (upload.files.length >= limits.maxFiles)
        throw tooBig(
          `the upload has more than ${limits.maxFiles} files; at most ${limits.maxFiles} are allowed at once`,
        );
      await mkdir(limits.dir, { recursive: true });
      const file = path.join(limits.dir, `${randomBytes(12).toString('base64url')}.part`);
      written.push(file);
      p.file = { handle: await open(file, 'wx', 0o600), path: file, head: [], headBytes: 0 };
    }
    part = p;
  };

  const partData = async (data: Buffer): Promise<void> => {
    const p = part!;
    if (data.length === 0) return;
    p.bytes += data.length;
    if (p.chunks !== undefined) {
      if (p.bytes > limits.maxFieldBytes)
        throw tooBig(`the '${p.field}' part is larger than ${formatBytes(limits.maxFieldBytes)}`);
      p.chunks.push(data);
    } else if (p.file !== undefined) {
      // Past the cap, the rest is counted (to name the size) but not written.
      if (p.bytes > limits.maxFileBytes) return;
      if (p.file.headBytes < HEAD_BYTES) {
        p.file.head.push(data.subarray(0, HEAD_BYTES - p.file.headBytes));
        p.file.headBytes += Math.min(data.length, HEAD_BYTES - p.file.headBytes);
      }
      await p.file.handle.write(data);
    }
  };

  const endPart = async (): Promise<void> => {
    const p = part!;
    part = undefined;
    if (p.chunks !== undefined) upload.activity = Buffer.concat(p.chunks);
    if (p.file === undefined) return;
    await p.file.handle.close();
    const name = p.filename || 'file';
    if (p.bytes > limits.maxFileBytes)
      throw tooBig(`'${name}' is ${formatBytes(p.bytes)}; the limit is ${formatBytes(limits.maxFileBytes)} per file`);
    upload.files.push({
      name,
      declaredType: p.type,
      path: p.file.path,
      bytes: p.bytes,
      head: Buffer.concat(p.file.head),
    });
  };

  /** Consumes what it can of `buf`; false when it needs more input. */
  const step = async (): Promise<boolean> => {
    switch (state) {
      case 'preamble': {
        const at = buf.indexOf(delimiter);
        if (at < 0) {
          buf = buf.subarray(Math.max(0, buf.length - delimiter.length + 1));
          return false;
        }
        buf = buf.subarray(at + delimiter.length);
        state = 'after';
        return true;
      }
      case 'after': {
        if (buf.length < 2) return false;
        if (buf[0] === 0x2d && buf[1] === 0x2d) {
          state = 'done';
          return false;
        }
        const eol = buf.indexOf(CRLF);
        if (eol < 0) {
          if (buf.length > 256) throw bad('the upload is not valid multipart/form-data (garbage after a boundary)');
          return false;
        }
        buf = buf.subarray(eol + 2);
        state = 'headers';
        return true;
      }
      case 'headers': {
        const empty = buf.length >= 2 && buf[0] === 0x0d && buf[1] === 0x0a;
        const end = empty ? 0 : buf.indexOf(HEADER_END);
        if (end < 0) {
          if (buf.length > MAX_HEADER_BYTES)
            throw bad('the upload is not valid multipart/form-data (part headers too long)');
          return false;
        }
        await startPart(buf.subarray(0, end).toString('utf8'));
        buf = buf.subarray(empty ? 2 : end + 4);
        state = 'body';
        return true;
      }
      case 'body': {
        const at = buf.indexOf(delimiter);
        if (at < 0) {
          const keep = delimiter.length - 1;
          if (buf.length > keep) {
            await partData(buf.subarray(0, buf.length - keep));
            buf = buf.subarray(buf.length - keep);
          }
          return false;
        }
        await partData(buf.subarray(0, at));
        await endPart();
        buf = buf.subarray(at + delimiter.length);
        state = 'after';
        return true;
      }
      case 'done':
        return false;
    }
  };

  try {
    for await (const chunk of body) {
      total += chunk.length;
      if (total > limits.maxBytes)
        throw tooBig(
          `the upload is larger than the limit of ${formatBytes(limits.maxBytes)} (got at least ${formatBytes(total)})`,
        );
      if (state === 'done') continue;
      buf = buf.length === 0 ? chunk : Buffer.concat([buf, chunk]);
      while (await step());
    }
    if (state !== 'done')
      throw bad('the upload is not valid multipart/form-data (it ended before its closing boundary)');
    return upload;
  } catch (err) {
    await part?.file?.handle.close().catch(() => undefined);
    await upload.discard();
    throw err;
  }
}
