/**
 * Runs generated hostile requests against a real kefu (in this process, on an ephemeral port) and
 * then checks that nothing broke: no 5xx, no uncaught errors, no failed turns, no polluted
 * prototypes, every stored case still readable, and a conversation left waiting before the run
 * ("the canary") continues at the step it was at. Used by `npm run fuzz` and by the mocha test.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGenerator, type FuzzCase } from './generator.js';
import { startHarness } from '../support/kefuHarness.js';
import { captureLog } from '../security/logCapture.js';

export interface FuzzReport {
  seed: number;
  cases: number;
  /** `501 invoke`: the Bot Framework protocol's answer to an invoke the bot does not implement (Teams expects it). */
  status: Record<'2xx' | '3xx' | '4xx' | '5xx' | '501 invoke' | 'no answer', number>;
  byKind: Record<string, number>;
  crashes: number;
  turnErrors: number;
  failures: { kind: string; status: number | string; detail: string }[];
  checks: { name: string; ok: boolean; detail?: string }[];
}

const CANARY = 'fuzz-canary';

export async function runFuzz(options: { cases: number; seed: number; concurrency?: number }): Promise<FuzzReport> {
  const report: FuzzReport = { seed: options.seed, cases: 0, status: { '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0, '501 invoke': 0, 'no answer': 0 }, byKind: {}, crashes: 0, turnErrors: 0, failures: [], checks: [] };
  const onCrash = (err: unknown) => {
    report.crashes += 1;
    report.failures.push({ kind: 'crash', status: 'uncaught', detail: String(err instanceof Error ? err.stack : err).slice(0, 500) });
  };
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);
  // Stands in for the channel: replies to activities without expectReplies are POSTed here.
  const channel = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"id":"sink"}');
    });
  });
  await new Promise<void>((r) => channel.listen(0, '127.0.0.1', r));
  const serviceUrl = `http://127.0.0.1:${(channel.address() as AddressInfo).port}/`;
  const captured = captureLog('error');
  const h = await startHarness({ RATE_LIMIT_CONVERSATION: '0', RATE_LIMIT_ADDRESS: '0' }, { log: captured.log });
  try {
    const before = await h.say(CANARY, 'u-lihua', { text: '洗发水瓶子破了，漏了一箱' });
    if (before.at(-1)?.channelData?.prompt?.slot !== 'order_id') throw new Error('the canary conversation did not reach the order question');
    const dl = (await (await fetch(`${h.app.url}/v3/directline/conversations`, { method: 'POST' })).json()) as { conversationId: string; token: string };
    const next = createGenerator(options.seed, CANARY, serviceUrl);
    const fill = (s: string) => s.replaceAll('{conv}', dl.conversationId).replaceAll('{token}', dl.token);

    const one = async (c: FuzzCase) => {
      report.byKind[c.kind] = (report.byKind[c.kind] ?? 0) + 1;
      let status: number | 'no answer';
      try {
        const headers = Object.fromEntries(Object.entries(c.headers).map(([k, v]) => [k, fill(v)]));
        const res = await fetch(`${h.app.url}${fill(c.path)}`, { method: c.method, headers, body: c.body ? new Uint8Array(c.body) : undefined, signal: AbortSignal.timeout(20_000) });
        await res.arrayBuffer();
        status = res.status;
      } catch (err) {
        status = 'no answer';
        report.failures.push({ kind: c.kind, status, detail: (err as Error).message });
      }
      report.cases += 1;
      const unknownInvoke = status === 501 && c.path === '/api/messages' && c.body?.includes('"type":"invoke"') === true;
      const bucket = status === 'no answer' ? 'no answer' : unknownInvoke ? '501 invoke' : (`${Math.floor(status / 100)}xx` as keyof FuzzReport['status']);
      report.status[bucket] = (report.status[bucket] ?? 0) + 1;
      if (typeof status === 'number' && status >= 500 && !unknownInvoke) report.failures.push({ kind: c.kind, status, detail: `${c.method} ${c.path.slice(0, 80)} ${c.body?.subarray(0, 160).toString() ?? ''}` });
      if (c.mustRefuse && typeof status === 'number' && (status < 400 || status >= 500)) report.failures.push({ kind: c.kind, status, detail: 'a broken request to the canary conversation was not refused' });
    };
    const queue = Array.from({ length: options.cases }, () => next());
    const workers = Array.from({ length: options.concurrency ?? 8 }, async () => {
      for (let c = queue.shift(); c; c = queue.shift()) await one(c);
    });
    await Promise.all(workers);

    const check = async (name: string, test: () => Promise<string | true>) => {
      try {
        const result = await test();
        report.checks.push(result === true ? { name, ok: true } : { name, ok: false, detail: result });
      } catch (err) {
        report.checks.push({ name, ok: false, detail: (err as Error).message });
      }
    };
    await check('no prototype pollution', async () => {
      const probe = {} as Record<string, unknown>;
      return probe.polluted === undefined && probe.isAdmin === undefined ? true : 'Object.prototype gained keys';
    });
    await check('health check answers', async () => ((await fetch(`${h.app.url}/healthz`)).status === 200 ? true : 'healthz not 200'));
    await check('every stored case is readable', async () => {
      const cases = await h.app.stores.cases.list();
      return cases.every((c) => typeof c.id === 'string' && Array.isArray(c.transcript)) ? true : 'a case lost its shape';
    });
    await check('the canary conversation continues at its step', async () => {
      const replies = await h.say(CANARY, 'u-lihua', { text: '284716350192837465' });
      const slot = replies.at(-1)?.channelData?.prompt?.slot;
      return slot === 'photo_item' ? true : `expected the photo_item question, got ${slot} (${replies.map((r) => r.text).join(' / ')})`;
    });
    await check('a new conversation works', async () => {
      const replies = await h.say('fuzz-after', 'u-zhangwei', { text: '牛奶过期了' });
      return replies.some((r) => r.channelData?.prompt) ? true : 'no question asked';
    });
    await check('Direct Line still delivers', async () => {
      const res = await fetch(`${h.app.url}/v3/directline/conversations/${dl.conversationId}/activities`, { method: 'POST', headers: { authorization: `Bearer ${dl.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ type: 'message', from: { id: 'dl-user' }, text: '你好' }) });
      return res.status === 200 ? true : `status ${res.status}`;
    });
  } finally {
    await h.close();
    await new Promise<void>((r) => {
      channel.close(() => r());
      channel.closeAllConnections();
    });
    process.off('uncaughtException', onCrash);
    process.off('unhandledRejection', onCrash);
  }
  const turnFailures = captured.lines().filter((l) => l.includes('turn failed'));
  report.turnErrors = turnFailures.length;
  for (const line of turnFailures.slice(0, 5)) report.failures.push({ kind: 'turn failed', status: 'logged', detail: line.slice(0, 600) });
  return report;
}

export function formatReport(r: FuzzReport): string {
  const lines = [
    `fuzz seed ${r.seed}: ${r.cases} cases`,
    `  responses: 2xx ${r.status['2xx']} · 3xx ${r.status['3xx']} · 4xx ${r.status['4xx']} · 5xx ${r.status['5xx']} · no answer ${r.status['no answer']}`,
    `  501 to unknown invoke activities (Bot Framework protocol, not an error): ${r.status['501 invoke']}`,
    `  crashes (uncaught): ${r.crashes} · failed turns: ${r.turnErrors}`,
    '  state checks:',
    ...r.checks.map((c) => `    ${c.ok ? 'ok  ' : 'FAIL'} ${c.name}${c.detail ? `: ${c.detail}` : ''}`),
    '  cases by kind:',
    ...Object.entries(r.byKind).sort((a, b) => b[1] - a[1]).map(([k, n]) => `    ${String(n).padStart(6)}  ${k}`),
  ];
  if (r.failures.length > 0) lines.push(`  failures (${r.failures.length}, first 10):`, ...r.failures.slice(0, 10).map((f) => `    [${f.status}] ${f.kind}: ${f.detail}`));
  return lines.join('\n');
}
