// Nothing a client sends can add a line to the server's log, drive a terminal, or put bytes that are not
// UTF-8 into it: the access log's path, a failed sign-in's login and every other message are escaped.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startServer, Client } from '../lib/server.js';
import { rawRequest, waitFor } from '../lib/raw.js';

describe('log forging', () => {
  let server;
  // The server's stderr, as the raw bytes of its log file, to check them before any decoding.
  const raw = () => readFileSync(server.logPath);
  before(async () => {
    server = await startServer();
  });
  after(async () => { await server?.stop(); });

  const lines = () => raw().toString('utf8').split('\n');
  // Lines that begin with the forged timestamp.
  const forged = () => lines().filter((l) => l.startsWith('2026-01-01T00:00:00.000Z'));

  it('a %0a in the path does not start a line of the access log', async () => {
    const marker = 'forged-by-path';
    const r = await rawRequest(server.port, `GET /x%0a2026-01-01T00:00:00.000Z%20info%20${marker}%0d%1b[2J HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n`);
    assert.equal(r.status, 404); // a file-like path outside /static/
    const line = await waitFor(() => lines().find((l) => l.includes(marker)), { what: 'the access-log line' });
    assert.match(line, /^\S+ info \w+ GET \/x\\n2026-01-01T00:00:00\.000Z info forged-by-path\\x0d\\x1b\[2J 404 /);
    assert.deepEqual(forged(), [], 'no forged line');
    assert.equal(lines().filter((l) => l.includes(marker)).length, 1);
  });

  it('a newline in a failed sign-in\'s login does not start a line', async () => {
    const marker = 'forged-by-login';
    const r = await new Client(server).post('/api/v1/session', { login: `nobody\n2026-01-01T00:00:00.000Z warn ${marker}`, password: 'wrong-password' });
    assert.equal(r.status, 401);
    const line = await waitFor(() => lines().find((l) => l.includes(marker)), { what: 'the failed sign-in line' });
    assert.match(line, /^\S+ warn failed sign-in for login 'nobody\\n2026-01-01T00:00:00\.000Z warn forged-by-login'/);
    assert.equal(lines().filter((l) => l.includes(marker)).length, 1);
    assert.deepEqual(forged(), [], 'no forged line');
  });

  it('bytes that are not UTF-8 are logged as \\xNN, so the log stays UTF-8', async () => {
    const r = await rawRequest(server.port, 'GET /bad-%ff%fe-bytes%c2%9b HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n');
    assert.equal(r.status, 400);
    const line = await waitFor(() => lines().find((l) => l.includes('/bad-')), { what: 'the access-log line' });
    assert.match(line, /GET \/bad-\\xff\\xfe-bytes\\xc2\\x9b 400/);
    assert.doesNotThrow(() => new TextDecoder('utf-8', { fatal: true }).decode(raw()), 'the whole log is UTF-8');
  });

  it('every line of the log is a log line', async () => {
    for (const l of lines()) {
      if (l === '') continue;
      assert.match(l, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z (info|warn|error) /, `not a log line: ${JSON.stringify(l)}`);
    }
  });
});
