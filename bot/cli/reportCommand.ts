/**
 * `kefu report [--since 7d] [--json]`: the lead's analytics from the configured store, the same
 * figures as the /lead page (containment, handoffs, time to resolution, SLA, CSAT, money by
 * complaint, the classifier's weak spots).
 */
import { parseArgs } from 'node:util';
import { projectPath } from '../../lib/paths.js';
import { loadHandoffSettings } from '../../domain/handoff/settings.js';
import { analyze, parseSince } from '../../domain/analytics.js';
import { formatAnalytics } from '../lead/analyticsText.js';
import { withStores } from '../lead/cliStores.js';
import type { CliIo, Command } from './command.js';

const HANDOFF_FILE = projectPath('data', 'handoff.yaml');

export const reportCommand: Command = {
  summary: 'containment, handoffs, SLA, CSAT and money from stored cases',
  usage: `Usage: kefu report [--since 7d] [--json]

--since  a span back from now (30m, 24h, 7d, 90d) or an ISO date; default 7d.
--json   one JSON document for scripts.
Reads cases from the configured store ($KEFU_DATA_DIR's SQLite file, or PostgreSQL).`,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { since: { type: 'string', default: '7d' }, json: { type: 'boolean', default: false } },
    });
    if (positionals.length > 0) return usageError(io, `unexpected argument '${positionals[0]}'`);
    const until = new Date();
    let since: Date;
    try {
      since = parseSince(values.since, until);
    } catch (err) {
      return usageError(io, (err as Error).message);
    }
    const cases = await withStores(io.env, (stores) => stores.cases.list({ since: since.toISOString() }));
    const report = analyze(cases, { since, until }, loadHandoffSettings(HANDOFF_FILE));
    io.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : formatAnalytics(report));
    return 0;
  },
};

/**
 * Exit 2 with the usage, like the dispatcher does for a UsageError. Returned rather than thrown:
 * a lazily loaded command can see a second instance of the UsageError class under some loaders
 * (mocha with tsx), and the dispatcher would not recognise it.
 */
function usageError(io: CliIo, message: string): number {
  io.stderr.write(`kefu report: ${message}\n\n${reportCommand.usage}\n`);
  return 2;
}
