import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { watchTable, type CompiledTable, type RuleTableError, type TableWatch } from '../../rules/index.js';
import { facts, row, table } from './helpers.js';

const TESTS = `tests:
  - name: expired food is refunded
    given: { complaint: expired_food, category: food, order_amount: 10 }
    expect: { rule: W-1, remedy: REMEDY }
  - name: anything else goes to a person
    given: { complaint: size_mismatch, category: home, order_amount: 10 }
    expect: { rule: DEFAULT }
`;

function good(remedy: string): string {
  return table([row('W-1', 'complaint: expired_food', `{ remedy: ${remedy}, escalate: false }`)]);
}

describe('rules: hot reload', () => {
  let dir: string;
  let file: string;
  let watch: TableWatch | undefined;
  const logged: { level: string; o: object; msg: string }[] = [];
  const log = {
    info: (o: object, msg: string) => void logged.push({ level: 'info', o, msg }),
    error: (o: object, msg: string) => void logged.push({ level: 'error', o, msg }),
  };

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'kefu-rules-'));
    file = path.join(dir, 'rules.yaml');
    writeFileSync(file, good('refund'));
    writeFileSync(path.join(dir, 'rules.tests.yaml'), TESTS.replace('REMEDY', 'refund'));
    logged.length = 0;
    watch = watchTable(file, log);
  });
  afterEach(() => {
    watch?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const nextReload = () => new Promise<CompiledTable>((resolve) => watch!.onReload(resolve));
  const nextReject = () => new Promise<RuleTableError>((resolve) => watch!.onReject(resolve));

  it('serves a good edit (table and its tests) without a restart', async () => {
    const before = watch!.current();
    expect(before.evaluate(facts({})).remedy).to.equal('refund');
    const reloaded = nextReload();
    writeFileSync(path.join(dir, 'rules.tests.yaml'), TESTS.replace('REMEDY', 'reship'));
    // An editor's save: write elsewhere, then rename over the file.
    writeFileSync(`${file}.tmp`, good('reship'));
    renameSync(`${file}.tmp`, file);
    const t = await reloaded;
    expect(watch!.current()).to.equal(t);
    expect(t.hash).to.not.equal(before.hash);
    expect(watch!.current().evaluate(facts({}))).to.include({ ruleId: 'W-1', remedy: 'reship', tableHash: t.hash });
    expect(logged.find((l) => l.level === 'info')?.msg).to.contain('reloaded');
  });

  it('keeps the last good table serving when an edit does not validate, and logs the error with its position', async () => {
    const before = watch!.current();
    const rejected = nextReject();
    writeFileSync(file, good('refund').replace('complaint: expired_food', 'complaint: expird_food'));
    const err = await rejected;
    expect(err.diagnostics[0]).to.include({ code: 'unknown_value', line: 11, column: 18, file });
    expect(watch!.current()).to.equal(before);
    expect(watch!.current().evaluate(facts({})).remedy).to.equal('refund');
    const entry = logged.find((l) => l.level === 'error')!;
    expect(entry.msg).to.contain('last good table keeps serving');
    expect((entry.o as { errors: string[] }).errors[0])
      .to.contain(`${file}:11:18`)
      .and.contain('expird_food');
  });

  it('refuses an edit that validates but fails its tests', async () => {
    const before = watch!.current();
    const rejected = nextReject();
    writeFileSync(file, good('exchange'));
    const err = await rejected;
    expect(err.diagnostics[0]!.code).to.equal('test_failed');
    expect(err.diagnostics[0]!.message).to.contain('remedy: expected "refund", got "exchange"');
    expect(watch!.current()).to.equal(before);
  });
});
