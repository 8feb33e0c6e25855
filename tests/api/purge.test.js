// Expired sessions and sign-in counters that no longer count are purged (at start-up, every few minutes, and by
// POST /api/v1/admin/tick, which runs the periodic jobs in tests).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, adminClient, devClient, Client, storeSql } from '../lib/server.js';

const sqlite = storeSql; // sqlite3 or psql, whichever store the server has

test('the tick purges sessions past their end and old sign-in counters, and keeps the live ones', async () => {
  const server = await startServer();
  try {
    const admin = await adminClient(server);
    for (let i = 0; i < 4; i++) await adminClient(server); // four more sessions
    for (let i = 0; i < 3; i++) assert.equal((await new Client(server).post('/api/v1/session', { login: `nobody${i}`, password: 'wrong-password' })).status, 401);
    const dev = await devClient(server); // an API token: not a session, does not expire
    let tick = await dev.post('/api/v1/admin/tick', {});
    assert.equal(tick.status, 200, tick.text);
    const purge = (t) => t.json.ran.find((j) => j.job === 'purge');
    assert.ok(purge(tick), `the purge ran: ${tick.text}`);
    assert.equal(purge(tick).sessions, 0, 'nothing has expired yet');
    assert.equal(purge(tick).sign_in_failures, 0);
    // Fifteen days later every session (14 days) and every counter has expired.
    assert.equal((await dev.put('/api/v1/admin/clock', { now: new Date(Date.now() + 15 * 86400e3).toISOString() })).status, 200);
    const fresh = await adminClient(server); // signed in "now": must survive
    tick = await dev.post('/api/v1/admin/tick', {});
    assert.equal(purge(tick).sessions, 6, tick.text); // the dev client's sign-in and the five above
    // The three (login, address) counters; the address's own started a new window with the fresh sign-in.
    assert.equal(purge(tick).sign_in_failures, 3, tick.text);
    assert.equal((await fresh.get('/api/v1/me')).status, 200);
    await assertGone(admin);
    tick = await dev.post('/api/v1/admin/tick', {});
    assert.deepEqual([purge(tick).sessions, purge(tick).sign_in_failures], [0, 0], 'nothing left to purge');
    assert.equal(sqlite(server.db, 'SELECT count(*) FROM sessions').stdout, '1');
    assert.equal(sqlite(server.db, 'SELECT count(*) FROM login_failures WHERE count > 0').stdout, '0');
  } finally {
    await server.stop();
  }

  async function assertGone(c) {
    assert.equal((await c.get('/api/v1/me')).status, 401);
  }
});

test('serve purges at start-up', async () => {
  const server = await startServer({
    prepare: (db) => {
      const r = sqlite(db, "INSERT INTO sessions(token_hash, user_id, csrf_token, created_at, expires_at) VALUES ('old1', 1, 'x', 0, 1), ('old2', 1, 'x', 0, 2);"
        + " INSERT INTO login_failures(key, count, first_at) VALUES ('pair:10.0.0.1 a', 5, 0), ('addr:10.0.0.1', 5, 0), ('login:a', 5, 0);");
      assert.equal(r.status, 0, r.stderr);
    },
  });
  try {
    assert.equal(sqlite(server.db, 'SELECT count(*) FROM sessions').stdout, '0');
    assert.equal(sqlite(server.db, 'SELECT count(*) FROM login_failures').stdout, '0');
    assert.match(server.log(), /purged 5 expired sessions and sign-in counters/);
  } finally {
    await server.stop();
  }
});
