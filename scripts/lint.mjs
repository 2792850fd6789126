// npm run lint: the type check, then web-ext lint on dist/firefox. Fails on any error and on
// any warning that test/web-ext-lint-allowlist.json does not explain.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);

/** Run web-ext lint and split its messages into allowed and unexplained ones. */
export function webExtLint(dir = join(root, 'dist', 'firefox')) {
  const run = spawnSync(bin('web-ext'), ['lint', '--source-dir', dir, '--output', 'json', '--no-config-discovery'], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const text = run.stdout.slice(run.stdout.indexOf('{'));
  const report = JSON.parse(text);
  const allow = JSON.parse(readFileSync(join(root, 'test', 'web-ext-lint-allowlist.json'), 'utf8')).warnings;
  // A file entry may end in `*` (the panel's chunks have content hashes in their names).
  const fileMatches = (pattern, file) => (pattern.endsWith('*') ? file.startsWith(pattern.slice(0, -1)) : pattern === file);
  const allowed = (m) => allow.some((a) => a.code === m.code && a.files.some((f) => fileMatches(f, m.file)));
  return {
    errors: report.errors,
    unexplained: report.warnings.filter((m) => !allowed(m)),
    allowed: report.warnings.filter(allowed),
    notices: report.notices,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  let failed = false;
  console.log('tsc --noEmit');
  try {
    execFileSync(bin('tsc'), ['--noEmit', '-p', root], { stdio: 'inherit' });
  } catch {
    failed = true;
  }
  if (!existsSync(join(root, 'dist', 'firefox', 'manifest.json'))) {
    execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { stdio: 'inherit' });
  }
  console.log('web-ext lint dist/firefox');
  const r = webExtLint();
  for (const m of r.errors) console.error(`  error ${m.code} ${m.file ?? ''}: ${m.message}`);
  for (const m of r.unexplained) console.error(`  unexplained warning ${m.code} ${m.file ?? ''}: ${m.message}`);
  console.log(`  ${r.errors.length} errors, ${r.unexplained.length} unexplained warnings, ${r.allowed.length} allowed (see test/web-ext-lint-allowlist.json)`);
  if (r.errors.length > 0 || r.unexplained.length > 0) failed = true;
  process.exit(failed ? 1 : 0);
}
