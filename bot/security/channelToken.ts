/**
 * The bot's own bearer token for file URLs that its channel serves only to the bot: Teams inline
 * images and other Bot Framework attachment URLs answer 401 without it. It is given only to
 * those hosts, never to any other URL a shopper could send.
 */
import type { TurnContext } from 'botbuilder';

export const TOKEN_HOSTS = ['smba.trafficmanager.net', 'botframework.com', 'botframework.azure.us'];

interface TokenSource {
  getToken?(forceRefresh?: boolean): Promise<string>;
}

export function isTokenHost(url: URL): boolean {
  const host = url.hostname.toLowerCase();
  return url.protocol === 'https:' && TOKEN_HOSTS.some((h) => host === h || host.endsWith(`.${h}`));
}

/** For `AttachmentIntake.channelToken`: undefined in anonymous mode and for other hosts. */
export function botChannelToken(anonymous: boolean) {
  return async (context: TurnContext, url: URL): Promise<string | undefined> => {
    if (anonymous || !isTokenHost(url)) return undefined;
    const client = context.turnState.get(context.adapter.ConnectorClientKey) as
      | { credentials?: TokenSource }
      | undefined;
    const token = await client?.credentials?.getToken?.();
    return token || undefined;
  };
}
