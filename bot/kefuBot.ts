/**
 * kefu's ActivityHandler. Per turn: load the session, pick the language, then either relay to a
 * person (while one owns the case), read a satisfaction rating, or run the dialogs. Replies are
 * held until the turn's state is saved: if another instance saved this conversation first (eTag
 * conflict), the turn is re-run on fresh state and only the winning replies are sent. A turn
 * that could not be saved (a store failed or did not answer in time) sends none of its replies,
 * only "not saved, please send again"; that includes a write the stores left to commit later
 * (`TurnWrites`), which the replies wait for. Each activity id is handled once (`ActivityOnce`): a
 * redelivery gets the first answer again.
 */
import {
  ActivityHandler,
  ActivityTypes,
  type ConversationState,
  type StatePropertyAccessor,
  type TurnContext,
  type Activity,
  type ResourceResponse,
} from 'botbuilder';
import type { DialogState } from '../dialogs/sdk.js';
import type { Lang } from '../intents/labels.js';
import { recognizeRating } from '../intents/answers/index.js';
import { KefuDialogs } from '../dialogs/kefuDialogs.js';
import { setLang } from '../dialogs/reply.js';
import { attachSession, attachTurnWrites, newSession, type Session } from '../dialogs/session.js';
import type { KefuServices } from '../dialogs/services.js';
import { TurnWrites, type TranscriptEntry } from '../domain/cases.js';
import { HandoffError, type HandoffService } from './handoff/index.js';
import { CaseNotFoundError, EtagConflictError } from './store/errors.js';
import type { HandoffBridge } from './handoffBridge.js';
import type { Logger } from './log.js';
import type { ActivityOnce } from './resilience/activityOnce.js';
import { withDeadline } from './resilience/deadline.js';

export interface KefuBotDeps {
  services: KefuServices;
  conversationState: ConversationState;
  bridge: HandoffBridge;
  handoff: HandoffService;
  detectLang(text: string): Lang;
  log: Logger;
  maxTextChars?: number;
  /** Exactly once per activity id; absent: every delivery is handled. */
  once?: ActivityOnce;
  /** Longest wait for a channel to take the turn's replies (not with `expectReplies`). */
  replyTimeoutMs?: number;
  /** Resolves once every store write so far is durable (`Stores.settled`). */
  settled?: () => Promise<void>;
}

const MAX_ATTEMPTS = 3;
const PRE_CASE_TRANSCRIPT = 30;
/** Transcript lines kept in the session before they are written to the case in one update. */
const TRANSCRIPT_BATCH = 8;
/** Lines kept in the session while the case cannot be written. */
const MAX_PENDING_TRANSCRIPT = 200;

/** Every state storage throws this type on a lost race (CasConversationState makes MemoryStorage do so too). */
function isConflict(err: unknown): boolean {
  return err instanceof EtagConflictError;
}

/** The language of a turn: the first message sets it; later only a clear change of script switches it. */
export function chooseLang(session: Session, activity: Activity, detect: (t: string) => Lang): Lang {
  const text = activity.text?.trim() ?? '';
  const fromLocale: Lang | undefined = activity.locale?.toLowerCase().startsWith('en')
    ? 'en'
    : activity.locale?.toLowerCase().startsWith('zh')
      ? 'zh-CN'
      : undefined;
  const fromText = /[\p{L}]{2,}/u.test(text) ? detect(text) : undefined;
  if (session.lang === undefined) return fromText ?? fromLocale ?? 'zh-CN';
  // Mid-conversation answers are often button titles or product names in the shop's language,
  // so only a long message in the other language switches.
  if (fromText && fromText !== session.lang && text.length >= 24) return fromText;
  return session.lang;
}

export class KefuBot extends ActivityHandler {
  private readonly dialogs: KefuDialogs;
  private readonly sessionState: StatePropertyAccessor<Session>;
  private readonly maxTextChars: number;

  constructor(private readonly deps: KefuBotDeps) {
    super();
    this.sessionState = deps.conversationState.createProperty<Session>('session');
    // 'dialogs', not the older 'dialogState': stacks saved by the nested dialogs of 0.1 do not fit the flat set.
    this.dialogs = new KefuDialogs(deps.conversationState.createProperty<DialogState>('dialogs'), deps.services);
    this.maxTextChars = deps.maxTextChars ?? 2000;
  }

  /**
   * Loads the session of any turn (also proactive ones), runs `work`, and saves with eTags. When
   * another instance saved this conversation first, `work` runs again on the fresh state.
   */
  async withSession(context: TurnContext, work: (session: Session) => Promise<void>): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      await this.deps.conversationState.load(context, attempt > 1);
      const session = await this.sessionState.get(context, newSession());
      try {
        await work(session);
        await this.deps.conversationState.saveChanges(context);
        return;
      } catch (err) {
        if (!isConflict(err) || attempt >= MAX_ATTEMPTS) throw err;
        this.deps.log.info(
          { conversation: context.activity.conversation?.id, attempt },
          'turn lost an eTag race; re-running on fresh state',
        );
      }
    }
  }

  override async run(context: TurnContext): Promise<void> {
    const outbox: Partial<Activity>[] = [];
    let holding = true;
    context.onSendActivities(async (_ctx, activities, next): Promise<ResourceResponse[]> => {
      if (!holding) return next();
      outbox.push(...activities);
      return activities.map(() => ({ id: '' }));
    });
    let lang: Lang | undefined;
    let claim: Awaited<ReturnType<ActivityOnce['claim']>> | undefined;
    let writes: TurnWrites | undefined;
    // Only an expectReplies caller is answered from the ledger; other channels already got the
    // replies, so none are kept (they are shopper data).
    const keep = () => (context.activity.deliveryMode === 'expectReplies' ? outbox : []);
    try {
      claim = this.deps.once ? await this.deps.once.claim(context.activity) : undefined;
      if (claim?.kind === 'replay') {
        // A channel that reads replies from the response gets them again; any other channel was
        // sent them already, so it gets nothing more.
        this.deps.log.info(
          { conversation: context.activity.conversation?.id },
          'activity delivered again; not handled twice',
        );
        if (context.activity.deliveryMode === 'expectReplies') outbox.push(...claim.replies);
      } else {
        this.deps.bridge.enterTurn(context);
        try {
          await this.withSession(context, async (session) => {
            outbox.length = 0; // a re-run starts over: only the winning attempt's replies are sent
            writes = new TurnWrites();
            attachSession(context, session);
            attachTurnWrites(context, writes);
            lang = session.lang;
            const before = { caseId: session.caseId, relaying: session.handoff !== undefined };
            await super.run(context);
            lang = session.lang;
            await this.keepTranscript(session, before, context.activity, outbox);
            // A case this turn opened that failed to commit: the state must not be saved pointing at it.
            writes.throwIfFailed();
            // On the embedded store the "handled" mark commits with the state, in one transaction.
            if (claim?.kind === 'run') claim.finishAlong(this.deps.conversationState.get(context) as object, keep());
          });
        } finally {
          this.deps.bridge.leaveTurn(context);
        }
        // Saved: a failure to remember the replies only means a redelivery is handled again.
        await claim
          ?.finish(keep())
          .catch((err: unknown) => this.deps.log.warn({ err }, 'activity handled but not recorded as handled'));
      }
      // Whatever this turn wrote or read was written durably before it is answered (see Stores.settled).
      await Promise.all([writes?.durable(), this.deps.settled?.()]);
    } catch (err) {
      holding = false;
      if (claim?.kind === 'run') await claim.abandon().catch(() => undefined);
      this.deps.log.error(
        { err, conversation: context.activity.conversation?.id },
        'turn not saved; the shopper is asked to send it again',
      );
      const text = this.deps.services.responses.t(
        lang ?? chooseLang(newSession(), context.activity, this.deps.detectLang),
        'error.not_saved',
      );
      await this.reply(context, [{ type: ActivityTypes.Message, text, channelData: { refused: 'not_saved' } }]);
      return;
    }
    holding = false;
    if (outbox.length > 0) await this.reply(context, outbox);
  }

  /** Sends replies, waiting at most `replyTimeoutMs` for the channel (instant with `expectReplies`). */
  private async reply(context: TurnContext, activities: Partial<Activity>[]): Promise<void> {
    const ms = this.deps.replyTimeoutMs ?? 10_000;
    await withDeadline(context.sendActivities(activities), ms, 'replies to the channel').catch((err: unknown) =>
      this.deps.log.warn(
        { err, conversation: context.activity.conversation?.id },
        'replies not delivered to the channel',
      ),
    );
  }

  protected override async onMessageActivity(context: TurnContext): Promise<void> {
    const session = await this.sessionState.get(context, newSession());
    const activity = context.activity;
    const r = this.deps.services.responses;
    session.lang = chooseLang(session, activity, this.deps.detectLang);
    setLang(context, session.lang);
    const text = typeof activity.text === 'string' ? activity.text.trim() : '';
    if (text.length > this.maxTextChars) {
      activity.text = text.slice(0, this.maxTextChars);
      await context.sendActivity(r.t(session.lang, 'text_truncated', { limit: this.maxTextChars }));
    } else activity.text = text;
    const hasFiles = (activity.attachments ?? []).length > 0;
    if (activity.text === '' && !hasFiles && activity.value === undefined) {
      await context.sendActivity(r.t(session.lang, 'empty_message'));
      return;
    }
    if (session.handoff) return this.relay(context, session);
    if (session.csat && (await this.readRating(context, session))) return;
    await this.dialogs.turn(context);
  }

  protected override async onConversationUpdateActivity(context: TurnContext): Promise<void> {
    const added = (context.activity.membersAdded ?? []).filter((m) => m.id !== context.activity.recipient.id);
    if (added.length === 0) return;
    const session = await this.sessionState.get(context, newSession());
    const lang = chooseLang(session, context.activity, this.deps.detectLang);
    await context.sendActivity(this.deps.services.responses.t(lang, 'welcome'));
  }

  /** `handoff.status` from a channel's own agent hub: `completed` returns the shopper to the bot. */
  protected override async onEventActivity(context: TurnContext): Promise<void> {
    if (context.activity.name !== 'handoff.status') return;
    const session = await this.sessionState.get(context, newSession());
    const state = (context.activity.value as { state?: unknown } | undefined)?.state;
    if (session.handoff && (state === 'completed' || state === 'failed')) {
      session.csat = state === 'completed' ? { caseId: session.handoff.caseId } : undefined;
      session.handoff = undefined;
      if (state === 'completed')
        await context.sendActivity(this.deps.services.responses.t(session.lang ?? 'zh-CN', 'csat.ask'));
    }
  }

  /** While a person has the case: pass the shopper's words on, except an explicit end or leave. */
  private async relay(context: TurnContext, session: Session): Promise<void> {
    const { caseId } = session.handoff!;
    const control = this.deps.services.controls.match(context.activity.text);
    if (control === 'end_chat' || control === 'leave_queue' || control === 'cancel') {
      await this.deps.handoff.shopperLeaves(caseId);
      session.handoff = undefined;
      return;
    }
    const evidence: string[] = [];
    for (const file of context.activity.attachments ?? []) {
      const taken = await this.deps.services.intake.take(context, file, 'photo_item', ['image', 'video', 'pdf']);
      if (taken.ok) {
        evidence.push(taken.item.id);
        await this.deps.services.cases.update(caseId, (c) => ({ ...c, evidence: [...c.evidence, taken.item] }));
      }
    }
    try {
      await this.deps.handoff.shopperMessage(caseId, context.activity.text ?? '', evidence);
      if (session.handoff?.state === 'queued')
        await context.sendActivity(
          this.deps.services.responses.t(session.lang ?? 'zh-CN', 'handoff.waiting', { caseId }),
        );
    } catch (err) {
      // Only a case that is gone (closed elsewhere, or deleted) returns the conversation to the
      // bot. Anything else (a refused move, a failed store) must not end the handoff: the turn
      // fails unsaved and the shopper is still with the person.
      if (!(err instanceof CaseNotFoundError || (err instanceof HandoffError && err.code === 'not_found'))) throw err;
      this.deps.log.warn({ err, caseId }, 'relay failed; returning the conversation to the bot');
      session.handoff = undefined;
      await this.dialogs.restart(context);
    }
  }

  /** Reads a 1-5 rating after an agent closed the case; anything else ends the question. */
  private async readRating(context: TurnContext, session: Session): Promise<boolean> {
    const { caseId } = session.csat!;
    session.csat = undefined;
    const value = context.activity.value as { csat?: unknown } | undefined;
    const score = Number(value?.csat ?? recognizeRating(context.activity.text ?? ''));
    if (!Number.isInteger(score) || score < 1 || score > 5) return false;
    await this.deps.handoff.recordCsat(caseId, score);
    await context.sendActivity(this.deps.services.responses.t(session.lang ?? 'zh-CN', 'csat.thanks'));
    return true;
  }

  /**
   * Keeps the transcript. Lines wait in the session (saved every turn anyway) and reach the case
   * in one update when the case leaves the bot (accepted, cancelled, handed to a person) or a
   * batch is full, which saves a case write on most turns. While a person has the case, the
   * handoff service records the conversation instead.
   */
  private async keepTranscript(
    session: Session,
    before: { caseId?: string; relaying: boolean },
    inbound: Activity,
    outbox: Partial<Activity>[],
  ): Promise<void> {
    if (before.relaying) return;
    const at = new Date().toISOString();
    const lines: TranscriptEntry[] = [];
    if (inbound.type === ActivityTypes.Message && (inbound.text || inbound.attachments?.length))
      lines.push({ at, from: 'shopper', text: inbound.text || `[${inbound.attachments?.length} file(s)]` });
    for (const a of outbox)
      if (a.type === ActivityTypes.Message && a.text) lines.push({ at, from: 'bot', text: a.text });
    session.transcript = [...session.transcript, ...lines];
    const caseId = session.caseId ?? before.caseId;
    if (caseId === undefined) {
      session.transcript = session.transcript.slice(-PRE_CASE_TRANSCRIPT);
      return;
    }
    const leftTheBot = session.caseId === undefined || session.handoff !== undefined;
    if (!leftTheBot && session.transcript.length < TRANSCRIPT_BATCH) return;
    const batch = session.transcript;
    // A transcript line that cannot be saved must never cost the shopper a reply; the lines stay
    // in the session (bounded) and go with the next batch.
    try {
      await this.deps.services.cases.update(caseId, (c) => ({ ...c, transcript: [...c.transcript, ...batch] }));
      session.transcript = [];
    } catch (err) {
      this.deps.log.warn({ err, caseId }, 'transcript not saved yet; kept for the next batch');
      session.transcript = batch.slice(-MAX_PENDING_TRANSCRIPT);
    }
  }
}
