/**
 * A load client in its own process, so the server under test has the event loop to itself:
 * `CONNECTIONS` keep-alive connections, each posting `count / CONNECTIONS` activities to
 * `/api/messages` with `expectReplies`, every one in a new conversation (a first turn). Reads a
 * JSON job on stdin and prints one JSON line: latencies in ms, wall time, errors (a status other
 * than 200, a body without activities, or a reply refused with `channelData.refused`).
 *
 * Run by `conversation.bench.ts` as `node --import tsx test/bench/loadClient.ts`.
 */
import http from 'node:http';

export interface LoadJob {
  url: string;
  /** The activity to post; `conversation.id` is replaced by `<prefix>-<n>`. */
  activity: Record<string, unknown>;
  prefix: string;
  count: number;
  connections: number;
}

export interface LoadResult {
  latencies: number[];
  wallMs: number;
  errors: number;
}

async function run(job: LoadJob): Promise<LoadResult> {
  const target = new URL('/api/messages', job.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: job.connections });
  const latencies: number[] = [];
  let errors = 0;
  const post = (body: string) =>
    new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = http.request(
        target,
        {
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: job.connections }, async () => {
      for (let n = next++; n < job.count; n = next++) {
        const body = JSON.stringify({ ...job.activity, id: 'a0', conversation: { id: `${job.prefix}-${n}` } });
        const t0 = performance.now();
        try {
          const res = await post(body);
          latencies.push(performance.now() - t0);
          const parsed =
            res.status === 200
              ? (JSON.parse(res.text) as { activities?: { channelData?: { refused?: unknown } }[] })
              : {};
          const replies = parsed.activities ?? [];
          if (res.status !== 200 || replies.length === 0 || replies.some((a) => a.channelData?.refused !== undefined))
            errors++;
        } catch {
          latencies.push(performance.now() - t0);
          errors++;
        }
      }
    }),
  );
  agent.destroy();
  return { latencies, wallMs: performance.now() - started, errors };
}

const chunks: Buffer[] = [];
for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
const result = await run(JSON.parse(Buffer.concat(chunks).toString('utf8')) as LoadJob);
process.stdout.write(`${JSON.stringify(result)}\n`);
