/**
 * Conversation-level facts that live outside the dialog stack: the language, the open case,
 * whether a person owns the conversation, a pending satisfaction question, and a short
 * transcript kept until a case exists. Loaded and saved by the bot each turn (with eTags).
 */
import type { TurnContext } from 'botbuilder';
import type { Lang } from '../intents/labels.js';
import type { TranscriptEntry, TurnWrites } from '../domain/cases.js';

export interface Session {
  lang?: Lang;
  /** The case this conversation is working on. */
  caseId?: string;
  /** Set while the case waits for or is with a person: the bot relays instead of interpreting. */
  handoff?: { caseId: string; state: 'queued' | 'assigned' };
  /** Set after an agent closed the case: the next answer is a 1-5 rating. */
  csat?: { caseId: string };
  /** Unsure classifications in a row; the second one goes to a person. */
  unsure: number;
  /** Messages before a case exists, copied into the case when it is created. */
  transcript: TranscriptEntry[];
}

const SESSION_KEY = 'kefu.session';

export function newSession(): Session {
  return { unsure: 0, transcript: [] };
}

/** The session of this turn (put in turn state by the bot before dialogs run). */
export function sessionOf(context: TurnContext): Session {
  let session = context.turnState.get(SESSION_KEY) as Session | undefined;
  if (!session) {
    session = newSession();
    context.turnState.set(SESSION_KEY, session);
  }
  return session;
}

export function attachSession(context: TurnContext, session: Session): void {
  context.turnState.set(SESSION_KEY, session);
}

const WRITES_KEY = 'kefu.turnWrites';

/** Where this turn's stores may leave commits the turn waits for before it answers (see `TurnWrites`). */
export function turnWritesOf(context: TurnContext): TurnWrites | undefined {
  return context.turnState.get(WRITES_KEY) as TurnWrites | undefined;
}

export function attachTurnWrites(context: TurnContext, writes: TurnWrites): void {
  context.turnState.set(WRITES_KEY, writes);
}
