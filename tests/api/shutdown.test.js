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

// Polls cond() every 10 ms until it holds; fails after `ms` with what it was waiting for.
async function waitFor(cond, what, ms = 5000) {
  const deadline = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

// Resolves true when a new connection to the port is refused, false when it is accepted (and closed again).
function refused(port) {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1');
    s.on('connect', () => { s.destroy(); resolve(false); });
    s.on('error', (e) => (e.code === 'ECONNREFUSED' ? resolve(true) : reject(e)));
  });
}

test('a request in flight at SIGTERM is answered, then the server exits 0', async () => {
  const server = await startServer();
  const body = JSON.stringify({ login: 'admin', password: 'wrong-password' });
  const c = rawRequest(server.port);
  await new Promise((r) => c.sock.once('connect', r));
  // Send the headers asking for "100 Continue": the server answers it once it has read them and begun the request,
  // which is then in flight.  Then half of the body.
  c.sock.write(`POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n` +
    `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\nExpect: 100-continue\r\n\r\n`);
  await waitFor(() => /^HTTP\/1\.1 100 Continue\r\n\r\n/.test(c.data), 'the interim answer 100 Continue');
  c.sock.write(body.slice(0, 10));
  const exited = new Promise((resolve) => server.proc.once('exit', (code) => resolve(code)));
  server.proc.kill('SIGTERM');
  // The server says when it has the signal, and how many requests it is finishing.
  await waitFor(() => /signal 15: no new connections; finishing \d+ requests? in flight/.test(server.log()), 'the server to take the signal');
  assert.match(server.log(), /finishing 1 requests? in flight/);
  // New connections are refused while it finishes (from the moment it stops listening, just after that line).
  await waitFor(() => refused(server.port), 'new connections to be refused');
  assert.equal(server.proc.exitCode, null, 'the server waits for the request in flight');
  c.sock.write(body.slice(10));
  const answer = await c.closed;
  assert.match(answer, /^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 401 /, 'the request in flight got its real answer');
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
  // The whole answer (its body is {"status":"ok"}) has arrived; the connection stays open.
  await waitFor(() => /\r\n\r\n\{"status":"ok"\}/.test(c.data), 'the answer to GET /healthz');
  assert.match(c.data, /^HTTP\/1\.1 200 /);
  assert.ok(!c.sock.destroyed, 'the connection is kept alive');
  const exited = new Promise((resolve) => server.proc.once('exit', (code) => resolve(code)));
  const t0 = Date.now();
  server.proc.kill('SIGTERM');
  assert.equal(await exited, 0);
  assert.ok(Date.now() - t0 < 3000, `took ${Date.now() - t0} ms`);
  c.sock.destroy();
  await server.stop();
});
