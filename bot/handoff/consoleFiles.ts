/**
 * The agent console's static files (bot/console/), read once at start-up and served with a
 * strict content security policy: scripts and styles only from this origin, images from this
 * origin or blob: (evidence is fetched with the agent's token, then shown from a blob URL).
 */
import { readFileSync } from 'node:fs';
import { projectPath } from '../../lib/paths.js';
import { pageHeaders } from '../security/pageHeaders.js';

const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' blob:",
  "media-src 'self' blob:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export interface ConsoleFile {
  routes: string[];
  body: Buffer;
  headers: Record<string, string>;
}

const FILES = [
  { name: 'index.html', type: 'text/html; charset=utf-8', routes: ['/console', '/console/'] },
  { name: 'console.js', type: 'text/javascript; charset=utf-8', routes: ['/console/console.js'] },
  { name: 'console.css', type: 'text/css; charset=utf-8', routes: ['/console/console.css'] },
];

export function consoleFiles(): ConsoleFile[] {
  return FILES.map((f) => ({
    routes: f.routes,
    body: readFileSync(projectPath('bot', 'console', f.name)),
    headers: pageHeaders(f.type, CSP),
  }));
}
