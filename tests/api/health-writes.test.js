// GET /healthz probes a write as well as a read: it answers 503 while the store takes no writes (a full disk,
// made here with a trigger that fails every insert of the probe's table), and 200 again once it does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, failWrites } from '../lib/server.js';
import { waitFor } from '../lib/raw.js';

test('GET /healthz answers 503 while the store takes no writes, 200 again after', async () => {
  const server = await startServer();
  try {
    const health = async () => { const r = await fetch(`${server.url}/healthz`); return { status: r.status, body: await r.json() }; };
    assert.equal((await health()).status, 200);
    const undo = failWrites(server.db, 'login_failures', 'INSERT');
    const bad = await waitFor(async () => { const h = await health(); return h.status === 503 && h; }, { what: '503' });
    assert.equal(bad.body.code, 'unavailable');
    undo();
    assert.equal((await health()).status, 200);
  } finally {
    await server.stop();
  }
});
