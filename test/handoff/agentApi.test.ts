import { expect } from 'chai';
import { apiServer, PNG } from './apiServer.js';
import { AGENTS } from './helpers.js';

type Api = Awaited<ReturnType<typeof apiServer>>;

describe('agent API', () => {
  let api: Api;
  beforeEach(async () => (api = await apiServer()));
  afterEach(async () => api.close());

  const post = (path: string, body: unknown, headers: Record<string, string>) =>
    fetch(`${api.base}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });

  it("refuses every route without a valid agent token and never shows a shopper's case", async () => {
    const { c, photo } = await api.queuedCase('shopper-1');
    const routes: Array<[string, string]> = [
      ['GET', '/api/agent/me'],
      ['GET', '/api/agent/queue'],
      ['GET', '/api/agent/events'],
      ['GET', `/api/agent/cases/${c.id}`],
      ['GET', `/api/agent/cases/${c.id}/evidence/${photo.id}`],
      ['POST', `/api/agent/cases/${c.id}/claim`],
      ['POST', `/api/agent/cases/${c.id}/release`],
      ['POST', `/api/agent/cases/${c.id}/messages`],
      ['POST', `/api/agent/cases/${c.id}/close`],
    ];
    // No header; another shopper holding a chat token; a near miss of a real token; a non-bearer scheme.
    const attempts: Array<Record<string, string>> = [
      {},
      { Authorization: 'Bearer shopper-2-directline-token' },
      { Authorization: `Bearer ${AGENTS[0]!.token}x` },
      { Authorization: `Basic ${AGENTS[0]!.token}` },
    ];
    for (const [method, path] of routes) {
      for (const headers of attempts) {
        const res = await fetch(`${api.base}${path}`, { method, headers });
        const text = await res.text();
        expect(res.status, `${method} ${path}`).to.equal(401);
        expect(res.headers.get('www-authenticate')).to.contain('Bearer');
        expect(text).to.not.contain(c.id).and.not.contain('零食');
      }
    }
    expect((await api.cases.get(c.id))?.status).to.equal('escalated');
  });

  it('shows the queue with priorities and SLA due times to a signed-in agent', async () => {
    const { c } = await api.queuedCase();
    const res = await fetch(`${api.base}/api/agent/queue`, { headers: api.auth() });
    expect(res.status).to.equal(200);
    const body = (await res.json()) as { items: Array<Record<string, unknown>> };
    expect(body.items).to.have.length(1);
    expect(body.items[0]).to.include({
      caseId: c.id,
      team: 'food-safety',
      priority: 2,
      memberTier: 'vip',
      state: 'waiting',
      position: 1,
    });
    expect(
      Date.parse(String(body.items[0]!.firstResponseDue)) - Date.parse(String(body.items[0]!.enqueuedAt)),
    ).to.equal(5 * 60 * 1000);
  });

  it('claims, chats and closes a case over HTTP, and the shopper hears each step', async () => {
    const { c } = await api.queuedCase();
    const claim = await post(`/api/agent/cases/${c.id}/claim`, {}, api.auth());
    expect(claim.status).to.equal(200);
    const file = (await claim.json()) as { case: Record<string, unknown> };
    expect(file.case).to.not.have.property('conversationRef');
    expect(file.case.decision).to.include({ ruleId: 'FOOD-EXPIRED-REFUSED' });

    const taken = await post(`/api/agent/cases/${c.id}/claim`, {}, api.auth(AGENTS[1]));
    expect(taken.status).to.equal(409);

    expect(
      (await post(`/api/agent/cases/${c.id}/messages`, { text: '请稍等，我核对一下' }, api.auth())).status,
    ).to.equal(201);
    expect(
      (await post(`/api/agent/cases/${c.id}/messages`, { text: 'mine now' }, api.auth(AGENTS[1]))).status,
    ).to.equal(403);

    const bad = await post(
      `/api/agent/cases/${c.id}/close`,
      { kind: 'change', remedy: 'partial_refund', note: 'x' },
      api.auth(),
    );
    expect(bad.status).to.equal(400);
    expect(((await bad.json()) as { message: string }).message).to.contain('refund_pct is required');

    const closed = await post(
      `/api/agent/cases/${c.id}/close`,
      { kind: 'accept_proposal', note: 'label altered' },
      api.auth(),
    );
    expect(closed.status).to.equal(200);
    expect(((await closed.json()) as { status: string }).status).to.equal('resolved');
    expect(api.notifier.of(c.id).map((e) => e.type)).to.deep.equal(['queued', 'assigned', 'agent_message', 'resolved']);
  });

  it('serves evidence images with their type, nosniff and a sandboxing CSP, and anything else as a download', async () => {
    const { c, photo } = await api.queuedCase();
    const res = await fetch(`${api.base}/api/agent/cases/${c.id}/evidence/${photo.id}`, { headers: api.auth() });
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.equal('image/png');
    expect(res.headers.get('x-content-type-options')).to.equal('nosniff');
    expect(res.headers.get('content-security-policy')).to.contain("default-src 'none'").and.contain('sandbox');
    expect(Buffer.from(await res.arrayBuffer()).equals(PNG)).to.equal(true);

    const html = await api.evidenceItem(Buffer.from('<script>alert(1)</script>'), 'text/html', 'photo_item');
    await api.cases.update(c.id, (cur) => ({ ...cur, evidence: [...cur.evidence, html] }));
    const risky = await fetch(`${api.base}/api/agent/cases/${c.id}/evidence/${html.id}`, { headers: api.auth() });
    expect(risky.headers.get('content-type')).to.equal('application/octet-stream');
    expect(risky.headers.get('content-disposition')).to.equal('attachment');

    const missing = await fetch(`${api.base}/api/agent/cases/${c.id}/evidence/nope`, { headers: api.auth() });
    expect(missing.status).to.equal(404);
  });

  it('pushes a notice of a new case to a signed-in agent over server-sent events', async () => {
    const res = await fetch(`${api.base}/api/agent/events`, { headers: api.auth() });
    expect(res.headers.get('content-type')).to.contain('text/event-stream');
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    while (!text.includes('event: hello')) text += (await reader.read()).value ?? '';
    const { c } = await api.queuedCase();
    while (!text.includes('case_queued')) text += (await reader.read()).value ?? '';
    const frame = text.split('\n\n').find((f) => f.includes('case_queued'))!;
    expect(JSON.parse(frame.slice('data: '.length))).to.deep.equal({
      type: 'case_queued',
      caseId: c.id,
      team: 'food-safety',
      priority: 2,
      complaint: 'expired_food',
      reason: 'rule',
    });
    await reader.cancel();
  });

  it('serves the console page with a strict content security policy', async () => {
    const res = await fetch(`${api.base}/console`);
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.contain('text/html');
    expect(res.headers.get('content-security-policy')).to.contain("script-src 'self'").and.not.contain('unsafe-inline');
    expect(await res.text()).to.contain('Agent token');
    expect((await fetch(`${api.base}/console/console.js`)).headers.get('content-type')).to.contain('javascript');
  });
});
