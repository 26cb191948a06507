/**
 * Evidence intake: reads an attachment from wherever the channel put it (an inline `data:` URL,
 * an upload on our own Direct Line, or a channel's URL), checks its real type by its first bytes
 * and its size, and stores it with the case. Channel URLs expire, so the bytes are kept.
 * Channel URLs are fetched only over https from allowed hosts whose every address is public, in
 * every mode (see `security/safeFetch.ts`). Every failed fetch gets the same answer
 * (`fetch_failed`), whatever the target did (refused, closed, timed out, too large): a shopper's
 * URL must not become a way to tell which internal ports answer.
 */
import { randomUUID } from 'node:crypto';
import type { LookupAddress, LookupAllOptions } from 'node:dns';
import type { TurnContext } from 'botbuilder';
import type { EvidenceKind } from '../rules/facts.js';
import type { EvidenceStore } from '../domain/cases.js';
import type { FileKind } from '../domain/evidencePlan.js';
import type { EvidenceIntake, IntakeResult } from '../dialogs/services.js';
import { sniff } from './directline/fileTypes.js';
import { DEFAULT_ATTACHMENT_HOSTS, safeFetch, urlRefusal } from './security/safeFetch.js';

/** An in-process source of attachment bytes: undefined when the URL is not its own. */
export type Resolver = (url: string) => Promise<{ data: Buffer; contentType: string } | 'too_large' | undefined>;

export interface IntakeOptions {
  evidence: EvidenceStore;
  maxBytes: number;
  /** In-process sources tried first (our Direct Line's uploads). */
  resolvers: Resolver[];
  /**
   * Tests only: loopback targets (also over http) are fetched too, for the tests' own file
   * servers. No setting turns it on; private and link-local targets stay refused regardless.
   */
  allowLoopback: boolean;
  now: () => Date;
  fetchTimeoutMs?: number;
  /** Hosts channel attachment URLs may come from (and their subdomains); default Bot Framework and Teams. */
  allowedHosts?: string[];
  /** DNS lookup for tests; default the system resolver. */
  lookup?: (host: string, options: LookupAllOptions) => Promise<LookupAddress[]>;
  /** Told why a URL was refused or failed (for the log; the shopper only hears "could not fetch"). */
  onRefused?: (reason: string) => void;
  /**
   * The bearer token a channel wants for its own file URLs (Teams inline images need the bot's
   * token); undefined for any other URL. Called only for URLs the fetch policy allows.
   */
  channelToken?: (context: TurnContext, url: URL) => Promise<string | undefined>;
}

/** Whether a URL may be fetched at all (before DNS): see `urlRefusal` for the reasons. */
export function fetchAllowed(
  raw: string,
  allowLoopback: boolean,
  allowedHosts: string[] = DEFAULT_ATTACHMENT_HOSTS,
): boolean {
  return urlRefusal(raw, { allowLoopback, allowedHosts }) === undefined;
}

function kindOf(contentType: string): FileKind {
  return contentType.startsWith('image/') ? 'image' : contentType.startsWith('video/') ? 'video' : 'pdf';
}

export class AttachmentIntake implements EvidenceIntake {
  readonly maxBytes: number;

  constructor(private readonly options: IntakeOptions) {
    this.maxBytes = options.maxBytes;
  }

  async take(
    context: TurnContext,
    attachment: { contentType?: string; contentUrl?: string; name?: string },
    kind: EvidenceKind,
    accept: FileKind[],
  ): Promise<IntakeResult> {
    const url = attachment.contentUrl ?? '';
    const loaded = await this.load(context, url);
    if (loaded === 'too_large') return { ok: false, reason: 'too_large', bytes: this.maxBytes + 1 };
    if (loaded === undefined) return { ok: false, reason: 'fetch_failed' };
    if (loaded.length > this.maxBytes) return { ok: false, reason: 'too_large', bytes: loaded.length };
    const type = sniff(loaded);
    if (!type || !accept.includes(kindOf(type.contentType))) {
      return { ok: false, reason: 'bad_type', found: type?.label ?? attachment.contentType ?? 'unknown' };
    }
    const stored = await this.options.evidence.put(loaded, type.contentType);
    return {
      ok: true,
      item: {
        id: randomUUID(),
        kind,
        contentType: type.contentType,
        bytes: stored.bytes,
        sha256: stored.sha256,
        storageKey: stored.key,
        ...(attachment.name ? { fileName: attachment.name.slice(0, 200) } : {}),
        receivedAt: this.options.now().toISOString(),
      },
    };
  }

  private async load(context: TurnContext, url: string): Promise<Buffer | 'too_large' | undefined> {
    if (url.startsWith('data:')) {
      const comma = url.indexOf(',');
      if (comma < 0 || !url.slice(0, comma).endsWith(';base64')) return undefined;
      if (((url.length - comma) * 3) / 4 > this.maxBytes + 4) return 'too_large';
      return Buffer.from(url.slice(comma + 1), 'base64');
    }
    for (const resolve of this.options.resolvers) {
      const found = await resolve(url);
      if (found === 'too_large') return found;
      if (found) return found.data;
    }
    const policy = {
      allowedHosts: this.options.allowedHosts ?? DEFAULT_ATTACHMENT_HOSTS,
      allowLoopback: this.options.allowLoopback,
      maxBytes: this.maxBytes,
      timeoutMs: this.options.fetchTimeoutMs ?? 10_000,
      ...(this.options.lookup ? { lookup: this.options.lookup } : {}),
    };
    // The token is asked for only once the URL passed the policy, so it never leaves for a stranger.
    const token =
      urlRefusal(url, policy) === undefined ? await this.options.channelToken?.(context, new URL(url)) : undefined;
    const outcome = await safeFetch(url, {
      ...policy,
      ...(token ? { headers: { authorization: `Bearer ${token}` } } : {}),
    });
    if (outcome.ok) return outcome.data;
    // The log says why; the shopper hears the same thing for every target.
    this.options.onRefused?.(`${outcome.reason}: ${outcome.detail}`);
    return undefined;
  }
}
