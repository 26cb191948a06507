/**
 * docs/api.md documents every route of the agent and lead APIs and their pages. The route list is
 * test/fuzz/routes.ts, which the fuzz test keeps equal to what the running server registers, so a
 * new route under /api/agent, /api/lead, /console or /lead fails here until it is documented.
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROUTES } from '../fuzz/routes.js';
import { ROOT } from '../support/kefuHarness.js';

describe('docs/api.md', () => {
  const doc = readFileSync(path.join(ROOT, 'docs/api.md'), 'utf8');
  const api = ROUTES.filter((r) => /^\/api\/(agent|lead)\//.test(r.pattern));
  const pages = ROUTES.filter((r) => /^\/(console|lead)(\/|$)/.test(r.pattern));

  it('has routes to look for', () => {
    expect(api.length).to.be.at.least(15);
    expect(pages.length).to.be.at.least(5);
  });

  it('documents every agent and lead API route with its method', () => {
    const missing = api.map((r) => `${r.method} ${r.pattern}`).filter((r) => !doc.includes(`\`${r}`));
    expect(missing).to.deep.equal([]);
  });

  it('names every page route of the console and the lead page', () => {
    const missing = pages.map((r) => r.pattern).filter((p) => !doc.includes(`\`${p}\``) && !doc.includes(`\`GET ${p}`));
    expect(missing).to.deep.equal([]);
  });
});
