/**
 * The layering check (`npm run layers`, part of `npm test`) run the way CI runs it: as a child
 * process. It must pass on kefu itself and must catch every import form on a small tree built
 * to break each rule once.
 */
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = process.cwd();
const depcruise = path.join(root, 'node_modules', '.bin', 'depcruise');
const LAYERS = ['bot', 'dialogs', 'domain', 'intents', 'rules', 'lib'];

async function check(cwd: string): Promise<{ code: number; out: string }> {
  try {
    const { stdout } = await run(
      depcruise,
      [...LAYERS, '--config', '.dependency-cruiser.cjs', '--output-type', 'err'],
      {
        cwd,
      },
    );
    return { code: 0, out: stdout };
  } catch (err) {
    const e = err as { code: number; stdout: string };
    return { code: e.code, out: e.stdout };
  }
}

describe('layers: bot > dialogs > domain > intents > rules > lib', function () {
  this.timeout(60_000);

  it('holds for kefu itself', async () => {
    const { code, out } = await check(root);
    expect(out).to.match(/no dependency violations found/);
    expect(code).to.equal(0);
  });

  describe('on a tree that breaks each rule once', () => {
    let dir: string;
    before(() => {
      dir = mkdtempSync(path.join(tmpdir(), 'kefu-layers-'));
      cpSync(path.join(root, '.dependency-cruiser.cjs'), path.join(dir, '.dependency-cruiser.cjs'));
      cpSync(path.join(root, 'tsconfig.json'), path.join(dir, 'tsconfig.json'));
      symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'));
      const files: Record<string, string> = {
        'bot/edge.ts': "import { Storage } from 'botbuilder';\nexport type S = Storage;\n",
        'dialogs/talk.ts':
          "import { WaterfallDialog } from 'botbuilder-dialogs';\nexport const talk = 1;\nexport const W = WaterfallDialog;\n",
        'domain/model.ts':
          'export type Pool = import(\'pg\').Pool;\nexport type T = import("../dialogs/talk.js").Nothing;\n',
        'intents/understand.ts': 'export const load = () => import("../domain/model.js");\n',
        'rules/decide.ts':
          'import type { TurnContext } from "botbuilder";\nimport { talk } from \'../dialogs/talk.js\';\n' +
          'export type C = TurnContext;\nexport const t = talk;\n',
        'lib/util.ts': "import { x } from '../rules/missing.js';\nexport const y = x;\n",
      };
      for (const [file, text] of Object.entries(files)) {
        mkdirSync(path.join(dir, path.dirname(file)), { recursive: true });
        writeFileSync(path.join(dir, file), text);
      }
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('reports every violation, whatever the import form, and fails', async () => {
      const { code, out } = await check(dir);
      expect(code).to.not.equal(0);
      const found = [...out.matchAll(/error (\S+): (\S+) → (\S+)/g)].map((m) => `${m[1]} ${m[2]} ${m[3]}`).sort();
      expect(found).to.deep.equal(
        [
          'dialogs-sdk-index dialogs/talk.ts node_modules/botbuilder-dialogs/lib/index.js',
          'domain-imports-upward domain/model.ts dialogs/talk.ts',
          'intents-imports-upward intents/understand.ts domain/model.ts',
          'no-unresolvable lib/util.ts ../rules/missing.js',
          'rules-imports-upward rules/decide.ts dialogs/talk.ts',
          'sdk-outside-edge rules/decide.ts node_modules/botbuilder/lib/index.js',
          'storage-outside-edge domain/model.ts node_modules/pg/esm/index.mjs',
        ].sort(),
      );
    });
  });
});
