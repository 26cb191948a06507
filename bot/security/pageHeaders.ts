/**
 * The headers kefu's own pages and their scripts are served with (the agent console, the lead
 * page): a Content-Security-Policy that allows only the page's own files, no MIME sniffing, no
 * referrer, and no stale copy after an upgrade.
 */
export function pageHeaders(contentType: string, csp: string): Record<string, string> {
  return {
    'Content-Type': contentType,
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-cache',
  };
}
