/**
 * The learning loop: an agent's correction of a misread complaint (the close decision's
 * `complaint`) becomes a candidate training example, the shopper's first message with the
 * corrected label, kept in `data/intents/candidates.yaml` until a trainer reviews it. Adding a
 * candidate appends its text under its label in `data/intents/train/<lang>.yaml`, as a line
 * inserted into the file (the trainers' comments and layout stay as they were), and marks it added.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { DataFileError, problemAt, readYamlSource } from '../../lib/dataFile.js';
import { parseExamples } from '../../intents/dataset.js';
import { isComplaint, type Complaint, type Lang } from '../../intents/labels.js';
import type { CaseRecord } from '../../domain/cases.js';
import { KefuError } from '../../lib/errors.js';

export interface Candidate {
  /** The case the correction was made on. */
  id: string;
  text: string;
  lang: Lang;
  /** The agent's label. */
  intent: Complaint;
  /** What the bot read. */
  botRead: string;
  agent: string;
  at: string;
  status: 'pending' | 'added';
}

export class CandidateError extends KefuError {
  constructor(message: string) {
    super('candidate', message);
  }
}

const HEADER = `# Candidate training examples from the learning loop (written by \`kefu intents review\`).
# Each is a shopper's first message whose complaint an agent corrected when closing the case.
# Review them with \`kefu intents review\`; \`kefu intents add ID...\` appends the chosen ones to
# data/intents/train/<lang>.yaml and marks them added. Then run \`npm run train\`.
# You may edit a pending entry's text (e.g. to remove personal data) before adding it.
`;

export function candidatesFile(intentsDir: string): string {
  return path.join(intentsDir, 'candidates.yaml');
}

/** Throws DataFileError naming the place of the first mistake (a trainer may edit the file by hand). */
export function readCandidates(file: string): Candidate[] {
  if (!existsSync(file)) return [];
  const source = readYamlSource(file);
  const fail = (path: (string | number)[], message: string): never => {
    throw new DataFileError(problemAt(source, path, message));
  };
  const doc: unknown = source.doc.toJS();
  const list = (doc as { candidates?: unknown } | null)?.candidates ?? [];
  if (!Array.isArray(list)) fail(['candidates'], "expected 'candidates' to be a list");
  return (list as unknown[]).map((raw: unknown, i): Candidate => {
    const where = `candidate ${i + 1}`;
    const o = (raw ?? {}) as Record<string, unknown>;
    for (const k of ['id', 'text', 'lang', 'intent', 'bot_read', 'agent', 'at', 'status']) {
      if (typeof o[k] !== 'string' || o[k] === '')
        fail(['candidates', i, k], `${where}: expected '${k}' to be a non-empty text`);
    }
    if (o.lang !== 'zh-CN' && o.lang !== 'en')
      fail(['candidates', i, 'lang'], `${where}: lang '${String(o.lang)}' is not valid (expected zh-CN or en)`);
    if (!isComplaint(o.intent as string))
      fail(['candidates', i, 'intent'], `${where}: intent '${String(o.intent)}' is not a complaint label`);
    if (o.status !== 'pending' && o.status !== 'added')
      fail(
        ['candidates', i, 'status'],
        `${where}: status '${String(o.status)}' is not valid (expected pending or added)`,
      );
    return {
      id: o.id as string,
      text: o.text as string,
      lang: o.lang as Lang,
      intent: o.intent as Complaint,
      botRead: o.bot_read as string,
      agent: o.agent as string,
      at: o.at as string,
      status: o.status as Candidate['status'],
    };
  });
}

export function writeCandidates(file: string, list: readonly Candidate[]): void {
  const candidates = list.map((c) => ({
    id: c.id,
    text: c.text,
    lang: c.lang,
    intent: c.intent,
    bot_read: c.botRead,
    agent: c.agent,
    at: c.at,
    status: c.status,
  }));
  writeFileSync(file, `${HEADER}${stringify({ candidates }, { lineWidth: 0 })}`);
}

/** Corrections found on cases, as candidates (only cases with a shopper message to learn from). */
export function correctionsOf(cases: readonly CaseRecord[]): Candidate[] {
  const out: Candidate[] = [];
  for (const c of cases) {
    const r = c.resolution;
    if (r?.complaint === undefined || r.complaint === c.complaint) continue;
    const text = c.transcript
      .find((t) => t.from === 'shopper')
      ?.text.replace(/\s+/g, ' ')
      .trim();
    if (!text) continue;
    out.push({
      id: c.id,
      text,
      lang: c.locale,
      intent: r.complaint,
      botRead: c.complaint,
      agent: r.agent,
      at: r.at,
      status: 'pending',
    });
  }
  return out;
}

/** Adds corrections not yet in the file (by case id); returns the merged list and how many were new. */
export function mergeCandidates(
  existing: readonly Candidate[],
  found: readonly Candidate[],
): { list: Candidate[]; added: number } {
  const known = new Set(existing.map((c) => c.id));
  const fresh = found.filter((c) => !known.has(c.id)).sort((a, b) => a.at.localeCompare(b.at));
  return { list: [...existing, ...fresh], added: fresh.length };
}

/**
 * Appends `text` under `intent` in a training file, right after that label's last example (or as
 * a new label at the end). Checks the result still parses and now holds the text.
 */
export function appendExample(file: string, lang: Lang, intent: Complaint, text: string): 'added' | 'present' {
  const source = readFileSync(file, 'utf8');
  // One line per example: the insertion below relies on it.
  const one = text.replace(/\s+/g, ' ').trim();
  if (parseExamples(source, file, lang).some((e) => e.intent === intent && e.text === one)) return 'present';
  const item = `  - ${stringify(one, { lineWidth: 0 }).trimEnd()}`;
  const lines = source.split('\n');
  const start = lines.findIndex((l) => new RegExp(`^${intent}:\\s*(#.*)?$`).test(l));
  let next: string;
  if (start < 0) {
    next = `${source.replace(/\n*$/, '\n')}\n${intent}:\n${item}\n`;
  } else {
    let last = start;
    for (let i = start + 1; i < lines.length && (/^\s/.test(lines[i]!) || lines[i] === ''); i++)
      if (/^\s+-\s/.test(lines[i]!)) last = i;
    lines.splice(last + 1, 0, item);
    next = lines.join('\n');
  }
  const check = parseExamples(next, file, lang);
  if (!check.some((e) => e.intent === intent && e.text === one))
    throw new CandidateError(`${file}: could not append ${JSON.stringify(text)} under ${intent}`);
  writeFileSync(file, next);
  return 'added';
}
