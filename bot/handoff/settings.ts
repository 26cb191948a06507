/**
 * Handoff settings: teams, priority weights, SLA targets and timeouts. Read from
 * `data/handoff.yaml` once at start-up and checked there, so a typo stops the bot with the file,
 * line and what was expected instead of misrouting a shopper later.
 */
import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument, isMap, isSeq } from 'yaml';
import { COMPLAINTS, type Complaint } from '../../intents/labels.js';
import { MEMBER_TIERS, type MemberTier } from '../../rules/facts.js';
import { HANDOFF_REASONS, type HandoffReason } from './types.js';

export interface SlaTarget {
  minPriority: number;
  firstResponseSeconds: number;
  resolutionSeconds: number;
}

export interface HandoffSettings {
  /** Team name → the complaints it takes. */
  teams: Record<string, Complaint[]>;
  defaultTeam: string;
  /** Agent name → teams served; an absent agent serves every team. */
  agentTeams: Record<string, string[]>;
  tierWeight: Record<MemberTier, number>;
  reasonUrgency: Record<HandoffReason, number>;
  /** Sorted by `minPriority`, highest first; the last row covers priority 0. */
  sla: SlaTarget[];
  reassignAfterSeconds: number;
  etaSecondsPerPosition: number;
  tickSeconds: number;
}

export const DEFAULT_SETTINGS: HandoffSettings = {
  teams: {
    'food-safety': ['expired_food'],
    fresh: ['fresh_produce_loss'],
    goods: ['damaged_packaging', 'size_mismatch', 'quality_defect'],
    logistics: ['logistics'],
  },
  defaultTeam: 'general',
  agentTeams: {},
  tierWeight: { regular: 0, vip: 10, svip: 20 },
  reasonUrgency: { rule: 3, request_human: 2, declined: 3, unsure: 1, merchant_refused: 5, large_payout: 4 },
  sla: [
    { minPriority: 20, firstResponseSeconds: 120, resolutionSeconds: 1800 },
    { minPriority: 10, firstResponseSeconds: 300, resolutionSeconds: 3600 },
    { minPriority: 5, firstResponseSeconds: 300, resolutionSeconds: 7200 },
    { minPriority: 0, firstResponseSeconds: 900, resolutionSeconds: 14400 },
  ],
  reassignAfterSeconds: 180,
  etaSecondsPerPosition: 120,
  tickSeconds: 5,
};

export class HandoffSettingsError extends Error {}

/** Reads and checks a handoff settings file. */
export function loadHandoffSettings(file: string): HandoffSettings {
  return parseHandoffSettings(readFileSync(file, 'utf8'), file);
}

export function parseHandoffSettings(text: string, file = 'handoff.yaml'): HandoffSettings {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const at = lines.linePos(e.pos[0]);
    throw new HandoffSettingsError(`${file}:${at.line}:${at.col} ${e.message}`);
  }
  const fail = (path: (string | number)[], expected: string): never => {
    const node = doc.getIn(path, true) as { range?: [number, number, number] } | undefined;
    const where = node?.range ? lines.linePos(node.range[0]) : undefined;
    const value = JSON.stringify(doc.getIn(path));
    const loc = where ? `${file}:${where.line}:${where.col}` : file;
    throw new HandoffSettingsError(`${loc} ${path.join('.')}: ${value ?? 'missing'} is not valid (expected ${expected})`);
  };
  const number = (path: (string | number)[], min: number): number => {
    const v = doc.getIn(path);
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min) fail(path, `a number >= ${min}`);
    return v as number;
  };
  const name = (path: (string | number)[], v: unknown): string => {
    if (typeof v !== 'string' || !/^[a-z0-9][a-z0-9_-]*$/i.test(v)) fail(path, 'a name of letters, digits, - or _');
    return v as string;
  };

  const teams: Record<string, Complaint[]> = {};
  const seen = new Map<string, string>();
  if (!isMap(doc.get('teams', true))) fail(['teams'], 'a map of team name → list of complaints');
  for (const [key, list] of Object.entries(doc.get('teams') ? (doc.toJSON() as { teams: Record<string, unknown> }).teams : {})) {
    const team = name(['teams', key], key);
    if (!Array.isArray(list)) fail(['teams', team], 'a list of complaints');
    teams[team] = (list as unknown[]).map((c, i) => {
      if (typeof c !== 'string' || !(COMPLAINTS as readonly string[]).includes(c)) {
        fail(['teams', team, i], `one of ${COMPLAINTS.join(', ')}`);
      }
      const owner = seen.get(c as string);
      if (owner !== undefined) fail(['teams', team, i], `each complaint in one team only (already in ${owner})`);
      seen.set(c as string, team);
      return c as Complaint;
    });
  }
  const defaultTeam = name(['default_team'], doc.get('default_team'));

  const agentTeams: Record<string, string[]> = {};
  const known = new Set([...Object.keys(teams), defaultTeam]);
  const agents = (doc.toJSON() as { agent_teams?: unknown }).agent_teams;
  if (agents !== undefined && agents !== null) {
    if (typeof agents !== 'object' || Array.isArray(agents)) fail(['agent_teams'], 'a map of agent name → list of teams');
    for (const [agent, list] of Object.entries(agents as Record<string, unknown>)) {
      if (!Array.isArray(list)) fail(['agent_teams', agent], 'a list of team names');
      agentTeams[agent] = (list as unknown[]).map((t, i) => {
        if (typeof t !== 'string' || !known.has(t)) fail(['agent_teams', agent, i], `one of ${[...known].join(', ')}`);
        return t as string;
      });
    }
  }

  const tierWeight = Object.fromEntries(MEMBER_TIERS.map((t) => [t, number(['tier_weight', t], 0)])) as Record<MemberTier, number>;
  const reasonUrgency = Object.fromEntries(HANDOFF_REASONS.map((r) => [r, number(['reason_urgency', r], 0)])) as Record<
    HandoffReason,
    number
  >;

  const slaNode = doc.get('sla', true);
  if (!isSeq(slaNode) || slaNode.items.length === 0) fail(['sla'], 'a list of { min_priority, first_response_minutes, resolution_minutes }');
  const sla = (slaNode as { items: unknown[] }).items
    .map((_, i) => ({
      minPriority: number(['sla', i, 'min_priority'], 0),
      firstResponseSeconds: number(['sla', i, 'first_response_minutes'], 0) * 60,
      resolutionSeconds: number(['sla', i, 'resolution_minutes'], 0) * 60,
    }))
    .sort((a, b) => b.minPriority - a.minPriority);
  if (sla[sla.length - 1]!.minPriority !== 0) fail(['sla'], 'a row with min_priority: 0 so every case has a target');

  return {
    teams,
    defaultTeam,
    agentTeams,
    tierWeight,
    reasonUrgency,
    sla,
    reassignAfterSeconds: number(['reassign_after_seconds'], 1),
    etaSecondsPerPosition: number(['eta_seconds_per_position'], 0),
    tickSeconds: number(['tick_seconds'], 0.01),
  };
}
