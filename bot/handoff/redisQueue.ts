/**
 * The handoff queue on Redis, shared by every kefu instance. Each entry is a hash
 * `<prefix>hq:e:<caseId>`; sorted sets index it: `hq:w:<team>` (waiting cases in service order,
 * all at score 0 so members sort by their `rank` string: priority 1 (most urgent) first, then
 * the first-response deadline, then insertion order), `hq:unanswered` (claims not yet answered, by claim time), `hq:due:<kind>`
 * (SLA due times not yet flagged) and `hq:all` (every entry, by insertion order).
 *
 * Every change is one Lua script, so it is atomic across instances: of two agents claiming one
 * case on two instances, exactly one sees `waiting` and wins. Scripts build key names from the
 * prefix, so (like RedisStorage) this needs a single Redis primary, not Redis Cluster.
 */
import type { Redis } from 'ioredis';
import type { HandoffQueue, NewQueueEntry, QueueEntry, SlaKind } from '../../domain/handoff/types.js';

const ENQUEUE = `
local p, id = ARGV[1], ARGV[2]
local k = p .. 'e:' .. id
if redis.call('EXISTS', k) == 1 then return redis.call('HGETALL', k) end
local seq = redis.call('INCR', p .. 'seq')
local rank = ARGV[9] .. string.format('%012d', seq) .. '|' .. id
redis.call('HSET', k, 'caseId', id, 'team', ARGV[3], 'priority', ARGV[4], 'reason', ARGV[5], 'enqueuedAt', ARGV[6],
  'seq', seq, 'state', 'waiting', 'answered', '0', 'firstResponseDue', ARGV[7], 'resolutionDue', ARGV[8],
  'breaches', '', 'reassignments', '0', 'rank', rank)
redis.call('ZADD', p .. 'all', seq, id)
redis.call('SADD', p .. 'teams', ARGV[3])
redis.call('ZADD', p .. 'w:' .. ARGV[3], 0, rank)
redis.call('ZADD', p .. 'due:first_response', ARGV[7], id)
redis.call('ZADD', p .. 'due:resolution', ARGV[8], id)
return redis.call('HGETALL', k)
`;

const CLAIM = `
local p, id = ARGV[1], ARGV[2]
local k = p .. 'e:' .. id
if redis.call('HGET', k, 'state') ~= 'waiting' then return nil end
redis.call('ZREM', p .. 'w:' .. redis.call('HGET', k, 'team'), redis.call('HGET', k, 'rank'))
redis.call('HSET', k, 'state', 'assigned', 'agent', ARGV[3], 'assignedAt', ARGV[4], 'answered', '0')
redis.call('HDEL', k, 'lastPosition')
redis.call('ZADD', p .. 'unanswered', ARGV[4], id)
return redis.call('HGETALL', k)
`;

const ANSWERED = `
local p, id = ARGV[1], ARGV[2]
local k = p .. 'e:' .. id
if redis.call('HGET', k, 'state') ~= 'assigned' then return 0 end
redis.call('HSET', k, 'answered', '1')
redis.call('ZREM', p .. 'unanswered', id)
if redis.call('HEXISTS', k, 'firstResponseAt') == 0 then
  redis.call('HSET', k, 'firstResponseAt', ARGV[3])
  redis.call('ZREM', p .. 'due:first_response', id)
end
return 1
`;

// The rank is kept, so a case taken back is offered again in its old place.
const RELEASE = `
local p, id = ARGV[1], ARGV[2]
local k = p .. 'e:' .. id
if redis.call('HGET', k, 'state') ~= 'assigned' then return nil end
redis.call('HSET', k, 'state', 'waiting', 'answered', '0')
redis.call('HDEL', k, 'agent', 'assignedAt')
redis.call('HINCRBY', k, 'reassignments', 1)
redis.call('ZREM', p .. 'unanswered', id)
redis.call('ZADD', p .. 'w:' .. redis.call('HGET', k, 'team'), 0, redis.call('HGET', k, 'rank'))
return redis.call('HGETALL', k)
`;

const POSITION = `
local p, id = ARGV[1], ARGV[2]
local k = p .. 'e:' .. id
if redis.call('HGET', k, 'state') ~= 'waiting' then return nil end
local r = redis.call('ZRANK', p .. 'w:' .. redis.call('HGET', k, 'team'), redis.call('HGET', k, 'rank'))
if not r then return nil end
return r + 1
`;

const SET_LAST_POSITION = `
local k = ARGV[1] .. 'e:' .. ARGV[2]
if redis.call('EXISTS', k) == 0 then return 0 end
redis.call('HSET', k, 'lastPosition', ARGV[3])
return 1
`;

const MARK_BREACH = `
local p, id, kind = ARGV[1], ARGV[2], ARGV[3]
local k = p .. 'e:' .. id
local b = redis.call('HGET', k, 'breaches')
if not b then return 0 end
redis.call('ZREM', p .. 'due:' .. kind, id)
if string.find(',' .. b .. ',', ',' .. kind .. ',', 1, true) then return 0 end
if b == '' then b = kind else b = b .. ',' .. kind end
redis.call('HSET', k, 'breaches', b)
return 1
`;

const REMOVE = `
local p, id = ARGV[1], ARGV[2]
local k = p .. 'e:' .. id
if redis.call('EXISTS', k) == 0 then return 0 end
redis.call('ZREM', p .. 'w:' .. redis.call('HGET', k, 'team'), redis.call('HGET', k, 'rank'))
redis.call('ZREM', p .. 'all', id)
redis.call('ZREM', p .. 'unanswered', id)
redis.call('ZREM', p .. 'due:first_response', id)
redis.call('ZREM', p .. 'due:resolution', id)
redis.call('DEL', k)
return 1
`;

type Fields = Record<string, string>;

/** Lua's HGETALL is a flat [field, value, ...] array; ioredis' own `hgetall` is an object. */
function fieldsOf(reply: unknown): Fields | undefined {
  if (Array.isArray(reply)) {
    if (reply.length === 0) return undefined;
    const out: Fields = {};
    for (let i = 0; i + 1 < reply.length; i += 2) out[String(reply[i])] = String(reply[i + 1]);
    return out;
  }
  if (reply !== null && typeof reply === 'object' && Object.keys(reply).length > 0) return reply as Fields;
  return undefined;
}

const int = (f: Fields, name: string): number => {
  const n = Number(f[name]);
  if (!Number.isFinite(n))
    throw new Error(`handoff queue entry ${f.caseId ?? '?'}: field '${name}' is '${f[name]}' (expected a number)`);
  return n;
};
const optInt = (f: Fields, name: string): number | undefined => (f[name] === undefined ? undefined : int(f, name));

function toEntry(f: Fields): QueueEntry {
  return {
    caseId: f.caseId!,
    team: f.team!,
    priority: int(f, 'priority'),
    reason: f.reason as QueueEntry['reason'],
    enqueuedAt: int(f, 'enqueuedAt'),
    seq: int(f, 'seq'),
    state: f.state === 'assigned' ? 'assigned' : 'waiting',
    agent: f.agent,
    assignedAt: optInt(f, 'assignedAt'),
    answered: f.answered === '1',
    firstResponseAt: optInt(f, 'firstResponseAt'),
    firstResponseDue: int(f, 'firstResponseDue'),
    resolutionDue: int(f, 'resolutionDue'),
    breaches: f.breaches ? (f.breaches.split(',') as SlaKind[]) : [],
    lastPosition: optInt(f, 'lastPosition'),
    reassignments: int(f, 'reassignments'),
  };
}

/** Waiting first, then priority (1 first), then the first-response deadline, then insertion order. */
function serviceOrder(a: QueueEntry, b: QueueEntry): number {
  return (
    (a.state === 'waiting' ? 0 : 1) - (b.state === 'waiting' ? 0 : 1) ||
    a.priority - b.priority ||
    a.firstResponseDue - b.firstResponseDue ||
    a.seq - b.seq
  );
}

/** The sortable head of a waiting member: strings compare like (priority asc, firstResponseDue asc). */
function rankPrefix(priority: number, firstResponseDue: number): string {
  const p = Math.max(0, Math.min(999_999, Math.round(priority)));
  return `${String(p).padStart(7, '0')}|${String(Math.max(0, firstResponseDue)).padStart(15, '0')}|`;
}

export class RedisHandoffQueue implements HandoffQueue {
  private readonly p: string;

  /** Keys go under `<prefix>hq:`, beside the conversation state under the same prefix. */
  constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    this.p = `${prefix}hq:`;
  }

  async enqueue(e: NewQueueEntry): Promise<QueueEntry> {
    const reply = await this.run(
      ENQUEUE,
      e.caseId,
      e.team,
      e.priority,
      e.reason,
      e.enqueuedAt,
      e.firstResponseDue,
      e.resolutionDue,
      rankPrefix(e.priority, e.firstResponseDue),
    );
    return toEntry(fieldsOf(reply)!);
  }

  async get(caseId: string): Promise<QueueEntry | undefined> {
    const f = fieldsOf(await this.redis.hgetall(this.key(caseId)));
    return f && toEntry(f);
  }

  async list(filter: { team?: string[]; state?: QueueEntry['state'] } = {}): Promise<QueueEntry[]> {
    const entries = await this.entries(await this.redis.zrange(`${this.p}all`, '0', '-1'));
    return entries
      .filter(
        (e) =>
          (filter.state === undefined || e.state === filter.state) &&
          (filter.team === undefined || filter.team.includes(e.team)),
      )
      .sort(serviceOrder);
  }

  async position(caseId: string): Promise<number | undefined> {
    const n = await this.run(POSITION, caseId);
    return n === null ? undefined : Number(n);
  }

  async positions(): Promise<Array<{ caseId: string; position: number; lastPosition?: number }>> {
    const teams = await this.redis.smembers(`${this.p}teams`);
    const out: Array<{ caseId: string; position: number; lastPosition?: number }> = [];
    for (const team of teams) {
      const ids = (await this.redis.zrange(`${this.p}w:${team}`, '0', '-1')).map((rank) =>
        rank.slice(rank.lastIndexOf('|') + 1),
      );
      if (ids.length === 0) continue;
      const pipeline = this.redis.pipeline();
      for (const id of ids) pipeline.hget(this.key(id), 'lastPosition');
      const last = (await pipeline.exec()) ?? [];
      ids.forEach((caseId, i) => {
        const value = last[i]?.[1];
        out.push({ caseId, position: i + 1, ...(typeof value === 'string' ? { lastPosition: Number(value) } : {}) });
      });
    }
    return out;
  }

  async setLastPosition(caseId: string, position: number): Promise<void> {
    await this.run(SET_LAST_POSITION, caseId, position);
  }

  async claim(caseId: string, agent: string, now: number): Promise<QueueEntry | undefined> {
    const f = fieldsOf(await this.run(CLAIM, caseId, agent, now));
    return f && toEntry(f);
  }

  async markAnswered(caseId: string, now: number): Promise<void> {
    await this.run(ANSWERED, caseId, now);
  }

  async release(caseId: string): Promise<QueueEntry | undefined> {
    const f = fieldsOf(await this.run(RELEASE, caseId));
    return f && toEntry(f);
  }

  async unanswered(assignedBefore: number): Promise<QueueEntry[]> {
    const ids = await this.redis.zrangebyscore(`${this.p}unanswered`, '-inf', `(${assignedBefore}`);
    return (await this.entries(ids)).filter((e) => e.state === 'assigned' && !e.answered);
  }

  async dueBreaches(now: number): Promise<Array<{ entry: QueueEntry; kind: SlaKind }>> {
    const out: Array<{ entry: QueueEntry; kind: SlaKind }> = [];
    for (const kind of ['first_response', 'resolution'] as const) {
      const ids = await this.redis.zrangebyscore(`${this.p}due:${kind}`, '-inf', `(${now}`);
      for (const entry of await this.entries(ids)) if (!entry.breaches.includes(kind)) out.push({ entry, kind });
    }
    return out;
  }

  async markBreach(caseId: string, kind: SlaKind): Promise<void> {
    await this.run(MARK_BREACH, caseId, kind);
  }

  async remove(caseId: string): Promise<boolean> {
    return Number(await this.run(REMOVE, caseId)) === 1;
  }

  async size(): Promise<number> {
    return this.redis.zcard(`${this.p}all`);
  }

  private key(caseId: string): string {
    return `${this.p}e:${caseId}`;
  }

  private async entries(ids: string[]): Promise<QueueEntry[]> {
    if (ids.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hgetall(this.key(id));
    const replies = (await pipeline.exec()) ?? [];
    const out: QueueEntry[] = [];
    for (const [err, reply] of replies) {
      if (err) throw err;
      // An entry removed between the index read and this one is simply gone.
      const f = fieldsOf(reply);
      if (f !== undefined) out.push(toEntry(f));
    }
    return out;
  }

  /** EVAL with the key prefix and case id as the first two arguments (Redis caches the script). */
  private run(script: string, caseId: string, ...args: Array<string | number>): Promise<unknown> {
    return this.redis.eval(script, 0, this.p, caseId, ...args.map(String));
  }
}
