import { expect } from 'chai';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tableHash } from '../../rules/parse.js';
import { AGENT_TOKEN, type Harness } from '../support/kefuHarness.js';
import { BROKEN_TABLE, NEW_TABLE, OLD_TABLE } from './fixtures.js';
import { LEAD_TOKEN, leadHarness, until } from './leadHarness.js';

interface VersionAnswer {
  id: number;
  hash: string;
  kind: string;
  diff: { changedCount: number };
}

/** The lead API's JSON answers, the fields these tests read. */
interface LeadAnswer {
  hash: string;
  text: string;
  report: string;
  canActivate: boolean;
  versions: VersionAnswer[];
  basis: { id: string; basis: string }[];
  diff: { changedCount: number; groups: { oldRule: string; newRule: string; count: number }[] };
  diagnostics: { code: string; line: number; ruleId: string }[];
  failures: { message: string }[];
}

describe('rule activation, versions and rollback (lead API)', function () {
  this.timeout(30_000);
  let h: Harness;
  let rulesFile: string;
  let dir: string;
  beforeEach(async () => ({ h, rulesFile, dir } = await leadHarness()));
  afterEach(async () => {
    await h.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const call = async (method: string, url: string, token: string, body?: unknown) => {
    const res = await fetch(`${h.app.url}${url}`, {
      method,
      headers: {
        Authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as LeadAnswer };
  };
  const serving = (hash: string) =>
    until(`table ${hash} to serve`, () => (h.app.rules.current().hash === hash ? true : undefined));

  it('records the serving table as the first version on start', async () => {
    const r = await call('GET', '/api/lead/rules', AGENT_TOKEN);
    expect(r.status).to.equal(200);
    expect(r.body.hash).to.equal(tableHash(OLD_TABLE));
    expect(r.body.versions.map((v) => [v.id, v.hash, v.kind])).to.deep.equal([[1, tableHash(OLD_TABLE), 'file']]);
    // The lead page lists what each serving row rests on.
    expect(r.body.basis.map((b) => [b.id, b.basis])).to.deep.equal([
      ['EXP', 'test'],
      ['DMG', 'test'],
      ['SIZE', 'test'],
      ['DEFAULT', 'test'],
    ]);
  });

  it('needs a token, and a lead’s token to activate', async () => {
    expect((await fetch(`${h.app.url}/api/lead/analytics`)).status).to.equal(401);
    const r = await call('POST', '/api/lead/rules/activate', AGENT_TOKEN, { text: NEW_TABLE });
    expect(r.status).to.equal(403);
    expect(readFileSync(rulesFile, 'utf8')).to.equal(OLD_TABLE);
  });

  it('previews an edited table: impact on stored cases, or its errors with positions', async () => {
    const p = await call('POST', '/api/lead/rules/preview', AGENT_TOKEN, { text: NEW_TABLE });
    expect(p.status).to.equal(200);
    expect(p.body).to.include({
      hash: tableHash(NEW_TABLE),
      serving: tableHash(OLD_TABLE),
      canActivate: true,
      skipped: 1,
    });
    expect(p.body.diff.changedCount).to.equal(3);
    expect(p.body.diff.groups.map((g) => `${g.oldRule}>${g.newRule}:${g.count}`)).to.deep.equal([
      'DMG>DMG:2',
      'EXP>EXP-BIG:1',
    ]);
    expect(p.body.report).to.contain('3 cases would end differently');

    const bad = await call('POST', '/api/lead/rules/preview', AGENT_TOKEN, { text: BROKEN_TABLE });
    expect(bad.status).to.equal(422);
    const line = BROKEN_TABLE.split('\n').findIndex((l) => l.includes('damagd_packaging')) + 1;
    expect(bad.body.diagnostics.map((d) => [d.code, d.line, d.ruleId])).to.deep.equal([['unknown_value', line, 'DMG']]);

    const failing = NEW_TABLE.replace(
      '{ remedy: return_refund, escalate: true, priority: 5 }',
      '{ remedy: return_refund, escalate: false }',
    );
    const f = await call('POST', '/api/lead/rules/preview', LEAD_TOKEN, { text: failing });
    expect(f.status).to.equal(200);
    expect(f.body.canActivate).to.equal(false);
    expect(f.body.failures[0].message).to.contain(
      "test 'refused size complaint goes to a person' failed: escalate: expected true, got false",
    );
    const refused = await call('POST', '/api/lead/rules/activate', LEAD_TOKEN, { text: failing });
    expect(refused.status).to.equal(422);
    expect(readFileSync(rulesFile, 'utf8')).to.equal(OLD_TABLE);
  });

  it('activates a table (file written, watcher serves it, one version with who, hash and diff) and rolls back', async () => {
    const a = await call('POST', '/api/lead/rules/activate', LEAD_TOKEN, { text: NEW_TABLE });
    expect(a.status).to.equal(201);
    expect(a.body).to.include({
      id: 2,
      hash: tableHash(NEW_TABLE),
      by: 'lead:wang',
      kind: 'activate',
      previousHash: tableHash(OLD_TABLE),
    });
    expect(a.body.diff).to.include({ changedCount: 3, skipped: 1 });
    expect(readFileSync(rulesFile, 'utf8')).to.equal(NEW_TABLE);
    await serving(tableHash(NEW_TABLE));

    const again = await call('POST', '/api/lead/rules/activate', LEAD_TOKEN, { text: NEW_TABLE });
    expect(again.status).to.equal(409);

    const back = await call('POST', '/api/lead/rules/versions/1/rollback', LEAD_TOKEN);
    expect(back.status).to.equal(201);
    expect(back.body).to.include({
      id: 3,
      hash: tableHash(OLD_TABLE),
      kind: 'rollback',
      restoredFrom: 1,
      by: 'lead:wang',
    });
    expect(back.body.diff.changedCount).to.equal(3);
    expect(readFileSync(rulesFile, 'utf8')).to.equal(OLD_TABLE);
    await serving(tableHash(OLD_TABLE));

    const list = await call('GET', '/api/lead/rules', AGENT_TOKEN);
    expect(list.body.versions.map((v) => [v.id, v.kind])).to.deep.equal([
      [3, 'rollback'],
      [2, 'activate'],
      [1, 'file'],
    ]);
    const full = await call('GET', '/api/lead/rules/versions/2', AGENT_TOKEN);
    expect(full.body.text).to.equal(NEW_TABLE);
    expect((await call('POST', '/api/lead/rules/versions/99/rollback', LEAD_TOKEN)).status).to.equal(404);
  });

  it('versions a table whose file was replaced by hand, with its impact', async () => {
    writeFileSync(rulesFile, NEW_TABLE);
    await serving(tableHash(NEW_TABLE));
    const v = await until('the file version', async () => {
      const r = await call('GET', '/api/lead/rules', AGENT_TOKEN);
      return r.body.versions.length === 2 ? r.body.versions[0] : undefined;
    });
    expect(v).to.include({ hash: tableHash(NEW_TABLE), by: 'file', kind: 'file', previousHash: tableHash(OLD_TABLE) });
    expect(v.diff.changedCount).to.equal(3);
  });
});
