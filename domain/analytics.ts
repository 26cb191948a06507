/**
 * How the bot is doing, computed from stored cases alone (no separate event log to drift from
 * them): containment, handoffs and their reasons, time to resolution, SLA attainment, CSAT,
 * remedies and money per complaint, and where the classifier is weak. Pure: the report command
 * and the lead page hand over the cases created in the window.
 *
 * Definitions (docs/lead.md, "How the bot is doing"): a case is *contained* when the shopper accepted the
 * bot's proposal (status `accepted`) and *handed off* when its history has an `escalated` event.
 * Containment = contained / (contained + handed off): cases still open or abandoned before a
 * proposal count for neither.
 */
import { refundAmount } from '../rules/diff.js';
import { queueEntryFor } from './handoff/routing.js';
import type { HandoffSettings } from './handoff/settings.js';
import { HANDOFF_REASONS, type HandoffReason } from './handoff/types.js';
import type { CaseRecord, CaseStatus } from './cases.js';

export interface Durations {
  count: number;
  /** Seconds. */
  median: number;
  p90: number;
}

export interface ComplaintFigures {
  complaint: string;
  cases: number;
  remedies: Record<string, number>;
  refunds: number;
  compensation: number;
}

export interface Correction {
  caseId: string;
  from: string;
  to: string;
  text: string;
  agent: string;
  at: string;
}

export interface Analytics {
  since: string;
  until: string;
  cases: number;
  byStatus: Partial<Record<CaseStatus, number>>;
  contained: number;
  handedOff: number;
  containmentRate: number;
  handoffRate: number;
  handoffReasons: Partial<Record<HandoffReason, number>>;
  resolutionTime: { bot: Durations; agent: Durations };
  sla: {
    measured: number;
    firstResponseMet: number;
    resolutionMet: number;
    firstResponseRate: number;
    resolutionRate: number;
  };
  csat: { count: number; average: number; distribution: number[] };
  byComplaint: ComplaintFigures[];
  totals: { refunds: number; compensation: number };
  weakSpots: {
    /** Cases handed off because the classifier stayed unsure, with the shopper's first words. */
    unsure: { caseId: string; text: string }[];
    corrections: Correction[];
    /** Misreadings by bot label → agent label, most frequent first. */
    confusions: { from: string; to: string; count: number }[];
  };
}

const ms = (iso: string | undefined): number => (iso === undefined ? NaN : Date.parse(iso));
const ratio = (a: number, b: number): number => (b === 0 ? 0 : a / b);
const cents = (n: number): number => Math.round(n * 100) / 100;

function durations(seconds: number[]): Durations {
  const s = seconds.filter((x) => Number.isFinite(x) && x >= 0).sort((a, b) => a - b);
  const at = (q: number) => (s.length === 0 ? 0 : s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!);
  return { count: s.length, median: at(0.5), p90: at(0.9) };
}

function handoffOf(c: CaseRecord): { reason: HandoffReason; at: number } | undefined {
  const e = c.history.find((h) => h.status === 'escalated');
  if (e === undefined) return undefined;
  const reason = HANDOFF_REASONS.find((r) => e.note === `handoff: ${r}`) ?? 'rule';
  return { reason, at: ms(e.at) };
}

/** The remedy and money a case ended with: the agent's resolution, else the accepted proposal. */
function settlement(c: CaseRecord): { remedy: string; refund: number; compensation: number } | undefined {
  const amount = typeof c.facts.order_amount === 'number' ? c.facts.order_amount : 0;
  const r = c.resolution;
  if (r !== undefined)
    return {
      remedy: r.remedy,
      refund: refundAmount(r.remedy, r.refund_pct, amount),
      compensation: r.compensation_amount ?? 0,
    };
  if (c.status === 'accepted' && c.decision !== undefined) {
    const d = c.decision;
    return {
      remedy: d.remedy,
      refund: refundAmount(d.remedy, d.refund_pct, amount),
      compensation: d.compensation_amount ?? 0,
    };
  }
  return undefined;
}

const firstShopperText = (c: CaseRecord): string => c.transcript.find((t) => t.from === 'shopper')?.text ?? '';

export function analyze(
  cases: readonly CaseRecord[],
  window: { since: Date; until: Date },
  settings: HandoffSettings,
): Analytics {
  const byStatus: Partial<Record<CaseStatus, number>> = {};
  const reasons: Partial<Record<HandoffReason, number>> = {};
  const botTimes: number[] = [];
  const agentTimes: number[] = [];
  const complaints = new Map<string, ComplaintFigures>();
  const csat = [0, 0, 0, 0, 0];
  const sla = { measured: 0, firstResponseMet: 0, resolutionMet: 0 };
  const unsure: { caseId: string; text: string }[] = [];
  const corrections: Correction[] = [];
  let contained = 0;
  let handedOff = 0;
  let refunds = 0;
  let compensation = 0;

  for (const c of cases) {
    byStatus[c.status] = (byStatus[c.status] ?? 0) + 1;
    const handoff = handoffOf(c);
    if (c.status === 'accepted' && handoff === undefined) {
      contained += 1;
      const at = c.history.find((h) => h.status === 'accepted')?.at ?? c.updatedAt;
      botTimes.push((ms(at) - ms(c.createdAt)) / 1000);
    }
    if (handoff !== undefined) {
      handedOff += 1;
      reasons[handoff.reason] = (reasons[handoff.reason] ?? 0) + 1;
      if (handoff.reason === 'unsure') unsure.push({ caseId: c.id, text: firstShopperText(c) });
      if (c.status === 'resolved' && c.resolution !== undefined) {
        const resolvedAt = ms(c.resolution.at);
        agentTimes.push((resolvedAt - ms(c.createdAt)) / 1000);
        const due = queueEntryFor(c, handoff.reason, handoff.at, settings);
        const firstAnswer = c.transcript.find((t) => t.from === 'agent' && ms(t.at) >= handoff.at);
        sla.measured += 1;
        if (firstAnswer !== undefined && ms(firstAnswer.at) <= due.firstResponseDue) sla.firstResponseMet += 1;
        if (resolvedAt <= due.resolutionDue) sla.resolutionMet += 1;
      }
    }
    if (c.csat !== undefined && c.csat.score >= 1 && c.csat.score <= 5) csat[c.csat.score - 1]! += 1;
    const fig = complaints.get(c.complaint) ?? {
      complaint: c.complaint,
      cases: 0,
      remedies: {},
      refunds: 0,
      compensation: 0,
    };
    complaints.set(c.complaint, fig);
    fig.cases += 1;
    const s = settlement(c);
    if (s !== undefined) {
      fig.remedies[s.remedy] = (fig.remedies[s.remedy] ?? 0) + 1;
      fig.refunds = cents(fig.refunds + s.refund);
      fig.compensation = cents(fig.compensation + s.compensation);
      refunds += s.refund;
      compensation += s.compensation;
    }
    const fix = c.resolution?.complaint;
    if (fix !== undefined && fix !== c.complaint) {
      corrections.push({
        caseId: c.id,
        from: c.complaint,
        to: fix,
        text: firstShopperText(c),
        agent: c.resolution!.agent,
        at: c.resolution!.at,
      });
    }
  }

  const confusions = new Map<string, { from: string; to: string; count: number }>();
  for (const k of corrections) {
    const key = `${k.from}>${k.to}`;
    const e = confusions.get(key) ?? { from: k.from, to: k.to, count: 0 };
    e.count += 1;
    confusions.set(key, e);
  }
  const rated = csat.reduce((a, b) => a + b, 0);
  return {
    since: window.since.toISOString(),
    until: window.until.toISOString(),
    cases: cases.length,
    byStatus,
    contained,
    handedOff,
    containmentRate: ratio(contained, contained + handedOff),
    handoffRate: ratio(handedOff, cases.length),
    handoffReasons: reasons,
    resolutionTime: { bot: durations(botTimes), agent: durations(agentTimes) },
    sla: {
      ...sla,
      firstResponseRate: ratio(sla.firstResponseMet, sla.measured),
      resolutionRate: ratio(sla.resolutionMet, sla.measured),
    },
    csat: {
      count: rated,
      average: rated === 0 ? 0 : Math.round((csat.reduce((a, n, i) => a + n * (i + 1), 0) / rated) * 100) / 100,
      distribution: csat,
    },
    byComplaint: [...complaints.values()].sort((a, b) => b.cases - a.cases || a.complaint.localeCompare(b.complaint)),
    totals: { refunds: cents(refunds), compensation: cents(compensation) },
    weakSpots: { unsure, corrections, confusions: [...confusions.values()].sort((a, b) => b.count - a.count) },
  };
}

/** `7d`, `24h`, `30m` or an ISO date → the start of the window. */
export function parseSince(value: string, now: Date): Date {
  const m = /^(\d+)([dhm])$/.exec(value.trim());
  if (m !== null) {
    const unit = { d: 86_400_000, h: 3_600_000, m: 60_000 }[m[2] as 'd' | 'h' | 'm'];
    return new Date(now.getTime() - Number(m[1]) * unit);
  }
  const t = Date.parse(value);
  if (Number.isNaN(t))
    throw new RangeError(`since '${value}' is not valid (expected a span such as 7d, 24h, 30m, or an ISO date)`);
  return new Date(t);
}
