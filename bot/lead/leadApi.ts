/**
 * The support lead's HTTP API and page, mounted on the bot's restify server, plus the hook that
 * versions every table the watcher starts serving. Reading analytics and versions needs an
 * agent's or a lead's bearer token; previewing is open to both (it changes nothing); activating
 * and rolling back need a lead's token (`LEAD_TOKENS`). Bodies are parsed here, once.
 */
import type { Request, Response, Server } from 'restify';
import type { AgentCredential, Config } from '../config.js';
import type { Logger } from '../log.js';
import type { Stores } from '../store/types.js';
import type { HandoffSettings } from '../../domain/handoff/settings.js';
import { agentAuthenticator } from '../handoff/agentAuth.js';
import { formatDiff } from '../../rules/diff.js';
import type { TableWatch } from '../../rules/index.js';
import { refusal, sendHttpError } from '../httpErrors.js';
import { LeadError, RuleActivation } from './activation.js';
import { analyze, parseSince } from '../../domain/analytics.js';
import { leadFiles } from './leadFiles.js';
import { PgRuleVersions, SqliteRuleVersions, type RuleVersion, type RuleVersionStore } from './versions.js';

export interface LeadApiDeps {
  rules: TableWatch;
  stores: Stores;
  config: Pick<Config, 'rulesFile' | 'agents' | 'leads'>;
  handoffSettings: HandoffSettings;
  log: Logger;
  now?: () => Date;
}

export interface LeadApi {
  versions: RuleVersionStore;
  activation: RuleActivation;
}

type Role = 'agent' | 'lead';
type Who = AgentCredential & { role: Role };
type Handler = (req: Request, res: Response, who: Who) => Promise<void>;

const HEADERS = { 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' };
const MAX_TABLE_CHARS = 1_000_000;
export async function openRuleVersions(stores: Stores): Promise<RuleVersionStore> {
  if (stores.sqlite !== undefined) return new SqliteRuleVersions(stores.sqlite);
  if (stores.scaled !== undefined) return PgRuleVersions.open(stores.scaled.pool, stores.scaled.schema);
  throw new Error('rule versions need the embedded SQLite store or PostgreSQL');
}

/** A version without its text, for lists. */
const summary = ({ text: _text, ...v }: RuleVersion) => v;

export async function mountLeadApi(server: Server, deps: LeadApiDeps): Promise<LeadApi> {
  const { rules, stores, log } = deps;
  const now = deps.now ?? (() => new Date());
  const versions = await openRuleVersions(stores);
  const activation = new RuleActivation({
    rulesFile: deps.config.rulesFile,
    versions,
    cases: stores.cases,
    current: () => rules.current(),
    now,
  });
  const record = (why: string) =>
    activation
      .recordServing(rules.current())
      .catch((err: unknown) => log.error({ err }, `could not record the rule table version (${why})`));
  await record('start');
  rules.onReload(() => void record('reload'));

  const asLead = agentAuthenticator(deps.config.leads ?? []);
  const answers = {
    log,
    what: 'lead API',
    headers: HEADERS,
    internal: { code: 'internal', message: 'something went wrong; nothing was changed' },
  };
  const asAgent = agentAuthenticator(deps.config.agents);
  const guarded =
    (need: Role, handler: Handler) =>
    async (req: Request, res: Response): Promise<void> => {
      const auth = req.header('authorization');
      const lead = asLead(auth);
      const agent = lead === undefined ? asAgent(auth) : undefined;
      const who: Who | undefined = lead ? { ...lead, role: 'lead' } : agent ? { ...agent, role: 'agent' } : undefined;
      if (who === undefined) {
        res.header('WWW-Authenticate', 'Bearer realm="kefu-leads"');
        const missing = refusal('unauthorized', 'an agent or lead token is required: Authorization: Bearer <token>');
        sendHttpError(req, res, missing, answers);
        return;
      }
      if (need === 'lead' && who.role !== 'lead') {
        const notLead = refusal(
          'forbidden',
          'activating or rolling back the rule table needs a lead token (LEAD_TOKENS)',
        );
        sendHttpError(req, res, notLead, answers);
        return;
      }
      try {
        await handler(req, res, who);
      } catch (err) {
        // RuleTableError answers 422 invalid_table with its diagnostics; LeadError by its code.
        sendHttpError(req, res, err, answers);
      }
    };
  const json = (res: Response, status: number, body: unknown) => res.send(status, body, HEADERS);

  server.get(
    '/api/lead/me',
    guarded('agent', async (_req, res, who) => json(res, 200, { name: who.name, role: who.role })),
  );

  server.get(
    '/api/lead/analytics',
    guarded('agent', async (req, res) => {
      const until = now();
      let since: Date;
      try {
        since = parseSince(String(req.query?.since ?? '7d'), until);
      } catch (err) {
        throw new LeadError('bad_request', (err as Error).message);
      }
      const cases = await stores.cases.list({ since: since.toISOString() });
      json(res, 200, analyze(cases, { since, until }, deps.handoffSettings));
    }),
  );

  server.get(
    '/api/lead/rules',
    guarded('agent', async (_req, res) => {
      const t = rules.current();
      // Each row's legal or platform basis, so a lead sees what the serving table rests on.
      const basis = [...t.model.rows, ...(t.model.defaultRow ? [t.model.defaultRow] : [])].map((r) => ({
        id: r.id,
        line: r.pos.line,
        basis: r.basis,
      }));
      json(res, 200, {
        hash: t.hash,
        file: t.file,
        rows: t.ruleIds.length,
        basis,
        text: t.model.text,
        versions: (await versions.list()).map(summary),
      });
    }),
  );
  server.get(
    '/api/lead/rules/versions/:id',
    guarded('agent', async (req, res) => {
      const v = await versions.get(Number(req.params.id));
      if (v === undefined) throw new LeadError('not_found', `no rule table version ${String(req.params.id)}`);
      json(res, 200, v);
    }),
  );

  server.post(
    '/api/lead/rules/preview',
    guarded('agent', async (req, res) => {
      const p = await activation.preview(tableText(req.body));
      const { changed, ...diff } = p.diff;
      json(res, 200, {
        hash: p.table.hash,
        serving: rules.current().hash,
        canActivate: p.failures.length === 0 && p.table.hash !== rules.current().hash,
        failures: p.failures,
        skipped: p.skipped,
        diff: { ...diff, changed: changed.slice(0, 500), changedCount: changed.length },
        report: formatDiff(p.diff, p.skipped),
      });
    }),
  );
  server.post(
    '/api/lead/rules/activate',
    guarded('lead', async (req, res, who) => {
      const v = await activation.activate(tableText(req.body), `lead:${who.name}`);
      log.info(
        { version: v.id, hash: v.hash, by: v.by, changed: v.diff?.changedCount },
        'rule table activated from the lead page',
      );
      json(res, 201, summary(v));
    }),
  );
  server.post(
    '/api/lead/rules/versions/:id/rollback',
    guarded('lead', async (req, res, who) => {
      const v = await activation.rollback(Number(req.params.id), `lead:${who.name}`);
      log.info(
        { version: v.id, hash: v.hash, by: v.by, restoredFrom: v.restoredFrom },
        'rule table rolled back from the lead page',
      );
      json(res, 201, summary(v));
    }),
  );

  for (const file of leadFiles()) {
    const send = async (_req: Request, res: Response) => {
      res.writeHead(200, { ...file.headers, 'Content-Length': file.body.length });
      res.end(file.body);
    };
    for (const route of file.routes) server.get(route, send);
  }
  return { versions, activation };
}

/** The table text from a JSON body `{ "text": "..." }`. */
function tableText(body: unknown): string {
  const text = (body as { text?: unknown } | null | undefined)?.text;
  if (typeof text !== 'string' || text.trim() === '')
    throw new LeadError('bad_request', 'expected a JSON body { "text": "<the rule table as YAML>" }');
  if (text.length > MAX_TABLE_CHARS)
    throw new LeadError('bad_request', `the table is over ${MAX_TABLE_CHARS} characters`);
  return text;
}
