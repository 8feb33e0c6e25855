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

  // Found by the fuzzer: a problem detail that quoted bytes that are not UTF-8 (or was cut inside a
  // character) made jansson refuse the answer, and the server crashed on the NULL it got back.
  it('a method that is not UTF-8 on a known path answers 405 as JSON, and the server keeps running', async () => {
    const r = await rawRequest(server.port, Buffer.concat([Buffer.from([0x47, 0x91, 0x54]),
      Buffer.from(' /healthz HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n')]));
    assert.equal(r.status, 405, r.raw.slice(0, 200));
    assert.equal(JSON.parse(r.body).code, 'method_not_allowed');
    await alive();
  });

  it('a long path of Chinese characters answers 404 as JSON (the detail is cut between characters)', async () => {
    const r = await rawRequest(server.port, `POST /${encodeURIComponent('部'.repeat(400))} HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n`);
    assert.equal(r.status, 404, r.raw.slice(0, 200));
    const body = JSON.parse(r.body);
    assert.equal(body.code, 'not_found');
    assert.ok(!body.detail.includes('\ufffd'), 'no broken character in the detail');
    await alive();
  });

  it('a path is still served (the SPA page, the API)', async () => {
    assert.equal((await rawRequest(server.port, 'GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n')).status, 200);
    assert.equal((await rawRequest(server.port, 'GET /healthz?x=1 HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n')).status, 200);
    assert.equal(server.proc.exitCode, null);
  });
});
