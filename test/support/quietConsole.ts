/**
 * Some libraries report an expected refusal straight to the console: botbuilder's CloudAdapter
 * prints every authentication failure (a 401) with its stack trace, and its token extractor
 * prints the key set too. A test that provokes one on purpose runs it inside `captureConsole`,
 * so the output stays readable and the test can check that what was printed is the refusal it
 * expected, not some other error.
 */
import { format } from 'node:util';

export async function captureConsole<T>(work: () => Promise<T>): Promise<{ result: T; printed: string }> {
  const saved = { error: console.error, warn: console.warn };
  let printed = '';
  const keep = (...args: unknown[]): void => {
    printed += `${format(...args)}\n`;
  };
  console.error = keep;
  console.warn = keep;
  try {
    return { result: await work(), printed };
  } finally {
    console.error = saved.error;
    console.warn = saved.warn;
  }
}
