/** The handoff room: queue, service, agent API and console. Wiring and re-exports only. */
export * from '../../domain/handoff/types.js';
export { HandoffService, type HandoffServiceDeps } from './service.js';
export { SqliteHandoffQueue } from './sqliteQueue.js';
export { RedisHandoffQueue } from './redisQueue.js';
export {
  DEFAULT_SETTINGS,
  loadHandoffSettings,
  parseHandoffSettings,
  type HandoffSettings,
  type SlaTarget,
} from '../../domain/handoff/settings.js';
export { parseCloseDecision, type CloseDecision } from '../../domain/handoff/closeDecision.js';
export { HandoffError, type HandoffErrorCode } from '../../domain/handoff/errors.js';
export { AgentEvents, type AgentEvent } from './agentEvents.js';
export type { CaseFile, QueueItem } from '../../domain/handoff/views.js';
export { mountAgentApi } from './agentApi.js';
export {
  HANDOFF_STATES,
  MOVES,
  handoffState,
  nextState,
  type HandoffState,
  type Actor,
  type Move,
} from '../../domain/handoff/lifecycle.js';
