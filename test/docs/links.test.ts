/**
 * Every relative link in README.md and docs/*.md resolves: the file exists inside the repository,
 * and a `#anchor` names a heading of the file it points at. Every `*.md` file the text names (in
 * prose or code) exists too, so no page cites a document the repository does not have, and so
 * does every repository path written as inline code (`dialogs/cards/index.ts`), so a page follows
 * a file when it moves.
 */
import { expect } from 'chai';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../support/kefuHarness.js';
import { anchors, links, proseLines, slug } from './markdown.js';

const DOCS = [
  'README.md',
  ...readdirSync(path.join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => `docs/${f}`),
];

interface Files {
  /** The file's text, or undefined when it does not exist; `rel` is relative to the repository. */
  read(rel: string): string | undefined;
  exists(rel: string): boolean;
}

const disk: Files = {
  read: (rel) => {
    const p = path.join(ROOT, rel);
    return existsSync(p) && statSync(p).isFile() ? readFileSync(p, 'utf8') : undefined;
  },
  exists: (rel) => existsSync(path.join(ROOT, rel)),
};

/** What is wrong with the links of one document (`file` relative to the repository), as messages. */
function linkProblems(file: string, markdown: string, files: Files): string[] {
  const problems: string[] = [];
  for (const { line, target } of links(markdown)) {
    if (/^[a-z][a-z+.-]*:/i.test(target)) continue; // https:, mailto:: not ours to check
    const where = `${file}:${line} → ${target}`;
    const hash = target.indexOf('#');
    const filePart = decodeURIComponent(hash < 0 ? target : target.slice(0, hash));
    const anchor = hash < 0 ? undefined : decodeURIComponent(target.slice(hash + 1));
    const rel = filePart === '' ? file : path.posix.normalize(path.posix.join(path.posix.dirname(file), filePart));
    if (rel.startsWith('..') || path.posix.isAbsolute(rel)) {
      problems.push(`${where}: points outside the repository`);
      continue;
    }
    if (!files.exists(rel.replace(/\/$/, '') || '.')) {
      problems.push(`${where}: no such file ${rel}`);
      continue;
    }
    if (anchor === undefined || anchor === '') continue;
    const text = files.read(rel);
    if (text === undefined || !rel.endsWith('.md')) {
      problems.push(`${where}: an anchor on a file that has no headings`);
      continue;
    }
    if (!anchors(text).has(anchor)) problems.push(`${where}: ${rel} has no heading with the anchor #${anchor}`);
  }
  return problems;
}

/** `*.md` names in the text (prose or code) that name no file of the repository. */
function citationProblems(file: string, markdown: string, files: Files): string[] {
  const problems: string[] = [];
  for (const [i, line] of markdown.split('\n').entries()) {
    for (const m of line.matchAll(/(?<![\w./-])((?:\.{1,2}\/|[\w-]+\/)*[\w.-]+\.md)\b/g)) {
      const name = m[1]!;
      const candidates = [path.posix.join(path.posix.dirname(file), name), name, `docs/${name}`].map((p) =>
        path.posix.normalize(p),
      );
      if (!candidates.some((c) => !c.startsWith('..') && files.exists(c)))
        problems.push(`${file}:${i + 1} names ${name}, which is not in the repository`);
    }
  }
  return problems;
}

const TOP = /^(?:bot|dialogs|domain|intents|rules|lib|data|test|docs|\.ci)\/[\w./-]*$/;

/** Repository paths written as inline code (`bot/kefuBot.ts`, `test/scale/`) that do not exist. */
function pathProblems(file: string, markdown: string, files: Files): string[] {
  const problems: string[] = [];
  for (const [i, line] of proseLines(markdown).entries())
    for (const m of line.matchAll(/`([^`\s]+)`/g)) {
      const p = m[1]!;
      if (!TOP.test(p) || /\.\.\./.test(p)) continue;
      if (!files.exists(p.replace(/\/$/, ''))) problems.push(`${file}:${i + 1} names ${p}, which does not exist`);
    }
  return problems;
}

describe('documentation links (README.md, docs/*.md)', () => {
  it('finds the documents and their links', () => {
    expect(DOCS).to.include('README.md');
    expect(DOCS.length).to.be.at.least(10);
    const readmeLinks = links(disk.read('README.md')!).filter((l) => !/^[a-z]+:/i.test(l.target));
    expect(readmeLinks.length, 'relative links in README.md').to.be.at.least(10);
  });

  for (const file of DOCS) {
    it(`${file}: every relative link and anchor resolves`, () => {
      expect(linkProblems(file, disk.read(file)!, disk)).to.deep.equal([]);
    });
    it(`${file}: every document it names is in the repository`, () => {
      expect(citationProblems(file, disk.read(file)!, disk)).to.deep.equal([]);
    });
    it(`${file}: every repository path it names in code exists`, () => {
      expect(pathProblems(file, disk.read(file)!, disk)).to.deep.equal([]);
    });
  }

  it('README.md stays a front door: at most 300 lines', () => {
    expect(disk.read('README.md')!.split('\n').length).to.be.at.most(300);
  });

  it('README.md links every page of docs/, and every page says near its top whom it is for', () => {
    const readme = links(disk.read('README.md')!).map((l) => l.target.split('#')[0]);
    const pages = DOCS.filter((f) => f.startsWith('docs/'));
    expect(
      pages.filter((f) => !readme.includes(f)),
      'pages README.md does not link',
    ).to.deep.equal([]);
    const top = (f: string) => disk.read(f)!.split('\n').slice(0, 6).join('\n');
    const noAudience = pages.filter((f) => !/^\*For [^*]+\*/m.test(top(f)));
    expect(noAudience, 'pages without a "*For …*" line under the title').to.deep.equal([]);
  });

  it('makes anchors the way GitHub does (case, punctuation, code, repeats)', () => {
    expect(slug('The `kefu` command')).to.equal('the-kefu-command');
    expect(slug('`kefu serve [--port N]`')).to.equal('kefu-serve---port-n');
    expect(slug('Liveness and readiness')).to.equal('liveness-and-readiness');
    expect(slug('Net content tolerance (JJF 1070-2023)')).to.equal('net-content-tolerance-jjf-1070-2023');
    expect(slug('WeChat customer service (微信客服) through WeCom')).to.equal(
      'wechat-customer-service-微信客服-through-wecom',
    );
    expect([...anchors('# A\n\n## Tests\n\n```sh\n# not a heading\n```\n\n## Tests\n')]).to.deep.equal([
      'a',
      'tests',
      'tests-1',
    ]);
  });

  it('reports a missing file, a missing anchor, a link outside the repository and a cited file that is not there', () => {
    const fake: Files = {
      read: (rel) => (rel === 'docs/a.md' ? '# A\n\n## Good part\n' : undefined),
      exists: (rel) => rel === 'docs/a.md' || rel === 'docs',
    };
    const md = [
      'See [a](a.md#good-part), [b](b.md), [bad anchor](a.md#bad-part), [up](../../x.md),',
      '[web](https://example.com/x.md#y) and `CONTRACT.md`; a link in code: `[no](none.md)`.',
      '',
      '```text',
      '[also code](nowhere.md)',
      '```',
    ].join('\n');
    expect(linkProblems('docs/z.md', md, fake)).to.deep.equal([
      'docs/z.md:1 → b.md: no such file docs/b.md',
      'docs/z.md:1 → a.md#bad-part: docs/a.md has no heading with the anchor #bad-part',
      'docs/z.md:1 → ../../x.md: points outside the repository',
    ]);
    expect(citationProblems('docs/z.md', md, fake)).to.deep.equal([
      'docs/z.md:1 names b.md, which is not in the repository',
      'docs/z.md:1 names ../../x.md, which is not in the repository',
      'docs/z.md:2 names CONTRACT.md, which is not in the repository',
      'docs/z.md:2 names none.md, which is not in the repository',
      'docs/z.md:5 names nowhere.md, which is not in the repository',
    ]);
    const paths =
      'The cards: `bot/cards/index.ts`, now `docs/a.md`; not paths: `data/intents/train/<lang>.yaml`, `test/**/*.ts`.';
    expect(pathProblems('docs/z.md', paths, fake)).to.deep.equal([
      'docs/z.md:1 names bot/cards/index.ts, which does not exist',
    ]);
  });
});
