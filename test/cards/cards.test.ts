import { expect } from 'chai';
import type { Attachment } from 'botbuilder';
import {
  ADAPTIVE_CARD_CONTENT_TYPE,
  CARD_LANGS,
  CARD_VERSION,
  csatCard,
  csatText,
  evidenceChecklistCard,
  evidenceChecklistText,
  parseCsatValue,
  parseRemedyValue,
  remedyProposalCard,
  remedyProposalText,
  type AdaptiveCard,
  type CardLang,
  type ChecklistItem,
} from '../../dialogs/cards/index.js';
import { loadCardLabels } from '../../dialogs/cards/labels.js';
import type { Decision } from '../../rules/facts.js';
import { cardProblems, parsedVersion } from './validateCard.js';

const labels = loadCardLabels();

function decision(over: Partial<Decision> = {}): Decision {
  return {
    remedy: 'refund',
    escalate: true,
    escalate_reason: 'merchant_refused',
    compensation: { kind: 'tenfold_price', min: 1000 },
    compensation_amount: 1000,
    return_shipping_paid_by: 'merchant',
    express_refund: true,
    ruleId: 'FOOD-EXPIRED-02',
    tableHash: 'abc123',
    explain: {
      'zh-CN': '食品已过期，依据食品安全法第148条退款并赔偿。',
      en: 'Expired food: refund and compensation under Food Safety Law Art. 148.',
    },
    matched: ['complaint = expired_food'],
    ...over,
  };
}

const items: ChecklistItem[] = [
  { key: 'photo_item', label: '商品照片 / photo of the item', status: 'done', optional: false },
  { key: 'photo_date_label', label: '生产日期标签 / date label', status: 'current', optional: false },
  { key: 'chat_with_merchant', label: '与商家的聊天记录 / merchant chat', status: 'skipped', optional: true },
  { key: 'unboxing_video', label: '开箱视频 / unboxing video', status: 'pending', optional: true },
];

function content(a: Attachment): AdaptiveCard {
  expect(a.contentType).to.equal(ADAPTIVE_CARD_CONTENT_TYPE);
  return a.content as AdaptiveCard;
}

/** Every string a person sees on the card, with the Markdown escapes removed. */
function visibleText(c: AdaptiveCard): string[] {
  const out: string[] = [];
  const walk = (el: unknown): void => {
    if (typeof el !== 'object' || el === null) return;
    const e = el as Record<string, unknown>;
    if (e.type === 'TextBlock' && typeof e.text === 'string') out.push(e.text);
    if (e.type === 'FactSet') for (const f of e.facts as { title: string; value: string }[]) out.push(f.title, f.value);
    if (Array.isArray(e.items)) e.items.forEach(walk);
  };
  c.body.forEach(walk);
  return out.map((s) => s.replace(/\\(.)/g, '$1').replace(/\u200B/g, ''));
}

/** Pieces of a visible string that must also be in the text fallback (the card joins label and value with a separator). */
function pieces(s: string): string[] {
  return s
    .split(/[:：]\s*/)
    .map((p) =>
      p.replace(/^\S+\s/u, (m) => (/^[\p{Emoji_Presentation}\p{Extended_Pictographic}]/u.test(m) ? '' : m)).trim(),
    )
    .filter((p) => p !== '');
}

const allCards = (lang: CardLang) => [
  {
    name: 'checklist',
    card: evidenceChecklistCard(lang, 'Evidence 证据', items),
    text: evidenceChecklistText(lang, 'Evidence 证据', items),
  },
  {
    name: 'remedy',
    card: remedyProposalCard(lang, {
      caseId: 'K-20260101-0001',
      decision: decision(),
      summary: 'Imported snack near expiry',
    }),
    text: remedyProposalText(lang, {
      caseId: 'K-20260101-0001',
      decision: decision(),
      summary: 'Imported snack near expiry',
    }),
  },
  { name: 'csat', card: csatCard(lang, 'K-20260101-0001'), text: csatText(lang) },
];

describe('cards', () => {
  for (const lang of CARD_LANGS) {
    describe(lang, () => {
      for (const { name, card, text } of allCards(lang)) {
        it(`${name}: the Adaptive Cards SDK parses and validates it without a problem, at version ${CARD_VERSION}`, () => {
          const c = content(card);
          expect(cardProblems(c)).to.deep.equal([]);
          expect(parsedVersion(c)).to.equal(CARD_VERSION);
          expect(c.version).to.equal(CARD_VERSION);
        });

        it(`${name}: the text fallback shows every fact the card shows, and is the card's fallbackText`, () => {
          const c = content(card);
          expect(c.fallbackText).to.equal(text);
          for (const shown of visibleText(c)) {
            for (const piece of pieces(shown)) expect(text, `card shows "${piece}"`).to.contain(piece);
          }
        });
      }

      it('remedy: buttons submit accept and decline with the case id', () => {
        const c = content(remedyProposalCard(lang, { caseId: 'K-7', decision: decision(), summary: 's' }));
        expect(c.actions?.map((a) => a.data)).to.deep.equal([
          { action: 'accept', caseId: 'K-7' },
          { action: 'decline', caseId: 'K-7' },
        ]);
        expect(c.actions?.map((a) => a.title)).to.deep.equal([labels[lang].remedy.accept, labels[lang].remedy.decline]);
        expect(c.actions?.map((a) => parseRemedyValue(a.data))).to.deep.equal([
          { action: 'accept', caseId: 'K-7' },
          { action: 'decline', caseId: 'K-7' },
        ]);
      });

      it('remedy: a rejection offers "OK" and "ask a person", submitting the same values', () => {
        const d = decision({
          remedy: 'reject',
          escalate: false,
          compensation: undefined,
          compensation_amount: undefined,
          return_shipping_paid_by: undefined,
          express_refund: undefined,
        });
        const c = content(remedyProposalCard(lang, { caseId: 'K-8', decision: d, summary: '' }));
        expect(c.actions?.map((a) => [a.title, a.data])).to.deep.equal([
          [labels[lang].remedy.acknowledge, { action: 'accept', caseId: 'K-8' }],
          [labels[lang].remedy.ask_human, { action: 'decline', caseId: 'K-8' }],
        ]);
        const shown = visibleText(c).join('\n');
        expect(shown).to.contain(labels[lang].remedy.remedies.reject);
        expect(shown).not.to.contain(labels[lang].remedy.escalated);
        expect(shown).not.to.contain('¥');
      });

      it('remedy: shows money in yuan and the refund share of a partial refund', () => {
        const d = decision({ remedy: 'partial_refund', refund_pct: 30, compensation_amount: 1234.5 });
        const text = remedyProposalText(lang, { caseId: 'K-9', decision: d, summary: 'strawberries' });
        const shown = visibleText(
          content(remedyProposalCard(lang, { caseId: 'K-9', decision: d, summary: 'strawberries' })),
        );
        for (const s of [text, shown.join('\n')]) {
          expect(s)
            .to.contain('¥1,234.50')
            .and.contain('30%')
            .and.contain(labels[lang].remedy.remedies.partial_refund)
            .and.contain(d.explain[lang]);
        }
      });

      it('csat: five buttons submit scores 1..5 with the case id', () => {
        const c = content(csatCard(lang, 'K-3'));
        expect(c.actions?.map((a) => a.data)).to.deep.equal([1, 2, 3, 4, 5].map((csat) => ({ csat, caseId: 'K-3' })));
        expect(c.actions?.map((a) => parseCsatValue(a.data)?.csat)).to.deep.equal([1, 2, 3, 4, 5]);
        expect(csatText(lang)).to.contain(labels[lang].csat.question);
      });

      it('checklist: shows progress, each status and the optional marker', () => {
        const text = evidenceChecklistText(lang, 'T', items);
        const l = labels[lang].checklist;
        expect(text).to.contain(l.progress.replace('{done}', '1').replace('{total}', '4'));
        for (const s of ['done', 'skipped', 'pending', 'current'] as const) expect(text).to.contain(l.status[s]);
        expect(text.split('\n').filter((line) => line.includes(l.optional))).to.have.length(2);
        const current = content(evidenceChecklistCard(lang, 'T', items)).body.find(
          (b) => b.type === 'TextBlock' && b.text.includes('date label'),
        );
        expect(current).to.include({ weight: 'bolder', color: 'accent' });
        expect(content(evidenceChecklistCard(lang, 'T', items)).actions).to.equal(undefined);
      });
    });
  }

  it('cuts long text with an ellipsis, the same way on the card and in the text', () => {
    const title = '很长的标题'.repeat(40);
    const label = 'x'.repeat(300);
    const card = content(
      evidenceChecklistCard('zh-CN', title, [{ key: 'k', label, status: 'pending', optional: false }]),
    );
    const shownTitle = (card.body[0] as { text: string }).text;
    expect(Array.from(shownTitle)).to.have.length(80);
    expect(shownTitle.endsWith('…')).to.equal(true);
    expect(evidenceChecklistText('zh-CN', title, [{ key: 'k', label, status: 'pending', optional: false }]))
      .to.contain(shownTitle)
      .and.contain(`${'x'.repeat(59)}…`);
    const summary = '🍓'.repeat(1000);
    const remedy = remedyProposalText('en', { caseId: 'K', decision: decision(), summary });
    expect(remedy)
      .to.contain(`${'🍓'.repeat(399)}…`)
      .and.not.contain('🍓'.repeat(400));
  });

  it('escapes Markdown and template functions in shopper- and rule-supplied text on the card', () => {
    const evil = '**FREE** [click](http://evil.example) {{DATE(2026-01-01T00:00:00Z)}}\n- item';
    const card = content(
      evidenceChecklistCard('en', evil, [{ key: 'k', label: evil, status: 'current', optional: false }]),
    );
    const raw = JSON.stringify(card.body);
    expect(raw).not.to.contain('**FREE**').and.not.to.contain('[click]').and.not.to.contain('{{DATE');
    expect((card.body[0] as { text: string }).text).to.contain('\\*\\*FREE\\*\\* \\[click\\](http://evil.example)');
    const remedy = content(
      remedyProposalCard('en', { caseId: 'K-1', decision: decision({ ruleId: 'R_1*' }), summary: '- a\n1. b' }),
    );
    expect(JSON.stringify(remedy.body)).to.contain('R\\\\_1\\\\*');
    // The text fallback is plain text and keeps the shopper's words as typed.
    expect(evidenceChecklistText('en', 'a **b**', [])).to.contain('a **b**');
  });
});
