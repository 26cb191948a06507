/**
 * Handoff settings: teams, priorities by handoff reason, SLA targets by member tier and timeouts. Read from
 * `data/handoff.yaml` once at start-up and checked there, so a typo stops the bot with the file,
 * line and what was expected instead of misrouting a shopper later.
 */
import { readFileSync } from 'node:fs';
import { isMap } from 'yaml';
import { DataFileError, displayPath, parseYamlSource, problemAt } from '../../lib/dataFile.js';
import { COMPLAINTS, type Complaint } from '../../intents/labels.js';
import { MEMBER_TIERS, type MemberTier } from '../../rules/facts.js';
import { HANDOFF_REASONS, type HandoffReason } from './types.js';

export interface SlaTarget {
  firstResponseSeconds: number;
  resolutionSeconds: number;
}

export interface HandoffSettings {
  /** Team name → the complaints it takes. */
  teams: Record<string, Complaint[]>;
  defaultTeam: string;
  /** Agent name → teams served; an absent agent serves every team. */
  agentTeams: Record<string, string[]>;
  /**
   * Queue priority (1 is the most urgent, as in the rule table) of a case, by why it was handed
   * off; a rule's own priority wins when it is more urgent.
   */
  reasonPriority: Record<HandoffReason, number>;
  /** Service-level targets by member tier: the tier sets the deadline, so it only breaks ties. */
  sla: Record<MemberTier, SlaTarget>;
  /** Tighter targets for urgent priorities (e.g. 1: illness), applied over the tier's. */
  prioritySla: Partial<Record<number, SlaTarget>>;
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
  reasonPriority: {
    health_harm: 1,
    merchant_refused: 2,
    large_payout: 2,
    approval: 2,
    rule: 3,
    declined: 3,
    request_human: 3,
    unsure: 4,
  },
  sla: {
    svip: { firstResponseSeconds: 120, resolutionSeconds: 1800 },
    vip: { firstResponseSeconds: 300, resolutionSeconds: 3600 },
    regular: { firstResponseSeconds: 900, resolutionSeconds: 14400 },
  },
  prioritySla: { 1: { firstResponseSeconds: 120, resolutionSeconds: 3600 } },
  reassignAfterSeconds: 180,
  etaSecondsPerPosition: 120,
  tickSeconds: 5,
};

/** Priorities run from 1 (most urgent) to 5, as in the rule table's schema. */
export const MAX_PRIORITY = 5;

/** Reads and checks a handoff settings file; throws DataFileError naming the place of the first mistake. */
export function loadHandoffSettings(file: string): HandoffSettings {
  return parseHandoffSettings(readFileSync(file, 'utf8'), displayPath(file));
}

export function parseHandoffSettings(text: string, file = 'handoff.yaml'): HandoffSettings {
  const source = parseYamlSource(text, file);
  const doc = source.doc;
  const fail = (path: (string | number)[], expected: string): never => {
    const value = JSON.stringify(doc.getIn(path));
    throw new DataFileError(
      problemAt(source, path, `${path.join('.')}: ${value ?? 'missing'} is not valid (expected ${expected})`),
    );
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
  for (const [key, list] of Object.entries(
    doc.get('teams') ? (doc.toJSON() as { teams: Record<string, unknown> }).teams : {},
  )) {
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
    if (typeof agents !== 'object' || Array.isArray(agents))
      fail(['agent_teams'], 'a map of agent name → list of teams');
    for (const [agent, list] of Object.entries(agents as Record<string, unknown>)) {
      if (!Array.isArray(list)) fail(['agent_teams', agent], 'a list of team names');
      agentTeams[agent] = (list as unknown[]).map((t, i) => {
        if (typeof t !== 'string' || !known.has(t)) fail(['agent_teams', agent, i], `one of ${[...known].join(', ')}`);
        return t as string;
      });
    }
  }

  const priority = (path: (string | number)[]) => {
    const v = doc.getIn(path);
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > MAX_PRIORITY)
      fail(path, `a priority from 1 (most urgent) to ${MAX_PRIORITY}`);
    return v as number;
  };
  const reasonPriority = Object.fromEntries(
    HANDOFF_REASONS.map((r) => [r, priority(['reason_priority', r])]),
  ) as Record<HandoffReason, number>;
  const target = (path: (string | number)[]): SlaTarget => ({
    firstResponseSeconds: number([...path, 'first_response_minutes'], 0) * 60,
    resolutionSeconds: number([...path, 'resolution_minutes'], 0) * 60,
  });
  if (!isMap(doc.get('sla', true)))
    fail(['sla'], `a map of member tier (${MEMBER_TIERS.join(', ')}) → { first_response_minutes, resolution_minutes }`);
  const sla = Object.fromEntries(MEMBER_TIERS.map((t) => [t, target(['sla', t])])) as Record<MemberTier, SlaTarget>;
  const prioritySla: Partial<Record<number, SlaTarget>> = {};
  const bySla = (doc.toJSON() as { priority_sla?: unknown }).priority_sla;
  if (bySla !== undefined && bySla !== null) {
    if (typeof bySla !== 'object' || Array.isArray(bySla))
      fail(['priority_sla'], 'a map of priority → { first_response_minutes, resolution_minutes }');
    for (const key of Object.keys(bySla as object)) {
      const p = Number(key);
      if (!Number.isInteger(p) || p < 1 || p > MAX_PRIORITY)
        fail(['priority_sla'], `priorities from 1 to ${MAX_PRIORITY} as keys (found ${key})`);
      prioritySla[p] = target(['priority_sla', p]);
    }
  }

  return {
    teams,
    defaultTeam,
    agentTeams,
    reasonPriority,
    sla,
    prioritySla,
    reassignAfterSeconds: number(['reassign_after_seconds'], 1),
    etaSecondsPerPosition: number(['eta_seconds_per_position'], 0),
    tickSeconds: number(['tick_seconds'], 0.01),
  };
}
