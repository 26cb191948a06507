/**
 * `kefu teams package`: writes the Teams app package (manifest, language file, icons) for one
 * Azure Bot registration, checked against the published Teams manifest schema.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { projectPath } from '../../lib/paths.js';
import { UsageError, type Command } from './command.js';

const usage = `Usage: kefu teams package --host URL [--app-id ID] [--teams-app-id ID] [--version SEMVER] [--out FILE]

Writes the Microsoft Teams app package (a zip to upload in Teams or the Teams admin center).
  --host URL          public https origin of the bot, e.g. https://kefu.example.com
  --app-id ID         the Azure Bot's Microsoft App ID (default: $MicrosoftAppId)
  --teams-app-id ID   the Teams app's own id (default: the app id)
  --version SEMVER    package version, bump it on every re-upload (default: kefu's version)
  --out FILE          where to write the zip (default: kefu-teams.zip)`;

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(projectPath('package.json'), 'utf8')) as { version?: unknown };
  return typeof pkg.version === 'string' ? pkg.version : '1.0.0';
}

export const teamsCommand: Command = {
  summary: 'build the Microsoft Teams app package',
  usage,
  async run(args, io) {
    const [sub, ...rest] = args;
    if (sub !== 'package')
      throw new UsageError(
        sub === undefined
          ? 'missing subcommand (expected: package)'
          : `unknown subcommand '${sub}' (expected: package)`,
      );
    let values: Record<string, string | undefined>;
    try {
      values = parseArgs({
        args: rest,
        options: {
          host: { type: 'string' },
          'app-id': { type: 'string' },
          'teams-app-id': { type: 'string' },
          version: { type: 'string' },
          out: { type: 'string' },
        },
        strict: true,
        allowPositionals: false,
      }).values;
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    const botId = values['app-id'] ?? io.env.MicrosoftAppId ?? '';
    if (botId === '')
      throw new UsageError(
        'needs --app-id or the MicrosoftAppId environment variable (the Azure Bot registration the package points at)',
      );
    if (values.host === undefined) throw new UsageError('needs --host, the public https origin of the bot');

    const { buildTeamsPackage } = await import('../teams/package.js');
    const { ManifestError } = await import('../teams/manifest.js');
    try {
      const pkg = buildTeamsPackage({
        botId,
        teamsAppId: values['teams-app-id'],
        host: values.host,
        version: values.version ?? packageVersion(),
      });
      const out = path.resolve(values.out ?? 'kefu-teams.zip');
      writeFileSync(out, pkg.zip);
      io.stdout.write(`wrote ${out} (${pkg.zip.length} bytes: ${pkg.files.map((f) => f.name).join(', ')})\n`);
      io.stdout.write(
        `Teams app id ${String(pkg.manifest.id)}, bot ${botId}, version ${String(pkg.manifest.version)}\n`,
      );
      return 0;
    } catch (err) {
      if (err instanceof ManifestError) {
        io.stderr.write(`kefu teams package: ${err.message}\n`);
        return 1;
      }
      throw err;
    }
  },
};
