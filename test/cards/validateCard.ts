/**
 * Test helper: parses a card with the official Adaptive Cards JavaScript SDK (the renderer Web
 * Chat uses) and returns every problem its parser and validator report, as readable strings.
 */
import { createRequire } from 'node:module';

type AC = typeof import('adaptivecards');
const require = createRequire(import.meta.url);
// The package's ESM build uses extensionless imports that Node cannot load; its UMD bundle works.
const ac = require('adaptivecards/dist/adaptivecards.js') as AC;

export function cardProblems(payload: unknown): string[] {
  const card = new ac.AdaptiveCard();
  const context = new ac.SerializationContext();
  card.parse(payload, context);
  const problems: string[] = [];
  for (let i = 0; i < context.eventCount; i++) problems.push(`parse: ${context.getEventAt(i).message}`);
  const results = card.validateProperties();
  for (const e of results.validationEvents) problems.push(`validate: ${e.message}`);
  return problems;
}

/** The schema version the SDK read from the card. */
export function parsedVersion(payload: unknown): string | undefined {
  const card = new ac.AdaptiveCard();
  card.parse(payload, new ac.SerializationContext());
  return card.version?.toString();
}
