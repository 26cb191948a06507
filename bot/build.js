/**
 * The build: `tsc -p tsconfig.build.json` compiles the TypeScript sources to JavaScript in dist/
 * (incremental, so a rebuild after a small change takes seconds). `npm run build` runs it;
 * `bot/kefu.js` runs it first when dist/ is missing or older than a source, so a start after a
 * pull or an edit runs what the sources say.
 *
 * "Older" compares modification times: the newest `.ts` source (test files and the folders
 * tsconfig.build.json excludes left out) against a stamp written after each successful build,
 * dated when that build started. That costs a few milliseconds per start. A lock folder keeps
 * processes started together (several `kefu serve` on one machine) from building at once.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CONFIG = path.join(ROOT, 'tsconfig.build.json');
/** A build that has held the lock this long was killed: the next start takes over. */
const STALE_LOCK_MS = 10 * 60_000;

export class BuildError extends Error {}

let config;

/** What tsconfig.build.json says about where output goes and which top-level folders are not sources. */
function buildConfig() {
  if (config === undefined) {
    const json = JSON.parse(readFileSync(CONFIG, 'utf8'));
    const outDir = path.resolve(ROOT, json.compilerOptions.outDir);
    const skip = new Set((json.exclude ?? []).filter((e) => !e.includes('*') && !e.includes('/')));
    skip.add(path.relative(ROOT, outDir));
    config = { outDir, skip };
  }
  return config;
}

/** The TypeScript compiler, or undefined in an install without development dependencies. */
function findTsc() {
  try {
    return createRequire(import.meta.url).resolve('typescript/bin/tsc');
  } catch {
    return undefined;
  }
}

/** The modification time of the newest source the build compiles (and of the build's own config). */
export function newestSource(skip = buildConfig().skip) {
  let newest = Math.max(statSync(CONFIG).mtimeMs, statSync(path.join(ROOT, 'tsconfig.json')).mtimeMs);
  const consider = (dir, name) => {
    if (name.endsWith('.ts') && !name.endsWith('.test.ts'))
      newest = Math.max(newest, statSync(path.join(dir, name)).mtimeMs);
  };
  for (const top of readdirSync(ROOT, { withFileTypes: true })) {
    if (top.isFile()) consider(ROOT, top.name);
    if (!top.isDirectory() || top.name.startsWith('.') || skip.has(top.name)) continue;
    for (const entry of readdirSync(path.join(ROOT, top.name), { withFileTypes: true, recursive: true })) {
      if (entry.isFile()) consider(entry.parentPath, entry.name);
    }
  }
  return newest;
}

/** The compiled module for a source path such as `bot/cli/main.js`, as an import specifier. */
export function compiled(relative) {
  return pathToFileURL(path.join(buildConfig().outDir, relative)).href;
}

function stampFile(outDir) {
  return path.join(outDir, '.kefu-built');
}

/** Whether dist/ was built after the last change to any source. */
export function isCurrent() {
  const { outDir, skip } = buildConfig();
  const built = statSync(stampFile(outDir), { throwIfNoEntry: false })?.mtimeMs;
  return built !== undefined && built >= newestSource(skip);
}

/** Compiles the sources into dist/; tsc's messages go to stderr, so a command's stdout stays its own. */
export function build() {
  const { outDir } = buildConfig();
  const tsc = findTsc();
  if (tsc === undefined) {
    throw new BuildError(
      `TypeScript is not installed, so the sources cannot be compiled to ${path.relative(ROOT, outDir)}/ ` +
        '(run `npm install` with the development dependencies, or `npm run build` where they are installed)',
    );
  }
  const started = new Date();
  const run = spawnSync(process.execPath, [tsc, '-p', CONFIG], { cwd: ROOT, stdio: ['ignore', 2, 2] });
  if (run.status !== 0) {
    throw new BuildError(
      `the build failed (tsc -p tsconfig.build.json: ${run.error?.message ?? `exit ${run.status}`})`,
    );
  }
  mkdirSync(outDir, { recursive: true });
  writeFileSync(stampFile(outDir), `${started.toISOString()}\n`);
  utimesSync(stampFile(outDir), started, started);
}

/** Runs `fn` holding the build lock, waiting while another process holds it. */
export async function withBuildLock(fn) {
  const lock = `${buildConfig().outDir}.lock`;
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
    return fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/**
 * Builds when dist/ is missing or out of date; says so on stderr. Without TypeScript installed
 * (a production install without development dependencies) an existing build is used as it is.
 */
export async function ensureBuilt() {
  if (isCurrent()) return;
  await withBuildLock(() => {
    if (isCurrent()) return; // another process built while this one waited
    const { outDir } = buildConfig();
    if (existsSync(stampFile(outDir)) && findTsc() === undefined) {
      process.stderr.write(
        'kefu: sources are newer than the build, and TypeScript is not installed: running the build as it is\n',
      );
      return;
    }
    const started = Date.now();
    process.stderr.write(
      `kefu: compiling the sources to ${path.relative(ROOT, outDir)}/ (tsc -p tsconfig.build.json)…\n`,
    );
    build();
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
