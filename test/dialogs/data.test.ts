/**
 * Cross-checks the data files a support lead or trainer edits: every intent has a route and
 * replies in both languages, every slot the evidence plan asks for has its texts, and every
 * evidence kind or fact a rule mentions can actually be asked for or derived.
 */
import { expect } from 'chai';
import path from 'node:path';
import { COMPLAINTS } from '../../intents/labels.js';
import { REMEDIES, type FactName } from '../../rules/facts.js';
import { loadTable } from '../../rules/index.js';
import { Responses } from '../../bot/data/responses.js';
import { Controls, CONTROLS, normalise } from '../../bot/data/controls.js';
import { loadEvidencePlan } from '../../bot/data/evidencePlan.js';
import { CASE_STATUSES } from '../../bot/store/index.js';
import { HANDOFF_REASONS } from '../../bot/handoff/index.js';
import { readYamlFile } from '../../bot/data/yamlFile.js';
import { ROOT } from '../support/kefuHarness.js';

const data = (f: string) => path.join(ROOT, 'data', f);
const responses = Responses.load(data('responses.yaml'));
const plan = loadEvidencePlan(data('evidence.yaml'));
const LANGS = ['zh-CN', 'en'] as const;

/** Facts the bot fills from the order source and the case itself, without asking. */
const FROM_ORDER: FactName[] = ['complaint', 'category', 'hours_since_delivery', 'order_amount', 'member_tier', 'prior_claims_90d', 'evidence'];
/** Facts derived from helper slots. */
const DERIVED: Record<string, FactName> = { expiry_date: 'days_past_expiry', listed_size: 'size_deviation_pct', measured_size: 'size_deviation_pct' };

describe('data files cross-check', () => {
  it('uses the same placeholders in both languages of every reply', () => {
    for (const key of responses.keys()) {
      expect(responses.placeholders(key, 'en'), key).to.deep.equal(responses.placeholders(key, 'zh-CN'));
    }
  });

  it('has a reply or label for every intent, remedy, case status and handoff reason', () => {
    const needed = [
      ...COMPLAINTS.map((c) => `intent.${c}`),
      'intent.other',
      ...['welcome', 'greeting', 'help_general', 'out_of_scope', 'nothing_to_cancel', 'status.none', 'handoff.ask_topic'],
      ...REMEDIES.map((r) => `remedy.name.${r}`),
      ...CASE_STATUSES.map((s) => `status.state.${s}`),
      ...HANDOFF_REASONS.map((r) => `handoff.reason.${r}`),
    ];
    for (const key of needed) expect(responses.has(key), key).to.equal(true);
  });

  it('has a question, a label and (for choices) option texts for every slot the plan asks', () => {
    for (const complaint of COMPLAINTS) {
      for (const step of plan.steps(complaint)) {
        for (const key of [`ask.${step.slot}`, `label.${step.slot}`]) expect(responses.has(key), `${complaint}: ${key}`).to.equal(true);
        const spec = plan.slots[step.slot];
        if (spec.kind === 'choice') for (const c of spec.choices) expect(responses.has(`${step.slot}.${c}`), `${step.slot}.${c}`).to.equal(true);
        expect(responses.has(`slot_help.${spec.kind}`)).to.equal(true);
      }
    }
  });

  it('can ask for the evidence every rule row needs, and fill every fact a rule mentions', () => {
    const table = loadTable(data('rules.yaml'));
    for (const row of table.model.rows) {
      const complaintCell = row.cells.find((c) => c.input === 'complaint')?.cond;
      const applies = COMPLAINTS.filter((c) => {
        if (!complaintCell || complaintCell.kind !== 'oneOf') return true;
        return complaintCell.values.includes(c) !== complaintCell.negate;
      });
      const needs = row.cells.find((c) => c.input === 'evidence')?.cond;
      for (const complaint of applies) {
        const askable = plan.steps(complaint).map((s) => s.slot as string);
        if (needs?.kind !== 'set' || needs.negate) continue;
        const have = needs.members.filter((m) => askable.includes(m));
        // "includes any": one askable kind is enough to satisfy the row; "includes all": every one.
        const ok = needs.op === 'some' ? have.length > 0 : have.length === needs.members.length;
        expect(ok, `row ${row.id} (${complaint}) needs ${needs.op} of [${needs.members.join(', ')}]; the plan asks [${askable.join(', ')}]`).to.equal(true);
      }
    }
    for (const complaint of COMPLAINTS) {
      const slots = plan.steps(complaint).map((s) => s.slot as string);
      const fillable = new Set<string>([...FROM_ORDER, ...slots, ...slots.map((s) => DERIVED[s]).filter((f): f is FactName => f !== undefined)]);
      // live_goods and weight_shortfall_pct come from the order source or free text when known.
      for (const fact of table.mentions(complaint).facts.filter((f) => f !== 'live_goods' && f !== 'weight_shortfall_pct')) {
        expect([...fillable], `${complaint} rule mentions fact ${fact}`).to.include(fact);
      }
    }
  });

  it('never lists one control phrase under two controls', () => {
    const raw = readYamlFile<Record<string, Record<string, string[]>>>(data('controls.yaml'), { type: 'object' });
    const seen = new Map<string, string>();
    for (const control of CONTROLS) {
      for (const lang of LANGS) {
        for (const phrase of raw[control]?.[lang] ?? []) {
          const key = normalise(phrase);
          expect(seen.get(key) ?? control, `'${phrase}' is under ${seen.get(key)} and ${control}`).to.equal(control);
          seen.set(key, control);
        }
      }
    }
    const controls = Controls.load(data('controls.yaml'));
    expect(controls.match('算了')).to.equal('cancel');
    expect(controls.match('算了一下是30厘米')).to.equal(undefined);
    // While a person has the case only an explicit end or leave stops the relay.
    expect(['end chat', 'End chat.', '结束对话', '退出排队！'].map((t) => controls.match(t))).to.deep.equal(['end_chat', 'end_chat', 'end_chat', 'leave_queue']);
    expect(['I do not want this to end without a refund', '结束了吗', 'chat'].map((t) => controls.match(t))).to.deep.equal([undefined, undefined, undefined]);
  });
});
