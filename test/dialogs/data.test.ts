/**
 * Cross-checks the data files a support lead or trainer edits: every intent has a route and
 * replies in both languages, every slot the evidence plan asks for has its texts, and every
 * evidence kind or fact a rule mentions can actually be asked for or derived.
 */
import { expect } from 'chai';
import path from 'node:path';
import { COMPLAINTS } from '../../intents/labels.js';
import { REMEDIES, type FactName } from '../../rules/facts.js';
import { loadTable, parseTable } from '../../rules/index.js';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { Responses } from '../../domain/responses.js';
import { Controls, CONTROLS, normalise } from '../../domain/controls.js';
import { loadEvidencePlan } from '../../domain/evidencePlan.js';
import { checkEvidencePlan } from '../../domain/evidenceCheck.js';
import { CASE_STATUSES } from '../../bot/store/index.js';
import { HANDOFF_REASONS } from '../../bot/handoff/index.js';
import { readYamlFile } from '../../lib/dataFile.js';
import { ROOT } from '../support/kefuHarness.js';

const data = (f: string) => path.join(ROOT, 'data', f);
const responses = Responses.load(data('responses.yaml'));
const plan = loadEvidencePlan(data('evidence.yaml'));
const LANGS = ['zh-CN', 'en'] as const;

/** Facts the bot fills from the order source and the case itself, without asking. */
const FROM_ORDER: FactName[] = [
  'complaint',
  'category',
  'delivered',
  'hours_since_delivery',
  'shelf_life_days',
  'net_content_nominal',
  'thawed',
  'order_amount',
  'member_tier',
  'prior_claims_90d',
  'evidence',
];
/** Facts derived from helper slots. */
const DERIVED: Record<string, FactName[]> = {
  expiry_date: ['days_past_expiry'],
  listed_size: ['size_deviation_pct'],
  measured_size: ['size_deviation_pct'],
  measured_weight: ['net_content_shortfall', 'weight_shortfall_pct'],
};

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
      ...[
        'welcome',
        'greeting',
        'help_general',
        'out_of_scope',
        'nothing_to_cancel',
        'status.none',
        'handoff.ask_topic',
      ],
      ...REMEDIES.map((r) => `remedy.name.${r}`),
      ...CASE_STATUSES.map((s) => `status.state.${s}`),
      ...HANDOFF_REASONS.map((r) => `handoff.reason.${r}`),
    ];
    for (const key of needed) expect(responses.has(key), key).to.equal(true);
  });

  it('has a question, a label and (for choices) option texts for every slot the plan asks', () => {
    for (const complaint of COMPLAINTS) {
      for (const step of plan.steps(complaint)) {
        for (const key of [`ask.${step.slot}`, `label.${step.slot}`])
          expect(responses.has(key), `${complaint}: ${key}`).to.equal(true);
        const spec = plan.slots[step.slot];
        if (spec.kind === 'choice')
          for (const c of spec.choices) expect(responses.has(`${step.slot}.${c}`), `${step.slot}.${c}`).to.equal(true);
        expect(responses.has(`slot_help.${spec.kind}`)).to.equal(true);
      }
    }
  });

  it('asks for the evidence every rule row needs (the check `kefu rules check` runs), and fills every fact a rule mentions', () => {
    const table = loadTable(data('rules.yaml'));
    expect(checkEvidencePlan(table.model, plan, 'data/evidence.yaml')).to.deep.equal([]);
    for (const complaint of COMPLAINTS) {
      const slots = plan.steps(complaint).map((s) => s.slot as string);
      const fillable = new Set<string>([...FROM_ORDER, ...slots, ...slots.flatMap((s) => DERIVED[s] ?? [])]);
      // live_goods comes from the order source when the goods are fresh; health_harm is asked when
      // the shopper's words suggest harm (checked by its own test below), and decides wherever known.
      for (const fact of table.mentions(complaint).facts.filter((f) => f !== 'live_goods' && f !== 'health_harm')) {
        expect([...fillable], `${complaint} rule mentions fact ${fact}`).to.include(fact);
      }
    }
  });

  it('flags a row whose evidence the plan never asks for, or asks only optionally with no row deciding without it', () => {
    const table = loadTable(data('rules.yaml'));
    const steps = (c: (typeof COMPLAINTS)[number]) => plan.steps(c);
    // The item photo made optional and the date label dropped: the near-expiry rows would send
    // every shopper to a person (the defect the check exists for).
    const weakened = {
      ...plan,
      steps: (c: (typeof COMPLAINTS)[number]) =>
        c === 'expired_food'
          ? steps(c).filter((s) => s.slot !== 'photo_date_label')
          : c === 'size_mismatch'
            ? steps(c).map((s) => (s.slot === 'photo_measurement' ? { ...s, optional: true } : s))
            : steps(c),
    };
    const found = checkEvidencePlan(table.model, weakened, 'evidence.yaml');
    expect(found.find((d) => d.ruleId === 'EXP-01')).to.include({ severity: 'error', code: 'evidence_not_asked' });
    expect(found.find((d) => d.ruleId === 'EXP-01')?.message).to.contain('never asks for photo_date_label');
    expect(found.find((d) => d.ruleId === 'SIZE-02')).to.include({ severity: 'warning', code: 'evidence_optional' });
    // The old table's mistake: expired food needing the optional item photo sent a shopper who skipped it to DEFAULT.
    const old = parseTable(
      readFileSync(data('rules.yaml'), 'utf8').replaceAll(
        'evidence: includes photo_date_label',
        'evidence: includes [photo_item, photo_date_label]',
      ),
      'rules.yaml',
    );
    const exp = checkEvidencePlan(old.model, plan, 'evidence.yaml').find((d) => d.ruleId === 'EXP-01');
    expect(exp).to.include({ severity: 'warning', code: 'evidence_optional' });
    expect(exp?.message).to.contain('needs photo_item for expired_food').and.contain('complaint: expired_food');
  });

  it('asks the health question only when the words suggest harm, and keeps the HEALTH row reachable', () => {
    for (const complaint of ['expired_food', 'fresh_produce_loss', 'quality_defect'] as const) {
      expect(
        plan.steps(complaint).find((s) => s.slot === 'health_harm'),
        complaint,
      ).to.deep.include({ whenMentioned: true });
    }
    const table = loadTable(data('rules.yaml'));
    // Without any health step, the HEALTH row (health_harm: true) could never match.
    const noHealth = {
      ...plan,
      steps: (c: (typeof COMPLAINTS)[number]) => plan.steps(c).filter((s) => s.slot !== 'health_harm'),
    };
    const found = checkEvidencePlan(table.model, noHealth, 'evidence.yaml').find((d) => d.ruleId === 'HEALTH');
    expect(found).to.include({ severity: 'error', code: 'fact_not_asked' });
    expect(found?.message).to.contain('needs health_harm known');
  });

  it('refuses when_mentioned on a slot kefu cannot hear mentioned, and a when_mentioned that is not true/false', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kefu-plan-'));
    const text = readFileSync(data('evidence.yaml'), 'utf8');
    const photo = path.join(dir, 'photo.yaml');
    writeFileSync(
      photo,
      text.replace(
        '  damaged_packaging:\n',
        '  damaged_packaging:\n    - { slot: photo_package, when_mentioned: true }\n',
      ),
    );
    expect(() => loadEvidencePlan(photo)).to.throw(
      /photo\.yaml:\d+:\d+: complaints\.damaged_packaging\.0\.when_mentioned.*'photo_package'.*expected one of: health_harm/,
    );
    const word = path.join(dir, 'word.yaml');
    writeFileSync(
      word,
      text.replace('{ slot: health_harm, when_mentioned: true }', '{ slot: health_harm, when_mentioned: sometimes }'),
    );
    expect(() => loadEvidencePlan(word)).to.throw(/when_mentioned/);
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
    expect(['end chat', 'End chat.', '结束对话', '退出排队！'].map((t) => controls.match(t))).to.deep.equal([
      'end_chat',
      'end_chat',
      'end_chat',
      'leave_queue',
    ]);
    expect(
      ['I do not want this to end without a refund', '结束了吗', 'chat'].map((t) => controls.match(t)),
    ).to.deep.equal([undefined, undefined, undefined]);
  });
});
