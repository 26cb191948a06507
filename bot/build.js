/**
 * The build: esbuild bundles the TypeScript sources, from the `kefu` command's entry point
 * (`bot/cli/main.ts`), into a few ES modules in dist/, together with the JavaScript packages they
 * import. A few files instead of thousands spare Node.js a file lookup, a read and a compile per
 * module, most of the cost of loading botbuilder and the rest. Each subcommand's `import()` stays a separate
 * module, so `kefu classify` still never loads the bot server. It takes about a second; types are
 * checked by `npm run typecheck` (tsc), not here. `npm run build` runs it; `bot/kefu.js` runs it
 * first when dist/ is missing or older than a source, so a start after a pull, an edit or an
 * `npm install` runs what the sources and the installed packages say.
 *
 * "Older" compares modification times: the newest `.ts` source (test files and the folders in
 * NOT_SOURCES left out), this file, tsconfig.json, package.json, package-lock.json (the bundled
 * packages' versions) and the precompiled schema against a stamp written after each successful
 * build, dated when that build started. That costs a few milliseconds per start. A lock folder
 * keeps processes started together (several `kefu serve` on one machine) from building at once.
 */
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Where the build goes. */
export const OUT_DIR = path.join(ROOT, 'dist');
/** Top-level folders that hold no sources of the build. */
const NOT_SOURCES = new Set(['node_modules', 'dist', 'test', 'var', 'data', 'docs']);
/** Files whose change makes the build out of date, besides the sources. */
const INPUTS = ['bot/build.js', 'tsconfig.json', 'package.json', 'package-lock.json', 'data/rules.schema.json'];
/**
 * Packages left out of the bundle and loaded from node_modules at run time: native addons
 * (a `.node` binary cannot be bundled), the optional Redis and PostgreSQL clients (imported only
 * when configured), packages kefu only locates (the Web Chat bundle it serves) and two whose
 * loading a bundle would change (dotenv's exports when imported lazily; `open`, which finds a
 * script beside its own file).
 */
const EXTERNAL = [
  'better-sqlite3',
  '@node-rs/jieba',
  'pg',
  'ioredis',
  'dtrace-provider',
  'botframework-webchat',
  'dotenv',
  'open',
];
/** A bundled CommonJS package calling `require` at run time (a computed name, `require.resolve`) gets Node's. */
const BANNER =
  'import { createRequire as __kefuRequire } from "node:module"; const require = __kefuRequire(import.meta.url);';
/**
 * JSON Schema files compiled ahead of time into standalone validators in dist/validators/, with the
 * options and the file naming of `schemaFileValidator` in lib/dataFile.ts (a mismatch only means
 * the schema is compiled at start, as without a build).
 */
const SCHEMA_FILES = ['data/rules.schema.json'];
const AJV_OPTIONS = { allErrors: true, allowUnionTypes: true, verbose: true, strict: false };
/** A build that has held the lock this long was killed: the next start takes over. */
const STALE_LOCK_MS = 10 * 60_000;

export class BuildError extends Error {}

/** esbuild, or undefined in an install without development dependencies. */
async function findEsbuild() {
  try {
    return await import('esbuild');
  } catch {
    return undefined;
  }
}

/** The modification time of the newest source the build compiles (and of the build's other inputs). */
export function newestSource() {
  let newest = 0;
  for (const input of INPUTS)
    newest = Math.max(newest, statSync(path.join(ROOT, input), { throwIfNoEntry: false })?.mtimeMs ?? 0);
  const consider = (dir, name) => {
    if (name.endsWith('.ts') && !name.endsWith('.test.ts'))
      newest = Math.max(newest, statSync(path.join(dir, name)).mtimeMs);
  };
  for (const top of readdirSync(ROOT, { withFileTypes: true })) {
    if (top.isFile()) consider(ROOT, top.name);
    if (!top.isDirectory() || top.name.startsWith('.') || NOT_SOURCES.has(top.name)) continue;
    for (const entry of readdirSync(path.join(ROOT, top.name), { withFileTypes: true, recursive: true })) {
      if (entry.isFile()) consider(entry.parentPath, entry.name);
    }
  }
  return newest;
}

/** The compiled module for a source path such as `bot/cli/main.js`, as an import specifier. */
export function compiled(relative) {
  return pathToFileURL(path.join(OUT_DIR, relative)).href;
}

const STAMP = path.join(OUT_DIR, '.kefu-built');

/** Whether dist/ was built after the last change to any source. */
export function isCurrent() {
  const built = statSync(STAMP, { throwIfNoEntry: false })?.mtimeMs;
  return built !== undefined && built >= newestSource();
}

/** Bundles the sources into dist/; esbuild's messages go to stderr, so a command's stdout stays its own. */
export async function build() {
  const esbuild = await findEsbuild();
  if (esbuild === undefined) {
    throw new BuildError(
      `esbuild is not installed, so the sources cannot be compiled to ${path.relative(ROOT, OUT_DIR)}/ ` +
        '(run `npm install` with the development dependencies, or `npm run build` where they are installed)',
    );
  }
  const started = new Date();
  rmSync(OUT_DIR, { recursive: true, force: true });
  try {
    await esbuild.build({
      absWorkingDir: ROOT,
      entryPoints: ['bot/cli/main.ts'],
      outbase: '.',
      outdir: OUT_DIR,
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      external: EXTERNAL,
      banner: { js: BANNER },
      // A new id each build: names lib/startCache.ts's entries, so a new build never reads an old one.
      define: { KEFU_BUILD_ID: JSON.stringify(randomUUID()) },
      chunkNames: 'chunks/[name]-[hash]',
      sourcemap: 'linked',
      logLevel: 'error',
    });
  } catch (err) {
    throw new BuildError(`the build failed (esbuild: ${err.message.split('\n')[0]})`);
  }
  await precompileSchemas();
  writeFileSync(STAMP, `${started.toISOString()}\n`);
  utimesSync(STAMP, started, started);
}

/** Each of SCHEMA_FILES as a CommonJS module exporting ajv's validator for it (`ajv/dist/standalone`). */
async function precompileSchemas() {
  const { Ajv } = await import('ajv');
  const { default: standalone } = await import('ajv/dist/standalone/index.js');
  const dir = path.join(OUT_DIR, 'validators');
  mkdirSync(dir, { recursive: true });
  for (const file of SCHEMA_FILES) {
    const text = readFileSync(path.join(ROOT, file), 'utf8');
    const ajv = new Ajv({ ...AJV_OPTIONS, code: { source: true } });
    const code = standalone(ajv, ajv.compile(JSON.parse(text)));
    const hash = createHash('sha256').update(JSON.stringify(AJV_OPTIONS)).update('\0').update(text);
    writeFileSync(path.join(dir, `${hash.digest('hex').slice(0, 24)}.cjs`), `// ${file}\n${code}`);
  }
}

/** Runs `fn` holding the build lock, waiting while another process holds it. */
export async function withBuildLock(fn) {
  const lock = `${OUT_DIR}.lock`;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
    }
    const since = statSync(lock, { throwIfNoEntry: false })?.mtimeMs;
    if (since !== undefined && Date.now() - since > STALE_LOCK_MS) rmSync(lock, { recursive: true, force: true });
    else await new Promise((resolve) => setTimeout(resolve, 200));
  }
  try {
    return await fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/**
 * Builds when dist/ is missing or out of date; says so on stderr. Without esbuild installed
 * (a production install without development dependencies) an existing build is used as it is.
 */
export async function ensureBuilt() {
  if (isCurrent()) return;
  await withBuildLock(async () => {
    if (isCurrent()) return; // another process built while this one waited
    if (existsSync(STAMP) && (await findEsbuild()) === undefined) {
      process.stderr.write(
        'kefu: sources are newer than the build, and esbuild is not installed: running the build as it is\n',
      );
      return;
    }
    const started = Date.now();
    process.stderr.write(`kefu: compiling the sources to ${path.relative(ROOT, OUT_DIR)}/ (esbuild)…\n`);
    await build();
    process.stderr.write(`kefu: built in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  });
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  try {
    await withBuildLock(build);
  } catch (err) {
    process.stderr.write(`build: ${err.message}\n`);
    process.exitCode = 1;
  }
}
