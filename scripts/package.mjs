// npm run package: the store uploads, versioned and reproducible (the same source gives the same bytes).
//
//   artifacts/why401-chrome-<version>.zip    for the Chrome Web Store
//   artifacts/why401-firefox-<version>.zip   for addons.mozilla.org
//   artifacts/why401-source-<version>.zip    the source AMO asks for with bundled code (git archive of HEAD)
//   artifacts/SHA256SUMS
//
// Reproducible: every file's time is set to the last commit's time (or SOURCE_DATE_EPOCH) before
// web-ext zips it, and the build has no time or path in its output.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from './build.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));

function sourceDate() {
  if (process.env.SOURCE_DATE_EPOCH) return Number(process.env.SOURCE_DATE_EPOCH);
  try {
    return Number(execFileSync('git', ['log', '-1', '--format=%ct'], { cwd: root, encoding: 'utf8' }).trim());
  } catch {
    return 315532800; // 1980-01-01, the earliest time a zip can hold
  }
}

function touchAll(dir, seconds) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) touchAll(path, seconds);
    utimesSync(path, seconds, seconds);
  }
  utimesSync(dir, seconds, seconds);
}

export const sha256 = (file) => createHash('sha256').update(readFileSync(file)).digest('hex');

/**
 * A zip made reproducible: entries in name order, every entry's time set to `seconds`. (web-ext's
 * zipper stamps entries with the time of zipping and lists them in the order the file system
 * gives, which differs between two copies of the same files.) An entry is its local header, its
 * data and any data descriptor, moved whole; its central-directory record is moved with it and
 * points at its new place. Times live in both headers; no checksum covers them.
 */
export function normalizeZip(zip, seconds) {
  const d = new Date(Math.max(seconds, 315532800) * 1000);
  const time = (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | (d.getUTCSeconds() >> 1);
  const date = ((d.getUTCFullYear() - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate();
  let eocd = zip.length - 22;
  while (eocd >= 0 && zip.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  if (eocd < 0) throw new Error('not a zip file');
  const count = zip.readUInt16LE(eocd + 10);
  const cdStart = zip.readUInt32LE(eocd + 16);
  const entries = [];
  for (let i = 0, at = cdStart; i < count; i++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error('a damaged zip central directory');
    const size = 46 + zip.readUInt16LE(at + 28) + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
    const name = zip.toString('utf8', at + 46, at + 46 + zip.readUInt16LE(at + 28));
    entries.push({ name, central: Buffer.from(zip.subarray(at, at + size)), local: zip.readUInt32LE(at + 42) });
    at += size;
  }
  // Each entry's bytes run from its local header to the next one's (or to the central directory).
  const starts = entries.map((e) => e.local).sort((a, b) => a - b);
  for (const e of entries) {
    const next = starts.find((s) => s > e.local) ?? cdStart;
    e.body = Buffer.from(zip.subarray(e.local, next));
    if (e.body.readUInt32LE(0) !== 0x04034b50) throw new Error('a damaged zip entry');
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const bodies = [];
  const centrals = [];
  let offset = 0;
  for (const e of entries) {
    e.body.writeUInt16LE(time, 10);
    e.body.writeUInt16LE(date, 12);
    e.central.writeUInt16LE(time, 12);
    e.central.writeUInt16LE(date, 14);
    e.central.writeUInt32LE(offset, 42);
    bodies.push(e.body);
    centrals.push(e.central);
    offset += e.body.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.from(zip.subarray(eocd));
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...bodies, cd, end]);
}

/**
 * Zip an unpacked extension with web-ext, reproducibly: from a copy whose every file carries the
 * same time, so neither the build's own times nor the checkout's show in the zip.
 */
export async function zipExtension(sourceDir, outDir, filename, seconds) {
  const stage = mkdtempSync(join(tmpdir(), 'why401-package-'));
  try {
    cpSync(sourceDir, stage, { recursive: true });
    touchAll(stage, seconds);
    mkdirSync(outDir, { recursive: true });
    const { cmd } = await import('web-ext');
    await cmd.build({ sourceDir: stage, artifactsDir: outDir, filename, overwriteDest: true }, { shouldExitProgram: false });
    const file = join(outDir, filename);
    writeFileSync(file, normalizeZip(readFileSync(file), seconds));
    return file;
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

/**
 * The stores' screenshots (1280×800) from the browser tests' own (test-results/): the panel as
 * taken, the popup (380×600) centred on a 1280×800 canvas with a caption.
 */
export async function storeScreenshots(outDir) {
  const results = join(root, 'test-results');
  const need = ['panel-light.png', 'panel-dark.png', 'popup-light.png'];
  if (!need.every((f) => existsSync(join(results, f)))) return [];
  mkdirSync(outDir, { recursive: true });
  cpSync(join(results, 'panel-light.png'), join(outDir, 'panel-light.png'));
  cpSync(join(results, 'panel-dark.png'), join(outDir, 'panel-dark.png'));
  const popup = readFileSync(join(results, 'popup-light.png')).toString('base64');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="1280" height="800" viewBox="0 0 1280 800">
  <rect width="1280" height="800" fill="#eef1f5"/>
  <text x="80" y="330" font-family="DejaVu Sans, sans-serif" font-size="44" font-weight="bold" fill="#1f2933">Signed out?</text>
  <text x="80" y="390" font-family="DejaVu Sans, sans-serif" font-size="26" fill="#3e4c59">The toolbar button says why,</text>
  <text x="80" y="428" font-family="DejaVu Sans, sans-serif" font-size="26" fill="#3e4c59">in plain words, and clears the</text>
  <text x="80" y="466" font-family="DejaVu Sans, sans-serif" font-size="26" fill="#3e4c59">site's cookies in one click.</text>
  <rect x="659" y="79" width="462" height="642" rx="10" fill="#000" opacity="0.12"/>
  <image x="660" y="80" width="456" height="720" preserveAspectRatio="xMidYMin slice" xlink:href="data:image/png;base64,${popup}" clip-path="url(#c)"/>
  <clipPath id="c"><rect x="660" y="80" width="456" height="640" rx="8"/></clipPath>
</svg>`;
  const { Resvg } = await import('@resvg/resvg-js');
  writeFileSync(join(outDir, 'popup.png'), new Resvg(svg, { font: { loadSystemFonts: true } }).render().asPng());
  return ['panel-light.png', 'panel-dark.png', 'popup.png'].map((f) => join(outDir, f));
}

export async function packageAll({ outDir = join(root, 'artifacts'), quiet = false } = {}) {
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  await build();
  const seconds = sourceDate();
  mkdirSync(outDir, { recursive: true });
  const files = [];
  for (const browser of ['chrome', 'firefox']) {
    const filename = `why401-${browser}-${version}.zip`;
    await zipExtension(join(root, 'dist', browser), outDir, filename, seconds);
    files.push(filename);
  }
  // The source, as committed (AMO reviews bundled code against it). Skipped outside a git checkout.
  try {
    const filename = `why401-source-${version}.zip`;
    execFileSync('git', ['archive', '--format=zip', `--prefix=why401-${version}/`, '-o', join(outDir, filename), 'HEAD'], { cwd: root, stdio: 'ignore' });
    files.push(filename);
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: root, encoding: 'utf8' }).trim();
    if (dirty && !quiet) console.warn('note: the source zip is HEAD; uncommitted changes are in the extension zips but not in it');
  } catch {
    if (!quiet) console.warn('note: not a git checkout, so no source zip');
  }
  const shots = await storeScreenshots(join(outDir, 'store'));
  if (!quiet) console.log(shots.length > 0 ? `store screenshots: ${join(outDir, 'store')}` : 'note: no store screenshots (run npm test first: the browser tests take them)');
  const sums = files.map((f) => `${sha256(join(outDir, f))}  ${f}`).join('\n');
  writeFileSync(join(outDir, 'SHA256SUMS'), `${sums}\n`);
  if (!quiet) console.log(`\n${sums}\n\nin ${outDir}`);
  return files.map((f) => join(outDir, f));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const out = process.argv.indexOf('--out');
  await packageAll(out > 0 ? { outDir: process.argv[out + 1] } : {});
}

