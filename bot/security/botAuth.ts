/**
 * Bot Framework authentication for `/api/messages`. With an app id, every request must carry a
 * channel JWT signed by a key from the Bot Framework's OpenID metadata, issued for this app and
 * for the activity's serviceUrl; CloudAdapter answers 401 otherwise. `BotOpenIdMetadata` points
 * the key lookup elsewhere (a private cloud, or a local test key set) while keeping the public
 * cloud's issuer, scopes and login URL.
 */
import { CallerIdConstants, ConfigurationBotFrameworkAuthentication, type Activity } from 'botbuilder';
import { AuthenticationError, type AuthenticateRequestResult } from 'botframework-connector';
import type { Config } from '../config.js';

const JWT_FAILURES = new Set(['JsonWebTokenError', 'TokenExpiredError', 'NotBeforeError']);

/**
 * botbuilder lets a token with a bad signature escape as a plain JsonWebTokenError, which
 * CloudAdapter answers with 500; a forged token is the caller's fault, so it becomes a 401.
 */
class StrictAuthentication extends ConfigurationBotFrameworkAuthentication {
  override async authenticateRequest(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    try {
      return await super.authenticateRequest(activity, authHeader);
    } catch (err) {
      if (err instanceof Error && JWT_FAILURES.has(err.name)) throw new AuthenticationError(`Unauthorized: ${err.message}`, 401);
      throw err;
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

export function botFrameworkAuthentication(config: Config): ConfigurationBotFrameworkAuthentication {
  const credentials = {
    MicrosoftAppId: config.microsoftAppId,
    MicrosoftAppPassword: config.microsoftAppPassword,
    MicrosoftAppType: config.microsoftAppType,
    MicrosoftAppTenantId: config.microsoftAppTenantId,
  };
  if (!config.botOpenIdMetadata) return new StrictAuthentication(credentials);
  // Any one of these set makes botbuilder build a parameterized authenticator, which then needs
  // all of them: unset ones would silently mean "no issuer check".
  return new StrictAuthentication({
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
