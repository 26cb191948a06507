/**
 * Agents see a shopper's ID and bank-card numbers masked (case file and live messages) until they
 * reveal them; a reveal is recorded in the case's history with the agent's name. Order numbers,
 * which agents need, stay visible.
 */
import { expect } from 'chai';
import { AGENT_TOKEN, startHarness, type Harness } from '../support/kefuHarness.js';

const ID_NUMBER = '11010519491231002X';
const CARD = '6222 0212 3456 7894';

describe('handoff: ID and card numbers masked for agents until revealed', function () {
  this.timeout(30_000);
  let h: Harness;
  before(async () => (h = await startHarness()));
  after(async () => h?.close());

  const agent = (method: string, path: string) =>
    fetch(`${h.app.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${AGENT_TOKEN}`, 'content-type': 'application/json' },
      ...(method === 'POST' ? { body: '{}' } : {}),
    });

  it('masks them in the case file, shows them on reveal, and records who revealed them', async () => {
    await h.say('reveal-1', 'u-lihua', { text: '洗发水瓶子破了，漏了一箱' });
    await h.say('reveal-1', 'u-lihua', { text: '284716350192837465' });
    await h.say('reveal-1', 'u-lihua', { text: `退款请打到卡号${CARD}，身份证${ID_NUMBER}` });
    await h.say('reveal-1', 'u-lihua', { text: '转人工' });
    const [c] = await h.app.stores.cases.list({ shopperId: 'u-lihua' });
    expect(c?.status).to.equal('escalated');
    expect(JSON.stringify(c!.transcript), 'the stored transcript is whole').to.include(ID_NUMBER);

    const claimed = await agent('POST', `/api/agent/cases/${c!.id}/claim`);
    expect(claimed.status).to.equal(200);
    const masked = JSON.stringify(await claimed.json());
    const viewed = (await (await agent('GET', `/api/agent/cases/${c!.id}`)).json()) as {
      masked: number;
      case: unknown;
    };
    for (const seen of [masked, JSON.stringify(viewed)]) {
      expect(seen).to.not.include(ID_NUMBER);
      expect(seen).to.not.include(CARD);
      expect(seen).to.include('1101**********002X');
      expect(seen).to.include('************7894');
      expect(seen, 'the order number stays visible').to.include('284716350192837465');
    }
    expect(viewed.masked).to.equal(2);

    const revealed = (await (await agent('POST', `/api/agent/cases/${c!.id}/reveal`)).json()) as {
      masked: number;
      case: { history: { by: string; note?: string }[] };
    };
    expect(JSON.stringify(revealed)).to.include(ID_NUMBER).and.include(CARD);
    expect(revealed.masked).to.equal(0);
    const stored = await h.app.stores.cases.get(c!.id);
    expect(stored!.history.at(-1)).to.deep.include({ by: 'agent:li', note: 'revealed ID and card numbers' });

    // A later look is masked again: each reveal is a decision on the record.
    expect(JSON.stringify(await (await agent('GET', `/api/agent/cases/${c!.id}`)).json())).to.not.include(ID_NUMBER);
    // Live messages to the agent are masked the same way.
    const live: string[] = [];
    const stop = h.app.handoff.events.subscribe(
      'li',
      undefined,
      (e) => void (e.type === 'shopper_message' && live.push(e.text)),
      () => undefined,
    );
    await h.say('reveal-1', 'u-lihua', { text: `再说一遍：卡号${CARD}` });
    stop();
    expect(live).to.deep.equal(['再说一遍：卡号************7894']);
    // The console offers the reveal.
    expect(await (await fetch(`${h.app.url}/console`)).text()).to.include('id="reveal"');
  });

  it('refuses a reveal without an agent token', async () => {
    const [c] = await h.app.stores.cases.list({ shopperId: 'u-lihua' });
    expect((await fetch(`${h.app.url}/api/agent/cases/${c!.id}/reveal`, { method: 'POST' })).status).to.equal(401);
  });
});
