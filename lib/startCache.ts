/**
 * What kefu derives from its data files at start (the rule table parsed, linted and tested; the
 * reply catalogue and the other YAML files parsed and validated) is kept in `dist/cache/` by a
 * start from the build, so the next start of the same build on the same files reads it back
 * (v8 serialisation, about a millisecond) instead of parsing and checking again (a few hundred
 * milliseconds, most of kefu's own start-up).
 *
 * An entry is named by the build, what was derived, and the exact bytes of every file it came
 * from, so it is never stale: an edited file or a new build (which empties `dist/`) means a new
 * name. Only values that passed every check are kept; a file with a mistake is read and reported
 * in full on every start. Running from the sources (tsx) there is no build and no cache. A cache
 * that cannot be read or written (a read-only deployment, a damaged entry) only costs the time.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import { projectPath } from './paths.js';

/** Set by the build (bot/build.js), a new value each build; absent when running from the sources. */
declare const KEFU_BUILD_ID: string | undefined;

const BUILD_ID = typeof KEFU_BUILD_ID === 'string' ? KEFU_BUILD_ID : undefined;

export interface StartCacheOptions {
  /** Where entries are kept; default `dist/cache/` when running from the build, else none (no cache). */
  dir?: string;
  /** Part of every entry's name: default the build's id. */
  build?: string;
}

/** A file's bytes, or a marker when it cannot be read (a missing optional file is an input too). */
function bytesOf(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    return Buffer.from(`\0unreadable:${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
}

function digest(parts: readonly (string | Buffer)[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(String(part.length)).update('\0').update(part);
  return hash.digest('hex').slice(0, 32);
}

/**
 * `derive()` (which reads `files`), or the value an earlier start of this build derived from
 * files with the same bytes. The value must survive v8 serialisation (plain data, Maps, Sets,
 * Dates); a throw from `derive` is never cached.
 */
export function derivedFromFiles<T>(
  kind: string,
  files: readonly string[],
  derive: () => T,
  options: StartCacheOptions = {},
): T {
  const build = options.build ?? BUILD_ID;
  const dir = options.dir ?? (build === undefined ? undefined : projectPath('dist', 'cache'));
  if (dir === undefined || build === undefined) return derive();
  const absolute = files.map((f) => path.resolve(f));
  // One entry per kind and set of files: a newer version of the files replaces the older entry.
  const prefix = `${kind}-${digest(absolute)}-`;
  const seen = absolute.map(bytesOf);
  const name = `${prefix}${digest([build, ...seen])}.v8`;
  const entry = path.join(dir, name);
  try {
    return v8.deserialize(readFileSync(entry)) as T;
  } catch {
    // No entry yet, or one that cannot be read back: derive again.
  }
  const value = derive();
  // A file that changed while it was read must not be stored under the bytes seen before.
  if (absolute.some((f, i) => !bytesOf(f).equals(seen[i]!))) return value;
  try {
    mkdirSync(dir, { recursive: true });
    const temp = `${entry}.${process.pid}.tmp`;
    writeFileSync(temp, v8.serialize(value));
    renameSync(temp, entry);
    for (const old of readdirSync(dir))
      if (old.startsWith(prefix) && old !== name) rmSync(path.join(dir, old), { force: true });
  } catch {
    // A read-only or full disk: the next start derives again.
  }
  return value;
}
