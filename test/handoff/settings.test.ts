import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { COMPLAINTS } from '../../intents/labels.js';
import { HandoffSettingsError, parseHandoffSettings } from '../../bot/handoff/index.js';
import { fileSettings } from './helpers.js';

const text = readFileSync('data/handoff.yaml', 'utf8');

describe('data/handoff.yaml', () => {
  it('puts every complaint in exactly one team', () => {
    const owners = COMPLAINTS.map((c) => Object.entries(fileSettings.teams).filter(([, list]) => list.includes(c)).map(([t]) => t));
    expect(owners.every((o) => o.length <= 1)).to.equal(true);
    expect(Object.values(fileSettings.teams).flat()).to.have.members([...COMPLAINTS]);
  });

  it('keeps tier weights far enough apart that a higher tier always comes first', () => {
    const { regular, vip, svip } = fileSettings.tierWeight;
    expect(vip - regular).to.be.greaterThan(9);
    expect(svip - vip).to.be.greaterThan(9);
  });

  it('has an SLA target for every priority, stricter for higher priorities', () => {
    const rows = fileSettings.sla;
    expect(rows.at(-1)?.minPriority).to.equal(0);
    for (let i = 1; i < rows.length; i++) expect(rows[i - 1]!.resolutionSeconds).to.be.at.most(rows[i]!.resolutionSeconds);
  });

  it('names the file, line and expectation of a misspelt complaint', () => {
    const bad = text.replace('fresh: [fresh_produce_loss]', 'fresh: [fresh_produce_los]');
    expect(() => parseHandoffSettings(bad, 'data/handoff.yaml')).to.throw(HandoffSettingsError, /^data\/handoff\.yaml:\d+:\d+ teams\.fresh\.0: "fresh_produce_los" is not valid \(expected one of expired_food/);
  });

  it('rejects an agent assigned to a team that does not exist', () => {
    const bad = text.replace('  # alice: [food-safety, fresh, general]', '  alice: [food-safty]');
    expect(() => parseHandoffSettings(bad)).to.throw(HandoffSettingsError, /agent_teams\.alice\.0: "food-safty" is not valid/);
  });

  it('rejects a negative timeout', () => {
    const bad = text.replace('reassign_after_seconds: 180', 'reassign_after_seconds: -5');
    expect(() => parseHandoffSettings(bad)).to.throw(HandoffSettingsError, /reassign_after_seconds: -5 is not valid \(expected a number >= 1\)/);
  });
});
