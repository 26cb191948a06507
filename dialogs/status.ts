/**
 * Answers `check_status`: the shopper's cases, newest first, and where each stands; only for a
 * verified shopper (see `identity.ts`), since a case list is the shopper's data.
 */
import type { TurnContext } from 'botbuilder';
import { langOf } from './reply.js';
import { verifiedShopper } from './identity.js';
import type { KefuServices } from './services.js';
import { localDateTime, shopperTimeZone } from './localTime.js';

export async function statusReply(context: TurnContext, services: KefuServices): Promise<string> {
  const lang = langOf(context);
  const r = services.responses;
  const shopper = verifiedShopper(context);
  if (!shopper) return r.t(lang, 'privacy.sign_in');
  const cases = (await services.cases.list({ shopperId: shopper.id })).filter((c) => c.channelId === shopper.channelId);
  if (cases.length === 0) return r.t(lang, 'status.none');
  const zone = shopperTimeZone(context.activity);
  const lines = cases
    .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))
    .slice(0, 10)
    .map((c) =>
      r.t(lang, 'status.line', {
        caseId: c.id,
        complaint: r.t(lang, `intent.${c.complaint}`),
        status: r.t(lang, `status.state.${c.status}`),
        updated: localDateTime(c.updatedAt, zone),
      }),
    );
  // A blank line between cases: Markdown channels (Web Chat) join single newlines into one paragraph.
  return [r.t(lang, 'status.header'), ...lines].join('\n\n');
}
