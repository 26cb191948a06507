/**
 * Direct Line tokens: HS256 JWTs that bind one conversation to one user, with an expiry.
 * A `conv` token authorizes the REST calls of its conversation; a `stream` token only opens its
 * WebSocket, so a leaked stream URL (they end up in proxy logs) cannot post. The `user` claim is
 * the one `botframework-directlinejs` reads to learn the user id, so the client cannot pick
 * another one. The key comes from the Direct Line secret, or is random per process when the
 * secret is empty (tokens then die with the process).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import { DirectLineError } from './errors.js';

export type TokenScope = 'conv' | 'stream';

export interface TokenClaims {
  conversationId: string;
  userId: string;
  userName?: string;
  /** The page's language when the token was minted, so the bot can greet in it before any message. */
  locale?: string;
  scope: TokenScope;
  /** Seconds since the epoch. */
  expiresAt: number;
}

const ISSUER = 'kefu-directline';

export class TokenSigner {
  private readonly key: Uint8Array;

  constructor(secret: string) {
    this.key =
      secret === '' ? randomBytes(32) : createHmac('sha256', secret).update('kefu directline token key').digest();
  }

  async sign(
    claims: Omit<TokenClaims, 'expiresAt'>,
    ttlSeconds: number,
  ): Promise<{ token: string; expiresIn: number }> {
    const payload: Record<string, string> = { conv: claims.conversationId, user: claims.userId, scope: claims.scope };
    if (claims.userName !== undefined) payload.name = claims.userName;
    if (claims.locale !== undefined) payload.loc = claims.locale;
    const token = await new SignJWT(payload)
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer(ISSUER)
      .setIssuedAt()
      .setExpirationTime(Math.floor(Date.now() / 1000) + ttlSeconds)
      .sign(this.key);
    return { token, expiresIn: ttlSeconds };
  }

  /**
   * The capability in an uploaded file's URL: an HMAC of the file and its conversation under the
   * token key, so only someone the conversation's own activities were shown to can fetch it.
   */
  fileSignature(conversationId: string, fileId: string): string {
    return createHmac('sha256', this.key).update(`file ${conversationId} ${fileId}`).digest('base64url');
  }

  /** Verifies signature, issuer, expiry and scope; every failure is a 403 as in Azure's service. */
  async verify(token: string, scope: TokenScope): Promise<TokenClaims> {
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, this.key, { issuer: ISSUER, algorithms: ['HS256'] }));
    } catch (err) {
      if (err instanceof joseErrors.JWTExpired)
        throw new DirectLineError(
          403,
          'TokenExpired',
          'the Direct Line token has expired; refresh it before it runs out or get a new one',
        );
      throw new DirectLineError(403, 'BadArgument', 'the Direct Line token is not valid');
    }
    const { conv, user, name, loc, exp } = payload;
    if (typeof conv !== 'string' || typeof user !== 'string' || typeof exp !== 'number' || payload.scope !== scope) {
      throw new DirectLineError(
        403,
        'BadArgument',
        `the Direct Line token is not valid for this call (expected a ${scope} token)`,
      );
    }
    return {
      conversationId: conv,
      userId: user,
      userName: typeof name === 'string' ? name : undefined,
      ...(typeof loc === 'string' ? { locale: loc } : {}),
      scope,
      expiresAt: exp,
    };
  }
}

/** Constant-time string comparison for the Direct Line secret. */
export function sameSecret(given: string, expected: string): boolean {
  const a = createHmac('sha256', 'cmp').update(given).digest();
  const b = createHmac('sha256', 'cmp').update(expected).digest();
  return timingSafeEqual(a, b);
}
