/**
 * The in-process bus: the default for one instance. Delivery is synchronous, in publish order.
 */
import { EventEmitter } from 'node:events';
import { randomBytes } from 'node:crypto';
import type { Bus } from './types.js';

export class MemoryBus implements Bus {
  readonly origin = randomBytes(6).toString('hex');
  private readonly emitter = new EventEmitter();

  constructor() {
    // One listener per open stream or console tab.
    this.emitter.setMaxListeners(0);
  }

  async publish(channel: string, message: string): Promise<void> {
    this.emitter.emit(channel, message);
  }

  async subscribe(channel: string, listener: (message: string) => void): Promise<() => void> {
    this.emitter.on(channel, listener);
    return () => this.emitter.off(channel, listener);
  }

  async close(): Promise<void> {
    this.emitter.removeAllListeners();
  }
}
