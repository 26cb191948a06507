/**
 * The composition root: builds every part of kefu from the configuration and wires them
 * together. `npm start`, the tests and the benchmarks all start kefu through `startApp`.
 */
import path from 'node:path';
import { CloudAdapter, type TurnContext } from 'botbuilder';
import { CasConversationState } from './casState.js';
import { detectLang, extractEntities, loadClassifier } from '../intents/index.js';
import { watchTable, type TableWatch } from '../rules/index.js';
import type { KefuServices } from '../dialogs/services.js';
import { projectPath } from '../lib/paths.js';
import { DEFAULT_RESILIENCE, isLoopbackHost, type Config } from './config.js';
import { createLogger, type Logger } from './log.js';
import { openStores } from './store/index.js';
import type { Stores } from './store/types.js';
import { HandoffService, loadHandoffSettings, mountAgentApi, type HandoffSettings } from './handoff/index.js';
import { consoleAccess, signInLink } from './handoff/consoleAgents.js';
import { openSharedParts } from './bus/index.js';
import { mountDirectLine, UPLOAD_PATH, type DirectLine } from './directline/index.js';
import { mountWidget } from './web/index.js';
import { mountLeadApi } from './lead/leadApi.js';
import { Responses } from '../domain/responses.js';
import { Controls } from '../domain/controls.js';
import { loadEvidencePlan } from '../domain/evidencePlan.js';
import { AttachmentIntake } from './intake.js';
import { HandoffBridge } from './handoffBridge.js';
import { KefuBot } from './kefuBot.js';
import { createServer, type KefuServer } from './server.js';
import { botFrameworkAuthentication } from './security/botAuth.js';
import { botChannelToken } from './security/channelToken.js';
import { directLineDelivery, markChannelShopper } from './security/shopperIdentity.js';
import { ShopperData } from './privacy/shopperData.js';
import { startRetention } from './privacy/retention.js';
import { Outbox } from './resilience/outbox.js';
import { ActivityOnce } from './resilience/activityOnce.js';
import { readinessCheck } from './resilience/readiness.js';
import { withDeadline } from './resilience/deadline.js';
import { storeSweepers } from './privacy/sweepers.js';
import { openWeCom, WECOM_PATH, type WeComChannel } from './wecom/index.js';

export interface AppOptions {
  log?: Logger;
  /** Clock for tests; default the real time. */
  now?: () => Date;
  host?: string;
  handoffSettings?: Partial<HandoffSettings>;
  /** Start the handoff timers (SLA, reassignment, queue positions). Default true. */
  timers?: boolean;
  /** Where `data/` lives; default the project's own. */
  dataDir?: string;
  /**
   * Tests only: fetch attachment URLs on loopback too (the tests' own file servers). There is no
   * setting for it: a deployed kefu never fetches loopback, private or link-local targets.
   */
  allowLoopbackAttachments?: boolean;
}

export interface App {
  port: number;
  url: string;
  config: Config;
  stores: Stores;
  rules: TableWatch;
  handoff: HandoffService;
  directLine: DirectLine;
  bot: KefuBot;
  server: KefuServer;
  /** Proactive messages on their way to channels. */
  outbox: Outbox;
  /** The WeCom 微信客服 channel, when configured. */
  wecom?: WeComChannel;
  log: Logger;
  /** Local mode without AGENT_TOKENS: the demo agent's ready sign-in link for the console. */
  consoleSignIn?: string;
  /** Stops within about `SHUTDOWN_TIMEOUT_MS`, whatever a store or a channel does. */
  close(): Promise<void>;
}

export const MAX_EVIDENCE_BYTES = 10 * 1024 * 1024;
const projectData = projectPath('data');

export async function startApp(config: Config, options: AppOptions = {}): Promise<App> {
  const log = options.log ?? createLogger(config.logLevel);
  const now = options.now ?? (() => new Date());
  const data = options.dataDir ?? projectData;
  const host = options.host ?? config.host;
  if (config.anonymous) {
    log.warn(
      'LOCAL ANONYMOUS MODE: MicrosoftAppId is empty, so /api/messages accepts unauthenticated requests. Never expose this to the internet.',
    );
    if (!isLoopbackHost(host)) {
      log.warn(
        `ANONYMOUS BOT ON THE NETWORK: ALLOW_ANONYMOUS_NETWORK is set and kefu listens on ${host}; anyone who can reach this address can talk to the bot unauthenticated. Shopper data (my data, erase, status) still needs the embedded Direct Line's token.`,
      );
    }
  }
  const resilience = config.resilience ?? DEFAULT_RESILIENCE;
  const access = consoleAccess(config, host);
  const agents = access.kind === 'off' ? [] : access.agents;
  if (access.kind === 'off') log.warn(access.why);
  const stores = await openStores(config, log);
  const rules = watchTable(config.rulesFile, log);
  const classifier = loadClassifier();
  const responses = Responses.load(path.join(data, 'responses.yaml'));
  const controls = Controls.load(path.join(data, 'controls.yaml'));
  const plan = loadEvidencePlan(path.join(data, 'evidence.yaml'));

  let directLine: DirectLine | undefined;
  let wecom: WeComChannel | undefined;
  const adapter = new CloudAdapter(botFrameworkAuthentication(config, () => directLine?.serviceUrl()));
  const conversationState = new CasConversationState(stores.state);
  let bot: KefuBot | undefined;
  const outbox = new Outbox({ ...resilience.outbox, log });
  const bridge = new HandoffBridge({
    adapter,
    appId: config.microsoftAppId,
    responses,
    withSession: (ctx, work) => bot!.withSession(ctx, work),
    outbox,
    log,
    channelAdapter: (channelId) => (channelId === 'wecom' ? wecom?.adapter : undefined),
  });
  // Queue, Direct Line store and the bus between instances: Redis when scaled out, else local.
  const shared = await openSharedParts(stores, config, log);
  const handoff = new HandoffService({
    cases: stores.cases,
    queue: shared.queue,
    notifier: bridge,
    agents,
    settings: { ...loadHandoffSettings(path.join(data, 'handoff.yaml')), ...options.handoffSettings },
    clock: () => now().getTime(),
    log,
  });
  bridge.attach(handoff);
  await handoff.events.connect(shared.bus, (err) =>
    log.warn({ err }, 'could not share an agent event with the other instances'),
  );

  const intake = new AttachmentIntake({
    evidence: stores.evidence,
    maxBytes: MAX_EVIDENCE_BYTES,
    resolvers: [
      (url) => directLine?.resolveAttachment(url) ?? Promise.resolve(undefined),
      (url) => wecom?.resolveMedia(url, MAX_EVIDENCE_BYTES) ?? Promise.resolve(undefined),
    ],
    // Loopback, private and link-local targets are refused in every mode; only tests open loopback.
    allowLoopback: options.allowLoopbackAttachments === true,
    now,
    allowedHosts: config.attachmentHosts,
    onRefused: (reason) => log.warn({ reason }, 'attachment not fetched'),
    channelToken: botChannelToken(config.anonymous),
  });
  const shopperData = new ShopperData({
    cases: stores.cases,
    evidence: stores.evidence,
    state: stores.state,
    // Lazily: the Direct Line is mounted once the server exists.
    directLine: {
      channelId: 'directline',
      conversationsOf: (userId) => directLine!.store.conversationsOf(userId),
      eraseConversation: (id) => directLine!.store.erase(id),
      eraseUploads: (userId) => directLine!.eraseUploads(userId),
    },
    sweepers: storeSweepers(stores, config.dataDir),
    ledger: stores.ledger,
    now,
  });
  const services: KefuServices = {
    classifier,
    rules: { evaluate: (facts) => rules.current().evaluate(facts) },
    orders: stores.orders,
    cases: stores.cases,
    intake,
    handoff: bridge,
    responses,
    controls,
    plan,
    extract: extractEntities,
    now,
    privacy: shopperData,
  };
  bot = new KefuBot({
    services,
    conversationState,
    bridge,
    handoff,
    detectLang,
    log,
    once: new ActivityOnce({ ledger: stores.ledger, ttlSeconds: resilience.dedupeSeconds }),
    replyTimeoutMs: resilience.outbox.timeoutMs,
    settled: () => stores.settled?.() ?? Promise.resolve(),
  });
  const kefuBot = bot;

  const onTurnError = async (context: TurnContext, error: Error) => {
    log.error({ err: error, conversation: context.activity.conversation?.id }, 'turn failed');
    const text = responses.t('zh-CN', 'error.generic') + '\n' + responses.t('en', 'error.generic');
    await withDeadline(context.sendActivity(text), resilience.outbox.timeoutMs, 'error reply').catch(() => undefined);
  };
  adapter.onTurnError = onTurnError;

  const server = createServer({
    adapter,
    onTurn: (context) => {
      markChannelShopper(context, config.anonymous);
      return kefuBot.run(context);
    },
    log,
    health: () => ({ rules: rules.current().hash, store: stores.backend ?? 'sqlite' }),
    readiness: readinessCheck({
      probes: stores.probes,
      table: () => rules.current()?.hash,
      timeoutMs: resilience.readyTimeoutMs,
      onDown: (store, err) => log.warn({ store, err }, 'readiness: a store does not answer; /readyz answers 503'),
    }),
    limits: { ...(config.rateLimits ?? { perConversation: 0, perAddress: 0 }), trustProxy: config.trustProxy },
    bodies: config.bodies,
    multipartPaths: [UPLOAD_PATH],
    xmlPaths: [new RegExp(`^${WECOM_PATH}$`)],
    // The language is not known yet at the edge, so the refusal is in both.
    slowDownText: `${responses.t('zh-CN', 'error.slow_down')}\n${responses.t('en', 'error.slow_down')}`,
  });
  directLine = mountDirectLine(server.server, {
    botUrl: '/api/messages',
    ...(config.directLineServiceUrl ? { serviceBaseUrl: config.directLineServiceUrl } : {}),
    secret: config.directLineSecret,
    // In-process: the turn knows its shopper passed the Direct Line's token check.
    deliver: directLineDelivery(adapter, server.turn, config.microsoftAppId, log),
    store: shared.directLineStore,
    memory: config.directLineMemory,
    sharedKey: shared.directLineKey,
    dataDir: config.dataDir,
    maxUploadBytes: MAX_EVIDENCE_BYTES,
    tokenTtlSeconds: 3600,
    log,
  });
  mountWidget(server.server, { ordersFile: config.ordersFile });
  if (config.wecom) {
    wecom = openWeCom({ settings: config.wecom, stores, turn: server.turn, onTurnError, log });
    wecom.mount(server.server);
  }
  mountAgentApi(server.server, {
    service: handoff,
    evidence: stores.evidence,
    agents,
    log,
    ...(access.kind === 'off' ? { consoleOff: access.why } : {}),
  });
  await mountLeadApi(server.server, { rules, stores, config, handoffSettings: handoff.settings, log, now });

  const port = await server.listen(config.port, host);
  if (options.timers !== false) handoff.start();
  // After listening: what arrived while kefu was down is answered now, not at the next callback.
  await wecom?.resume().catch((err: unknown) => log.warn({ err }, 'wecom: could not resume the pulls'));
  const retention = options.timers !== false ? startRetention(shopperData, config.retentionDays ?? 0, log) : undefined;
  log.info({ port, rules: rules.current().hash }, `kefu is listening on http://localhost:${port}`);
  const consoleSignIn = access.kind === 'demo' ? signInLink(`http://localhost:${port}`, access.token) : undefined;
  const dl = directLine;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    config,
    stores,
    rules,
    handoff,
    directLine: dl,
    bot: kefuBot,
    server,
    outbox,
    log,
    ...(wecom ? { wecom } : {}),
    consoleSignIn,
    async close() {
      // Each step is bounded, so SIGTERM always finishes within the budget: in-flight requests
      // get most of it, then queued channel messages, then connections close even if a store hangs.
      const end = Date.now() + resilience.shutdownMs;
      const step = (what: string, work: (ms: number) => Promise<unknown>, share: number) => {
        const ms = Math.max(200, Math.min(Math.floor(resilience.shutdownMs * share), end - Date.now()));
        return withDeadline(
          Promise.resolve().then(() => work(ms)),
          ms + 200,
          `shutdown: ${what}`,
        ).catch((err: unknown) => log.warn({ err }, 'shutdown step did not finish in time; going on'));
      };
      // Streams first: an open widget (WebSocket) or console (SSE) never ends on its own, so
      // waiting for it would spend the whole budget. Each is closed with a reason.
      await step(
        'open streams',
        () => {
          handoff.events.hangUp();
          return dl.closeStreams();
        },
        0.1,
      );
      await step('in-flight requests', (ms) => server.close(ms), 0.5);
      await step('messages to channels', (ms) => outbox.close(ms), 0.2);
      if (wecom) await step('WeCom pulls', () => wecom!.idle(), 0.05);
      await step('handoff timers', () => handoff.stop(), 0.05);
      await step('Direct Line', () => dl.close(), 0.05);
      await step('shared parts', () => shared.close(), 0.05);
      retention?.stop();
      rules.close();
      await step('stores', () => stores.close(), 0.05);
    },
  };
}
