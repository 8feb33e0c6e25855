// Request targets that are not a path ("x", "abc", "?x=1", "*", absolute URLs): answered 400, never a crash.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.js';
import { rawRequest } from '../lib/raw.js';

describe('request targets that are not a path', () => {
  let server;
  before(async () => { server = await startServer(); });
  after(async () => { await server?.stop(); });

  const alive = async () => {
    const r = await fetch(`${server.url}/healthz`);
    assert.equal(r.status, 200, 'the server still answers');
  };

  for (const [method, target] of [['GET', 'x'], ['GET', 'abc'], ['GET', '?x=1'], ['HEAD', 'abc'], ['GET', 'abc.js'],
    ['POST', 'x'], ['GET', 'api/v1/me'], ['OPTIONS', '*'], ['GET', 'http://example.com/'], ['GET', '']]) {
    it(`${method} "${target}" answers 400 and the server keeps running`, async () => {
      const r = await rawRequest(server.port, `${method} ${target} HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n`);
      assert.equal(r.status, 400, r.raw.slice(0, 200));
      await alive();
    });
  }

  it('a path is still served (the SPA page, the API)', async () => {
    assert.equal((await rawRequest(server.port, 'GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n')).status, 200);
    assert.equal((await rawRequest(server.port, 'GET /healthz?x=1 HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n')).status, 200);
    assert.equal(server.proc.exitCode, null);
  });
});
