/**
 * The channel side of the Bot Framework protocol: hands a shopper's activity to the bot, with
 * `serviceUrl` pointing back at this server's connector routes so the bot's replies, and any later
 * proactive message, come back here. kefu hands it over in-process (`inProcess`), which is how
 * the turn knows the activity passed this service's token check; other bots get it by a POST to
 * their messaging endpoint.
 */
import { DirectLineError } from './errors.js';
import type { ActivityJson } from './store.js';

export interface BotClientOptions {
  /** Resolved lazily, like `serviceUrl`. */
  botUrl: () => string;
  timeoutMs: number;
  /** Resolved lazily: the listening port is known only after `listen`. */
  serviceUrl: () => string;
  /** Runs the bot's turn in this process instead of POSTing; throws a DirectLineError to refuse. */
  inProcess?: (activity: ActivityJson) => Promise<void>;
}

export class BotClient {
  constructor(private readonly options: BotClientOptions) {}

  get serviceUrl(): string {
    return this.options.serviceUrl();
  }

  /** Resolves when the bot has finished its turn; a refused or failed turn is a 502 for the client. */
  async deliver(activity: ActivityJson): Promise<void> {
    if (this.options.inProcess) return this.deliverInProcess(activity);
    let response: globalThis.Response;
    try {
      response = await fetch(this.options.botUrl(), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ ...activity, serviceUrl: this.serviceUrl }),
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
    } catch (err) {
      const why =
        err instanceof Error && err.name === 'TimeoutError'
          ? `did not answer within ${this.options.timeoutMs} ms`
          : 'could not be reached';
      throw new DirectLineError(502, 'BotError', `the bot ${why}`);
    }
    // The body is not used, but reading it frees the connection for reuse.
    await response.arrayBuffer().catch(() => undefined);
    // The bot refusing the activity (its shape, its size, an invoke it does not implement) is the
    // client's mistake, not a bad gateway.
    if (response.status === 400 || response.status === 413 || response.status === 501) {
      throw new DirectLineError(
        response.status === 413 ? 413 : 400,
        'BadArgument',
        `the bot refused the activity (HTTP ${response.status})`,
      );
    }
    if (!response.ok) throw new DirectLineError(502, 'BotError', `the bot answered HTTP ${response.status}`);
  }

  private async deliverInProcess(activity: ActivityJson): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(
        () =>
          reject(new DirectLineError(502, 'BotError', `the bot did not answer within ${this.options.timeoutMs} ms`)),
        this.options.timeoutMs,
      );
    });
    try {
      await Promise.race([this.options.inProcess!({ ...activity, serviceUrl: this.serviceUrl }), deadline]);
    } catch (err) {
      if (err instanceof DirectLineError) throw err;
      throw new DirectLineError(502, 'BotError', 'the bot failed on this activity');
    } finally {
      clearTimeout(timer);
    }
  }
}
