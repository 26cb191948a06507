/**
 * The shopper simulator: conversations generated from the grammar (grammar.ts) drive the real kefu
 * over HTTP with the demo orders, and every conversation is checked: no 5xx, no question asked a
 * fourth time in a row, a terminal state (proposal answered, handed off, cancelled) within 25
 * turns, the case's facts equal what the shopper meant, and the remedy equals the table's decision
 * on those true facts. The same seed gives the same conversations.
 */
import { rng } from '../fuzz/generator.js';
import { dataUrlAttachment, PNG_1X1, startHarness, type Harness, type Reply } from '../support/kefuHarness.js';
import type { Order, OrderItem } from '../../domain/orders.js';
import type { Facts } from '../../rules/facts.js';
import * as g from './grammar.js';

const MAX_TURNS = 25;
type Outcome = 'accepted' | 'handoff' | 'cancelled' | 'stuck' | '5xx';

export interface SimOptions {
  conversations: number;
  seed: number;
  langs?: g.Lang[];
}

export interface SimReport {
  conversations: number;
  outcomes: Record<Outcome, number>;
  factsChecked: number;
  factsExact: number;
  remedyChecked: number;
  remedyEqual: number;
  turns: number[];
  failures: { seed: number; why: string; transcript: string[] }[];
}

interface Scenario {
  shopper: string;
  order: Order;
  item: OrderItem;
  complaint: string;
}

async function scenarios(h: Harness): Promise<Scenario[]> {
  const out: Scenario[] = [];
  for (const shopper of ['u-lihua', 'u-wangfang', 'u-zhangwei', 'u-chenjing', 'u-emily']) {
    for (const order of await h.app.stores.orders.ordersOf(shopper)) {
      for (const item of order.items) {
        const complaint = g.complaintFor(order, item);
        if (complaint) out.push({ shopper, order, item, complaint });
      }
    }
  }
  return out;
}

const dayMs = 86_400_000;
const startOfDay = (d: Date) => new Date(d.getFullYear(), d.getMonth(), d.getDate());

/** One simulated conversation; returns its outcome, turns and any broken invariant. */
async function converse(
  h: Harness,
  s: Scenario,
  seed: number,
  lang: g.Lang,
): Promise<{
  outcome: Outcome;
  turns: number;
  why?: string;
  transcript: string[];
  truth: Partial<Facts> & Record<string, unknown>;
  expiry?: Date;
}> {
  const r = rng(seed);
  const conv = `sim-${seed}`;
  const locale = lang === 'en' ? 'en-US' : 'zh-CN';
  const today = startOfDay(new Date());
  const offset = Math.floor(r() * 14) - 5;
  const expiry = new Date(today.getTime() + offset * dayMs);
  const merchant = g.pick(r, ['not_contacted', 'refused', 'agreed', 'no_reply']);
  const [share, shareTexts] = g.pick(r, g.SHARE[lang]);
  const [hours, hourTexts] = g.pick(r, g.HOURS[lang]);
  const measured = g.pick(r, [90, 100, 110, 119]);
  const disclosed = r() < 0.3;
  const truth: Partial<Facts> & Record<string, unknown> = {};
  const mode = r();
  const interruptAt = 2 + Math.floor(r() * 5);
  const product = r() < 0.45 ? g.shortName(r, lang, s.item) : undefined;
  const firstId = r() < 0.4 ? s.order.id : undefined;
  const transcript: string[] = [];
  let staleSent = false;
  let staleNow = false;
  let lastSlot = '';
  let inARow = 0;
  // Out of order: some first messages already say the expiry or what the seller did.
  let first = g.firstMessage(r, lang, s.complaint, product, firstId);
  const extra = r();
  if (extra < 0.15 && s.complaint === 'expired_food' && offset >= 1 && offset <= 7) {
    first += lang === 'en' ? `, only ${offset} days left` : `，只剩${offset}天`;
    truth.expiry_date = expiry;
  } else if (extra < 0.3) {
    const said = g.pick(r, ['refused', 'no_reply', 'agreed'] as const);
    if (said === merchant) {
      first += (lang === 'en' ? ', ' : '，') + g.pick(r, g.MERCHANT[merchant]![lang]);
      truth.merchant_response = merchant;
    }
  }
  let next: Record<string, unknown> = { text: first };
  for (let turn = 1; turn <= MAX_TURNS; turn++) {
    transcript.push(`> ${next.text ?? JSON.stringify(next.value ?? '[file]')}`);
    let replies: Reply[];
    try {
      replies = await h.say(conv, s.shopper, { locale, ...next });
    } catch (err) {
      return { outcome: '5xx', turns: turn, why: String(err), transcript, truth };
    }
    const wasStale = staleNow;
    staleNow = false;
    for (const x of replies)
      transcript.push(
        `< ${x.text ?? x.name ?? ''}${x.channelData?.prompt ? ` ${JSON.stringify(x.channelData.prompt)}` : ''}`,
      );
    const all = replies.map((x) => x.text ?? '').join('\n');
    if (replies.some((x) => x.channelData?.handoff?.state === 'queued'))
      return { outcome: 'handoff', turns: turn, transcript, truth, expiry };
    if (/方案已确认|the remedy is confirmed/.test(all))
      return { outcome: 'accepted', turns: turn, transcript, truth, expiry };
    if (/已取消|OK, cancelled/.test(all)) return { outcome: 'cancelled', turns: turn, transcript, truth, expiry };
    if (wasStale && !/已经回答过|already answered/.test(all))
      return { outcome: 'stuck', turns: turn, why: 'a stale button was not answered as such', transcript, truth };
    const prompt = [...replies].reverse().find((x) => x.channelData?.prompt)?.channelData?.prompt as
      | { slot: string; kind: string; choices?: string[]; optional?: boolean }
      | undefined;
    if (!prompt) {
      // No question open (e.g. "please say it another way"): describe the problem again.
      next = { text: g.firstMessage(r, lang, s.complaint, g.shortName(r, lang, s.item), undefined) };
      lastSlot = '';
      continue;
    }
    inARow = prompt.slot === lastSlot ? inARow + 1 : 1;
    lastSlot = prompt.slot;
    if (inARow >= 4)
      return { outcome: 'stuck', turns: turn, why: `'${prompt.slot}' asked a fourth time in a row`, transcript, truth };
    // Interruptions: a cancel, a person, or an old button.
    if (mode < 0.05 && turn === interruptAt) {
      next = { text: g.pick(r, g.CANCEL[lang]) };
      continue;
    }
    if (mode >= 0.05 && mode < 0.1 && turn === interruptAt) {
      next = { text: g.pick(r, g.PERSON[lang]) };
      continue;
    }
    if (
      mode >= 0.1 &&
      mode < 0.15 &&
      !staleSent &&
      prompt.slot !== 'order_id' &&
      prompt.slot !== 'item' &&
      prompt.slot !== 'complaint'
    ) {
      staleSent = true;
      next = { value: { order_id: s.order.id } };
      staleNow = true;
      continue;
    }
    next = answer(
      r,
      lang,
      prompt,
      replies,
      s,
      { expiry, offset, merchant, share, shareTexts, hours, hourTexts, measured, disclosed, product },
      truth,
    );
  }
  return { outcome: 'stuck', turns: MAX_TURNS, why: `no terminal state within ${MAX_TURNS} turns`, transcript, truth };
}

interface Truths {
  expiry: Date;
  offset: number;
  merchant: string;
  share: number;
  shareTexts: string[];
  hours: number;
  hourTexts: string[];
  measured: number;
  disclosed: boolean;
  product: string | undefined;
}

function answer(
  r: g.Rand,
  lang_: g.Lang,
  p: { slot: string; kind: string; choices?: string[]; optional?: boolean },
  replies: Reply[],
  s: Scenario,
  t: Truths,
  truth: Record<string, unknown>,
): Record<string, unknown> {
  // Code-mixing: now and then an answer in the other language.
  const lang: g.Lang = r() < 0.1 ? (lang_ === 'en' ? 'zh-CN' : 'en') : lang_;
  const say = (text: string) => ({ text: g.typo(r, text) });
  const ordinal = (i: number) =>
    g
      .pick(r, g.ORDINAL[lang])
      .replace('{n}', String(i + 1))
      .replace('{nth}', g.NTH[i] ?? String(i + 1));
  switch (p.slot) {
    case 'complaint':
      return { value: { complaint: p.choices?.includes(s.complaint) ? s.complaint : 'other' } };
    case 'order_id': {
      if (p.kind === 'confirm') {
        const shown = replies.map((x) => x.text ?? '').join(' ');
        return say(
          g.pick(
            r,
            (shown.includes(s.item.name) || (s.item.nameEn !== undefined && shown.includes(s.item.nameEn))
              ? g.YES
              : g.NO)[lang],
          ),
        );
      }
      const i = p.choices?.indexOf(s.order.id) ?? -1;
      if (i < 0) return say(g.pick(r, [s.order.id, g.shortName(r, lang, s.item)]));
      return g.pick(r, [
        { value: { order_id: s.order.id } },
        say(ordinal(i)),
        say(g.shortName(r, lang, s.item)),
        say(s.order.id),
      ]);
    }
    case 'item': {
      const i = p.choices?.indexOf(s.item.sku) ?? 0;
      return g.pick(r, [
        say(s.item.sku),
        say(g.shortName(r, lang, s.item)),
        say(ordinal(i)),
        { value: { item: s.item.sku } },
      ]);
    }
    case 'expiry_date':
      truth.expiry_date = t.expiry;
      return say(g.dateText(r, lang, t.expiry, t.offset));
    case 'near_expiry_disclosed':
      truth.near_expiry_disclosed = t.disclosed;
      return say(g.pick(r, (t.disclosed ? g.YES : g.NO)[lang]));
    case 'affected_ratio':
      truth.affected_ratio = t.share;
      return say(g.pick(r, t.shareTexts));
    case 'listed_size':
      truth.listed_size = 120;
      return say(g.sizeText(r, lang, 120));
    case 'measured_size':
      truth.measured_size = t.measured;
      return say(g.sizeText(r, lang, t.measured));
    case 'merchant_response':
      truth.merchant_response = t.merchant;
      return say(g.pick(r, g.MERCHANT[t.merchant]![lang]));
    case 'merchant_reply_hours':
      truth.merchant_reply_hours = t.hours;
      return say(g.pick(r, t.hourTexts));
    // Nobody was harmed and frozen goods arrived frozen: simulated shoppers never mention harm,
    // so the health question should not come up; if it does, the answer is an honest no.
    case 'health_harm':
    case 'thawed':
      truth[p.slot] = false;
      return say(g.pick(r, g.NO[lang]));
    case 'accept_remedy':
      return say(g.pick(r, g.YES[lang]));
    default:
      if (p.kind === 'attachment') {
        if (p.optional && r() < 0.4) return say(g.pick(r, g.SKIP[lang]));
        return { attachments: [dataUrlAttachment(PNG_1X1, 'image/png', 'photo.png')] };
      }
      return say(g.pick(r, g.PERSON[lang]));
  }
}

/** Whether the stored facts say what the shopper meant; the expiry date to the day. */
function factsMatch(
  facts: Record<string, unknown>,
  truth: Record<string, unknown>,
  deliveredAt: string | undefined,
): string | undefined {
  for (const [k, v] of Object.entries(truth)) {
    if (k === 'expiry_date') {
      const expiry = (v as Date).getTime();
      const today = startOfDay(new Date()).getTime();
      const delivered = deliveredAt ? startOfDay(new Date(deliveredAt)).getTime() : today;
      // Counted from today or from the delivery day, whichever the rule table's contract uses.
      const allowed = [Math.round((today - expiry) / dayMs), Math.round((delivered - expiry) / dayMs)];
      if (!allowed.includes(facts.days_past_expiry as number))
        return `days_past_expiry ${String(facts.days_past_expiry)}, meant one of ${allowed.join('/')}`;
    } else if (typeof v === 'number' ? Math.abs(Number(facts[k]) - v) > 1e-6 : facts[k] !== v) {
      return `${k} ${JSON.stringify(facts[k])}, meant ${JSON.stringify(v)}`;
    }
  }
  return undefined;
}

export async function runSimulation(o: SimOptions): Promise<SimReport> {
  const h = await startHarness();
  const report: SimReport = {
    conversations: 0,
    outcomes: { accepted: 0, handoff: 0, cancelled: 0, stuck: 0, '5xx': 0 },
    factsChecked: 0,
    factsExact: 0,
    remedyChecked: 0,
    remedyEqual: 0,
    turns: [],
    failures: [],
  };
  try {
    const all = await scenarios(h);
    const langs = o.langs ?? ['zh-CN', 'en'];
    for (let i = 0; i < o.conversations; i++) {
      const seed = o.seed + i;
      const r = rng(seed ^ 0x5eed);
      const s = all[Math.floor(r() * all.length)]!;
      const lang = langs[i % langs.length]!;
      const c = await converse(h, s, seed, lang);
      report.conversations++;
      report.outcomes[c.outcome]++;
      report.turns.push(c.turns);
      let why = c.why;
      const cases = await h.app.stores.cases.list({ conversationId: `sim-${seed}` });
      const stored = cases.find((x) => x.decision !== undefined);
      if (!why && stored?.decision && Object.keys(c.truth).length > 0) {
        report.factsChecked++;
        const wrong = factsMatch(stored.facts as Record<string, unknown>, c.truth, s.order.deliveredAt);
        if (wrong) why = `facts: ${wrong}`;
        else report.factsExact++;
        // The table's decision on the true facts (the stored ones, if they are exact, are those).
        const { listed_size, measured_size, ...facts } = {
          merchant_response: 'not_contacted',
          evidence: [],
          ...stored.facts,
        } as Facts & { listed_size?: number; measured_size?: number };
        if (!wrong) {
          report.remedyChecked++;
          const d = h.app.rules.current().evaluate(facts as Facts);
          if (d.remedy === stored.decision.remedy && d.escalate === stored.decision.escalate) report.remedyEqual++;
          else why = `remedy ${stored.decision.remedy}, the table says ${d.remedy}`;
        }
      }
      if (why) report.failures.push({ seed, why, transcript: c.transcript });
      // Close what is still open, so the next conversation about the same item starts a new case.
      for (const x of cases)
        if (['open', 'proposed', 'escalated', 'assigned'].includes(x.status))
          await h.app.stores.cases.update(x.id, (cur) => ({ ...cur, status: 'resolved' }));
    }
  } finally {
    await h.close();
  }
  return report;
}

const pct = (n: number, d: number) => (d === 0 ? '-' : `${((100 * n) / d).toFixed(1)}%`);
const quantile = (xs: number[], q: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))] ?? 0;

export function formatReport(r: SimReport): string {
  const terminal = r.outcomes.accepted + r.outcomes.handoff + r.outcomes.cancelled;
  return [
    `conversations ${r.conversations}: accepted ${r.outcomes.accepted}, handed off ${r.outcomes.handoff}, cancelled ${r.outcomes.cancelled}, stuck ${r.outcomes.stuck}, 5xx ${r.outcomes['5xx']}`,
    `terminal ${pct(terminal, r.conversations)} · facts exact ${pct(r.factsExact, r.factsChecked)} of ${r.factsChecked} · remedy equal to the table ${pct(r.remedyEqual, r.remedyChecked)} of ${r.remedyChecked}`,
    `turns p50 ${quantile(r.turns, 0.5)}, p99 ${quantile(r.turns, 0.99)}`,
    r.failures.length === 0
      ? 'failing seeds: none'
      : `failing seeds: ${r.failures.map((f) => `${f.seed} (${f.why})`).join('; ')}`,
  ].join('\n');
}
