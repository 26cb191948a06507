/**
 * Evidence intake: reads an attachment from wherever the channel put it (an inline `data:` URL,
 * an upload on our own Direct Line, or a channel's URL), checks its real type by its first bytes
 * and its size, and stores it with the case. Channel URLs expire, so the bytes are kept.
 * Only https URLs on public hosts are fetched (plus loopback in local mode, for the Emulator).
 */
import { randomUUID } from 'node:crypto';
import { isIP } from 'node:net';
import type { TurnContext } from 'botbuilder';
import type { EvidenceKind } from '../rules/facts.js';
import type { EvidenceStore } from './store/types.js';
import type { FileKind } from './data/evidencePlan.js';
import type { EvidenceIntake, IntakeResult } from '../dialogs/services.js';
import { sniff } from './directline/fileTypes.js';

export type Resolver = (url: string) => Promise<{ data: Buffer; contentType: string } | undefined>;

export interface IntakeOptions {
  evidence: EvidenceStore;
  maxBytes: number;
  /** In-process sources tried first (our Direct Line's uploads). */
  resolvers: Resolver[];
  /** Allow http and loopback URLs (local anonymous mode: the Emulator serves files on localhost). */
  allowLocal: boolean;
  now: () => Date;
  fetchTimeoutMs?: number;
}

const PRIVATE_V4 = [/^10\./, /^127\./, /^169\.254\./, /^192\.168\./, /^172\.(1[6-9]|2\d|3[01])\./, /^0\./, /^100\.(6[4-9]|[7-9]\d|1[01]\d|12[0-7])\./];

/** Whether a URL may be fetched: https to a public host name or address, never private ranges. */
export function fetchAllowed(raw: string, allowLocal: boolean): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const local = host === 'localhost' || host.endsWith('.localhost') || host === '::1' || PRIVATE_V4.some((r) => r.test(host)) || (isIP(host) === 6 && /^(fc|fd|fe80)/.test(host));
  if (local) return allowLocal && (host === 'localhost' || host === '127.0.0.1' || host === '::1') && (url.protocol === 'http:' || url.protocol === 'https:');
  return url.protocol === 'https:';
}

function kindOf(contentType: string): FileKind {
  return contentType.startsWith('image/') ? 'image' : contentType.startsWith('video/') ? 'video' : 'pdf';
}

export class AttachmentIntake implements EvidenceIntake {
  readonly maxBytes: number;

  constructor(private readonly options: IntakeOptions) {
    this.maxBytes = options.maxBytes;
  }

  async take(_context: TurnContext, attachment: { contentType?: string; contentUrl?: string; name?: string }, kind: EvidenceKind, accept: FileKind[]): Promise<IntakeResult> {
    const url = attachment.contentUrl ?? '';
    const loaded = await this.load(url);
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

  private async load(url: string): Promise<Buffer | 'too_large' | undefined> {
    if (url.startsWith('data:')) {
      const comma = url.indexOf(',');
      if (comma < 0 || !url.slice(0, comma).endsWith(';base64')) return undefined;
      if (((url.length - comma) * 3) / 4 > this.maxBytes + 4) return 'too_large';
      return Buffer.from(url.slice(comma + 1), 'base64');
    }
    for (const resolve of this.options.resolvers) {
      const found = await resolve(url);
      if (found) return found.data;
    }
    if (!fetchAllowed(url, this.options.allowLocal)) return undefined;
    return this.fetchCapped(url);
  }

  /** Streams the body and stops at the size limit, so a huge file never fills memory. */
  private async fetchCapped(url: string): Promise<Buffer | 'too_large' | undefined> {
    try {
      const res = await fetch(url, { redirect: 'error', signal: AbortSignal.timeout(this.options.fetchTimeoutMs ?? 10_000) });
      if (!res.ok || !res.body) return undefined;
      if (Number(res.headers.get('content-length') ?? 0) > this.maxBytes) return 'too_large';
      const chunks: Buffer[] = [];
      let total = 0;
      const reader = res.body.getReader();
      for (let part = await reader.read(); !part.done; part = await reader.read()) {
        total += part.value.length;
        if (total > this.maxBytes) {
          await reader.cancel();
          return 'too_large';
        }
        chunks.push(Buffer.from(part.value));
      }
      return Buffer.concat(chunks);
    } catch {
      return undefined;
    }
  }
}
