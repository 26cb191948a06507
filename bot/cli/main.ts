/**
 * `kefu` entry point: picks a subcommand and runs it. Each subcommand lives in its own module
 * and is loaded only when used, so `kefu classify` never pays for the bot server's start-up.
 */
import type { KefuError } from '../../lib/errors.js';
import { isUsageError, type CliIo, type Command } from './command.js';

const commands: Record<string, () => Promise<Command>> = {
  serve: async () => (await import('./serveCommand.js')).serveCommand,
  rules: async () => (await import('./rulesCommand.js')).rulesCommand,
  classify: async () => (await import('./classifyCommand.js')).classifyCommand,
  train: async () => (await import('./trainCommand.js')).trainCommand,
  teams: async () => (await import('./teamsCommand.js')).teamsCommand,
  purge: async () => (await import('./purgeCommand.js')).purgeCommand,
  report: async () => (await import('./reportCommand.js')).reportCommand,
  intents: async () => (await import('./intentsCommand.js')).intentsCommand,
};

const defaultIo: CliIo = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env };

export async function main(argv: string[], io: CliIo = defaultIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    const topic = rest[0] === '--help' || rest[0] === '-h' ? undefined : rest[0];
    if (topic !== undefined && topic in commands) {
      io.stdout.write(`${(await commands[topic]!()).usage}\n`);
      return 0;
    }
    io.stdout.write(await overview());
    return name === undefined || topic === undefined || topic in commands ? 0 : 2;
  }
  const load = commands[name];
  if (load === undefined) {
    io.stderr.write(`kefu: unknown command '${name}' (expected one of ${Object.keys(commands).join(', ')})\n`);
    return 2;
  }
  const command = await load();
  if (asksForHelp(rest)) {
    io.stdout.write(`${command.usage}\n`);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (err) {
    if (isUsageError(err) || isArgsError(err)) {
      io.stderr.write(`kefu ${name}: ${(err as Error).message}\n\n${command.usage}\n`);
      return 2;
    }
    // A data file with a mistake is the user's to fix: every line already says file:line:col and what was expected.
    if (hasCode(err, 'data_file')) {
      io.stderr.write(`kefu ${name}: cannot use a data file:\n${err.message}\n`);
      return 1;
    }
    // So is a setting: the message names the variable, its value and what was expected.
    if (hasCode(err, 'config')) {
      io.stderr.write(`kefu ${name}: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
}

/**
 * `--help` / `-h` anywhere before a `--` shows the command's usage, so it works the same on every
 * command and subcommand (`kefu rules explain --help`) without each one declaring the option.
 */
function asksForHelp(args: string[]): boolean {
  const end = args.indexOf('--');
  return (end === -1 ? args : args.slice(0, end)).some((a) => a === '--help' || a === '-h');
}

/** By code, so main loads neither the YAML loader nor the configuration, and works across module copies like isUsageError. */
function hasCode(err: unknown, code: string): err is KefuError {
  return err instanceof Error && (err as Partial<KefuError>).code === code;
}

/** node:util parseArgs refusing an option or argument is the user's mistake: a usage error, not a crash. */
function isArgsError(err: unknown): boolean {
  const code = err instanceof Error ? (err as NodeJS.ErrnoException).code : undefined;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_');
}

async function overview(): Promise<string> {
  const lines = [
    'kefu (客服): customer-service bot for online supermarkets',
    '',
    'Usage: kefu COMMAND [ARGS]',
    '',
    'Commands:',
  ];
  for (const [name, load] of Object.entries(commands)) {
    lines.push(`  ${name.padEnd(10)} ${(await load()).summary}`);
  }
  lines.push('', 'Run `kefu help COMMAND` for the options of one command.', '');
  return lines.join('\n');
}
