/**
 * Group commit for the embedded SQLite file. Every write on the main connection runs inside one
 * transaction per turn of the event loop: the first write of a tick opens it (BEGIN IMMEDIATE)
 * and it commits once the tick's work is done (setImmediate). Each write's promise settles only
 * after that commit, so a write is durable when its caller goes on, exactly as with a commit of
 * its own (`writtenNow` instead returns at once and hands its caller the commit to wait for);
 * but concurrent turns share one commit (about 100 µs of CPU each: writing, checksumming and
 * indexing the log's pages) instead of paying one per statement. A write that throws is undone
 * on its own (SQLite undoes a failed statement; several statements go in a `db.transaction`, a
 * savepoint) and the others commit; a commit that fails (a full disk) rejects every write of the
 * group. Reads on this connection see the open group's writes before they are committed, so a
 * turn's replies wait for `writesSettled` (kefuBot): nothing a shopper is told rests on a write a
 * crash could still undo. Other processes on the file wait for the group (the busy timeout) as
 * for any writer.
 */
import type { SqliteDb } from './sqliteDb.js';

interface Waiter {
  resolve(): void;
  reject(err: unknown): void;
}

const groups = new WeakMap<SqliteDb, GroupCommit>();
/**
 * The open group of each file, across this process's connections: a second connection to the
 * same file (two instances in one process, as in tests) would otherwise wait for a lock that
 * only this same thread can release.
 */
const openByFile = new Map<string, GroupCommit>();

class GroupCommit {
  private waiters: Waiter[] = [];
  private readonly begin;
  private readonly end;
  private readonly rollback;

  constructor(private readonly db: SqliteDb) {
    this.begin = db.prepare('BEGIN IMMEDIATE');
    this.end = db.prepare('COMMIT');
    this.rollback = db.prepare('ROLLBACK');
  }

  run<T>(write: () => T): Promise<T> {
    let applied: { value: T; own: boolean };
    try {
      applied = this.apply(write);
    } catch (err) {
      return Promise.reject(err);
    }
    const { value, own } = applied;
    if (own) return Promise.resolve(value);
    return new Promise<T>((resolve, reject) => this.waiters.push({ resolve: () => resolve(value), reject }));
  }

  runNow<T>(write: () => T): { value: T; durable: Promise<void> } {
    const { value, own } = this.apply(write);
    const durable = own
      ? Promise.resolve()
      : new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
    return { value, durable };
  }

  /**
   * Runs `write` in the open group, opening one if none is. `own`: the caller's own transaction
   * holds it instead, and that transaction's commit is the one that counts.
   */
  private apply<T>(write: () => T): { value: T; own: boolean } {
    if (this.waiters.length === 0) {
      if (this.db.inTransaction) return { value: write(), own: true };
      const other = openByFile.get(this.db.name);
      if (other !== undefined && other !== this) other.commit();
      this.begin.run();
      openByFile.set(this.db.name, this);
      setImmediate(() => this.commit());
    }
    try {
      return { value: write(), own: false };
    } catch (err) {
      // Alone in the group: undo whatever it did. Otherwise its statement was undone on its own.
      if (this.waiters.length === 0 && this.db.inTransaction) {
        this.rollback.run();
        this.closed();
      }
      throw err;
    }
  }

  /** Resolves once everything written so far is committed (at once when nothing is pending). */
  settled(): Promise<void> {
    if (this.waiters.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  private closed(): void {
    if (openByFile.get(this.db.name) === this) openByFile.delete(this.db.name);
  }

  commit(): void {
    const waiters = this.waiters;
    this.waiters = [];
    this.closed();
    if (waiters.length === 0) return;
    try {
      this.end.run();
    } catch (err) {
      if (this.db.inTransaction) this.rollback.run();
      for (const w of waiters) w.reject(err);
      return;
    }
    for (const w of waiters) w.resolve();
  }
}

function groupOf(db: SqliteDb): GroupCommit {
  let group = groups.get(db);
  if (group === undefined) {
    group = new GroupCommit(db);
    groups.set(db, group);
  }
  return group;
}

/**
 * Runs `write` in the current group's transaction and resolves with its value once committed.
 * `write` must be one statement, or a `db.transaction` (a savepoint inside the group) when it
 * has several that must apply together.
 */
export function committed<T>(db: SqliteDb, write: () => T): Promise<T> {
  return groupOf(db).run(write);
}

/**
 * Runs `write` in the current group's transaction at once and returns its value, with `durable`,
 * which settles when that group commits (and rejects when the commit fails). Reads on this
 * connection see the write at once; nothing may be told to anyone on the strength of it before
 * `durable` resolves. Throws what `write` throws.
 */
export function writtenNow<T>(db: SqliteDb, write: () => T): { value: T; durable: Promise<void> } {
  return groupOf(db).runNow(write);
}

/**
 * Resolves once everything written so far is committed. A reply waits for it, so that nothing a
 * turn read from another turn's writes reaches a shopper before those writes are durable.
 */
export function writesSettled(db: SqliteDb): Promise<void> {
  return groupOf(db).settled();
}

/** Commits the open group now: before the connection closes. */
export function commitNow(db: SqliteDb): void {
  groups.get(db)?.commit();
}
