/**
 * Cost of building the cards a turn sends, beside a baseline in the same run: deep-copying an
 * already built card of the same size (the least any builder must do).
 */
import { csatCard, evidenceChecklistCard, remedyProposalCard } from '../../dialogs/cards/index.js';
import type { Decision } from '../../rules/facts.js';

const decision: Decision = {
  remedy: 'refund',
  escalate: true,
  compensation_amount: 1000,
  return_shipping_paid_by: 'merchant',
  express_refund: true,
  ruleId: 'FOOD-02',
  tableHash: 'h',
  explain: { 'zh-CN': '食品已过期，退款并赔偿。', en: 'Expired food: refund and compensation.' },
  matched: [],
};
const items = ['商品照片', '生产日期标签', '聊天记录', '开箱视频'].map((label, i) => ({
  key: `k${i}`,
  label,
  status: (['done', 'current', 'pending', 'pending'] as const)[i]!,
  optional: i > 1,
}));

function perSecond(n: number, fn: () => unknown): number {
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) fn();
  return n / (Number(process.hrtime.bigint() - start) / 1e9);
}

export default async (): Promise<void> => {
  const built = remedyProposalCard('zh-CN', { caseId: 'K-1', decision, summary: '进口零食临期' });
  const n = 20_000;
  perSecond(2000, () => remedyProposalCard('en', { caseId: 'K-1', decision, summary: 'x' })); // warm-up
  const baseline = perSecond(n, () => structuredClone(built));
  const remedy = perSecond(n, () => remedyProposalCard('zh-CN', { caseId: 'K-1', decision, summary: '进口零食临期' }));
  const checklist = perSecond(n, () => evidenceChecklistCard('zh-CN', '需要的证据', items));
  const csat = perSecond(n, () => csatCard('en', 'K-1'));
  const fmt = (x: number) => `${Math.round(x).toLocaleString('en-US')}/s (${(x / baseline).toFixed(2)}x baseline)`;
  console.log(`baseline structuredClone of a card: ${Math.round(baseline).toLocaleString('en-US')}/s`);
  console.log(`remedyProposalCard:   ${fmt(remedy)}`);
  console.log(`evidenceChecklistCard: ${fmt(checklist)}`);
  console.log(`csatCard:             ${fmt(csat)}`);
};
