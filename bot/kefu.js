#!/usr/bin/env node
// The `kefu` command. Sources are TypeScript run through tsx, so there is no build step.
import { register } from 'tsx/esm/api';

// A reader that stops early (`kefu classify < big.txt | head`) closes the pipe: that ends the
// output, it is not an error worth a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

register();
const { main } = await import('./cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
