/** The WeCom 微信客服 channel, wired from its settings and kefu's stores (docs/wecom.md). */
import type { TurnContext } from 'botbuilder';
import type { WeComSettings } from '../config.js';
import type { Logger } from '../log.js';
import type { Stores } from '../store/types.js';
import { WeComApi } from './api.js';
import { WeComChannel } from './channel.js';
import { WeComCrypto } from './crypto.js';
import { redisSyncState, sqliteSyncState, type WeComSyncState } from './syncState.js';

export { WeComChannel, WECOM_PATH } from './channel.js';
export { WeComCrypto, xmlField } from './crypto.js';

export interface WeComOptions {
  settings: WeComSettings;
  stores: Stores;
  turn: (context: TurnContext) => Promise<void>;
  onTurnError: (context: TurnContext, error: Error) => Promise<void>;
  log: Logger;
}

export function openWeCom(options: WeComOptions): WeComChannel {
  const { settings, stores, log } = options;
  const state: WeComSyncState = stores.scaled
    ? redisSyncState(stores.scaled.redis, stores.scaled.prefix)
    : stores.sqlite
      ? sqliteSyncState(stores.sqlite)
      : (() => {
          throw new Error('the WeCom channel needs the embedded SQLite store or Redis to keep its cursor');
        })();
  const channel = new WeComChannel({
    crypto: new WeComCrypto(settings.token, settings.aesKey, settings.corpId),
    api: new WeComApi({ base: settings.apiBase, corpId: settings.corpId, secret: settings.secret, log }),
    state,
    turn: options.turn,
    log,
  });
  channel.adapter.onTurnError = options.onTurnError;
  return channel;
}
