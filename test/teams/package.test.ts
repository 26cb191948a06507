import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildManifest, ManifestError, TEAMS_DIR, TEMPLATE_FILE } from '../../bot/teams/manifest.js';
import { buildTeamsPackage } from '../../bot/teams/package.js';
import { schemaPath, schemaProblems } from '../../bot/teams/validate.js';
import { teamsCommand } from '../../bot/cli/teamsCommand.js';
import { UsageError } from '../../bot/cli/command.js';
import { captureIo } from '../support/cliIo.js';
import { decodePng } from './png.js';

const BOT = '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';
const options = { botId: BOT, host: 'https://kefu.example.com', version: '1.2.3' };

/** Lists and reads a zip with Python's zipfile: an independent reader, not our own code. */
function unzipWithPython(file: string): Record<string, string> {
  const script =
    'import base64,json,sys,zipfile\nz=zipfile.ZipFile(sys.argv[1])\nassert z.testzip() is None\nprint(json.dumps({n: base64.b64encode(z.read(n)).decode() for n in z.namelist()}))';
  return JSON.parse(execFileSync('python3', ['-c', script, file], { encoding: 'utf8' })) as Record<string, string>;
}

describe('Teams app package', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(os.tmpdir(), 'kefu-teams-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('fills in a manifest that validates against the published Teams schema of its version', () => {
    const manifest = buildManifest(options);
    expect(schemaPath('manifest', manifest.manifestVersion)).to.contain(path.join('@microsoft', 'app-manifest'));
    expect(schemaProblems('manifest', manifest.manifestVersion, manifest)).to.deep.equal([]);
    expect(manifest).to.include({ id: BOT, version: '1.2.3' });
    expect(manifest.bots).to.deep.include({
      ...(manifest.bots as object[])[0],
      botId: BOT,
      supportsFiles: true,
      scopes: ['personal'],
    });
    expect(manifest.validDomains).to.deep.equal(['kefu.example.com']);
    expect(JSON.stringify(manifest)).not.to.match(/\{\{/);
  });

  it('the schema check is real: it names what is wrong in a broken manifest', () => {
    const manifest = buildManifest(options);
    const broken = {
      ...manifest,
      accentColor: 'orange',
      bots: [{ botId: BOT, scopes: ['everyone'] }],
      developer: { name: 'kefu' },
    };
    const problems = schemaProblems('manifest', manifest.manifestVersion, broken);
    expect(problems.some((p) => p.startsWith('/accentColor'))).to.equal(true);
    expect(problems.some((p) => p.startsWith('/bots/0/scopes/0') && p.includes('personal'))).to.equal(true);
    expect(problems.some((p) => p.startsWith('/developer') && p.includes('websiteUrl'))).to.equal(true);
  });

  it('validates the Chinese language file against the published localization schema', () => {
    const zh = JSON.parse(readFileSync(path.join(TEAMS_DIR, 'zh-cn.json'), 'utf8')) as Record<string, string>;
    expect(schemaProblems('localization', '1.19', zh)).to.deep.equal([]);
    expect(zh['name.short']).to.equal('客服');
    expect(schemaProblems('localization', '1.19', { ...zh, 'name.short': '客'.repeat(31) })).to.have.length.greaterThan(
      0,
    );
  });

  it('refuses ids, hosts and versions Teams would refuse, saying what was expected', () => {
    expect(() => buildManifest({ ...options, botId: 'my-bot' })).to.throw(ManifestError, /not a GUID/);
    expect(() => buildManifest({ ...options, host: 'http://kefu.example.com' })).to.throw(ManifestError, /https/);
    expect(() => buildManifest({ ...options, host: 'https://kefu.example.com/bot' })).to.throw(
      ManifestError,
      /without a path/,
    );
    expect(() => buildManifest({ ...options, version: 'v1' })).to.throw(ManifestError, /semver/);
    const template = readFileSync(TEMPLATE_FILE, 'utf8').replace('"kefu"', '"{{OWNER}}"');
    expect(() => buildManifest(options, template)).to.throw(ManifestError, /\{\{OWNER\}\}/);
  });

  it('zips manifest, language file and icons so that a standard unzip reads them back byte for byte', () => {
    const pkg = buildTeamsPackage(options);
    const file = path.join(dir, 'kefu.zip');
    writeFileSync(file, pkg.zip);
    const files = unzipWithPython(file);
    expect(Object.keys(files)).to.deep.equal(['manifest.json', 'zh-cn.json', 'color.png', 'outline.png']);
    expect(JSON.parse(Buffer.from(files['manifest.json']!, 'base64').toString('utf8'))).to.deep.equal(pkg.manifest);
    expect(
      Buffer.from(files['color.png']!, 'base64').equals(readFileSync(path.join(TEAMS_DIR, 'icons', 'color.png'))),
    ).to.equal(true);
    expect(buildTeamsPackage(options).zip.equals(pkg.zip)).to.equal(true);
  });

  it('ships a 192x192 colour icon and a 32x32 white-on-transparent outline icon', () => {
    const color = decodePng(readFileSync(path.join(TEAMS_DIR, 'icons', 'color.png')));
    expect([color.width, color.height]).to.deep.equal([192, 192]);
    const outline = decodePng(readFileSync(path.join(TEAMS_DIR, 'icons', 'outline.png')));
    expect([outline.width, outline.height, outline.colorType, outline.bitDepth]).to.deep.equal([32, 32, 6, 8]);
    let opaque = 0;
    for (let i = 0; i < outline.rgba.length; i += 4) {
      const [r, g, b, a] = outline.rgba.subarray(i, i + 4);
      if (a! > 0) {
        opaque++;
        expect([r, g, b], `pixel ${i / 4}`).to.deep.equal([255, 255, 255]);
      }
    }
    expect(opaque)
      .to.be.greaterThan(50)
      .and.lessThan((32 * 32) / 2);
    expect(outline.rgba[3]).to.equal(0);
  });

  describe('kefu teams package', () => {
    it('writes the zip named by --out and reports what it holds', async () => {
      const out = path.join(dir, 'app.zip');
      const c = captureIo();
      expect(
        await teamsCommand.run(['package', '--host', 'https://bot.example.org', '--out', out], {
          ...c.io,
          env: { MicrosoftAppId: BOT },
        }),
      ).to.equal(0);
      expect(c.out()).to.contain(out).and.contain('manifest.json').and.contain(BOT);
      const manifest = JSON.parse(Buffer.from(unzipWithPython(out)['manifest.json']!, 'base64').toString('utf8')) as {
        validDomains: string[];
        version: string;
      };
      expect(manifest.validDomains).to.deep.equal(['bot.example.org']);
      expect(manifest.version).to.match(/^\d+\.\d+\.\d+$/);
    });

    it('prefers --app-id over the environment and fails with exit 1 on an invalid one', async () => {
      const c = captureIo();
      expect(
        await teamsCommand.run(
          ['package', '--host', 'https://bot.example.org', '--app-id', 'nope', '--out', path.join(dir, 'x.zip')],
          { ...c.io, env: { MicrosoftAppId: BOT } },
        ),
      ).to.equal(1);
      expect(c.err()).to.contain("app id 'nope' is not a GUID");
    });

    it('is a usage error without an app id, without --host, or with an unknown option', async () => {
      const c = captureIo();
      await expectUsage(teamsCommand.run(['package', '--host', 'https://x.example'], c.io), /MicrosoftAppId/);
      await expectUsage(teamsCommand.run(['package'], { ...c.io, env: { MicrosoftAppId: BOT } }), /--host/);
      await expectUsage(teamsCommand.run(['package', '--hots', 'x'], c.io), /hots/);
      await expectUsage(teamsCommand.run(['pack'], c.io), /unknown subcommand 'pack'/);
    });
  });
});

async function expectUsage(run: Promise<number>, message: RegExp): Promise<void> {
  try {
    await run;
  } catch (err) {
    expect(err).to.be.instanceOf(UsageError);
    expect((err as Error).message).to.match(message);
    return;
  }
  throw new Error('expected a UsageError');
}
