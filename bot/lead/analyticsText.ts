/** The analytics as plain text for `kefu report`: the figures a support lead reads first, then the details. */
import type { Analytics, Durations } from '../../domain/analytics.js';

const pct = (r: number): string => `${(r * 100).toFixed(1)}%`;
const yuan = (n: number): string => `¥${n.toLocaleString('en-US', { maximumFractionDigits: 2 })}`;

function span(seconds: number): string {
  if (seconds < 90) return `${Math.round(seconds)}s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)}m`;
  return `${(seconds / 3600).toFixed(1)}h`;
}

const times = (d: Durations): string =>
  d.count === 0 ? 'no cases' : `median ${span(d.median)}, p90 ${span(d.p90)} (${d.count} cases)`;

export function formatAnalytics(a: Analytics): string {
  const lines = [
    `kefu report ${a.since.slice(0, 16)} → ${a.until.slice(0, 16)} (UTC): ${a.cases} cases`,
    '',
    `  containment       ${pct(a.containmentRate)}  (${a.contained} settled by the bot, ${a.handedOff} handed to a person)`,
    `  handoff rate      ${pct(a.handoffRate)} of all cases`,
    `  handoff reasons   ${
      Object.entries(a.handoffReasons)
        .map(([r, n]) => `${r} ${n}`)
        .join(', ') || '-'
    }`,
    `  time to resolve   bot: ${times(a.resolutionTime.bot)}`,
    `                    agents: ${times(a.resolutionTime.agent)}`,
    `  SLA attainment    ${a.sla.measured === 0 ? 'no resolved handoffs' : `first response ${pct(a.sla.firstResponseRate)}, resolution ${pct(a.sla.resolutionRate)} (${a.sla.measured} cases)`}`,
    `  CSAT              ${a.csat.count === 0 ? 'no ratings' : `${a.csat.average} / 5 from ${a.csat.count} ratings (1★..5★: ${a.csat.distribution.join(' ')})`}`,
    `  money             refunds ${yuan(a.totals.refunds)}, compensation ${yuan(a.totals.compensation)}`,
    '',
    'By complaint:',
  ];
  for (const c of a.byComplaint) {
    const remedies =
      Object.entries(c.remedies)
        .map(([r, n]) => `${r} ${n}`)
        .join(', ') || 'none settled';
    lines.push(
      `  ${c.complaint.padEnd(20)} ${String(c.cases).padStart(5)} cases  refunds ${yuan(c.refunds)}, compensation ${yuan(c.compensation)}  (${remedies})`,
    );
  }
  lines.push('', 'Classifier weak spots:');
  if (a.weakSpots.confusions.length === 0 && a.weakSpots.unsure.length === 0) lines.push('  none recorded');
  for (const c of a.weakSpots.confusions) lines.push(`  read as ${c.from}, agents said ${c.to}: ${c.count}`);
  if (a.weakSpots.unsure.length > 0)
    lines.push(
      `  handed off unsure: ${a.weakSpots.unsure.length} (e.g. ${a.weakSpots.unsure
        .slice(0, 3)
        .map((u) => JSON.stringify(u.text))
        .join(', ')})`,
    );
  if (a.weakSpots.corrections.length > 0)
    lines.push(`  ${a.weakSpots.corrections.length} correction(s) waiting as training candidates: kefu intents review`);
  return `${lines.join('\n')}\n`;
}
