#!/usr/bin/env node
// The `kefu` command. It runs the JavaScript compiled to dist/, building it first when dist/ is
// missing or older than a source (bot/build.js). KEFU_FROM_SOURCE=1 runs the TypeScript sources
// through tsx instead, with no build: for development and tests (tsx is a development dependency).

// A reader that stops early (`kefu classify < big.txt | head`) closes the pipe: that ends the
// output, it is not an error worth a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

let main;
if (process.env.KEFU_FROM_SOURCE === '1') {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('./cli/main.ts'));
} else {
  const { BuildError, compiled, ensureBuilt } = await import('./build.js');
  try {
    await ensureBuilt();
  } catch (err) {
    if (!(err instanceof BuildError)) throw err;
    process.stderr.write(`kefu: ${err.message}\n`);
    process.exit(1);
  }
  ({ main } = await import(compiled('bot/cli/main.js')));
}
process.exitCode = await main(process.argv.slice(2));
