/**
 * The event bus between kefu instances: a message published on one instance reaches the
 * subscribers of the same channel on every instance (its own included). Delivery is at most
 * once and only while connected, so the parts built on it (agent events, Direct Line streams)
 * keep the durable truth elsewhere and use the bus only to say "look again".
 */
export interface Bus {
  /** Identifies this instance, so a subscriber can skip what it published itself. */
  readonly origin: string;
  publish(channel: string, message: string): Promise<void>;
  /**
   * Resolves once the subscription is live: a message published after that reaches `listener`.
   * The returned function unsubscribes.
   */
  subscribe(channel: string, listener: (message: string) => void): Promise<() => void>;
  /**
   * Calls `hook` after the bus reconnected (messages published meanwhile were lost), so readers
   * can re-check durable state. Absent on buses that cannot lose their connection.
   */
  onReconnect?(hook: () => void): () => void;
  close(): Promise<void>;
}
