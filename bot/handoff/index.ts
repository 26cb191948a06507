/** The handoff room: queue, service, agent API and console. Wiring and re-exports only. */
export * from './types.js';
export { HandoffService, type HandoffServiceDeps } from './service.js';
export { SqliteHandoffQueue } from './sqliteQueue.js';
export { RedisHandoffQueue } from './redisQueue.js';
export {
  DEFAULT_SETTINGS,
  HandoffSettingsError,
  loadHandoffSettings,
  parseHandoffSettings,
  type HandoffSettings,
  type SlaTarget,
} from './settings.js';
export { parseCloseDecision, type CloseDecision } from './closeDecision.js';
export { HandoffError, type HandoffErrorCode } from './errors.js';
export { AgentEvents, type AgentEvent } from './agentEvents.js';
export type { CaseFile, QueueItem } from './views.js';
export { mountAgentApi } from './agentApi.js';
export {
  HANDOFF_STATES,
  MOVES,
  handoffState,
  nextState,
  type HandoffState,
  type Actor,
  type Move,
} from './lifecycle.js';
