/**
 * Start-up of `kefu serve`: from spawning the process to the first 200 from /readyz (the rule
 * table, the classifier and the stores loaded: ready for a turn), and the resident memory once it
 * has been idle for a moment. The baseline is the same command running
 * the TypeScript sources through tsx (KEFU_FROM_SOURCE=1, its compile cache warm); the floor is
 * a process that only loads the Bot Framework SDK (botbuilder, and the botbuilder-dialogs modules
 * kefu uses) and restify and answers /readyz, which is what no change in kefu can remove. Starts
 * are interleaved round by round, medians printed. The build's starts after the warm-up one read
 * the checked data files from dist/cache/, as every restart of a deployed build does.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from '../support/kefuHarness.js';
import { FROM_SOURCE, KEFU } from '../support/runKefu.js';
import { machine, writeBenchSection, writingDocs } from './docs.js';

interface Start {
  ms: number;
  /** CPU time the process used until then (user + system): less swayed by other load than wall time. */
  cpuMs: number;
  rssMb: number;
}

/** User + system CPU time of a running process, from /proc (clock ticks of 10 ms). */
function cpuMsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

const IDLE_MS = 2000;

/** The botbuilder-dialogs modules kefu loads: those dialogs/sdk.ts takes, not the package's index. */
const DIALOG_PARTS = [
  ...new Set(
    [...readFileSync(path.join(ROOT, 'dialogs', 'sdk.ts'), 'utf8').matchAll(/^export \{[^}]*\} from '([^']+)'/gm)].map(
      (m) => m[1]!,
    ),
  ),
];

/** Only what a Bot Framework bot on restify with kefu's dialog classes loads before it can answer. */
const FLOOR = `
import 'botbuilder';
${DIALOG_PARTS.map((m) => `import '${m}';`).join('\n')}
import restify from 'restify';
const server = restify.createServer();
server.get('/readyz', (req, res, next) => { res.send(200, { ok: true }); next(); });
server.listen(0, '127.0.0.1', () => console.log('listening on http://localhost:' + server.address().port + '/api/messages'));
`;

async function startOnce(args: string[], env: Record<string, string>): Promise<Start> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'kefu-bench-start-'));
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? os.tmpdir(),
      KEFU_DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let exited = false;
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const gone = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exited = true;
      resolve();
    }),
  );
  try {
    let ms: number | undefined;
    let cpuMs = 0;
    while (ms === undefined) {
      if (exited) throw new Error(`exited during start:\n${out}`);
      if (performance.now() - started > 120_000) throw new Error(`no /readyz in 120 s:\n${out}`);
      const port = /localhost:(\d+)\/api\/messages/.exec(out)?.[1];
      if (port !== undefined) {
        const res = await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined);
        await res?.arrayBuffer();
        if (res?.status === 200) {
          ms = performance.now() - started;
          cpuMs = cpuMsOf(child.pid!);
        }
      }
      if (ms === undefined) await new Promise((r) => setTimeout(r, 5));
    }
    await new Promise((r) => setTimeout(r, IDLE_MS));
    const rss = Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1]) / 1024;
    return { ms, cpuMs, rssMb: rss };
  } finally {
    child.kill('SIGTERM');
    await gone;
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

export default async (): Promise<void> => {
  const rounds = Number(process.env.BENCH_STARTUP_ROUNDS ?? 5);
  const build = spawnSync(process.execPath, [path.join(ROOT, 'bot', 'build.js')], { cwd: ROOT, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`npm run build failed:\n${build.stdout}${build.stderr}`);

  const variants = [
    { name: 'tsx (sources, before)', args: [KEFU, 'serve', '--port', '0'], env: { ...FROM_SOURCE } },
    { name: 'compiled (dist/)', args: [KEFU, 'serve', '--port', '0'], env: {} },
    {
      name: 'SDK floor (botbuilder, its dialogs as kefu loads them, restify)',
      args: ['--input-type=module', '-e', FLOOR],
      env: {},
    },
  ];
  for (const v of variants) await startOnce(v.args, v.env); // warm-up: tsx's cache, the OS file cache
  const results = variants.map(() => [] as Start[]);
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 === 0 ? [0, 1, 2] : [2, 1, 0];
    for (const i of order) results[i]!.push(await startOnce(variants[i]!.args, variants[i]!.env));
  }

  const ms = results.map((rs) => median(rs.map((s) => s.ms)));
  const fastest = results.map((rs) => Math.min(...rs.map((s) => s.ms)));
  const cpu = results.map((rs) => median(rs.map((s) => s.cpuMs)));
  const rss = results.map((rs) => median(rs.map((s) => s.rssMb)));
  console.log(`kefu serve: spawn to the first 200 from /readyz (median and fastest of ${rounds} interleaved`);
  console.log(
    `starts), the CPU time that took, and the resident memory ${IDLE_MS / 1000} s later; ratios to the tsx start`,
  );
  const head = ['wall', 'fastest', 'CPU', 'idle RSS'].map((h) => h.padStart(15)).join('');
  console.log(`  ${''.padEnd(62)}${head}`);
  variants.forEach((v, i) => {
    const cell = (value: number, base: number, unit: string) =>
      `${Math.round(value)} ${unit}${i === 0 ? '' : ` ${(value / base).toFixed(2)}x`}`.padStart(15);
    const cells = [cell(ms[i]!, ms[0]!, 'ms'), cell(fastest[i]!, fastest[0]!, 'ms'), cell(cpu[i]!, cpu[0]!, 'ms')];
    console.log(`  ${v.name.padEnd(62)}${cells.join('')}${cell(rss[i]!, rss[0]!, 'MB')}`);
  });
  const own = `${Math.round(ms[1]! - ms[2]!)} ms wall, ${Math.round(cpu[1]! - cpu[2]!)} ms CPU`;
  console.log(`  compiled minus the SDK floor: ${own} of kefu's own start-up`);
  if (!writingDocs()) return;
  const num = (n: number) => Math.round(n).toLocaleString('en-US');
  const docCell = (values: number[], i: number, unit: string) =>
    `${num(values[i]!)} ${unit}${i === 0 ? '' : ` (${(values[i]! / values[0]!).toFixed(2)}×)`}`;
  writeBenchSection('startup', [
    machine(),
    '',
    `Median and fastest of ${rounds} interleaved starts; ratios to the tsx start.`,
    '',
    '| variant | wall (median) | fastest | CPU | idle RSS |',
    '|---|---:|---:|---:|---:|',
    ...variants.map(
      (v, i) =>
        `| ${v.name} | ${docCell(ms, i, 'ms')} | ${docCell(fastest, i, 'ms')} | ${docCell(cpu, i, 'ms')} | ${docCell(rss, i, 'MB')} |`,
    ),
    '',
    `The build minus the SDK floor: ${own} of kefu's own start-up.`,
  ]);
};
