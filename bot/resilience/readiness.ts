/**
 * Readiness (`/readyz`): can this instance serve a turn now? Every store answers a trivial
 * round trip within `timeoutMs` (probed in parallel, so the check itself is bounded) and a rule
 * table is loaded. The answer names each store's state (`ok`, `timeout` or `error`) but no
 * addresses or messages, as anyone may ask; the reason is logged once when a store goes down.
 */
import { DeadlineError, withDeadline } from './deadline.js';

export interface ReadinessDeps {
  probes: Record<string, () => Promise<void>>;
  /** The serving rule table's hash; undefined when none is loaded. */
  table: () => string | undefined;
  timeoutMs: number;
  /** Told when a store stops answering (once until it is back). */
  onDown?: (store: string, err: unknown) => void;
}

export type StoreState = 'ok' | 'timeout' | 'error';
export type Readiness = { ready: boolean; stores: Record<string, StoreState>; rules: string | null };

export function readinessCheck(deps: ReadinessDeps): () => Promise<Readiness> {
  const down = new Set<string>();
  const probe = async (name: string): Promise<StoreState> => {
    try {
      await withDeadline(Promise.resolve().then(deps.probes[name]!), deps.timeoutMs, `${name} readiness probe`);
      down.delete(name);
      return 'ok';
    } catch (err) {
      if (!down.has(name)) deps.onDown?.(name, err);
      down.add(name);
      return err instanceof DeadlineError ? 'timeout' : 'error';
    }
  };
  return async () => {
    const names = Object.keys(deps.probes);
    const states = await Promise.all(names.map(probe));
    const rules = deps.table() ?? null;
    return {
      ready: states.every((s) => s === 'ok') && rules !== null,
      stores: Object.fromEntries(names.map((n, i) => [n, states[i]!])),
      rules,
    };
  };
}
