/**
 * Bot Framework authentication for `/api/messages`. With an app id, every request must carry a
 * channel JWT signed by a key from the Bot Framework's OpenID metadata, issued for this app and
 * for the activity's serviceUrl; CloudAdapter answers 401 otherwise. `BotOpenIdMetadata` points
 * the key lookup elsewhere (a private cloud, or a local test key set) while keeping the public
 * cloud's issuer, scopes and login URL.
 */
import { CallerIdConstants, ConfigurationBotFrameworkAuthentication, type Activity } from 'botbuilder';
import {
  AuthenticationError,
  type AuthenticateRequestResult,
  type ClaimsIdentity,
  type ConnectorFactory,
} from 'botframework-connector';
import type { Config } from '../config.js';

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
    const remote = super.createConnectorFactory(claimsIdentity);
    const local = this.localServiceUrl;
    if (local === undefined) return remote;
    const anonymous = new ConfigurationBotFrameworkAuthentication({}).createConnectorFactory(claimsIdentity);
    return {
      create: (serviceUrl: string, audience?: string) => {
        const own = local();
        const isLocal =
          own !== undefined && (serviceUrl.replace(/\/+$/, '') === own || serviceUrl.startsWith(`${own}/`));
        return (isLocal ? anonymous : remote).create(serviceUrl, audience);
      },
    };
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
      return await Promise.race([super.authenticateRequest(activity, authHeader), timeout]);
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
