/** Answers `check_status`: the shopper's cases, newest first, and where each stands. */
import type { TurnContext } from 'botbuilder';
import { langOf } from './reply.js';
import type { KefuServices } from './services.js';

export async function statusReply(context: TurnContext, services: KefuServices): Promise<string> {
  const lang = langOf(context);
  const r = services.responses;
  const cases = await services.cases.list({ shopperId: context.activity.from.id, limit: 10 });
  if (cases.length === 0) return r.t(lang, 'status.none');
  const lines = cases
    .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))
    .map((c) =>
      r.t(lang, 'status.line', {
        caseId: c.id,
        complaint: r.t(lang, `intent.${c.complaint}`),
        status: r.t(lang, `status.state.${c.status}`),
        updated: c.updatedAt.slice(0, 16).replace('T', ' '),
      }),
    );
  return [r.t(lang, 'status.header'), ...lines].join('\n');
}
