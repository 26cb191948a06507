/**
 * Every HTTP route kefu serves, as the fuzzer addresses them. The short fuzz test compares this
 * list with the routes the running server registered, so a new route cannot escape the fuzzer.
 * Placeholders are filled by the runner: `{conv}` and `{token}` (a live Direct Line conversation),
 * `{agent}` and `{lead}` (valid tokens); `{id}` is left as is (no such case, version or upload).
 */
export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'OPTIONS';
  /** restify's path pattern, as the server lists it. */
  pattern: string;
  /** A concrete path for the fuzzer. */
  path: string;
  /** The credential that gets past the route's check, if any. */
  auth?: 'directline' | 'agent' | 'lead';
  /** Long-lived answers (server-sent events): only ever called without a valid credential. */
  streams?: true;
}

const R = (method: Route['method'], pattern: string, path: string, extra: Partial<Route> = {}): Route => ({
  method,
  pattern,
  path,
  ...extra,
});
const CONNECTOR = '/directline/connector/:key/v3/conversations/:conversationId';
const CONNECTOR_PATH = '/directline/connector/not-the-key/v3/conversations/{conv}';

export const ROUTES: readonly Route[] = [
  R('GET', '/healthz', '/healthz'),
  R('GET', '/readyz', '/readyz'),
  R('POST', '/api/messages', '/api/messages'),
  R('POST', '/v3/directline/tokens/generate', '/v3/directline/tokens/generate'),
  R('POST', '/v3/directline/tokens/refresh', '/v3/directline/tokens/refresh', { auth: 'directline' }),
  R('POST', '/v3/directline/conversations', '/v3/directline/conversations', { auth: 'directline' }),
  R('GET', '/v3/directline/conversations/:conversationId', '/v3/directline/conversations/{conv}', {
    auth: 'directline',
  }),
  R(
    'POST',
    '/v3/directline/conversations/:conversationId/activities',
    '/v3/directline/conversations/{conv}/activities',
    { auth: 'directline' },
  ),
  R(
    'GET',
    '/v3/directline/conversations/:conversationId/activities',
    '/v3/directline/conversations/{conv}/activities',
    { auth: 'directline' },
  ),
  R('POST', '/v3/directline/conversations/:conversationId/upload', '/v3/directline/conversations/{conv}/upload', {
    auth: 'directline',
  }),
  R('GET', '/v3/directline/attachments/:id/:name', '/v3/directline/attachments/AAAAAAAAAAAAAAAAAAAAAA/x.png'),
  R('OPTIONS', '/v3/directline/*', '/v3/directline/conversations'),
  R('POST', `${CONNECTOR}/activities`, `${CONNECTOR_PATH}/activities`),
  R('POST', `${CONNECTOR}/activities/:activityId`, `${CONNECTOR_PATH}/activities/x`),
  R('PUT', `${CONNECTOR}/activities/:activityId`, `${CONNECTOR_PATH}/activities/x`),
  R('DELETE', `${CONNECTOR}/activities/:activityId`, `${CONNECTOR_PATH}/activities/x`),
  R('GET', `${CONNECTOR}/members`, `${CONNECTOR_PATH}/members`),
  R('GET', '/', '/'),
  R('GET', '/index.html', '/index.html'),
  R('GET', '/webchat.js', '/webchat.js'),
  R('GET', '/widget.js', '/widget.js'),
  R('GET', '/widget.css', '/widget.css'),
  R('GET', '/api/agent/me', '/api/agent/me', { auth: 'agent' }),
  R('GET', '/api/agent/queue', '/api/agent/queue', { auth: 'agent' }),
  R('GET', '/api/agent/cases/:id', '/api/agent/cases/{id}', { auth: 'agent' }),
  R('POST', '/api/agent/cases/:id/claim', '/api/agent/cases/{id}/claim', { auth: 'agent' }),
  R('POST', '/api/agent/cases/:id/release', '/api/agent/cases/{id}/release', { auth: 'agent' }),
  R('POST', '/api/agent/cases/:id/reveal', '/api/agent/cases/{id}/reveal', { auth: 'agent' }),
  R('POST', '/api/agent/cases/:id/messages', '/api/agent/cases/{id}/messages', { auth: 'agent' }),
  R('POST', '/api/agent/cases/:id/close', '/api/agent/cases/{id}/close', { auth: 'agent' }),
  R('GET', '/api/agent/cases/:id/evidence/:evidenceId', '/api/agent/cases/{id}/evidence/e1', { auth: 'agent' }),
  R('GET', '/api/agent/events', '/api/agent/events', { auth: 'agent', streams: true }),
  R('GET', '/console', '/console'),
  R('GET', '/console/', '/console/'),
  R('GET', '/console/console.js', '/console/console.js'),
  R('GET', '/console/console.css', '/console/console.css'),
  R('GET', '/api/lead/me', '/api/lead/me', { auth: 'lead' }),
  R('GET', '/api/lead/analytics', '/api/lead/analytics', { auth: 'lead' }),
  R('GET', '/api/lead/rules', '/api/lead/rules', { auth: 'lead' }),
  R('GET', '/api/lead/rules/versions/:id', '/api/lead/rules/versions/{id}', { auth: 'lead' }),
  R('POST', '/api/lead/rules/preview', '/api/lead/rules/preview', { auth: 'lead' }),
  R('POST', '/api/lead/rules/activate', '/api/lead/rules/activate', { auth: 'lead' }),
  R('POST', '/api/lead/rules/versions/:id/rollback', '/api/lead/rules/versions/{id}/rollback', { auth: 'lead' }),
  R('GET', '/lead', '/lead'),
  R('GET', '/lead/', '/lead/'),
  R('GET', '/lead/lead.js', '/lead/lead.js'),
  R('GET', '/lead/lead.css', '/lead/lead.css'),
  R('GET', '/lead/chart.js', '/lead/chart.js'),
];
