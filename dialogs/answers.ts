/**
 * Date arithmetic the dialogs derive facts with. Reading a shopper's answer (dates, numbers,
 * choices, yes/no) is the job of intents/answers; nothing here parses text.
 */

export function daysBetween(fromIsoDate: string, to: Date): number {
  const from = Date.parse(`${fromIsoDate}T00:00:00Z`);
  const today = Date.UTC(to.getUTCFullYear(), to.getUTCMonth(), to.getUTCDate());
  return Math.round((today - from) / 86_400_000);
}
