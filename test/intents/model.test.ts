import { expect } from 'chai';
import { MODEL_FILE, parseModel, readModel } from '../../intents/index.js';

describe('intent model artifact', () => {
  const saved = readModel(MODEL_FILE);

  it('has a weight row of one number per label for every feature, and a calibrated temperature', () => {
    const n = saved.labels.length;
    expect(saved.bias).to.have.length(n);
    const rows = Object.values(saved.weights);
    expect(rows.length).to.be.greaterThan(1000);
    for (const row of rows.slice(0, 200)) expect(row).to.have.length(n);
    expect(saved.temperature).to.be.within(0.1, 10);
  });

  it('rejects an artifact of the old Bayes format, saying how to rebuild it', () => {
    const old = JSON.stringify({ ...saved, format: 'kefu-intents/1', weights: undefined, counts: {} });
    expect(() => parseModel(old, 'model.json')).to.throw(
      /model\.json:1:1: not a valid intent model \(format is "kefu-intents\/1", expected kefu-intents\/2\); run `npm run train`/,
    );
  });

  it('rejects a weight row of the wrong length, naming the feature', () => {
    const bad = JSON.stringify({ ...saved, weights: { 'e:milk': [1, 2] } });
    expect(() => parseModel(bad, 'model.json')).to.throw(/weights\["e:milk"\] must hold 12 numbers/);
  });
});
