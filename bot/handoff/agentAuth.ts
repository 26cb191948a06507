/**
 * Agent sign-in: every agent API route needs `Authorization: Bearer <token>` with a token from
 * AGENT_TOKENS. Tokens are compared as SHA-256 digests in constant time, so neither their length
 * nor a matching prefix leaks through response timing.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { AgentCredential } from '../config.js';

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

export type Authenticate = (authorization: string | undefined) => AgentCredential | undefined;

export function agentAuthenticator(agents: AgentCredential[]): Authenticate {
  const known = agents.map((a) => ({ agent: a, hash: digest(a.token) }));
  return (authorization) => {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    if (m === null) return undefined;
    const hash = digest(m[1]!);
    let found: AgentCredential | undefined;
    // Compare against every token, so the time taken does not depend on which one matched.
    for (const k of known) if (timingSafeEqual(k.hash, hash)) found = k.agent;
    return found;
  };
}
