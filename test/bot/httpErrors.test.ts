/**
 * One mapping from errors to HTTP answers, checked over real HTTP: a KefuError answers its status
 * and stable code; anything else answers 500 with a generic message, never its text or stack.
 */
import { expect } from 'chai';
import { CloudAdapter } from 'botbuilder';
import { createLogger } from '../../bot/log.js';
import { createServer, type KefuServer } from '../../bot/server.js';
import { CaseNotFoundError } from '../../bot/store/errors.js';
import { KefuError } from '../../lib/errors.js';
import { apiServer } from '../handoff/apiServer.js';

const SECRET = 'password=hunter2 at /srv/kefu/store.ts:41';

async function get(url: string, headers: Record<string, string> = {}) {
  const res = await fetch(url, { headers });
  return { status: res.status, text: await res.text() };
}

describe('errors answered over HTTP by the one mapping', () => {
  describe('any route of the kefu server', () => {
    let kefu: KefuServer;
    let base: string;
    before(async () => {
      kefu = createServer({ adapter: new CloudAdapter(), onTurn: async () => undefined, log: createLogger('silent') });
      kefu.server.get('/boom', async () => {
        throw new Error(SECRET);
      });
      kefu.server.get('/gone', async () => {
        throw new CaseNotFoundError('K-20261130-0001');
      });
      kefu.server.get('/busy', async () => {
        throw new KefuError('conflict', 'someone else is editing this');
      });
      kefu.server.get('/odd', async () => {
        throw new KefuError('stored_data', `stored data is not valid: ${SECRET}`);
      });
      const port = await kefu.listen(0, '127.0.0.1');
      base = `http://127.0.0.1:${port}`;
    });
    after(() => kefu.close(0));

    it('answers an unknown error with 500, a generic body, and neither its message nor a stack', async () => {
      const r = await get(`${base}/boom`);
      expect(r.status).to.equal(500);
      expect(JSON.parse(r.text)).to.deep.equal({ error: 'internal', message: 'something went wrong' });
      expect(r.text).not.to.contain('hunter2');
      expect(r.text).not.to.match(/\.ts:\d+/);
    });

    it('answers a KefuError with the status of its code and the code itself', async () => {
      expect(await get(`${base}/gone`)).to.deep.equal({
        status: 404,
        text: JSON.stringify({ error: 'case_not_found', message: 'case K-20261130-0001 does not exist' }),
      });
      const busy = await get(`${base}/busy`);
      expect(busy.status).to.equal(409);
      expect(JSON.parse(busy.text)).to.deep.equal({ error: 'conflict', message: 'someone else is editing this' });
    });

    it('hides the message of a KefuError whose code is not one a caller can act on', async () => {
      const r = await get(`${base}/odd`);
      expect(r.status).to.equal(500);
      expect(r.text).not.to.contain('hunter2');
    });
  });

  describe('the agent API', () => {
    let api: Awaited<ReturnType<typeof apiServer>>;
    beforeEach(async () => (api = await apiServer()));
    afterEach(() => api.close());

    it('answers a store failure with 500 and its own generic message', async () => {
      const { c } = await api.queuedCase();
      api.cases.get = async () => {
        throw new Error(SECRET);
      };
      const r = await get(`${api.base}/api/agent/cases/${c.id}`, api.auth());
      expect(r.status).to.equal(500);
      expect(JSON.parse(r.text)).to.deep.equal({
        error: 'internal',
        message: 'something went wrong; the case was not changed',
      });
    });

    it('answers a HandoffError with its code, and no token with 401', async () => {
      const r = await get(`${api.base}/api/agent/cases/K-nothing`, api.auth());
      expect(r.status).to.equal(404);
      expect(JSON.parse(r.text)).to.deep.equal({ error: 'not_found', message: 'no handed-off case K-nothing' });
      const anonymous = await get(`${api.base}/api/agent/cases/K-nothing`);
      expect(anonymous.status).to.equal(401);
      expect(JSON.parse(anonymous.text).error).to.equal('unauthorized');
    });
  });
});
