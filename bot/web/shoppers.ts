/**
 * The demo shoppers the widget page offers in its picker. They come from the demo order source
 * (`data/orders.yaml`) when it exists; whatever its exact layout, any object with an `id` like
 * `u-zhang` (and optionally a `name`) counts, so the page keeps working as that file evolves.
 */
import { readFile } from 'node:fs/promises';
import { parseYamlSource } from '../../lib/dataFile.js';

export interface DemoShopper {
  id: string;
  name?: string;
}

export const DEFAULT_SHOPPERS: readonly DemoShopper[] = [
  { id: 'u-zhang' },
  { id: 'u-li' },
  { id: 'u-wang' },
  { id: 'u-chen' },
];

const SHOPPER_ID = /^u-[a-z0-9][a-z0-9-]{0,30}$/;

export function shoppersIn(doc: unknown): DemoShopper[] {
  const found = new Map<string, DemoShopper>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) visit(item);
      return;
    }
    if (typeof node !== 'object' || node === null) return;
    const record = node as Record<string, unknown>;
    for (const key of ['id', 'shopperId', 'shopper']) {
      const id = record[key];
      if (typeof id === 'string' && SHOPPER_ID.test(id)) {
        const name = key === 'id' && typeof record.name === 'string' ? record.name : undefined;
        const known = found.get(id);
        if (known === undefined || (known.name === undefined && name !== undefined))
          found.set(id, name === undefined ? { id } : { id, name });
      }
    }
    Object.values(record).forEach(visit);
  };
  visit(doc);
  return [...found.values()];
}

/** The shoppers of `ordersFile`, or the four defaults when it is missing, unreadable or has none. */
export async function loadShoppers(ordersFile: string | undefined): Promise<DemoShopper[]> {
  if (ordersFile === undefined) return [...DEFAULT_SHOPPERS];
  let text: string;
  try {
    text = await readFile(ordersFile, 'utf8');
  } catch {
    return [...DEFAULT_SHOPPERS];
  }
  let shoppers: DemoShopper[] = [];
  try {
    shoppers = shoppersIn(parseYamlSource(text, ordersFile).doc.toJS());
  } catch {
    // A broken orders file is reported by its own validation; the demo page still opens.
  }
  return shoppers.length > 0 ? shoppers : [...DEFAULT_SHOPPERS];
}
