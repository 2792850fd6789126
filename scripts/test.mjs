// npm test: build, then every suite that exists.
//   node scripts/test.mjs            the type check, then all suites (unit, then real-browser suites)
//   node scripts/test.mjs --unit     only the Node suites
//   node scripts/test.mjs --browser  only the real-browser suites
//   node scripts/test.mjs PATTERN    only test files whose path contains PATTERN
// Browser suites need Debian's chromium and firefox-esr. Outside CI a missing browser skips its
// suites with one loud line; with CI=true it is a failure.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from './build.mjs';
import { chromiumPath, firefoxPath } from './browsers.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const only = argv.includes('--unit') ? 'unit' : argv.includes('--browser') ? 'browser' : 'all';
const pattern = argv.find((a) => !a.startsWith('--'));
const ci = process.env.CI === 'true' || process.env.CI === '1';

function testFiles(dir) {
  if (!existsSync(dir)) return [];
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...testFiles(p));
    else if (/\.test\.tsx?$/.test(name)) out.push(p);
  }
  return out.sort().filter((f) => !pattern || relative(root, f).includes(pattern));
}

function runNodeTests(files, extra = []) {
  if (files.length === 0) return true;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...extra, ...files], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, WHY401_ROOT: root },
  });
  return r.status === 0;
}

const started = performance.now();
await build({ test: true });
let ok = true;

if (!pattern) {
  // The type check: esbuild strips types without reading them, so only tsc sees a type error.
  console.log('\n== tsc --noEmit');
  const tsc = spawnSync(join(root, 'node_modules', '.bin', 'tsc'), ['--noEmit', '-p', root], { cwd: root, stdio: 'inherit' });
  if (tsc.status !== 0) ok = false;
}

if (only !== 'browser') {
  const unit = ['core', 'cli', 'background', 'panel', 'popup', 'lint'].flatMap((d) => testFiles(join(root, 'test', d)));
  console.log(`\n== Node suites (${unit.length} files)`);
  ok = runNodeTests(unit) && ok;
}

if (only !== 'unit') {
  const suites = [
    { name: 'Chromium', path: chromiumPath(), dir: 'chromium', install: 'apt-get install -y chromium' },
    { name: 'Firefox', path: firefoxPath(), dir: 'firefox', install: 'apt-get install -y firefox-esr' },
  ];
  for (const s of suites) {
    const files = testFiles(join(root, 'test', 'browser', s.dir));
    if (files.length === 0) continue;
    if (!s.path) {
      const line = `!!! ${s.name} not found: its ${files.length} browser test file(s) did NOT run. Install it with \`${s.install}\` (Debian), or set ${s.dir === 'chromium' ? 'CHROME_PATH' : 'FIREFOX_PATH'}.`;
      console.error(`\n${line}`);
      if (ci) ok = false;
      continue;
    }
    console.log(`\n== ${s.name} suites (${files.length} files, ${s.path})`);
    // One browser at a time on these 2-core machines. A file whose tests have ended exits even if
    // a failed test left a browser or a server open (it would otherwise hang the run).
    ok = runNodeTests(files, ['--test-concurrency=1', '--test-force-exit']) && ok;
  }
}

console.log(`\n${ok ? 'all suites passed' : 'SOME SUITES FAILED'} in ${Math.round((performance.now() - started) / 1000)} s`);
process.exit(ok ? 0 : 1);
