/**
 * Bot Framework authentication for `/api/messages`. With an app id, every request must carry a
 * channel JWT signed by a key from the Bot Framework's OpenID metadata, issued for this app and
 * for the activity's serviceUrl; CloudAdapter answers 401 otherwise. `BotOpenIdMetadata` points
 * the key lookup elsewhere (a private cloud, or a local test key set) while keeping the public
 * cloud's issuer, scopes and login URL.
 */
import { AuthenticationConstants, CallerIdConstants, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import type { Config } from '../config.js';

export function botFrameworkAuthentication(config: Config): ConfigurationBotFrameworkAuthentication {
  const credentials = {
    MicrosoftAppId: config.microsoftAppId,
    MicrosoftAppPassword: config.microsoftAppPassword,
    MicrosoftAppType: config.microsoftAppType,
    MicrosoftAppTenantId: config.microsoftAppTenantId,
  };
  if (!config.botOpenIdMetadata) return new ConfigurationBotFrameworkAuthentication(credentials);
  // Any one of these set makes botbuilder build a parameterized authenticator, which then needs
  // all of them: unset ones would silently mean "no issuer check".
  return new ConfigurationBotFrameworkAuthentication({
    ...credentials,
    ValidateAuthority: true,
    ToChannelFromBotLoginUrl: AuthenticationConstants.ToChannelFromBotLoginUrl,
    ToChannelFromBotOAuthScope: AuthenticationConstants.ToChannelFromBotOAuthScope,
    ToBotFromChannelTokenIssuer: AuthenticationConstants.ToBotFromChannelTokenIssuer,
    OAuthUrl: AuthenticationConstants.OAuthUrl,
    ToBotFromChannelOpenIdMetadataUrl: config.botOpenIdMetadata,
    ToBotFromEmulatorOpenIdMetadataUrl: AuthenticationConstants.ToBotFromEmulatorOpenIdMetadataUrl,
    CallerId: CallerIdConstants.PublicAzureChannel,
  });
}
