import { runFuzz } from './fuzzer.js';
void runFuzz({ cases: 600, seed: 1 }).then((r) => {
  for (const f of r.failures.filter((f) => f.kind === 'turn failed')) console.log(f.detail);
});
