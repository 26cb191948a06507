/**
 * Who may enter the agent console. Configured agents (`AGENT_TOKENS`) always; with none, a local
 * kefu (anonymous mode, listening on loopback only) makes a demo agent with a fresh random token
 * per start, so the console can be tried right after `npm start`. Anywhere else, no agents means
 * no console: it is not mounted, and the log says what to set.
 */
import { randomBytes } from 'node:crypto';
import { isLoopbackHost, type AgentCredential, type Config } from '../config.js';

export const DEMO_AGENT = 'demo';

export type ConsoleAccess =
  | { kind: 'configured'; agents: AgentCredential[] }
  | { kind: 'demo'; agents: AgentCredential[]; token: string }
  | { kind: 'off'; why: string };

export function consoleAccess(config: Pick<Config, 'agents' | 'anonymous' | 'env'>, host: string): ConsoleAccess {
  if (config.agents.length > 0) return { kind: 'configured', agents: config.agents };
  if (config.anonymous && config.env !== 'production' && isLoopbackHost(host)) {
    const token = randomBytes(18).toString('base64url');
    return { kind: 'demo', agents: [{ name: DEMO_AGENT, token }], token };
  }
  return {
    kind: 'off',
    why: 'the agent console and /api/agent are off: no agents are configured (set AGENT_TOKENS=name:token,... with tokens of 16+ characters)',
  };
}

/** The link that signs the demo agent in (the token travels in the fragment, never to a server log). */
export function signInLink(baseUrl: string, token: string): string {
  return `${baseUrl}/console#token=${token}`;
}
