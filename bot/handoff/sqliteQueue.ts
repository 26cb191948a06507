/**
 * The embedded handoff queue: one table in the bot's SQLite file, so waiting cases and live
 * assignments survive a restart. Service order is priority (1, the most urgent, first), then the
 * first-response deadline, then insertion order. Each method is one statement or transaction.
 */
import type { Database, Statement } from 'better-sqlite3';
import { committed } from '../store/groupCommit.js';
import { migrateSqlite } from '../store/sqliteDb.js';
import type { HandoffQueue, NewQueueEntry, QueueEntry, SlaKind } from '../../domain/handoff/types.js';

interface Row {
  case_id: string;
  team: string;
  priority: number;
  reason: QueueEntry['reason'];
  enqueued_at: number;
  seq: number;
  state: QueueEntry['state'];
  agent: string | null;
  assigned_at: number | null;
  answered: number;
  first_response_at: number | null;
  first_response_due: number;
  resolution_due: number;
  breaches: string;
  last_position: number | null;
  reassignments: number;
}

/** Append-only migration steps (see `migrateSqlite`): never edit a shipped step, add one. */
const MIGRATIONS = [
  `
CREATE TABLE handoff_queue (
  case_id TEXT PRIMARY KEY,
  team TEXT NOT NULL,
  priority INTEGER NOT NULL,
  reason TEXT NOT NULL,
  enqueued_at INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('waiting', 'assigned')),
  agent TEXT,
  assigned_at INTEGER,
  answered INTEGER NOT NULL DEFAULT 0,
  first_response_at INTEGER,
  first_response_due INTEGER NOT NULL,
  resolution_due INTEGER NOT NULL,
  breaches TEXT NOT NULL DEFAULT '',
  last_position INTEGER,
  reassignments INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX handoff_queue_order ON handoff_queue (state, team, priority DESC, enqueued_at, seq);
CREATE INDEX handoff_queue_agent ON handoff_queue (state, assigned_at);
CREATE INDEX handoff_queue_seq ON handoff_queue (seq);
`,
  // Priority now means 1 = most urgent and ties go by SLA deadline. Entries queued under the
  // old meaning (higher = first, tier included) cannot be translated, so they become a
  // neutral 3 and keep their deadlines.
  `
UPDATE handoff_queue SET priority = 3;
DROP INDEX handoff_queue_order;
CREATE INDEX handoff_queue_service ON handoff_queue (state, team, priority, first_response_due, seq);
`,
];

const ORDER = `CASE state WHEN 'waiting' THEN 0 ELSE 1 END, priority, first_response_due, seq`;

function toEntry(r: Row): QueueEntry {
  return {
    caseId: r.case_id,
    team: r.team,
    priority: r.priority,
    reason: r.reason,
    enqueuedAt: r.enqueued_at,
    seq: r.seq,
    state: r.state,
    agent: r.agent ?? undefined,
    assignedAt: r.assigned_at ?? undefined,
    answered: r.answered === 1,
    firstResponseAt: r.first_response_at ?? undefined,
    firstResponseDue: r.first_response_due,
    resolutionDue: r.resolution_due,
    breaches: r.breaches === '' ? [] : (r.breaches.split(',') as SlaKind[]),
    lastPosition: r.last_position ?? undefined,
    reassignments: r.reassignments,
  };
}

export class SqliteHandoffQueue implements HandoffQueue {
  private readonly q: Record<string, Statement>;

  constructor(private readonly db: Database) {
    migrateSqlite(db, 'handoff', MIGRATIONS);
    this.q = {
      insert: db.prepare(`INSERT INTO handoff_queue (case_id, team, priority, reason, enqueued_at, seq, state,
          first_response_due, resolution_due)
        VALUES (@caseId, @team, @priority, @reason, @enqueuedAt,
          (SELECT COALESCE(MAX(seq), 0) + 1 FROM handoff_queue), 'waiting', @firstResponseDue, @resolutionDue)
        ON CONFLICT (case_id) DO NOTHING`),
      get: db.prepare(`SELECT * FROM handoff_queue WHERE case_id = ?`),
      // Two index range counts (more urgent; same priority and not a later deadline), not a scan.
      position: db.prepare(`SELECT
          (SELECT COUNT(*) FROM handoff_queue o WHERE o.state = 'waiting' AND o.team = c.team AND o.priority < c.priority)
          + (SELECT COUNT(*) FROM handoff_queue o WHERE o.state = 'waiting' AND o.team = c.team AND o.priority = c.priority
              AND (o.first_response_due, o.seq) <= (c.first_response_due, c.seq)) AS n
        FROM handoff_queue c WHERE c.case_id = ? AND c.state = 'waiting'`),
      positions: db.prepare(`SELECT case_id, last_position,
          ROW_NUMBER() OVER (PARTITION BY team ORDER BY priority, first_response_due, seq) AS position
        FROM handoff_queue WHERE state = 'waiting'`),
      setLastPosition: db.prepare(`UPDATE handoff_queue SET last_position = ? WHERE case_id = ?`),
      claim: db.prepare(`UPDATE handoff_queue SET state = 'assigned', agent = ?, assigned_at = ?, answered = 0,
          last_position = NULL
        WHERE case_id = ? AND state = 'waiting' RETURNING *`),
      answered: db.prepare(`UPDATE handoff_queue SET answered = 1, first_response_at = COALESCE(first_response_at, ?)
        WHERE case_id = ? AND state = 'assigned'`),
      release: db.prepare(`UPDATE handoff_queue SET state = 'waiting', agent = NULL, assigned_at = NULL, answered = 0,
          reassignments = reassignments + 1
        WHERE case_id = ? AND state = 'assigned' RETURNING *`),
      unanswered: db.prepare(`SELECT * FROM handoff_queue WHERE state = 'assigned' AND answered = 0 AND assigned_at < ?
        ORDER BY assigned_at`),
      dueFirst: db.prepare(`SELECT * FROM handoff_queue WHERE first_response_at IS NULL AND first_response_due < ?
        AND instr(breaches, 'first_response') = 0`),
      dueResolution: db.prepare(
        `SELECT * FROM handoff_queue WHERE resolution_due < ? AND instr(breaches, 'resolution') = 0`,
      ),
      markBreach: db.prepare(`UPDATE handoff_queue
        SET breaches = CASE breaches WHEN '' THEN @kind ELSE breaches || ',' || @kind END
        WHERE case_id = @caseId AND instr(breaches, @kind) = 0`),
      remove: db.prepare(`DELETE FROM handoff_queue WHERE case_id = ?`),
      size: db.prepare(`SELECT COUNT(*) AS n FROM handoff_queue`),
    };
  }

  async enqueue(entry: NewQueueEntry): Promise<QueueEntry> {
    await committed(this.db, () => this.q.insert!.run(entry));
    return toEntry(this.q.get!.get(entry.caseId) as Row);
  }

  async get(caseId: string): Promise<QueueEntry | undefined> {
    const row = this.q.get!.get(caseId) as Row | undefined;
    return row && toEntry(row);
  }

  async list(filter: { team?: string[]; state?: QueueEntry['state'] } = {}): Promise<QueueEntry[]> {
    const where: string[] = [];
    const args: unknown[] = [];
    if (filter.state !== undefined) {
      where.push('state = ?');
      args.push(filter.state);
    }
    if (filter.team !== undefined) {
      where.push(`team IN (${filter.team.map(() => '?').join(',') || 'NULL'})`);
      args.push(...filter.team);
    }
    const sql = `SELECT * FROM handoff_queue ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ${ORDER}`;
    return (this.db.prepare(sql).all(...args) as Row[]).map(toEntry);
  }

  async position(caseId: string): Promise<number | undefined> {
    const row = this.q.position!.get(caseId) as { n: number } | undefined;
    return row?.n;
  }

  async positions(): Promise<Array<{ caseId: string; position: number; lastPosition?: number }>> {
    const rows = this.q.positions!.all() as Array<{ case_id: string; last_position: number | null; position: number }>;
    return rows.map((r) => ({ caseId: r.case_id, position: r.position, lastPosition: r.last_position ?? undefined }));
  }

  async setLastPosition(caseId: string, position: number): Promise<void> {
    await committed(this.db, () => this.q.setLastPosition!.run(position, caseId));
  }

  async claim(caseId: string, agent: string, now: number): Promise<QueueEntry | undefined> {
    const row = (await committed(this.db, () => this.q.claim!.get(agent, now, caseId))) as Row | undefined;
    return row && toEntry(row);
  }

  async markAnswered(caseId: string, now: number): Promise<void> {
    await committed(this.db, () => this.q.answered!.run(now, caseId));
  }

  async release(caseId: string): Promise<QueueEntry | undefined> {
    const row = (await committed(this.db, () => this.q.release!.get(caseId))) as Row | undefined;
    return row && toEntry(row);
  }

  async unanswered(assignedBefore: number): Promise<QueueEntry[]> {
    return (this.q.unanswered!.all(assignedBefore) as Row[]).map(toEntry);
  }

  async dueBreaches(now: number): Promise<Array<{ entry: QueueEntry; kind: SlaKind }>> {
    const first = (this.q.dueFirst!.all(now) as Row[]).map((r) => ({
      entry: toEntry(r),
      kind: 'first_response' as const,
    }));
    const resolution = (this.q.dueResolution!.all(now) as Row[]).map((r) => ({
      entry: toEntry(r),
      kind: 'resolution' as const,
    }));
    return [...first, ...resolution];
  }

  async markBreach(caseId: string, kind: SlaKind): Promise<void> {
    await committed(this.db, () => this.q.markBreach!.run({ caseId, kind }));
  }

  async remove(caseId: string): Promise<boolean> {
    return (await committed(this.db, () => this.q.remove!.run(caseId))).changes > 0;
  }

  async size(): Promise<number> {
    return (this.q.size!.get() as { n: number }).n;
  }
}
