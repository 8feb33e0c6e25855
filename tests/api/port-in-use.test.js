// A second `serve` on a port that is in use must not start (no SO_REUSEPORT sharing): it exits non-zero
// saying "address in use", and the first server keeps all the traffic.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { startServer, BIN, ADMIN_PASSWORD } from '../lib/server.js';
import { waitFor } from '../lib/raw.js';

// Runs `liaison serve` on the port; answers {code, stderr} once it exits, or kills it after timeout ms.
function serveAgain(db, port, timeout = 10000) {
  return new Promise((resolve) => {
    const p = spawn(BIN, ['serve', '--db', db, '--listen', `127.0.0.1:${port}`], {
      env: { ...process.env, LIAISON_ADMIN_PASSWORD: ADMIN_PASSWORD }, stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    p.stderr.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => { p.kill('SIGKILL'); }, timeout);
    p.on('exit', (code, signal) => { clearTimeout(timer); resolve({ code, signal, stderr }); });
  });
}

test('a second serve on the same port exits non-zero with "address in use"; the first keeps serving', async () => {
  const server = await startServer();
  try {
    const second = await serveAgain(server.db, server.port);
    assert.equal(second.signal, null, `the second server was still running after 10 s: ${second.stderr}`);
    assert.notEqual(second.code, 0);
    assert.match(second.stderr, /address in use/);
    // Every request reaches the first server (its access log has them all).
    for (let i = 0; i < 20; i++) {
      const r = await fetch(`${server.url}/api/v1/nothing-${i}`);
      assert.equal(r.status, 404);
      await r.arrayBuffer();
    }
    await waitFor(() => [...Array(20).keys()].every((i) => server.log().includes(`GET /api/v1/nothing-${i} 404`)),
      { what: 'the first server to log all 20 requests' });
  } finally {
    await server.stop();
  }
});
