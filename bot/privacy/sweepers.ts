/**
 * The purge housekeeping each backend offers (see `Sweepers`), shared by the retention timer
 * inside `kefu serve` and by `kefu purge`, which runs without a server: idle SQLite state (Redis
 * state expires by itself), orphaned evidence (rows of the SQLite file, files in the evidence
 * directory), and the embedded Direct Line's uploads under the data directory.
 */
import path from 'node:path';
import { sweepUploads, UPLOADS_DIR } from '../directline/uploads.js';
import { SqliteStorage } from '../store/sqliteStorage.js';
import type { Stores } from '../store/types.js';
import type { Sweepers } from './shopperData.js';

export function storeSweepers(stores: Stores, dataDir: string): Sweepers {
  const { state, evidence } = stores;
  const uploadsDir = path.join(dataDir, UPLOADS_DIR);
  const sweepEvidence = evidence.sweep?.bind(evidence);
  return {
    ...(state instanceof SqliteStorage
      ? { idleState: async (idleSeconds: number) => state.purgeIdle(idleSeconds) }
      : {}),
    ...(sweepEvidence ? { evidence: (inUse: Set<string>, before: Date) => sweepEvidence(inUse, before) } : {}),
    uploads: (before) => sweepUploads(uploadsDir, (meta) => (meta.createdAt ?? '') < before.toISOString()),
    // Nothing but leftovers: no key file is older than the epoch, no upload matches.
    leftovers: async () =>
      ((await sweepEvidence?.(new Set(), new Date(0))) ?? 0) + (await sweepUploads(uploadsDir, () => false)),
  };
}
