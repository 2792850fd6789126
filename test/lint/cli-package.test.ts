/**
 * The installable CLI: `npm pack` makes a tarball that holds the bundled CLI and its docs and
 * nothing else; installed globally (into a throwaway prefix) it needs no dependency, and
 * `why401 --version` and `why401 explain` work from it; `npx` runs it from the tarball too; a
 * project that installs it imports the Playwright reporter as `why401/playwright`.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import { root } from '../helpers/build.ts';
import { entry, har } from '../helpers/har.ts';

const npm = (args: string[], cwd: string, env: Record<string, string> = {}) =>
  execFileSync('npm', args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });

it('npm pack → npm install -g → why401 --version and explain; npx from the tarball', () => {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string; dependencies?: Record<string, string>; bin: Record<string, string>; engines: { node: string } };
  assert.deepEqual(pkg.dependencies ?? {}, {}, 'the CLI is one bundled file: it installs no dependency');
  assert.equal(pkg.bin['why401'], 'dist/cli/why401.mjs');
  const dir = mkdtempSync(join(tmpdir(), 'why401-pack-'));
  try {
    // prepack builds the CLI; --json lists what went in.
    const printed = npm(['pack', '--json', '--pack-destination', dir], root);
    // The build (prepack) prints its line first; the JSON follows.
    const packed = JSON.parse(printed.slice(printed.search(/^\[/m))) as { filename: string; files: { path: string }[] }[];
    const files = packed[0]!.files.map((f) => f.path).sort();
    assert.deepEqual(files, ['CHANGELOG.md', 'PRIVACY.md', 'README.md', 'dist/cli/playwright.mjs', 'dist/cli/why401.mjs', 'package.json']);
    const tarball = join(dir, packed[0]!.filename);
    const prefix = join(dir, 'prefix');
    npm(['install', '-g', '--prefix', prefix, '--offline', tarball], dir);
    const bin = join(prefix, 'bin', 'why401');
    assert.equal(execFileSync(bin, ['--version'], { encoding: 'utf8' }).trim(), pkg.version);
    const file = join(dir, 'x.har');
    writeFileSync(file, JSON.stringify(har([entry({ req: { Authorization: 'Bearer undefined' }, res: { 'WWW-Authenticate': 'Bearer realm="api"' } })])));
    const out = JSON.parse(execFileSync(bin, ['explain', '--json', file], { encoding: 'utf8' })) as { failures: { findings: { cause: string }[] }[] };
    assert.equal(out.failures[0]?.findings[0]?.cause, 'placeholder-token');
    // npx from the tarball, in a folder that has no node_modules.
    const viaNpx = execFileSync('npx', ['--yes', '--offline', `--package=${tarball}`, 'why401', '--version'], { cwd: dir, encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false' } }).trim();
    assert.equal(viaNpx, pkg.version);
    // A project that installs it finds the Playwright reporter by its name, as a config names it.
    const project = join(dir, 'project');
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), '{"name":"uses-why401","version":"1.0.0","type":"module"}');
    npm(['install', '--offline', '--no-save', tarball], project);
    const reporter = execFileSync(process.execPath, ['--input-type=module', '-e', "const m = await import('why401/playwright'); console.log(typeof m.default, typeof new m.default().onTestEnd)"], { cwd: project, encoding: 'utf8', env: { ...process.env, XDG_CONFIG_HOME: join(dir, 'config') } }).trim();
    assert.equal(reporter, 'function function');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
