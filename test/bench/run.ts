/**
 * `npm run bench`: runs every `*.bench.ts` in this folder (or those named on the command line)
 * in turn. Each module's default export prints its own figures, always beside a baseline
 * measured in the same run, since these machines are shared and noisy.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
// Flags (`--write-docs`) are for the benches themselves; the other words pick benches by name.
const only = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.startsWith(o)))
  .sort();

for (const file of files) {
  console.log(`\n=== ${file.replace('.bench.ts', '')}`);
  const mod = (await import(pathToFileURL(path.join(here, file)).href)) as { default: () => Promise<void> };
  await mod.default();
}
process.exit(0);
