/** The bus between kefu instances: wiring and re-exports only. */
export type { Bus } from './types.js';
export { MemoryBus } from './memoryBus.js';
export { RedisBus } from './redisBus.js';
export { openSharedParts, type SharedParts } from './sharedParts.js';
