/** The evidence the embedded backend keeps as rows of its SQLite file (files up to 256 KiB), read as another process would. */
import path from 'node:path';
import Database from 'better-sqlite3';

/** Keys of the evidence rows in `<dataDir>/kefu.sqlite`. */
export function evidenceRows(dataDir: string): string[] {
  const db = new Database(path.join(dataDir, 'kefu.sqlite'), { readonly: true });
  try {
    return (db.prepare('SELECT key FROM evidence').all() as { key: string }[]).map((r) => r.key);
  } finally {
    db.close();
  }
}
