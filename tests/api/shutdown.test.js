// Graceful shutdown: SIGTERM stops new connections, finishes requests in flight, exits 0 promptly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startServer } from '../lib/server.js';

function rawRequest(port) {
  const sock = net.connect(port, '127.0.0.1');
  let data = '';
  sock.setEncoding('utf8');
  sock.on('data', (d) => { data += d; });
  const closed = new Promise((resolve) => sock.on('close', () => resolve(data)));
  return { sock, closed, get data() { return data; } };
}

test('a request in flight at SIGTERM is answered, then the server exits 0', async () => {
  const server = await startServer();
  const body = JSON.stringify({ login: 'admin', password: 'wrong-password' });
  const c = rawRequest(server.port);
  await new Promise((r) => c.sock.once('connect', r));
  // Send the headers and half of the body: the request is now in flight.
  c.sock.write(`POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n` +
    `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body.slice(0, 10)}`);
  await new Promise((r) => setTimeout(r, 200));
  const exited = new Promise((resolve) => server.proc.once('exit', (code) => resolve(code)));
  server.proc.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(server.proc.exitCode, null, 'the server waited for the request in flight');
  // New connections are refused while it finishes.
  await assert.rejects(new Promise((resolve, reject) => {
    const s = net.connect(server.port, '127.0.0.1');
    s.on('connect', () => { s.destroy(); resolve(); });
    s.on('error', reject);
  }), /ECONNREFUSED/);
  c.sock.write(body.slice(10));
  const answer = await c.closed;
  assert.match(answer, /^HTTP\/1\.1 401 /, 'the request in flight got its real answer');
  assert.match(answer, /invalid_credentials/);
  const t0 = Date.now();
  assert.equal(await exited, 0);
  assert.ok(Date.now() - t0 < 3000, 'exits promptly once idle');
  assert.match(server.log(), /stopped/);
  await server.stop();
});

test('idle keep-alive connections do not hold up shutdown', async () => {
  const server = await startServer();
  const c = rawRequest(server.port);
  await new Promise((r) => c.sock.once('connect', r));
  c.sock.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
  await new Promise((r) => setTimeout(r, 100));
  assert.match(c.data, /^HTTP\/1\.1 200 /);
  const exited = new Promise((resolve) => server.proc.once('exit', (code) => resolve(code)));
  const t0 = Date.now();
  server.proc.kill('SIGTERM');
  assert.equal(await exited, 0);
  assert.ok(Date.now() - t0 < 3000, `took ${Date.now() - t0} ms`);
  c.sock.destroy();
  await server.stop();
});
