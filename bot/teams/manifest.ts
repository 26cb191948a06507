/**
 * Fills in `manifest.template.json` for one deployment: the bot's Microsoft App ID, the Teams app
 * id and the public host. Values are substituted into parsed JSON strings, never into the JSON
 * text, so no input can change the manifest's structure.
 */
import { readFileSync } from 'node:fs';
import { projectPath } from '../../lib/paths.js';
import { KefuError } from '../../lib/errors.js';

export const TEAMS_DIR = projectPath('bot', 'teams');
export const TEMPLATE_FILE = projectPath('bot', 'teams', 'manifest.template.json');

export interface ManifestOptions {
  /** The Azure Bot registration's Microsoft App ID (a GUID): Teams routes messages to it. */
  botId: string;
  /** The Teams app's own id (a GUID); defaults to the bot id. */
  teamsAppId?: string;
  /** Public https origin of the bot, e.g. `https://kefu.example.com`. */
  host: string;
  /** Semver of the app package; bump it on every upload of a changed package. */
  version: string;
}

export class ManifestError extends KefuError {
  constructor(message: string) {
    super('manifest', message);
  }
}

const SEMVER = /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;
const GUID = /^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$/i;

function parseHost(host: string): URL {
  let url: URL;
  try {
    url = new URL(host);
  } catch {
    throw new ManifestError(`host '${host}' is not a URL (expected an https origin such as https://kefu.example.com)`);
  }
  if (url.protocol !== 'https:') throw new ManifestError(`host '${host}' must use https (Teams requires it)`);
  if ((url.pathname !== '/' && url.pathname !== '') || url.search !== '' || url.hash !== '') {
    throw new ManifestError(`host '${host}' must be an origin without a path (expected e.g. https://kefu.example.com)`);
  }
  return url;
}

function substitute(value: unknown, vars: Record<string, string>): unknown {
  if (typeof value === 'string') return value.replace(/\{\{(\w+)\}\}/g, (m, name: string) => vars[name] ?? m);
  if (Array.isArray(value)) return value.map((v) => substitute(v, vars));
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, vars)]));
  return value;
}

export type Manifest = Record<string, unknown> & { manifestVersion: string };

export function buildManifest(
  options: ManifestOptions,
  template: string = readFileSync(TEMPLATE_FILE, 'utf8'),
): Manifest {
  const teamsAppId = options.teamsAppId ?? options.botId;
  if (!GUID.test(options.botId))
    throw new ManifestError(
      `app id '${options.botId}' is not a GUID (expected the Azure Bot's Microsoft App ID, e.g. 00000000-0000-0000-0000-000000000000)`,
    );
  if (!GUID.test(teamsAppId)) throw new ManifestError(`Teams app id '${teamsAppId}' is not a GUID`);
  if (!SEMVER.test(options.version))
    throw new ManifestError(`version '${options.version}' is not semver (expected e.g. 1.0.3)`);
  const url = parseHost(options.host);
  const manifest = substitute(JSON.parse(template), {
    BOT_ID: options.botId.toLowerCase(),
    TEAMS_APP_ID: teamsAppId.toLowerCase(),
    HOST: url.origin,
    HOST_DOMAIN: url.host,
    VERSION: options.version,
  }) as Manifest;
  const left = JSON.stringify(manifest).match(/\{\{\w+\}\}/g);
  if (left !== null)
    throw new ManifestError(`the manifest template has unknown placeholders: ${[...new Set(left)].join(', ')}`);
  return manifest;
}
