/**
 * Zips the Teams app package with fflate. Entries keep their order and every timestamp is fixed,
 * so the same inputs always give the same bytes; a name given twice is refused rather than one
 * file silently replacing the other.
 */
import { zipSync } from 'fflate';

export interface ZipEntry {
  name: string;
  data: Buffer;
}

/** The earliest time ZIP can store (local time, as ZIP keeps no zone). */
const FIXED_TIME = new Date(1980, 0, 1);

export function zip(entries: ZipEntry[]): Buffer {
  const files: Record<string, Uint8Array> = {};
  for (const { name, data } of entries) {
    if (Object.hasOwn(files, name)) throw new Error(`zip: duplicate entry '${name}'`);
    files[name] = data;
  }
  return Buffer.from(zipSync(files, { level: 9, mtime: FIXED_TIME }));
}
