// The test routes of `serve --dev-clock` (PUT /api/v1/admin/clock, POST /api/v1/admin/tick) need an administrator.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, adminClient, devClient, Client } from '../lib/server.js';
import { assertProblem } from '../lib/helpers.js';

describe('dev routes need an administrator', () => {
  let server;
  let admin;
  before(async () => {
    server = await startServer();
    admin = await adminClient(server);
  });
  after(async () => { await server?.stop(); });

  const later = () => new Date(Date.now() + 3 * 86400e3).toISOString(); // within the session's lifetime
  const moved = async () => {
    const d = await admin.post('/api/v1/departments', { name: `Probe ${Math.random()}` });
    assert.equal(d.status, 201, d.text);
    return Math.abs(Date.parse(d.json.created_at) - Date.now()) > 86400e3;
  };

  it('anonymous: 401, and the clock does not move', async () => {
    const anon = new Client(server);
    assertProblem(await anon.put('/api/v1/admin/clock', { now: later() }), 401, 'unauthenticated');
    assertProblem(await anon.post('/api/v1/admin/tick', {}), 401, 'unauthenticated');
    assert.equal(await moved(), false);
  });

  it('a signed-in user who is not an administrator: 403, with a session or a token', async () => {
    const u = await admin.post('/api/v1/users', { login: 'plain', name: 'Plain', password: 'plain-password-1' });
    assert.equal(u.status, 201, u.text);
    const c = new Client(server);
    await c.login('plain', 'plain-password-1');
    assertProblem(await c.put('/api/v1/admin/clock', { now: later() }), 403, 'forbidden');
    assertProblem(await c.post('/api/v1/admin/tick', {}), 403, 'forbidden');
    const t = await c.post('/api/v1/tokens', { name: 'plain script' });
    const b = new Client(server);
    b.token = t.json.token;
    assertProblem(await b.put('/api/v1/admin/clock', { now: later() }), 403, 'forbidden');
    assert.equal(await moved(), false);
  });

  it('an administrator (session with CSRF token, or API token) may', async () => {
    assert.equal((await admin.post('/api/v1/admin/tick', {})).status, 200);
    const dev = await devClient(server);
    assert.equal((await dev.put('/api/v1/admin/clock', { now: later() })).status, 200);
    assert.equal(await moved(), true);
    assert.equal((await dev.put('/api/v1/admin/clock', { now: new Date().toISOString() })).status, 200);
  });
});
