/**
 * Fetches a file a stranger pointed at without letting them point us at ourselves (SSRF).
 * The host must be on the allowed list; every address its name resolves to must be public, and
 * the check runs inside the connection's own DNS lookup, so a name cannot resolve to a public
 * address for the check and a private one for the connection (DNS rebinding). Redirects are
 * refused, the body is streamed and cut at `maxBytes`, and the whole fetch has a deadline.
 */
import dns, { type LookupAddress, type LookupAllOptions } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { isLoopback, isPublicAddress } from './addresses.js';

/** Bot Framework and Teams file hosts: where channel attachment URLs come from by default. */
export const DEFAULT_ATTACHMENT_HOSTS = [
  'botframework.com',
  'trafficmanager.net',
  'skype.com',
  'teams.microsoft.com',
  'sharepoint.com',
  'onedrive.com',
  'microsoft.com',
  'azureedge.net',
  'blob.core.windows.net',
];

export interface SafeFetchPolicy {
  /** Host names allowed (a listed name also allows its subdomains). */
  allowedHosts: string[];
  /** Tests only: http and loopback (any host name) are allowed too. Never private ranges. */
  allowLoopback: boolean;
  maxBytes: number;
  timeoutMs: number;
  /** DNS lookup, for tests; default the system resolver. */
  lookup?: (host: string, options: LookupAllOptions) => Promise<LookupAddress[]>;
  /** Extra request headers (a channel's bearer token for its own file URLs). */
  headers?: Record<string, string>;
}

export type FetchOutcome =
  | { ok: true; data: Buffer; contentType: string }
  | { ok: false; reason: 'refused' | 'too_large' | 'failed'; detail: string };

export class RefusedAddress extends Error {
  override readonly name = 'RefusedAddress';
}

function hostAllowed(host: string, allowed: string[]): boolean {
  return allowed.some((a) => host === a || host.endsWith(`.${a}`));
}

function addressAllowed(ip: string, allowLoopback: boolean): boolean {
  return isPublicAddress(ip) || (allowLoopback && isLoopback(ip));
}

/** Why `raw` may not be fetched, or undefined when it may (before any DNS). */
export function urlRefusal(
  raw: string,
  policy: Pick<SafeFetchPolicy, 'allowedHosts' | 'allowLoopback'>,
): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'not a URL';
  }
  if (url.username || url.password) return 'credentials in the URL';
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const local = policy.allowLoopback && (host === 'localhost' || isLoopback(host));
  if (url.protocol !== 'https:' && !(local && url.protocol === 'http:'))
    return `scheme ${url.protocol} (expected https:)`;
  if (isIP(host)) return addressAllowed(host, policy.allowLoopback) ? undefined : `address ${host} is not public`;
  if (local) return undefined;
  return hostAllowed(host, policy.allowedHosts) ? undefined : `host ${host} is not on the allowed list`;
}

function guardedLookup(policy: SafeFetchPolicy): LookupFunction {
  const resolve = policy.lookup ?? ((host: string, options: LookupAllOptions) => dns.promises.lookup(host, options));
  return (hostname, options, callback) => {
    const all = (options as { all?: boolean }).all === true;
    resolve(hostname, { family: (options as { family?: number }).family ?? 0, all: true } as LookupAllOptions).then(
      (addresses) => {
        const bad = addresses.find((a) => !addressAllowed(a.address, policy.allowLoopback));
        if (addresses.length === 0 || bad) {
          callback(
            new RefusedAddress(`${hostname} resolves to ${bad?.address ?? 'nothing'}, which is not a public address`),
            '',
            0,
          );
        } else if (all) {
          (callback as unknown as (err: null, addresses: LookupAddress[]) => void)(null, addresses);
        } else callback(null, addresses[0]!.address, addresses[0]!.family);
      },
      (err: NodeJS.ErrnoException) => callback(err, '', 0),
    );
  };
}

export function safeFetch(raw: string, policy: SafeFetchPolicy): Promise<FetchOutcome> {
  const refusal = urlRefusal(raw, policy);
  if (refusal) return Promise.resolve({ ok: false, reason: 'refused', detail: refusal });
  const url = new URL(raw);
  const client = url.protocol === 'https:' ? https : http;
  return new Promise<FetchOutcome>((resolve) => {
    let settled = false;
    const finish = (outcome: FetchOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      resolve(outcome);
    };
    const req = client.get(
      url,
      { lookup: guardedLookup(policy), agent: false, headers: { accept: '*/*', ...policy.headers } },
      (res) => {
        const status = res.statusCode ?? 0;
        if (status < 200 || status >= 300)
          return finish({
            ok: false,
            reason: 'failed',
            detail: `HTTP ${status}${status >= 300 && status < 400 ? ' (redirects are not followed)' : ''}`,
          });
        if (Number(res.headers['content-length'] ?? 0) > policy.maxBytes)
          return finish({ ok: false, reason: 'too_large', detail: `content-length ${res.headers['content-length']}` });
        const chunks: Buffer[] = [];
        let total = 0;
        res.on('data', (chunk: Buffer) => {
          total += chunk.length;
          if (total > policy.maxBytes)
            return finish({ ok: false, reason: 'too_large', detail: `more than ${policy.maxBytes} bytes` });
          chunks.push(chunk);
        });
        res.on('end', () =>
          finish({ ok: true, data: Buffer.concat(chunks), contentType: String(res.headers['content-type'] ?? '') }),
        );
        res.on('error', (err) => finish({ ok: false, reason: 'failed', detail: err.message }));
      },
    );
    req.on('error', (err) =>
      finish({ ok: false, reason: err instanceof RefusedAddress ? 'refused' : 'failed', detail: err.message }),
    );
    const timer = setTimeout(
      () => finish({ ok: false, reason: 'failed', detail: `no answer within ${policy.timeoutMs} ms` }),
      policy.timeoutMs,
    );
  });
}
