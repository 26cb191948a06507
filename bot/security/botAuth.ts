/**
 * Bot Framework authentication for `/api/messages`. With an app id, every request must carry a
 * channel JWT signed by a key from the Bot Framework's OpenID metadata, issued for this app and
 * for the activity's serviceUrl; CloudAdapter answers 401 otherwise. `BotOpenIdMetadata` points
 * the key lookup elsewhere (a private cloud, or a local test key set) while keeping the public
 * cloud's issuer, scopes and login URL.
 */
import { CallerIdConstants, ConfigurationBotFrameworkAuthentication, type Activity } from 'botbuilder';
import {
  AuthenticationConstants,
  AuthenticationError,
  type AuthenticateRequestResult,
  type ClaimsIdentity,
  type ConnectorClient,
  type ConnectorFactory,
  type UserTokenClient,
} from 'botframework-connector';
import type { Config } from '../config.js';

/** Connector and token clients kept (by app id, service URL and audience). */
const MAX_CACHED_CLIENTS = 1000;

/** The bot's app id a request was for, as botbuilder reads it (audience claim, else appid claim). */
function appIdOf(identity: ClaimsIdentity): string {
  return (
    identity.getClaimValue(AuthenticationConstants.AudienceClaim) ??
    identity.getClaimValue(AuthenticationConstants.AppIdClaim) ??
    ''
  );
}

/** How long the signing keys may take to load before the request is refused. */
export const KEY_LOOKUP_TIMEOUT_MS = 10_000;

/**
 * CloudAdapter answers 401 only for an AuthenticationError and 500 for anything else, and
 * botbuilder lets a token with a bad signature escape as a plain JsonWebTokenError, and an
 * unreachable key endpoint as a fetch error. A token that cannot be verified, for whatever
 * reason, is not accepted: every failure becomes a 401 (and the key lookup cannot hang a request).
 */
class StrictAuthentication extends ConfigurationBotFrameworkAuthentication {
  constructor(
    credentials: ConstructorParameters<typeof ConfigurationBotFrameworkAuthentication>[0],
    private readonly timeoutMs: number,
  ) {
    super(credentials);
  }

  /** The embedded Direct Line's connector URL (see `botFrameworkAuthentication`). */
  localServiceUrl?: () => string | undefined;

  /**
   * Calls to the embedded Direct Line's own connector routes go without credentials (their URL
   * holds the key), so a proactive message to the widget needs no token from Microsoft Entra.
   */
  override createConnectorFactory(claimsIdentity: ClaimsIdentity): ConnectorFactory {
    const local = this.localServiceUrl;
    const appId = appIdOf(claimsIdentity);
    return {
      create: (serviceUrl: string, audience?: string) => {
        const own = local?.();
        const isLocal =
          own !== undefined && (serviceUrl.replace(/\/+$/, '') === own || serviceUrl.startsWith(`${own}/`));
        return this.cached(this.connectors, `${isLocal}\n${appId}\n${serviceUrl}\n${audience ?? ''}`, () => {
          this.anonymous ??= new ConfigurationBotFrameworkAuthentication({});
          return (isLocal ? this.anonymous : this.base())
            .createConnectorFactory(claimsIdentity)
            .create(serviceUrl, audience);
        });
      },
    };
  }

  /** Clients by what makes them differ: botbuilder builds a new one (an HTTP pipeline and credentials) on every turn. */
  private readonly connectors = new Map<string, Promise<ConnectorClient>>();
  private readonly tokenClients = new Map<string, Promise<UserTokenClient>>();
  private anonymous?: ConfigurationBotFrameworkAuthentication;

  private base(): { createConnectorFactory(identity: ClaimsIdentity): ConnectorFactory } {
    return { createConnectorFactory: (identity) => super.createConnectorFactory(identity) };
  }

  override createUserTokenClient(claimsIdentity: ClaimsIdentity): Promise<UserTokenClient> {
    return this.cached(this.tokenClients, appIdOf(claimsIdentity), () => super.createUserTokenClient(claimsIdentity));
  }

  /** A client per key, made once; a failed one is made again next time. Bounded: a full cache starts over. */
  private cached<T>(cache: Map<string, Promise<T>>, key: string, make: () => Promise<T>): Promise<T> {
    let client = cache.get(key);
    if (client === undefined) {
      if (cache.size >= MAX_CACHED_CLIENTS) cache.clear();
      client = make();
      cache.set(key, client);
      client.catch(() => cache.delete(key));
    }
    return client;
  }

  override async authenticateRequest(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new AuthenticationError(`Unauthorized: the token could not be verified within ${this.timeoutMs} ms`, 401),
          ),
        this.timeoutMs,
      );
    });
    try {
      const result = await Promise.race([super.authenticateRequest(activity, authHeader), timeout]);
      // botbuilder's factory for this identity, with each client it makes kept for the next turns.
      const factory = result.connectorFactory;
      if (factory === undefined) return result;
      const appId = appIdOf(result.claimsIdentity);
      return {
        ...result,
        connectorFactory: {
          create: (serviceUrl: string, audience?: string) =>
            this.cached(this.connectors, `in\n${appId}\n${serviceUrl}\n${audience ?? ''}`, () =>
              factory.create(serviceUrl, audience),
            ),
        },
      };
    } catch (err) {
      if (err instanceof AuthenticationError) throw err;
      throw new AuthenticationError(
        `Unauthorized: the token could not be verified (${err instanceof Error ? err.message : String(err)})`,
        401,
      );
    } finally {
      clearTimeout(timer);
    }
  }
}

// The public cloud's values (botframework-connector's AuthenticationConstants).
const PUBLIC = {
  loginUrl: 'https://login.microsoftonline.com/botframework.com',
  scope: 'https://api.botframework.com',
  issuer: 'https://api.botframework.com',
  oauthUrl: 'https://api.botframework.com',
  emulatorMetadata: 'https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration',
};

/** `localServiceUrl`: the embedded Direct Line's connector URL, once it is mounted. */
export function botFrameworkAuthentication(
  config: Config,
  localServiceUrl?: () => string | undefined,
  timeoutMs = KEY_LOOKUP_TIMEOUT_MS,
): ConfigurationBotFrameworkAuthentication {
  const credentials = {
    MicrosoftAppId: config.microsoftAppId,
    MicrosoftAppPassword: config.microsoftAppPassword,
    MicrosoftAppType: config.microsoftAppType,
    MicrosoftAppTenantId: config.microsoftAppTenantId,
  };
  const strict = (
    settings: ConstructorParameters<typeof ConfigurationBotFrameworkAuthentication>[0],
  ): StrictAuthentication => {
    const auth = new StrictAuthentication(settings, timeoutMs);
    auth.localServiceUrl = localServiceUrl;
    return auth;
  };
  if (!config.botOpenIdMetadata) return strict(credentials);
  // Any one of these set makes botbuilder build a parameterized authenticator, which then needs
  // all of them: unset ones would silently mean "no issuer check".
  return strict({
    ...credentials,
    ValidateAuthority: true,
    ToChannelFromBotLoginUrl: PUBLIC.loginUrl,
    ToChannelFromBotOAuthScope: PUBLIC.scope,
    ToBotFromChannelTokenIssuer: PUBLIC.issuer,
    OAuthUrl: PUBLIC.oauthUrl,
    ToBotFromChannelOpenIdMetadataUrl: config.botOpenIdMetadata,
    ToBotFromEmulatorOpenIdMetadataUrl: PUBLIC.emulatorMetadata,
    CallerId: CallerIdConstants.PublicAzureChannel,
  });
}
