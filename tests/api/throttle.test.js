// Sign-in throttling cannot be turned into a lock-out: a growing wait per (login, address), a looser window per
// address, never a lock on the login itself; the check and the count are atomic, so parallel attempts cannot
// overshoot; behind a trusted proxy the address is the one the proxy appended.  Time moves with the dev clock.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startServer, adminClient, ADMIN_PASSWORD } from '../lib/server.js';
import { waitFor } from '../lib/raw.js';

// POST /api/v1/session from a chosen local address (127.0.0.x), with extra headers; answers {status, retryAfter, json}.
function signIn(server, login, password, { from = '127.0.0.1', headers = {} } = {}) {
  const body = JSON.stringify({ login, password });
  return new Promise((resolve, reject) => {
    const req = http.request(`${server.url}/api/v1/session`, {
      method: 'POST', localAddress: from, agent: false,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers },
    }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { text += d; });
      res.on('end', () => {
        let json = null;
        try { json = JSON.parse(text); } catch { /* not JSON */ }
        resolve({ status: res.statusCode, retryAfter: res.headers['retry-after'], json });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

function clockMover(server, admin) {
  let offset = 0;
  return async (ms) => {
    offset += ms;
    const r = await admin.put('/api/v1/admin/clock', { now: new Date(Date.now() + offset).toISOString() });
    assert.equal(r.status, 200, r.text);
  };
}

describe('sign-in throttling', () => {
  let server;
  let admin;
  let advance;
  let n = 0;
  const newUser = async () => {
    const login = `victim${++n}`;
    const password = `${login}-right-password`;
    const r = await admin.post('/api/v1/users', { login, name: login, password });
    assert.equal(r.status, 201, r.text);
    return { login, password };
  };
  before(async () => {
    server = await startServer();
    admin = await adminClient(server);
    advance = clockMover(server, admin);
  });
  after(async () => { await server?.stop(); });

  it('20 parallel wrong passwords for one login from one address: exactly 3 are tried, 17 answer 429', async () => {
    const u = await newUser();
    const answers = await Promise.all(Array.from({ length: 20 }, () => signIn(server, u.login, 'wrong-password', { from: '127.0.0.3' })));
    const statuses = answers.map((a) => a.status);
    assert.equal(statuses.filter((s) => s === 401).length, 3, statuses.join(' '));
    assert.equal(statuses.filter((s) => s === 429).length, 17, statuses.join(' '));
    // And the count is exactly 3: after one second the fourth attempt is allowed, the fifth is not.
    await advance(1000);
    assert.equal((await signIn(server, u.login, 'wrong-password', { from: '127.0.0.3' })).status, 401);
    const fifth = await signIn(server, u.login, 'wrong-password', { from: '127.0.0.3' });
    assert.equal(fifth.status, 429);
    assert.equal(fifth.retryAfter, '2', 'two seconds after the fourth failure');
  });

  it('the wait grows 1 s, 2 s, 4 s ... and stops at 5 minutes', async () => {
    const u = await newUser();
    const from = '127.0.0.4';
    for (let i = 0; i < 3; i++) assert.equal((await signIn(server, u.login, 'wrong', { from })).status, 401);
    let expect = 1;
    for (let failures = 3; failures < 15; failures++) {
      const r = await signIn(server, u.login, 'wrong', { from });
      assert.equal(r.status, 429, `after ${failures} failures`);
      assert.equal(Number(r.retryAfter), expect, `after ${failures} failures`);
      await advance(expect * 1000);
      assert.equal((await signIn(server, u.login, 'wrong', { from })).status, 401, `allowed after ${expect} s`);
      expect = Math.min(expect * 2, 300);
    }
    // The right password works from here once the wait is over, and resets the count.
    await advance(300 * 1000);
    assert.equal((await signIn(server, u.login, u.password, { from })).status, 200);
    assert.equal((await signIn(server, u.login, 'wrong', { from })).status, 401);
  });

  it('a login under attack from one address is signed into at once from another, the administrator\'s too', async () => {
    const u = await newUser();
    for (const login of [u.login, 'admin']) {
      for (let i = 0; i < 10; i++) await signIn(server, login, 'attacker-guess', { from: '127.0.0.5' });
      assert.equal((await signIn(server, login, 'attacker-guess', { from: '127.0.0.5' })).status, 429, 'the attacker waits');
      const owner = await signIn(server, login, login === 'admin' ? ADMIN_PASSWORD : u.password, { from: '127.0.0.6' });
      assert.equal(owner.status, 200, `${login} from another address: ${JSON.stringify(owner.json)}`);
    }
  });

  it('one address trying many logins hits the looser per-address window (20 in 15 minutes); other addresses do not', async () => {
    await advance(16 * 60 * 1000);
    const u = await newUser();
    const from = '127.0.0.7';
    for (let i = 0; i < 20; i++) assert.equal((await signIn(server, `spray${i}`, 'wrong', { from })).status, 401, `login ${i}`);
    const r = await signIn(server, u.login, u.password, { from });
    assert.equal(r.status, 429);
    assert.ok(Number(r.retryAfter) > 60, `Retry-After ${r.retryAfter}`);
    assert.equal((await signIn(server, u.login, u.password, { from: '127.0.0.8' })).status, 200);
    await advance(15 * 60 * 1000 + 1000);
    assert.equal((await signIn(server, u.login, u.password, { from })).status, 200);
  });

  it('successful sign-ins do not use up the per-address window (an office behind one address)', async () => {
    const u = await newUser();
    for (let i = 0; i < 25; i++) assert.equal((await signIn(server, u.login, u.password, { from: '127.0.0.9' })).status, 200, `sign-in ${i + 1}`);
  });
});

describe('sign-in throttling behind a trusted proxy (serve --trust-proxy)', () => {
  let server;
  before(async () => { server = await startServer({ args: ['--trust-proxy'] }); });
  after(async () => { await server?.stop(); });

  it('the address is the last X-Forwarded-For entry (the one the proxy appended), not the first (the client\'s)', async () => {
    const admin = await adminClient(server);
    const u = await admin.post('/api/v1/users', { login: 'proxied', name: 'Proxied', password: 'proxied-password-1' });
    assert.equal(u.status, 201);
    // An attacker writes a new first entry each time; the proxy appends the real address.
    for (let i = 0; i < 3; i++) {
      const r = await signIn(server, 'proxied', 'wrong', { headers: { 'x-forwarded-for': `10.0.0.${i}, 203.0.113.9` } });
      assert.equal(r.status, 401);
    }
    const r = await signIn(server, 'proxied', 'wrong', { headers: { 'x-forwarded-for': '10.0.0.99, 203.0.113.9' } });
    assert.equal(r.status, 429, 'rotating the first entry does not escape the throttle');
    const owner = await signIn(server, 'proxied', 'proxied-password-1', { headers: { 'x-forwarded-for': '198.51.100.2' } });
    assert.equal(owner.status, 200);
    await waitFor(() => /warn sign-in throttled for login 'proxied' from 203\.0\.113\.9/.test(server.log()), { what: 'the log line' });
  });
});
