/**
 * Order ids: Taobao-style ids are 16-19 digit runs (a phone number has 11, so it never matches);
 * after 订单号 / 单号 / "order #" / "order id" we also take a shorter id with at least 6 digits.
 */
const BARE = /(?<![\d])\d{16,19}(?![\d])/g;
const AFTER_KEYWORD =
  /(?:订单号|订单编号|单号|order\s*(?:id|no\.?|number|#)|order\s*#)\s*(?:是|为|:|#|：)?\s*([a-z0-9][a-z0-9-]{5,23})(?![a-z0-9-])/giu;

export function extractOrderIds(text: string): string[] {
  const found = new Set<string>();
  for (const m of text.matchAll(AFTER_KEYWORD)) {
    const id = m[1]!;
    if ((id.match(/\d/g)?.length ?? 0) >= 6 && id.replace(/\D/g, '').length <= 19) found.add(id.toUpperCase());
  }
  for (const m of text.matchAll(BARE)) found.add(m[0]);
  return [...found];
}
