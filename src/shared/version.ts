/** Why 401's version, as the build writes it in (esbuild's `define`), or "dev" when run from source. */
export const VERSION = typeof WHY401_VERSION === 'string' ? WHY401_VERSION : 'dev';
