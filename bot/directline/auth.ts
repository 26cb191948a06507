/**
 * Who is calling a client route: the holder of the Direct Line secret (a shop's own server), a
 * token bound to one conversation and user, or, only when no secret is configured, anyone; but
 * "anyone" may only mint a token or start a new conversation. Every route of an existing
 * conversation passes through `authorizeConversation`, which always wants the secret or that
 * conversation's own token: knowing a conversation id is never enough to read or write it.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { DirectLineError } from './errors.js';
import { sameSecret, type TokenClaims } from './tokens.js';
import type { DirectLineContext } from './types.js';

export type Caller = { kind: 'secret' } | { kind: 'open' } | { kind: 'token'; claims: TokenClaims };

export function bearer(headers: IncomingHttpHeaders): string | undefined {
  const header = headers.authorization;
  if (header === undefined) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (match === null)
    throw new DirectLineError(401, 'BadArgument', "the Authorization header must be 'Bearer <secret or token>'");
  return match[1];
}

/** The caller of a route that takes the secret, a token, or (open mode) nothing. */
export async function identify(ctx: DirectLineContext, headers: IncomingHttpHeaders): Promise<Caller> {
  const given = bearer(headers);
  const secret = ctx.options.secret;
  if (given === undefined) {
    if (secret === '') return { kind: 'open' };
    throw new DirectLineError(
      401,
      'BadArgument',
      'this call needs Authorization: Bearer <Direct Line secret or token>',
    );
  }
  if (secret !== '' && sameSecret(given, secret)) return { kind: 'secret' };
  return { kind: 'token', claims: await ctx.signer.verify(given, 'conv') };
}

/** Secret holders only (open mode: anyone); used by `tokens/generate`. */
export async function requireSecret(ctx: DirectLineContext, headers: IncomingHttpHeaders): Promise<void> {
  const caller = await identify(ctx, headers).catch(() => undefined);
  if (caller?.kind === 'secret' || caller?.kind === 'open') return;
  throw new DirectLineError(403, 'Forbidden', 'generating a token needs Authorization: Bearer <Direct Line secret>');
}

/**
 * Allows the call only for `conversationId`'s own token (or the secret), in every mode, and only
 * for a conversation that exists. Returns the user the activity is from.
 */
export async function authorizeConversation(
  ctx: DirectLineContext,
  headers: IncomingHttpHeaders,
  conversationId: string,
): Promise<{ caller: Caller; userId: string; userName?: string }> {
  const caller = await identify(ctx, headers);
  if (caller.kind === 'open')
    throw new DirectLineError(
      401,
      'BadArgument',
      "this conversation's routes need Authorization: Bearer <the conversation's Direct Line token>",
    );
  if (caller.kind === 'token' && caller.claims.conversationId !== conversationId) {
    throw new DirectLineError(403, 'Forbidden', 'this token belongs to another conversation');
  }
  const conversation = await ctx.store.getConversation(conversationId);
  if (conversation === undefined)
    throw new DirectLineError(404, 'NotFound', `conversation '${conversationId}' does not exist`);
  return { caller, userId: conversation.userId, userName: conversation.userName };
}
