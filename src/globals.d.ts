/** Style sheets are bundled by esbuild. */
declare module '*.css';

/** Replaced at build time by scripts/build.mjs. */
declare const WHY401_VERSION: string;
declare const WHY401_BROWSER: 'chrome' | 'firefox';
