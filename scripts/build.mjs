// Build: dist/chrome and dist/firefox (loadable unpacked extensions), dist/cli/why401.mjs and the
// Playwright reporter dist/cli/playwright.mjs.
//   node scripts/build.mjs [--watch] [--test]
// --test also writes dist/firefox-test: the Firefox build with its pages web-accessible, which
// the Firefox smoke test needs (WebDriver BiDi cannot open moz-extension:// URLs directly).
import * as esbuild from 'esbuild';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const args = new Set(process.argv.slice(2));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

/** One HTML page per UI context; scripts are external files (MV3's default CSP forbids inline script). */
const PAGES = {
  devtools: { title: 'Why 401', entry: 'src/devtools/devtools.ts', css: false },
  // An ES module split in chunks: the detail view, HAR import and exports load after first paint.
  panel: { title: 'Why 401', entry: 'src/panel/index.tsx', css: true, split: true },
  popup: { title: 'Why 401', entry: 'src/popup/index.tsx', css: true },
  options: { title: 'Why 401 settings', entry: 'src/options/index.tsx', css: true },
};

function html(name, { title, css, split = false }) {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${title}</title>
${css ? `<link rel="stylesheet" href="${name}.css">\n` : ''}</head>
<body>
<div id="app"></div>
<script${split ? ' type="module"' : ''} src="${name}.js"></script>
</body>
</html>
`;
}

function manifestFor(browser, { test = false } = {}) {
  const m = JSON.parse(readFileSync(join(root, 'manifest.json'), 'utf8'));
  m.version = pkg.version;
  if (browser === 'chrome') {
    // Chrome runs the service worker; it warns about background.scripts and gecko settings.
    delete m.background.scripts;
    delete m.browser_specific_settings;
  } else {
    // Firefox runs background.scripts as an event page. It has no externally_connectable (web
    // pages cannot message extensions there; other extensions are refused by the sender check).
    delete m.background.service_worker;
    delete m.minimum_chrome_version;
    delete m.externally_connectable;
    // The toolbar button shows without pinning (Firefox hides it in the Extensions menu otherwise).
    m.action.default_area = 'navbar';
    // The sign-in flows read token endpoints' answers as they pass (platform readAnswer:
    // webRequest.filterResponseData, which Firefox gives a blocking listener in MV3 only with both).
    // Optional like webRequest itself: a pause gives them back too (platform/watch.ts).
    m.optional_permissions.splice(1, 0, 'webRequestBlocking', 'webRequestFilterResponse');
    if (test) m.web_accessible_resources = [{ resources: ['panel.html', 'popup.html', 'options.html'], matches: ['<all_urls>'] }];
  }
  return m;
}

const common = {
  bundle: true,
  format: 'iife',
  target: ['chrome121', 'firefox140'],
  sourcemap: 'linked',
  minify: true,
  legalComments: 'none',
  jsx: 'automatic',
  jsxImportSource: 'preact',
  define: { WHY401_VERSION: JSON.stringify(pkg.version) },
  logLevel: 'warning',
  metafile: true,
};

async function buildExtension(outdir, browser, options) {
  mkdirSync(outdir, { recursive: true });
  const entryPoints = { background: 'src/background/index.ts' };
  const split = {};
  for (const [name, page] of Object.entries(PAGES)) (page.split ? split : entryPoints)[name] = page.entry;
  const define = { ...common.define, WHY401_BROWSER: JSON.stringify(browser) };
  const [result, chunked] = await Promise.all([
    esbuild.build({ ...common, absWorkingDir: root, entryPoints, outdir, define }),
    esbuild.build({ ...common, absWorkingDir: root, entryPoints: split, outdir, define, format: 'esm', splitting: true, chunkNames: 'chunks/[name]-[hash]' }),
  ]);
  for (const [name, page] of Object.entries(PAGES)) writeFileSync(join(outdir, `${name}.html`), html(name, page));
  mkdirSync(join(outdir, 'icons'), { recursive: true });
  for (const size of [16, 32, 48, 128]) cpSync(join(root, 'icons', `icon-${size}.png`), join(outdir, 'icons', `icon-${size}.png`));
  writeFileSync(join(outdir, 'manifest.json'), `${JSON.stringify(manifestFor(browser, options), null, 2)}\n`);
  return { outputs: { ...result.metafile.outputs, ...chunked.metafile.outputs } };
}

async function buildCli() {
  await esbuild.build({
    ...common,
    absWorkingDir: root,
    entryPoints: ['src/cli/main.ts'],
    outfile: join(dist, 'cli', 'why401.mjs'),
    platform: 'node',
    format: 'esm',
    target: 'node20',
    minify: false,
    sourcemap: false,
    banner: { js: '#!/usr/bin/env node' },
  });
  // The Playwright reporter (the package's `why401/playwright` export): the same core, no bin.
  await esbuild.build({
    ...common,
    absWorkingDir: root,
    entryPoints: ['src/cli/playwright.ts'],
    outfile: join(dist, 'cli', 'playwright.mjs'),
    platform: 'node',
    format: 'esm',
    target: 'node20',
    minify: false,
    sourcemap: false,
  });
}

export async function build({ test = false } = {}) {
  const started = performance.now();
  rmSync(dist, { recursive: true, force: true });
  const meta = await buildExtension(join(dist, 'chrome'), 'chrome');
  await buildExtension(join(dist, 'firefox'), 'firefox');
  if (test) await buildExtension(join(dist, 'firefox-test'), 'firefox', { test: true });
  await buildCli();
  const js = Object.entries(meta.outputs).filter(([file]) => file.endsWith('.js'));
  const chunks = js.filter(([file]) => file.includes('/chunks/'));
  const sizes = js.filter(([file]) => !file.includes('/chunks/')).map(([file, o]) => `${file.split('/').pop()} ${(o.bytes / 1024).toFixed(1)} KiB`);
  if (chunks.length > 0) sizes.push(`${chunks.length} panel chunks ${(chunks.reduce((n, [, o]) => n + o.bytes, 0) / 1024).toFixed(1)} KiB`);
  console.log(`built dist/chrome, dist/firefox${test ? ', dist/firefox-test' : ''} and dist/cli in ${Math.round(performance.now() - started)} ms (${sizes.join(', ')})`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await build({ test: args.has('--test') });
  if (args.has('--watch')) {
    console.log('watching src/ …');
    const { watch } = await import('node:fs');
    let timer;
    watch(join(root, 'src'), { recursive: true }, () => {
      clearTimeout(timer);
      timer = setTimeout(() => build({ test: args.has('--test') }).catch((e) => console.error(e.message)), 100);
    });
  }
}
