/**
 * The configured store for the lead's commands (`kefu rules diff`, `kefu report`, `kefu intents
 * review`): the same choice the bot makes (embedded SQLite under KEFU_DATA_DIR, or Redis +
 * PostgreSQL), opened quietly and always closed.
 */
import { loadConfig } from '../config.js';
import { createLogger } from '../log.js';
import { openStores } from '../store/openStores.js';
import type { Stores } from '../store/types.js';

export async function withStores<T>(env: NodeJS.ProcessEnv, work: (stores: Stores) => Promise<T>): Promise<T> {
  const stores = await openStores(loadConfig(env), createLogger('silent'));
  try {
    return await work(stores);
  } finally {
    await stores.close();
  }
}
