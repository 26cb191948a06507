/** Wiring of the composition root that no other test reaches. */
import { expect } from 'chai';
import { startHarness } from '../support/kefuHarness.js';

describe('startApp wiring', function () {
  this.timeout(30_000);

  it('gives the bot the configured Direct Line service address (a balancer, with several instances)', async () => {
    const h = await startHarness({ DIRECT_LINE_SERVICE_URL: 'http://10.0.0.5:3978/' });
    try {
      expect(h.app.directLine.serviceUrl()).to.match(/^http:\/\/10\.0\.0\.5:3978\/directline\/connector\/[^/]+\/?$/);
    } finally {
      await h.close();
    }
  });

  it('defaults the Direct Line service address to this instance on loopback', async () => {
    const h = await startHarness();
    try {
      expect(h.app.directLine.serviceUrl().startsWith(`http://127.0.0.1:${h.app.port}/directline/connector/`)).to.equal(
        true,
      );
    } finally {
      await h.close();
    }
  });
});
