/**
 * The lead page's static files (bot/lead/assets/) and Chart.js from node_modules (no CDN), read
 * once at start-up and served with the console's strict content security policy.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { projectPath } from '../../lib/paths.js';
import { pageHeaders } from '../security/pageHeaders.js';

const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export interface LeadFile {
  routes: string[];
  body: Buffer;
  headers: Record<string, string>;
}

const require = createRequire(import.meta.url);

const FILES = [
  {
    file: projectPath('bot', 'lead', 'assets', 'index.html'),
    type: 'text/html; charset=utf-8',
    routes: ['/lead', '/lead/'],
  },
  {
    file: projectPath('bot', 'lead', 'assets', 'lead.js'),
    type: 'text/javascript; charset=utf-8',
    routes: ['/lead/lead.js'],
  },
  {
    file: projectPath('bot', 'lead', 'assets', 'lead.css'),
    type: 'text/css; charset=utf-8',
    routes: ['/lead/lead.css'],
  },
];

export function leadFiles(): LeadFile[] {
  // The package exports only its module entry points; the browser bundle sits beside them in dist/.
  const chart = path.join(path.dirname(require.resolve('chart.js')), 'chart.umd.min.js');
  const files = [
    ...FILES.map((f) => ({ ...f, body: readFileSync(f.file) })),
    { type: 'text/javascript; charset=utf-8', routes: ['/lead/chart.js'], body: readFileSync(chart) },
  ];
  return files.map((f) => ({
    routes: f.routes,
    body: f.body,
    headers: pageHeaders(f.type, CSP),
  }));
}
