import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { COMPLAINTS } from '../../intents/labels.js';
import { parseHandoffSettings } from '../../bot/handoff/index.js';
import { DataFileError } from '../../lib/dataFile.js';
import { fileSettings } from './helpers.js';

const text = readFileSync('data/handoff.yaml', 'utf8');

describe('data/handoff.yaml', () => {
  it('puts every complaint in exactly one team', () => {
    const owners = COMPLAINTS.map((c) =>
      Object.entries(fileSettings.teams)
        .filter(([, list]) => list.includes(c))
        .map(([t]) => t),
    );
    expect(owners.every((o) => o.length <= 1)).to.equal(true);
    expect(Object.values(fileSettings.teams).flat()).to.have.members([...COMPLAINTS]);
  });

  it('ranks by urgency alone: 1 for illness, then payouts and refusals; tiers only set SLA targets', () => {
    expect(fileSettings.reasonPriority.health_harm).to.equal(1);
    for (const r of ['merchant_refused', 'large_payout', 'approval'] as const)
      expect(fileSettings.reasonPriority[r]).to.equal(2);
    expect(Math.min(...Object.values(fileSettings.reasonPriority))).to.equal(1);
    expect(fileSettings).to.not.have.property('tierWeight');
  });

  it('has an SLA target for every tier, stricter for higher tiers, and a tighter one for priority 1', () => {
    const { regular, vip, svip } = fileSettings.sla;
    expect(svip.firstResponseSeconds).to.be.at.most(vip.firstResponseSeconds);
    expect(vip.firstResponseSeconds).to.be.at.most(regular.firstResponseSeconds);
    expect(svip.resolutionSeconds).to.be.at.most(vip.resolutionSeconds).and.at.most(regular.resolutionSeconds);
    expect(fileSettings.prioritySla[1]?.firstResponseSeconds).to.be.at.most(regular.firstResponseSeconds);
  });

  it('rejects a priority outside 1..5, saying 1 is the most urgent', () => {
    const bad = text.replace('unsure: 4', 'unsure: 9');
    expect(() => parseHandoffSettings(bad)).to.throw(
      DataFileError,
      /reason_priority\.unsure: 9 is not valid \(expected a priority from 1 \(most urgent\) to 5\)/,
    );
  });

  it('names the file, line and expectation of a misspelt complaint', () => {
    const bad = text.replace('fresh: [fresh_produce_loss]', 'fresh: [fresh_produce_los]');
    expect(() => parseHandoffSettings(bad, 'data/handoff.yaml')).to.throw(
      DataFileError,
      /^data\/handoff\.yaml:\d+:\d+: teams\.fresh\.0: "fresh_produce_los" is not valid \(expected one of expired_food/,
    );
  });

  it('rejects an agent assigned to a team that does not exist', () => {
    const bad = text.replace('  # alice: [food-safety, fresh, general]', '  alice: [food-safty]');
    expect(() => parseHandoffSettings(bad)).to.throw(DataFileError, /agent_teams\.alice\.0: "food-safty" is not valid/);
  });

  it('rejects a negative timeout', () => {
    const bad = text.replace('reassign_after_seconds: 180', 'reassign_after_seconds: -5');
    expect(() => parseHandoffSettings(bad)).to.throw(
      DataFileError,
      /reassign_after_seconds: -5 is not valid \(expected a number >= 1\)/,
    );
  });
});
