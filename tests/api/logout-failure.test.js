// Signing out when the store cannot delete the session (disk full, read-only, broken) must say so: 500, not 204.
// The failure is made with a trigger added by the sqlite3 command-line tool while the server runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { startServer, adminClient } from '../lib/server.js';
import { assertProblem } from '../lib/helpers.js';

const sqlite = (db, sql) => spawnSync('sqlite3', [db, sql], { encoding: 'utf8' });

test('DELETE /api/v1/session answers 500 when the session cannot be deleted, and 204 once it can', async () => {
  const server = await startServer();
  try {
    const admin = await adminClient(server);
    let r = sqlite(server.db, "CREATE TRIGGER sessions_fail BEFORE DELETE ON sessions BEGIN SELECT RAISE(ABORT, 'disk full (test)'); END;");
    assert.equal(r.status, 0, r.stderr);
    const out = await admin.del('/api/v1/session');
    assertProblem(out, 500, 'internal');
    assert.ok(!/liaison_session=;/.test(out.headers.get('set-cookie') || ''), 'the cookie is not cleared');
    assert.equal((await admin.get('/api/v1/me')).status, 200, 'the session did not end');
    r = sqlite(server.db, 'DROP TRIGGER sessions_fail;');
    assert.equal(r.status, 0, r.stderr);
    assert.equal((await admin.del('/api/v1/session')).status, 204);
    assert.equal((await admin.get('/api/v1/me')).status, 401);
  } finally {
    await server.stop();
  }
});
