// Addresses and query strings: bytes that are not UTF-8 are refused before anything else happens.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startServer, adminClient } from '../lib/server.js';

let server, admin;
before(async () => { server = await startServer(); admin = await adminClient(server); });
after(async () => { await server.stop(); });

test('a query parameter that is not UTF-8 answers 400 invalid_utf8', async () => {
  for (const path of ['/api/v1/users?q=%ff', '/api/v1/requests?q=%e8%b7', '/api/v1/departments?%c0%af=1']) {
    const r = await admin.get(path);
    assert.equal(r.status, 400, path);
    assert.equal(r.json.code, 'invalid_utf8', path);
  }
  // Chinese text in a query is fine.
  const ok = await admin.get(`/api/v1/users?q=${encodeURIComponent('管理')}`);
  assert.equal(ok.status, 200);
});

test('a raw path that is not UTF-8 answers 400 invalid_utf8', async () => {
  const answer = await new Promise((resolve, reject) => {
    const s = net.connect(server.port, '127.0.0.1', () => {
      s.write(Buffer.concat([Buffer.from('GET /api/v1/'), Buffer.from([0xff, 0xfe]), Buffer.from(' HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')]));
    });
    let data = '';
    s.on('data', (d) => { data += d; });
    s.on('end', () => resolve(data));
    s.on('error', reject);
  });
  assert.match(answer, /^HTTP\/1\.1 400 /);
  assert.match(answer, /invalid_utf8/);
});
