// Signing in and out, CSRF, sign-in throttling, deactivated users, the Secure cookie flag behind a
// trusted proxy, and API tokens.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, adminClient, devClient, Client, ADMIN_PASSWORD } from '../lib/server.js';
import { assertProblem } from '../lib/helpers.js';
import { parseRoutes } from '../lib/routes.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

// Every secret this file sends; none may show up in the server's log.
const secrets = new Set([ADMIN_PASSWORD]);
const pw = (login) => { const p = `${login}-Secret-pw-${Math.random().toString(36).slice(2, 8)}`; secrets.add(p); return p; };

async function createUser(admin, login, extra = {}) {
  const password = pw(login);
  const r = await admin.post('/api/v1/users', { login, name: `User ${login}`, password, ...extra });
  assert.equal(r.status, 201, r.text);
  return { ...r.json, password };
}

async function signIn(server, login, password, headers = {}) {
  const c = new Client(server);
  const r = await c.req('POST', '/api/v1/session', { body: { login, password }, headers });
  if (r.status === 200) {
    c.csrf = r.json.csrf_token;
    c.user = r.json.user;
    secrets.add(c.csrf);
    secrets.add(c.cookie.split('=')[1]);
  }
  return { c, r };
}

// A client that authenticates only with a bearer token (no cookie, no CSRF token).
function bearer(server, token) {
  const c = new Client(server);
  c.token = token;
  return c;
}

function cookieAttrs(r) {
  const sc = r.headers.get('set-cookie');
  assert.ok(sc, 'a Set-Cookie header');
  const parts = sc.split(';').map((s) => s.trim());
  const [name, ...value] = parts[0].split('=');
  const attrs = {};
  for (const p of parts.slice(1)) {
    const [k, ...v] = p.split('=');
    attrs[k.toLowerCase()] = v.join('=') || true;
  }
  return { name, value: value.join('='), attrs };
}

describe('sessions, CSRF, throttling and tokens', () => {
  let server;
  let admin;
  let clockOffset = 0;
  // Moves the server's clock forward by ms (the offset accumulates over the file).
  async function advance(ms) {
    clockOffset += ms;
    const r = await (await devClient(server)).put('/api/v1/admin/clock', { now: new Date(Date.now() + clockOffset).toISOString() });
    assert.equal(r.status, 200, r.text);
  }

  before(async () => {
    server = await startServer();
    admin = await adminClient(server);
    secrets.add(admin.csrf);
    secrets.add(admin.cookie.split('=')[1]);
  });
  after(async () => { await server?.stop(); });

  describe('signing in and out', () => {
    let sam;
    before(async () => { sam = await createUser(admin, 'sam'); });

    it('POST /session answers 200 with the user and a CSRF token, and an HttpOnly SameSite=Lax cookie', async () => {
      const { c, r } = await signIn(server, 'sam', sam.password);
      assert.equal(r.status, 200, r.text);
      assert.match(r.headers.get('content-type'), /^application\/json/);
      assert.equal(r.json.user.id, sam.id);
      assert.equal(r.json.user.login, 'sam');
      assert.equal(r.json.user.is_admin, false);
      assert.ok(!('password' in r.json.user) && !('password_hash' in r.json.user));
      assert.doesNotMatch(r.text, new RegExp(sam.password));
      assert.equal(typeof r.json.csrf_token, 'string');
      assert.ok(r.json.csrf_token.length >= 16, 'a CSRF token of some length');
      const ck = cookieAttrs(r);
      assert.equal(ck.name, 'liaison_session');
      assert.ok(ck.value.length >= 16);
      assert.equal(ck.attrs.httponly, true);
      assert.equal(ck.attrs.samesite, 'Lax');
      assert.equal(ck.attrs.path, '/');
      assert.ok(!('secure' in ck.attrs), 'no Secure flag over plain http');
      assert.ok(!('max-age' in ck.attrs) || Number(ck.attrs['max-age']) > 0);
      assert.equal((await c.get('/api/v1/me')).status, 200);
    });

    it('X-Forwarded-Proto: https from an untrusted client does not make the cookie Secure', async () => {
      const { r } = await signIn(server, 'sam', sam.password, { 'x-forwarded-proto': 'https' });
      assert.equal(r.status, 200, r.text);
      assert.ok(!('secure' in cookieAttrs(r).attrs), 'Secure only behind --trust-proxy');
    });

    it('a wrong password answers 401 invalid_credentials and sets no session', async () => {
      const { c, r } = await signIn(server, 'sam', 'not-the-password');
      assertProblem(r, 401, 'invalid_credentials');
      assert.equal(c.cookie, null);
      assert.doesNotMatch(r.headers.get('set-cookie') || '', /liaison_session=[^;]+/);
    });

    it('an unknown login answers exactly like a wrong password', async () => {
      const wrong = (await signIn(server, 'sam', 'not-the-password')).r;
      const unknown = (await signIn(server, 'nobody-here', 'not-the-password')).r;
      assertProblem(unknown, 401, 'invalid_credentials');
      assert.deepEqual(unknown.json, wrong.json);
      assert.equal(unknown.headers.get('set-cookie'), null);
      // Two more failures were counted for sam; clear them with a success.
      assert.equal((await signIn(server, 'sam', sam.password)).r.status, 200);
    });

    it('sign-in input is validated: missing password 422 required, unknown field 422', async () => {
      const c = new Client(server);
      assertProblem(await c.post('/api/v1/session', { login: 'sam' }), 422, 'required', 'password');
      assertProblem(await c.post('/api/v1/session', { login: 'sam', password: sam.password, remember: true }), 422, 'unknown_field', 'remember');
      assertProblem(await c.req('POST', '/api/v1/session', { raw: '{"login":', headers: { 'content-type': 'application/json' } }), 400, 'malformed_json');
    });

    it('GET /me answers 401 without a cookie and the same body as the sign-in with one', async () => {
      assertProblem(await new Client(server).get('/api/v1/me'), 401, 'unauthenticated');
      const forged = new Client(server);
      forged.cookie = 'liaison_session=not-a-real-session-token';
      assertProblem(await forged.get('/api/v1/me'), 401, 'unauthenticated');
      const { c, r } = await signIn(server, 'sam', sam.password);
      const me = await c.get('/api/v1/me');
      assert.equal(me.status, 200);
      assert.equal(me.json.csrf_token, r.json.csrf_token);
      assert.equal(me.json.user.id, sam.id);
      assert.deepEqual(me.json.user, r.json.user);
    });

    it('an unsafe request with the cookie but without X-CSRF-Token answers 403 csrf_failed and changes nothing', async () => {
      const { c } = await signIn(server, 'sam', sam.password);
      const before0 = await c.get(`/api/v1/users/${sam.id}`);
      // Client always adds the header, so send the request by hand without it.
      const raw = await fetch(`${server.url}/api/v1/users/${sam.id}`, {
        method: 'PATCH', headers: { cookie: c.cookie, 'content-type': 'application/json', 'if-match': before0.headers.get('etag') },
        body: JSON.stringify({ name: 'Changed' }),
      });
      assert.equal(raw.status, 403);
      const body = await raw.json();
      assert.equal(body.code, 'csrf_failed');
      // Admin-only write without the token is refused for CSRF too.
      const adminRaw = await fetch(`${server.url}/api/v1/departments`, {
        method: 'POST', headers: { cookie: admin.cookie, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'No CSRF' }),
      });
      assert.equal(adminRaw.status, 403);
      assert.equal((await adminRaw.json()).code, 'csrf_failed');
      const after0 = await c.get(`/api/v1/users/${sam.id}`);
      assert.equal(after0.json.name, before0.json.name);
      assert.equal(after0.json.version, before0.json.version);
      const depts = await admin.get('/api/v1/departments');
      assert.ok(!depts.json.items.some((d) => d.name === 'No CSRF'));
    });

    it('a wrong, empty or another session\'s X-CSRF-Token answers 403 csrf_failed', async () => {
      const { c } = await signIn(server, 'sam', sam.password);
      const other = (await signIn(server, 'sam', sam.password)).c;
      for (const token of ['wrong-token', '', other.csrf, c.csrf.slice(0, -1), `${c.csrf}x`]) {
        const r = await admin.post('/api/v1/departments', { name: 'Bad CSRF' }, { headers: { 'x-csrf-token': token } });
        assertProblem(r, 403, 'csrf_failed');
        assertProblem(await c.del('/api/v1/session', { headers: { 'x-csrf-token': token } }), 403, 'csrf_failed');
      }
      // The session was not signed out by the refused DELETE, and nothing was created.
      assert.equal((await c.get('/api/v1/me')).status, 200);
      const depts = await admin.get('/api/v1/departments');
      assert.ok(!depts.json.items.some((d) => d.name === 'Bad CSRF'));
      // With the right token the same request works.
      assert.equal((await admin.post('/api/v1/departments', { name: 'Good CSRF' })).status, 201);
    });

    it('DELETE /session signs out: 204, the cookie is cleared and no longer works', async () => {
      const { c } = await signIn(server, 'sam', sam.password);
      const { c: other } = await signIn(server, 'sam', sam.password);
      const cookie = c.cookie;
      const r = await c.del('/api/v1/session');
      assert.equal(r.status, 204);
      const ck = cookieAttrs(r);
      assert.equal(ck.name, 'liaison_session');
      assert.equal(ck.value, '');
      assert.ok(ck.attrs['max-age'] === '0' || 'expires' in ck.attrs, 'the cookie is expired');
      const stale = new Client(server);
      stale.cookie = cookie;
      assertProblem(await stale.get('/api/v1/me'), 401, 'unauthenticated');
      stale.csrf = c.csrf;
      assertProblem(await stale.post('/api/v1/tokens', { name: 'after sign-out' }), 401, 'unauthenticated');
      // Only that session ended.
      assert.equal((await other.get('/api/v1/me')).status, 200);
    });
  });

  describe('throttling of failed sign-ins', () => {
    let tess;
    before(async () => { tess = await createUser(admin, 'tess'); });

    it('after 3 failures of one login from one address, the next attempt within a second, even with the right password, answers 429 with Retry-After', async () => {
      for (let i = 0; i < 3; i++) assertProblem((await signIn(server, 'tess', `wrong-${i}`)).r, 401, 'invalid_credentials');
      const { r } = await signIn(server, 'tess', tess.password);
      assertProblem(r, 429, 'throttled');
      assert.equal(r.headers.get('set-cookie'), null);
      const ra = r.headers.get('retry-after');
      assert.match(ra || '', /^\d+$/, 'Retry-After in seconds');
      assert.equal(Number(ra), 1, `Retry-After ${ra}`);
      // Other logins are not affected.
      assert.equal((await signIn(server, 'admin', ADMIN_PASSWORD)).r.status, 200);
    });

    it('once the wait has passed (PUT /admin/clock) the right password works again', async () => {
      await advance(1000);
      const { c, r } = await signIn(server, 'tess', tess.password);
      assert.equal(r.status, 200, r.text);
      assert.equal((await c.get('/api/v1/me')).json.user.login, 'tess');
    });

    it('a successful sign-in clears the failure count of that login', async () => {
      for (let i = 0; i < 3; i++) assert.equal((await signIn(server, 'tess', 'wrong')).r.status, 401);
      await advance(1000);
      assert.equal((await signIn(server, 'tess', tess.password)).r.status, 200);
      for (let i = 0; i < 3; i++) assert.equal((await signIn(server, 'tess', 'wrong')).r.status, 401, `failure ${i + 1} after the success`);
      await advance(1000);
      assert.equal((await signIn(server, 'tess', tess.password)).r.status, 200);
    });

    it('unknown logins are throttled too (no way to tell them from real ones)', async () => {
      for (let i = 0; i < 3; i++) assert.equal((await signIn(server, 'ghost', 'wrong')).r.status, 401);
      assertProblem((await signIn(server, 'ghost', 'wrong')).r, 429, 'throttled');
    });
  });

  describe('deactivated users', () => {
    it('cannot sign in, and their sessions and tokens stop working', async () => {
      const dora = await createUser(admin, 'dora');
      const { c } = await signIn(server, 'dora', dora.password);
      const t = await c.post('/api/v1/tokens', { name: 'dora script' });
      assert.equal(t.status, 201);
      secrets.add(t.json.token);
      assert.equal((await bearer(server, t.json.token).get('/api/v1/me')).status, 200);
      const u = await admin.get(`/api/v1/users/${dora.id}`);
      const off = await admin.patch(`/api/v1/users/${dora.id}`, { active: false }, { headers: { 'if-match': u.headers.get('etag') } });
      assert.equal(off.status, 200, off.text);
      assert.equal(off.json.active, false);
      assertProblem(await c.get('/api/v1/me'), 401, 'unauthenticated');
      assertProblem(await c.post('/api/v1/tokens', { name: 'more' }), 401, 'unauthenticated');
      assertProblem(await bearer(server, t.json.token).get('/api/v1/me'), 401, 'unauthenticated');
      const again = await signIn(server, 'dora', dora.password);
      assertProblem(again.r, 401, 'invalid_credentials');
      assert.equal(again.r.headers.get('set-cookie'), null);
      // Reactivated: can sign in again, but the old session stays ended.
      const on = await admin.patch(`/api/v1/users/${dora.id}`, { active: true }, { headers: { 'if-match': off.headers.get('etag') } });
      assert.equal(on.status, 200, on.text);
      assert.equal((await signIn(server, 'dora', dora.password)).r.status, 200);
      assertProblem(await c.get('/api/v1/me'), 401, 'unauthenticated');
    });
  });

  describe('API tokens', () => {
    let tom;
    let tomClient;
    before(async () => {
      tom = await createUser(admin, 'tom');
      tomClient = (await signIn(server, 'tom', tom.password)).c;
    });

    it('POST /tokens answers 201 with the token once, and a Location', async () => {
      const r = await tomClient.post('/api/v1/tokens', { name: 'ci script' });
      assert.equal(r.status, 201, r.text);
      secrets.add(r.json.token);
      assert.ok(Number.isInteger(r.json.id));
      assert.equal(r.json.name, 'ci script');
      assert.equal(typeof r.json.token, 'string');
      assert.ok(r.json.token.length >= 20, 'a long random token');
      assert.ok(!Number.isNaN(Date.parse(r.json.created_at)));
      assert.equal(r.headers.get('location'), `/api/v1/tokens/${r.json.id}`);
      const r2 = await tomClient.post('/api/v1/tokens', { name: 'ci script' });
      secrets.add(r2.json.token);
      assert.notEqual(r2.json.token, r.json.token);
      assert.equal((await bearer(server, r.json.token).get('/api/v1/me')).json.user.id, tom.id);
    });

    it('POST /tokens validates its input', async () => {
      assertProblem(await tomClient.post('/api/v1/tokens', {}), 422, 'required', 'name');
      assertProblem(await tomClient.post('/api/v1/tokens', { name: '  ' }), 422, 'required', 'name');
      assertProblem(await tomClient.post('/api/v1/tokens', { name: 'x', expires: 3 }), 422, 'unknown_field', 'expires');
      assertProblem(await tomClient.post('/api/v1/tokens', { name: 'x'.repeat(101) }), 422, 'too_long', 'name');
      assertProblem(await new Client(server).post('/api/v1/tokens', { name: 'anon' }), 401, 'unauthenticated');
    });

    it('GET /tokens lists the caller\'s tokens without their secrets', async () => {
      const made = await tomClient.post('/api/v1/tokens', { name: 'listed' });
      secrets.add(made.json.token);
      const r = await tomClient.get('/api/v1/tokens');
      assert.equal(r.status, 200);
      assert.ok(Array.isArray(r.json.items));
      assert.ok('next_cursor' in r.json);
      const item = r.json.items.find((t) => t.id === made.json.id);
      assert.ok(item, 'the new token is listed');
      assert.equal(item.name, 'listed');
      for (const t of r.json.items) {
        assert.ok(!('token' in t) && !('token_hash' in t) && !('secret' in t), JSON.stringify(t));
      }
      assert.ok(!r.text.includes(made.json.token), 'the secret is not in the list');
      // Other users' tokens are not listed.
      const mine = await admin.get('/api/v1/tokens');
      assert.ok(!mine.json.items.some((t) => t.id === made.json.id));
    });

    it('a token\'s last use is stamped, at most once a minute, on reads and writes alike', async () => {
      const made = await tomClient.post('/api/v1/tokens', { name: 'stamped' });
      secrets.add(made.json.token);
      const used = async () => (await tomClient.get('/api/v1/tokens')).json.items.find((t) => t.id === made.json.id).last_used_at;
      assert.equal(await used(), null, 'never used yet');
      const b = bearer(server, made.json.token);
      assert.equal((await b.req('GET', '/api/v1/me')).status, 200);
      const first = await used();
      assert.ok(first, 'a read stamps it');
      assert.equal((await b.req('GET', '/api/v1/me')).status, 200);
      assert.equal(await used(), first, 'not again within the minute');
      await advance(61_000);
      assert.equal((await b.req('GET', '/api/v1/me')).status, 200);
      const second = await used();
      assert.ok(Date.parse(second) >= Date.parse(first) + 60_000, `stamped again after a minute: ${first} then ${second}`);
    });

    it('a bearer token works on every route without a CSRF token', async () => {
      const t = await admin.post('/api/v1/tokens', { name: 'admin automation' });
      assert.equal(t.status, 201);
      secrets.add(t.json.token);
      const b = bearer(server, t.json.token);
      const covered = new Set();
      const call = async (method, pattern, path, body, headers, expect) => {
        const r = await b.req(method, path, { body, headers });
        assert.equal(r.status, expect, `${method} ${path}: ${r.text}`);
        covered.add(`${method} ${pattern}`);
        return r;
      };
      await call('GET', '/api/v1/me', '/api/v1/me', undefined, {}, 200);
      const tk = await call('POST', '/api/v1/tokens', '/api/v1/tokens', { name: 'second' }, {}, 201);
      secrets.add(tk.json.token);
      await call('GET', '/api/v1/tokens', '/api/v1/tokens', undefined, {}, 200);
      await call('DELETE', '/api/v1/tokens/{id}', `/api/v1/tokens/${tk.json.id}`, undefined, {}, 204);
      await call('GET', '/api/v1/departments', '/api/v1/departments', undefined, {}, 200);
      const d = await call('POST', '/api/v1/departments', '/api/v1/departments', { name: 'Bearer dept' }, {}, 201);
      const dp = `/api/v1/departments/${d.json.id}`;
      await call('GET', '/api/v1/departments/{id}', dp, undefined, {}, 200);
      await call('PATCH', '/api/v1/departments/{id}', dp, { name: 'Bearer dept 2' }, { 'if-match': '"1"' }, 200);
      await call('PUT', '/api/v1/departments/{id}/liaisons', `${dp}/liaisons`, { user_ids: [] }, { 'if-match': '"2"' }, 200);
      await call('GET', '/api/v1/departments/{id}/history', `${dp}/history`, undefined, {}, 200);
      const password = pw('bearer-made');
      const u = await call('POST', '/api/v1/users', '/api/v1/users', { login: 'bearer-made', name: 'Made by token', department_id: d.json.id, password }, {}, 201);
      await call('GET', '/api/v1/users', '/api/v1/users', undefined, {}, 200);
      await call('GET', '/api/v1/users/{id}', `/api/v1/users/${u.json.id}`, undefined, {}, 200);
      await call('PATCH', '/api/v1/users/{id}', `/api/v1/users/${u.json.id}`, { name: 'Renamed by token' }, { 'if-match': '"1"' }, 200);
      await call('GET', '/api/v1/users/{id}/history', `/api/v1/users/${u.json.id}/history`, undefined, {}, 200);
      const gone = await b.post('/api/v1/departments', { name: 'Bearer to delete' });
      await call('DELETE', '/api/v1/departments/{id}', `/api/v1/departments/${gone.json.id}`, undefined, { 'if-match': '"1"' }, 204);
      await call('DELETE', '/api/v1/session', '/api/v1/session', undefined, {}, 204);
      // Routes added later: at least authentication and CSRF must let the token through.
      for (const rt of parseRoutes()) {
        if (!['AUTH_USER', 'AUTH_ADMIN'].includes(rt.auth) || covered.has(`${rt.method} ${rt.pattern}`)) continue;
        const path = rt.pattern.replace(/\{[^}]*id\}/g, '1').replace(/\{[^}]+\}/g, 'x');
        const unsafe = !['GET', 'HEAD'].includes(rt.method);
        // Plain fetch with a timeout: a streaming route (server-sent events) never ends its body.
        const res = await fetch(server.url + path, {
          method: rt.method,
          headers: { authorization: `Bearer ${t.json.token}`, ...(unsafe ? { 'content-type': 'application/json', 'if-match': '"1"' } : {}) },
          body: unsafe ? '{}' : undefined,
          signal: AbortSignal.timeout(5000),
        });
        let code = null;
        if (/json/.test(res.headers.get('content-type') || '')) code = (await res.json().catch(() => null))?.code;
        else await res.body?.cancel();
        assert.notEqual(res.status, 401, `${rt.method} ${path}: ${code}`);
        assert.notEqual(code, 'csrf_failed', `${rt.method} ${path}`);
      }
      // Signing "out" with a token does not revoke it.
      assert.equal((await b.get('/api/v1/me')).status, 200);
    });

    it('DELETE /tokens/{id} revokes the token: then 401, and it is no longer listed', async () => {
      const t = await tomClient.post('/api/v1/tokens', { name: 'to revoke' });
      secrets.add(t.json.token);
      const b = bearer(server, t.json.token);
      assert.equal((await b.get('/api/v1/me')).status, 200);
      const r = await tomClient.del(`/api/v1/tokens/${t.json.id}`);
      assert.equal(r.status, 204);
      assertProblem(await b.get('/api/v1/me'), 401, 'unauthenticated');
      assertProblem(await b.post('/api/v1/tokens', { name: 'x' }), 401, 'unauthenticated');
      const list = await tomClient.get('/api/v1/tokens');
      assert.ok(!list.json.items.some((x) => x.id === t.json.id));
      assertProblem(await tomClient.del(`/api/v1/tokens/${t.json.id}`), 404, 'not_found');
    });

    it('another user\'s token id answers 404 and the token keeps working', async () => {
      const t = await admin.post('/api/v1/tokens', { name: 'admin own' });
      secrets.add(t.json.token);
      assertProblem(await tomClient.del(`/api/v1/tokens/${t.json.id}`), 404, 'not_found');
      assertProblem(await tomClient.del('/api/v1/tokens/987654'), 404, 'not_found');
      assert.equal((await bearer(server, t.json.token).get('/api/v1/me')).status, 200);
      assert.ok((await admin.get('/api/v1/tokens')).json.items.some((x) => x.id === t.json.id));
    });

    it('a bearer token is not a session: an invalid one answers 401', async () => {
      assertProblem(await bearer(server, 'made-up-token').get('/api/v1/me'), 401, 'unauthenticated');
      assertProblem(await bearer(server, '').get('/api/v1/me'), 401, 'unauthenticated');
    });
  });

  describe('throttling by address', () => {
    it('after 20 failures from one address every login is throttled, X-Forwarded-For is not trusted', async () => {
      await advance(16 * 60 * 1000); // a fresh window for every counter
      const sam2 = await createUser(admin, 'sam2');
      for (let i = 0; i < 20; i++) {
        const { r } = await signIn(server, `nobody${i}`, 'wrong', { 'x-forwarded-for': `10.9.${i}.1` });
        assert.equal(r.status, 401, `failure ${i + 1}: ${r.text}`);
      }
      const { r } = await signIn(server, 'sam2', sam2.password, { 'x-forwarded-for': '10.10.10.10' });
      assertProblem(r, 429, 'throttled');
      assert.ok(Number(r.headers.get('retry-after')) > 0);
      await advance(15 * 60 * 1000 + 1000);
      assert.equal((await signIn(server, 'sam2', sam2.password)).r.status, 200);
    });
  });

  describe('the server log', () => {
    it('never contains a password, token or session secret that was sent', async () => {
      await new Promise((r) => setTimeout(r, 50)); // let the last access-log lines arrive
      const log = server.log();
      assert.ok(log.includes('POST /api/v1/session'), 'the log has access lines');
      for (const s of secrets) {
        if (!s || s.length < 8) continue;
        assert.ok(!log.includes(s), `the log contains a secret: ${s.slice(0, 6)}…`);
      }
    });
  });
});

describe('behind a trusted proxy (serve --trust-proxy)', () => {
  let server;
  let admin;
  before(async () => {
    server = await startServer({ args: ['--trust-proxy'] });
    admin = await adminClient(server);
  });
  after(async () => { await server?.stop(); });

  it('the cookie is Secure when X-Forwarded-Proto: https came through, and only then', async () => {
    const https = (await signIn(server, 'admin', ADMIN_PASSWORD, { 'x-forwarded-proto': 'https' }));
    assert.equal(https.r.status, 200);
    const ck = cookieAttrs(https.r);
    assert.equal(ck.attrs.secure, true);
    assert.equal(ck.attrs.httponly, true);
    assert.equal(ck.attrs.samesite, 'Lax');
    const plain = (await signIn(server, 'admin', ADMIN_PASSWORD)).r;
    assert.ok(!('secure' in cookieAttrs(plain).attrs), 'no Secure without the header');
    const http = (await signIn(server, 'admin', ADMIN_PASSWORD, { 'x-forwarded-proto': 'http' })).r;
    assert.ok(!('secure' in cookieAttrs(http).attrs), 'no Secure over http');
    // Signing out over https clears the cookie with the same flags.
    const out = await https.c.del('/api/v1/session', { headers: { 'x-forwarded-proto': 'https' } });
    assert.equal(out.status, 204);
    assert.equal(cookieAttrs(out).attrs.secure, true);
  });

  it('the address throttle counts the client named by X-Forwarded-For', async () => {
    const u = await createUser(admin, 'proxied');
    for (let i = 0; i < 20; i++) {
      assert.equal((await signIn(server, `nobody${i}`, 'wrong', { 'x-forwarded-for': '203.0.113.7' })).r.status, 401);
    }
    assertProblem((await signIn(server, 'proxied', u.password, { 'x-forwarded-for': '203.0.113.7' })).r, 429, 'throttled');
    assert.equal((await signIn(server, 'proxied', u.password, { 'x-forwarded-for': '198.51.100.2' })).r.status, 200);
  });
});
