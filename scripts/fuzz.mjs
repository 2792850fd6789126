// npm run fuzz: the fuzz suite (test/core/fuzz.test.ts) with many more cases and a new seed.
//   WHY401_FUZZ_RUNS=N   cases (default 50,000)      WHY401_FUZZ_SEED=S   replay a seed
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const seed = process.env.WHY401_FUZZ_SEED ?? String(Math.floor(Math.random() * 2 ** 31));
const runs = process.env.WHY401_FUZZ_RUNS ?? '50000';
console.log(`fuzz: ${runs} cases, seed ${seed} (replay with WHY401_FUZZ_SEED=${seed} npm run fuzz)`);
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', join(root, 'test', 'core', 'fuzz.test.ts')], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, WHY401_FUZZ_SEED: seed, WHY401_FUZZ_RUNS: runs },
});
process.exit(r.status ?? 1);
