/** `kefu purge`: deletes cases (and files only they used) older than the retention period, now. */
import { parseArgs } from 'node:util';
import { ConfigError, type Config } from '../config.js';
import { commandConfig, UsageError, type Command } from './command.js';

export const purgeCommand: Command = {
  summary: 'delete cases older than RETENTION_DAYS (also runs daily inside serve)',
  usage: [
    'kefu purge [--days N]',
    '',
    'Deletes closed and abandoned cases whose last change is older than N days (default',
    'RETENTION_DAYS, 365), and the evidence files no remaining case uses. Cases a person is',
    'handling are kept. Also deletes what is as old elsewhere: idle conversation state, Direct',
    'Line uploads, evidence files no case names, and leftovers of interrupted writes. Uses the',
    'same stores as `kefu serve` (KEFU_DATA_DIR, or REDIS_URL and DATABASE_URL). Prints how',
    'many cases and files were deleted.',
  ].join('\n'),
  async run(args, io) {
    let values: { days?: string };
    try {
      values = parseArgs({ args, options: { days: { type: 'string' } } }).values;
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    let config: Config;
    try {
      config = await commandConfig(io, values.days !== undefined ? { RETENTION_DAYS: values.days } : {});
    } catch (err) {
      if (err instanceof ConfigError) throw new UsageError(err.message.replace('RETENTION_DAYS', '--days'));
      throw err;
    }
    const days = config.retentionDays ?? 0;
    if (days === 0) {
      io.stdout.write('retention is off (0 days): nothing purged\n');
      return 0;
    }
    const { openStores } = await import('../store/index.js');
    const { createLogger } = await import('../log.js');
    const { ShopperData } = await import('../privacy/shopperData.js');
    const { storeSweepers } = await import('../privacy/sweepers.js');
    const stores = await openStores(config, createLogger('warn'));
    try {
      const result = await new ShopperData({
        cases: stores.cases,
        evidence: stores.evidence,
        state: stores.state,
        sweepers: storeSweepers(stores, config.dataDir),
        ledger: stores.ledger,
        now: () => new Date(),
      }).purge(days);
      io.stdout.write(
        `purged ${result.cases} case(s) and ${result.files} file(s) last changed before ${result.cutoff}, and ${result.other} other item(s) as old (idle state, uploads, leftovers)\n`,
      );
      return 0;
    } finally {
      await stores.close();
    }
  },
};
