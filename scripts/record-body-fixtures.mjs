// Records real auth-failure responses of common Node auth libraries into
// test/fixtures/bodies/recorded.json: the bodies and headers the body catalogue
// (src/core/verdict/body-signals.ts) is tested against. Not part of npm test (it installs pinned
// versions from the npm registry into a temporary folder); run it to refresh the fixtures:
//   node scripts/record-body-fixtures.mjs
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const PINNED = ['jsonwebtoken@9.0.3', 'express@4.22.3', 'express-jwt@8.5.1', 'jose@5.10.0', 'express-oauth2-jwt-bearer@1.10.0', 'fastify@4.29.1', '@fastify/jwt@8.0.1', 'koa@2', 'koa-jwt@4.0.4', 'passport@0.7.0', 'passport-http-bearer@1.0.1'];
const dir = mkdtempSync(join(tmpdir(), 'why401-recorders-'));
execFileSync('npm', ['init', '-y'], { cwd: dir, stdio: 'ignore' });
execFileSync('npm', ['install', '--no-audit', '--no-fund', ...PINNED], { cwd: dir, stdio: 'inherit' });
const require = createRequire(join(dir, 'package.json'));
const version = (p) => JSON.parse(readFileSync(require.resolve(`${p}/package.json`), 'utf8')).version;

const jwt = require('jsonwebtoken');
const SECRET = 'recorder-secret-0123456789abcdef';
const now = Math.floor(Date.now() / 1000);
const sign = (claims) => jwt.sign({ sub: 'alice', iss: 'https://issuer.recorder.test/', ...claims }, SECRET, { algorithm: 'HS256' });
const TOKENS = {
  expired: sign({ exp: now - 3600, aud: 'https://api.recorder.test' }),
  notYet: sign({ nbf: now + 3600, exp: now + 7200, aud: 'https://api.recorder.test' }),
  wrongAud: sign({ exp: now + 3600, aud: 'https://other.test' }),
  badSig: `${sign({ exp: now + 3600, aud: 'https://api.recorder.test' }).split('.').slice(0, 2).join('.')}.c2lnbmF0dXJl`,
  malformed: 'not-a-jwt',
  good: sign({ exp: now + 3600, aud: 'https://api.recorder.test', jti: 'revoked-1' }),
};
const CASES = [
  ['no token', {}],
  ['expired', { authorization: `Bearer ${TOKENS.expired}` }],
  ['not yet valid', { authorization: `Bearer ${TOKENS.notYet}` }],
  ['wrong audience', { authorization: `Bearer ${TOKENS.wrongAud}` }],
  ['bad signature', { authorization: `Bearer ${TOKENS.badSig}` }],
  ['malformed', { authorization: `Bearer ${TOKENS.malformed}` }],
  ['another scheme', { authorization: `Token ${TOKENS.good}` }],
  ['revoked', { authorization: `Bearer ${TOKENS.good}` }],
];

async function record(name, listen) {
  const server = await listen();
  const port = server.address().port;
  const out = [];
  for (const [label, headers] of CASES) {
    const res = await fetch(`http://127.0.0.1:${port}/api/me`, { headers });
    const body = await res.text();
    // Only what a client sees as an auth failure (a library's own 500 or a success is not one).
    if (res.status < 400 || res.status >= 500) continue;
    out.push({ case: label, status: res.status, headers: [...res.headers].filter(([n]) => /^(www-authenticate|content-type)$/i.test(n)).map(([name, value]) => ({ name, value })), body });
  }
  await new Promise((r) => server.close(r));
  return { library: name, cases: out };
}

const express = require('express');
const { expressjwt } = require('express-jwt');
const { auth } = require('express-oauth2-jwt-bearer');

const libraries = [];

// express-jwt: the library's UnauthorizedError (code and message), sent as JSON by the app.
libraries.push({
  ...(await record(`express-jwt ${version('express-jwt')} (jsonwebtoken ${version('jsonwebtoken')})`, () => {
    const app = express();
    app.use(expressjwt({ secret: SECRET, algorithms: ['HS256'], audience: 'https://api.recorder.test', isRevoked: async (_req, token) => token?.payload?.jti === 'revoked-1' }));
    app.get('/api/me', (_req, res) => res.json({ ok: true }));
    app.use((err, _req, res, _next) => res.status(err.status ?? 500).json({ code: err.code, message: err.message }));
    return new Promise((r) => { const s = app.listen(0, '127.0.0.1', () => r(s)); });
  })),
});

// express-oauth2-jwt-bearer (Auth0): errors carry the RFC 6750 WWW-Authenticate header.
libraries.push({
  ...(await record(`express-oauth2-jwt-bearer ${version('express-oauth2-jwt-bearer')} (jose ${version('jose')})`, () => {
    const app = express();
    app.use(auth({ audience: 'https://api.recorder.test', issuer: 'https://issuer.recorder.test/', secret: SECRET, tokenSigningAlg: 'HS256' }));
    app.get('/api/me', (_req, res) => res.json({ ok: true }));
    app.use((err, _req, res, _next) => res.status(err.status ?? 500).set(err.headers ?? {}).json({ error: err.code, message: err.message }));
    return new Promise((r) => { const s = app.listen(0, '127.0.0.1', () => r(s)); });
  })),
});

// fastify + @fastify/jwt: the plugin's own error bodies (no app code).
libraries.push({
  ...(await record(`@fastify/jwt ${version('@fastify/jwt')} (fastify ${version('fastify')})`, async () => {
    const fastify = require('fastify')();
    await fastify.register(require('@fastify/jwt'), { secret: SECRET, verify: { allowedAud: 'https://api.recorder.test' } });
    fastify.get('/api/me', async (req) => {
      await req.jwtVerify();
      return { ok: true };
    });
    await fastify.listen({ port: 0, host: '127.0.0.1' });
    return fastify.server;
  })),
});

// koa-jwt with debug on (the messages a developer sees).
libraries.push({
  ...(await record(`koa-jwt ${version('koa-jwt')}`, () => {
    const Koa = require('koa');
    const koaJwt = require('koa-jwt');
    const app = new Koa();
    app.use(koaJwt({ secret: SECRET, audience: 'https://api.recorder.test', debug: true, isRevoked: async (_ctx, token) => token.jti === 'revoked-1' }));
    app.use((ctx) => { ctx.body = { ok: true }; });
    return new Promise((r) => { const s = app.listen(0, '127.0.0.1', () => r(s)); });
  })),
});

// passport-http-bearer: the challenge it writes.
libraries.push({
  ...(await record(`passport-http-bearer ${version('passport-http-bearer')}`, () => {
    const passport = require('passport');
    const { Strategy } = require('passport-http-bearer');
    passport.use(new Strategy((token, done) => done(null, token === TOKENS.good && false)));
    const app = express();
    app.get('/api/me', passport.authenticate('bearer', { session: false }), (_req, res) => res.json({ ok: true }));
    return new Promise((r) => { const s = app.listen(0, '127.0.0.1', () => r(s)); });
  })),
});

// jose directly: the error codes and messages every jose-based library passes on.
const jose = await import(require.resolve('jose'));
const key = new TextEncoder().encode(SECRET);
const joseCases = [];
for (const [label, token] of [['expired', TOKENS.expired], ['not yet valid', TOKENS.notYet], ['wrong audience', TOKENS.wrongAud], ['bad signature', TOKENS.badSig], ['malformed', TOKENS.malformed]]) {
  try {
    await jose.jwtVerify(token, key, { audience: 'https://api.recorder.test' });
  } catch (e) {
    joseCases.push({ case: label, status: 401, headers: [{ name: 'content-type', value: 'application/json' }], body: JSON.stringify({ code: e.code, message: e.message }) });
  }
}
libraries.push({ library: `jose ${version('jose')} (jwtVerify errors, as an app returns them)`, cases: joseCases });

writeFileSync(join(root, 'test', 'fixtures', 'bodies', 'recorded.json'), `${JSON.stringify({ recordedAt: new Date().toISOString().slice(0, 10), note: 'Real responses of these libraries, recorded by scripts/record-body-fixtures.mjs. Tokens were signed with a throw-away secret.', libraries }, null, 2)}\n`);
rmSync(dir, { recursive: true, force: true });
console.log(`recorded ${libraries.reduce((n, l) => n + l.cases.length, 0)} responses of ${libraries.length} libraries`);
