/**
 * `kefu intents review|add`: the trainer's end of the learning loop. `review` collects agents'
 * complaint corrections from the configured store into data/intents/candidates.yaml and lists
 * those not yet added; `add ID...` appends the chosen ones to data/intents/train/<lang>.yaml.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DATA_DIR } from '../../intents/dataset.js';
import {
  appendExample,
  candidatesFile,
  correctionsOf,
  mergeCandidates,
  readCandidates,
  writeCandidates,
} from '../lead/candidates.js';
import { withStores } from '../lead/cliStores.js';
import type { CliIo, Command } from './command.js';

export const intentsCommand: Command = {
  summary: "review agents' complaint corrections and add them to the training data",
  usage: `Usage: kefu intents review [--json]   collect corrections from stored cases into
                                     data/intents/candidates.yaml and list the pending ones
       kefu intents add ID...         append those candidates (case ids) to
                                     data/intents/train/<lang>.yaml; then run npm run train

--dir DIR  the intents data folder (default data/intents)`,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { json: { type: 'boolean', default: false }, dir: { type: 'string' } },
    });
    const [sub, ...ids] = positionals;
    const dir = values.dir ?? DATA_DIR;
    const file = candidatesFile(dir);
    if (sub === 'review') {
      if (ids.length > 0) return usageError(io, `unexpected argument '${ids[0]}'`);
      const found = await withStores(io.env, async (stores) => correctionsOf(await stores.cases.list()));
      const { list, added } = mergeCandidates(readCandidates(file), found);
      if (added > 0) writeCandidates(file, list);
      const pending = list.filter((c) => c.status === 'pending');
      if (values.json) {
        io.stdout.write(`${JSON.stringify({ file, new: added, pending }, null, 2)}\n`);
        return 0;
      }
      io.stdout.write(
        `${pending.length} candidate${pending.length === 1 ? '' : 's'} to review (${added} new) in ${path.relative(process.cwd(), file) || file}:\n`,
      );
      for (const c of pending)
        io.stdout.write(
          `  ${c.id}  [${c.lang}] ${c.botRead} → ${c.intent}  ${JSON.stringify(c.text)}  (by ${c.agent})\n`,
        );
      if (pending.length > 0) io.stdout.write('\nAdd the good ones with: kefu intents add ID...\n');
      return 0;
    }
    if (sub === 'add') {
      if (ids.length === 0) return usageError(io, 'add needs one or more candidate ids (see kefu intents review)');
      const list = readCandidates(file);
      const unknown = ids.filter((id) => !list.some((c) => c.id === id));
      if (unknown.length > 0) {
        io.stderr.write(
          `kefu intents add: no candidate ${unknown.join(', ')} in ${file} (run kefu intents review first)\n`,
        );
        return 1;
      }
      for (const c of list) {
        if (!ids.includes(c.id) || c.status === 'added') continue;
        const train = path.join(dir, 'train', `${c.lang}.yaml`);
        const result = appendExample(train, c.lang, c.intent, c.text);
        c.status = 'added';
        io.stdout.write(
          `  ${c.id} ${result === 'added' ? 'added to' : 'already in'} ${path.basename(path.dirname(train))}/${path.basename(train)} under ${c.intent}\n`,
        );
      }
      writeCandidates(file, list);
      io.stdout.write('Run `npm run train` to rebuild the model.\n');
      return 0;
    }
    return usageError(io, `expected review or add, got '${sub ?? ''}'`);
  },
};

/**
 * Exit 2 with the usage, like the dispatcher does for a UsageError. Returned rather than thrown:
 * a lazily loaded command can see a second instance of the UsageError class under some loaders
 * (mocha with tsx), and the dispatcher would not recognise it.
 */
function usageError(io: CliIo, message: string): number {
  io.stderr.write(`kefu intents: ${message}\n\n${intentsCommand.usage}\n`);
  return 2;
}
