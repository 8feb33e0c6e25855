// Login CSRF and friends: bodies must be application/json (415 otherwise), and unsafe requests from pages of
// other sites (Sec-Fetch-Site: cross-site, or a foreign Origin) answer 403 cross_origin.  Clients that send
// neither header — curl, scripts with bearer tokens — are not affected.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, adminClient, Client, ADMIN_PASSWORD } from '../lib/server.js';
import { assertProblem } from '../lib/helpers.js';
import { rawRequest } from '../lib/raw.js';

const creds = JSON.stringify({ login: 'admin', password: ADMIN_PASSWORD });

// POST /api/v1/session with a raw body and headers; answers the Client's result and whether a cookie was set.
async function signIn(server, body, headers) {
  const c = new Client(server);
  const r = await c.req('POST', '/api/v1/session', { raw: body, headers });
  return { r, cookie: c.cookie };
}

describe('cross-origin requests and bodies that are not JSON', () => {
  let server;
  let admin;
  before(async () => {
    server = await startServer();
    admin = await adminClient(server);
  });
  after(async () => { await server?.stop(); });

  it('a text/plain sign-in (what a cross-site form can send) answers 415 and signs nobody in', async () => {
    for (const ct of ['text/plain', 'text/plain;charset=UTF-8', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonp', undefined]) {
      const { r, cookie } = await signIn(server, creds, ct ? { 'content-type': ct } : {});
      assertProblem(r, 415, 'unsupported_media_type');
      assert.equal(cookie, null, `no session for ${ct}`);
    }
  });

  it('application/json, with or without a charset, signs in', async () => {
    for (const ct of ['application/json', 'application/json; charset=utf-8', 'Application/JSON;charset=UTF-8']) {
      const { r, cookie } = await signIn(server, creds, { 'content-type': ct });
      assert.equal(r.status, 200, `${ct}: ${r.text}`);
      assert.ok(cookie);
    }
  });

  it('other routes with a body refuse what is not JSON too', async () => {
    const r = await admin.req('POST', '/api/v1/departments', { raw: JSON.stringify({ name: 'Plain' }), headers: { 'content-type': 'text/plain' } });
    assertProblem(r, 415, 'unsupported_media_type');
    assert.ok(!(await admin.get('/api/v1/departments')).json.items.some((d) => d.name === 'Plain'));
  });

  it('a sign-in from a page of another site answers 403 cross_origin, whatever the content type', async () => {
    const json = { 'content-type': 'application/json' };
    for (const h of [{ origin: 'http://evil.example' }, { origin: 'null' }, { 'sec-fetch-site': 'cross-site' },
      { origin: `https://127.0.0.1:${server.port}` }, { origin: `http://127.0.0.1:${server.port + 1}` },
      { origin: server.url, 'sec-fetch-site': 'cross-site' }]) {
      const { r, cookie } = await signIn(server, creds, { ...json, ...h });
      assertProblem(r, 403, 'cross_origin');
      assert.equal(cookie, null, JSON.stringify(h));
    }
  });

  it('the same origin, same-site fetch metadata, or no such header at all are accepted', async () => {
    const json = { 'content-type': 'application/json' };
    for (const h of [{}, { origin: server.url }, { origin: server.url.toUpperCase().replace('HTTP', 'http') },
      { 'sec-fetch-site': 'same-origin', origin: server.url }, { 'sec-fetch-site': 'none' }, { 'sec-fetch-site': 'same-site' }]) {
      const { r } = await signIn(server, creds, { ...json, ...h });
      assert.equal(r.status, 200, `${JSON.stringify(h)}: ${r.text}`);
    }
  });

  it('a default port written in Origin or Host does not matter', async () => {
    const body = JSON.stringify({ login: 'admin', password: 'wrong-password' });
    const send = (host, origin) => rawRequest(server.port, `POST /api/v1/session HTTP/1.1\r\nHost: ${host}\r\nOrigin: ${origin}\r\n` +
      `Content-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`);
    assert.equal((await send('liaison.example', 'http://liaison.example:80')).status, 401);
    assert.equal((await send('liaison.example:80', 'http://liaison.example')).status, 401);
    assert.equal((await send('liaison.example:8080', 'http://liaison.example')).status, 403);
    assert.equal((await send('liaison.example', 'http://liaison.example.evil')).status, 403);
  });

  it('every unsafe route checks it: a signed-in write with the right CSRF token from another site answers 403', async () => {
    const r = await admin.post('/api/v1/departments', { name: 'From elsewhere' }, { headers: { origin: 'http://evil.example' } });
    assertProblem(r, 403, 'cross_origin');
    assertProblem(await admin.del('/api/v1/session', { headers: { 'sec-fetch-site': 'cross-site' } }), 403, 'cross_origin');
    assert.equal((await admin.get('/api/v1/me')).status, 200, 'still signed in');
    assert.equal((await admin.get('/api/v1/me', { headers: { origin: 'http://evil.example' } })).status, 200, 'GET is not affected');
    assert.ok(!(await admin.get('/api/v1/departments')).json.items.some((d) => d.name === 'From elsewhere'));
  });

  it('a bearer token without those headers works as before; with a foreign Origin it is refused', async () => {
    const t = await admin.post('/api/v1/tokens', { name: 'script' });
    const b = new Client(server);
    b.token = t.json.token;
    assert.equal((await b.post('/api/v1/departments', { name: 'By script' })).status, 201);
    assertProblem(await b.post('/api/v1/departments', { name: 'By page' }, { headers: { origin: 'http://evil.example' } }), 403, 'cross_origin');
  });
});

describe('cross-origin checks behind a trusted proxy (serve --trust-proxy)', () => {
  let server;
  before(async () => { server = await startServer({ args: ['--trust-proxy'] }); });
  after(async () => { await server?.stop(); });
  const json = { 'content-type': 'application/json' };

  it('compares Origin with X-Forwarded-Proto and the last X-Forwarded-Host', async () => {
    const proxied = { ...json, 'x-forwarded-proto': 'https', 'x-forwarded-host': 'liaison.example' };
    assert.equal((await signIn(server, creds, { ...proxied, origin: 'https://liaison.example' })).r.status, 200);
    assert.equal((await signIn(server, creds, { ...proxied, origin: 'https://liaison.example:443' })).r.status, 200);
    assert.equal((await signIn(server, creds, { ...proxied, 'x-forwarded-host': 'evil.example, liaison.example', origin: 'https://liaison.example' })).r.status, 200);
    assertProblem((await signIn(server, creds, { ...proxied, origin: 'http://liaison.example' })).r, 403, 'cross_origin');
    assertProblem((await signIn(server, creds, { ...proxied, origin: 'https://evil.example' })).r, 403, 'cross_origin');
    assertProblem((await signIn(server, creds, { ...proxied, 'x-forwarded-host': 'liaison.example, evil.example', origin: 'https://liaison.example' })).r, 403, 'cross_origin');
  });

  it('without --trust-proxy the forwarded headers are ignored', async () => {
    const plain = await startServer();
    try {
      const proxied = { ...json, 'x-forwarded-proto': 'https', 'x-forwarded-host': 'liaison.example' };
      assertProblem((await signIn(plain, creds, { ...proxied, origin: 'https://liaison.example' })).r, 403, 'cross_origin');
    } finally {
      await plain.stop();
    }
  });
});
