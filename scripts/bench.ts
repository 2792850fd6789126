/**
 * npm run bench: figures and ratios, each measured side by side in one run (alternating
 * rounds, warm-up first, medians and ranges). Prints tables and writes the same as JSON to
 * bench-results/. Never a pass/fail: targets are shown beside the figures.
 *
 *   npm run bench                 every section
 *   npm run bench -- core         only the core section
 *   npm run bench -- --quick      fewer rounds and smaller inputs (a smoke run)
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { explainScaling, parseThroughput } from './bench/core.ts';
import { fmt, range, table } from './bench/stats.ts';

const root = join(import.meta.dirname, '..');
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const sections = args.filter((a) => !a.startsWith('--'));
const want = (s: string) => sections.length === 0 || sections.includes(s);

const { build } = (await import(join(root, 'scripts', 'build.mjs'))) as { build(o?: { test?: boolean }): Promise<void> };
await build();

const report: Record<string, unknown> = {
  date: new Date().toISOString(),
  machine: { cpus: cpus().length, cpu: cpus()[0]?.model ?? '', memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version },
  quick,
};

if (want('core')) {
  console.log('\n## Core: challenge parsing (same RFC inputs for every parser; alternating rounds)\n');
  const { results: parse, inputs, excluded } = await parseThroughput(quick ? 3 : 7, quick ? 5_000 : 20_000);
  const ours = parse['why401 parseChallenges']!.median;
  console.log(`${inputs.length} inputs every parser accepts (${excluded.length} left out because a peer rejects them: ${excluded.map((e) => e.slice(0, 40)).join(' | ') || 'none'})\n`);
  console.log(
    table(
      ['parser', 'challenges/s: median (range)', 'why401 ÷ this'],
      Object.entries(parse).map(([name, s]) => [name, range(s, 0), name.startsWith('why401') ? '—' : `${(ours / s.median).toFixed(2)}×`]),
    ),
  );
  console.log('target: why401 ÷ each peer ≥ 1');
  report['parse'] = { results: parse, inputs, excluded };

  console.log('\n## Core: why401 explain on synthetic HARs (1% failures; the built CLI, a fresh process per run)\n');
  const sizes = quick ? [10_000, 100_000] : [10_000, 100_000, 1_000_000];
  const runs = explainScaling(join(root, 'dist', 'cli', 'why401.mjs'), sizes, quick ? 2 : 5);
  const base = runs[0]!;
  const perEntryBase = base.ms.median / base.entries;
  console.log(
    table(
      ['entries', 'file', 'time: median (range)', 'µs per entry', 'scaling vs 10k', 'peak RSS', 'RSS ÷ file', 'failures'],
      runs.map((r) => [
        String(r.entries),
        `${fmt(r.bytes / 2 ** 20, 1)} MiB`,
        range(r.ms, 0, ' ms'),
        fmt((r.ms.median * 1000) / r.entries, 2),
        `${(r.ms.median / r.entries / perEntryBase).toFixed(2)}×`,
        `${fmt(r.peakRssMB.median, 0)} MiB`,
        (r.peakRssMB.median / (r.bytes / 2 ** 20)).toFixed(2),
        String(r.failures),
      ]),
    ),
  );
  console.log('targets: 100k entries ≤ 2 s, peak RSS ≤ 3× the file, µs per entry flat from 10k to 1M (scaling ≈ 1×)');
  report['explain'] = runs;
}

mkdirSync(join(root, 'bench-results'), { recursive: true });
const out = join(root, 'bench-results', `bench-${report['date'] as string}.json`.replace(/:/g, '-'));
writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
console.log(`\nwrote ${out}`);
try {
  console.log(`chromium: ${execFileSync('/usr/lib/chromium/chromium', ['--version'], { encoding: 'utf8' }).trim()}`);
} catch {
  // no chromium: the browser sections say so themselves
}
