import { expect } from 'chai';
import { main } from '../../bot/cli/main.js';
import { captureIo } from '../support/cliIo.js';

describe('kefu CLI', () => {
  it('lists its commands on help', async () => {
    const c = captureIo();
    expect(await main(['help'], c.io)).to.equal(0);
    expect(c.out()).to.match(/Commands:/).and.match(/rules/).and.match(/classify/);
  });

  it('refuses an unknown command with exit 2 and names the known ones', async () => {
    const c = captureIo();
    expect(await main(['frobnicate'], c.io)).to.equal(2);
    expect(c.err()).to.contain("unknown command 'frobnicate'").and.contain('rules');
  });
});
