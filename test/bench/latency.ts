/** What every throughput benchmark reports: turns per second over the wall time, and p50/p99 latency. */
export interface Throughput {
  turns: number;
  perSecond: number;
  p50: number;
  p99: number;
}

export function throughput(latenciesMs: readonly number[], wallMs: number): Throughput {
  const sorted = [...latenciesMs].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
  return { turns: sorted.length, perSecond: (sorted.length / wallMs) * 1000, p50: at(0.5), p99: at(0.99) };
}
