/**
 * The rule table watcher against file-system surprises, in process (a throw from its timers
 * would be an uncaught exception, which fails the test): the table file replaced by a
 * directory, a listener that throws, and the watched directory removed and created again.
 */
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { watchTable, type TableWatch } from '../../rules/index.js';
import { ROOT } from '../support/kefuHarness.js';

async function until(what: string, probe: () => boolean, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('security: the rule table watcher survives file-system surprises', function () {
  this.timeout(20_000);
  let base: string;
  let dir: string;
  let file: string;
  let watch: TableWatch | undefined;
  const logged: { msg: string; o: Record<string, unknown> }[] = [];
  const log = {
    info: (o: object, msg: string) => void logged.push({ msg, o: o as Record<string, unknown> }),
    error: (o: object, msg: string) => void logged.push({ msg, o: o as Record<string, unknown> }),
  };
  const text = readFileSync(path.join(ROOT, 'data/rules.yaml'), 'utf8');

  beforeEach(() => {
    base = mkdtempSync(path.join(os.tmpdir(), 'kefu-watch-'));
    dir = path.join(base, 'rules');
    mkdirSync(dir);
    file = path.join(dir, 'rules.yaml');
    writeFileSync(file, text);
    logged.length = 0;
    watch = watchTable(file, log, { rewatchMs: 50 });
  });
  afterEach(() => {
    watch?.close();
    rmSync(base, { recursive: true, force: true });
  });

  it('keeps the table when the file is replaced by one it cannot read as a table, and when a listener throws', async () => {
    const good = watch!.current().hash;
    watch!.onReject(() => {
      throw new Error('a listener bug');
    });
    rmSync(file);
    mkdirSync(file);
    await until('the rejection', () => logged.some((l) => l.msg.startsWith('rule table rejected')));
    await until('the listener failure to be logged', () =>
      logged.some((l) => l.msg === 'a rule table listener failed'),
    );
    expect(watch!.current().hash).to.equal(good);
    rmSync(file, { recursive: true });
    writeFileSync(file, `${text}\n# still watched\n`);
    await until('the edited table', () => watch!.current().hash !== good);
  });

  it('watches again when its directory is removed and comes back', async () => {
    const good = watch!.current().hash;
    renameSync(dir, `${dir}-moved`);
    await until('the failed watch to be logged', () => logged.some((l) => l.msg.startsWith('rule table watch failed')));
    expect(watch!.current().hash).to.equal(good);
    mkdirSync(dir);
    writeFileSync(file, `${text}\n# back again\n`);
    await until('the table from the new directory', () => watch!.current().hash !== good);
  });
});
