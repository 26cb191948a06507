/**
 * The bus over Redis pub/sub, for several instances. Publishing uses the shared command
 * connection; subscribing needs a connection of its own (a subscribed Redis connection can run
 * no other command), opened on first use. Channels live under `<prefix>bus:` so deployments and
 * tests sharing one Redis do not hear each other. One Redis SUBSCRIBE per channel, however many
 * local listeners; the last listener to leave unsubscribes.
 *
 * After a Redis outage ioredis reconnects and re-subscribes by itself; messages published while
 * the connection was down are lost, which is why readers re-check durable state on reconnect
 * (`onReconnect`).
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Bus } from './types.js';

export class RedisBus implements Bus {
  readonly origin = randomBytes(6).toString('hex');
  private readonly prefix: string;
  private subscriber?: Redis;
  private readonly listeners = new Map<string, Set<(message: string) => void>>();
  private readonly reconnectHooks = new Set<() => void>();
  private closed = false;

  constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    this.prefix = `${prefix}bus:`;
  }

  async publish(channel: string, message: string): Promise<void> {
    await this.redis.publish(this.prefix + channel, message);
  }

  async subscribe(channel: string, listener: (message: string) => void): Promise<() => void> {
    if (this.closed) throw new Error('the Redis bus is closed');
    const sub = this.connection();
    let set = this.listeners.get(channel);
    const first = set === undefined;
    if (set === undefined) {
      set = new Set();
      this.listeners.set(channel, set);
    }
    set.add(listener);
    if (first) await sub.subscribe(this.prefix + channel);
    return () => {
      const current = this.listeners.get(channel);
      if (current === undefined || !current.delete(listener) || current.size > 0) return;
      this.listeners.delete(channel);
      if (!this.closed) void sub.unsubscribe(this.prefix + channel).catch(() => undefined);
    };
  }

  /** Called after the subscriber connection came back: messages sent meanwhile were lost. */
  onReconnect(hook: () => void): () => void {
    this.reconnectHooks.add(hook);
    return () => this.reconnectHooks.delete(hook);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
    this.reconnectHooks.clear();
    this.subscriber?.disconnect();
  }

  private connection(): Redis {
    if (this.subscriber !== undefined) return this.subscriber;
    const sub = this.redis.duplicate({ maxRetriesPerRequest: null });
    // The shared connection already logs outages; the duplicate's errors would only repeat them.
    sub.on('error', () => undefined);
    let wasReady = false;
    sub.on('ready', () => {
      if (wasReady) for (const hook of this.reconnectHooks) hook();
      wasReady = true;
    });
    sub.on('message', (name: string, text: string) => {
      if (!name.startsWith(this.prefix)) return;
      const set = this.listeners.get(name.slice(this.prefix.length));
      if (set === undefined) return;
      for (const listener of [...set]) {
        try {
          listener(text);
        } catch {
          // One broken listener must not keep the others from hearing the message.
        }
      }
    });
    this.subscriber = sub;
    return sub;
  }
}
