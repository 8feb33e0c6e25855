// Signing out when the store cannot delete the session (disk full, read-only, broken) must say so: 500, not 204.
// The failure is made with a trigger added while the server runs (sqlite3 or psql, whichever store it is).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, adminClient, failWrites } from '../lib/server.js';
import { assertProblem } from '../lib/helpers.js';

test('DELETE /api/v1/session answers 500 when the session cannot be deleted, and 204 once it can', async () => {
  const server = await startServer();
  try {
    const admin = await adminClient(server);
    const undo = failWrites(server.db, 'sessions', 'DELETE');
    const out = await admin.del('/api/v1/session');
    assertProblem(out, 500, 'internal');
    assert.ok(!/liaison_session=;/.test(out.headers.get('set-cookie') || ''), 'the cookie is not cleared');
    assert.equal((await admin.get('/api/v1/me')).status, 200, 'the session did not end');
    undo();
    assert.equal((await admin.del('/api/v1/session')).status, 204);
    assert.equal((await admin.get('/api/v1/me')).status, 401);
  } finally {
    await server.stop();
  }
});
