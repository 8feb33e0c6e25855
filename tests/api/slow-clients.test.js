// Clients that hold connections: a cap per address, a deadline for the request head, a cap on live event
// streams per user.  Loops are bounded in count and time, and aimed only at 127.0.0.0/8.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startServer, adminClient } from '../lib/server.js';
import { rawRequest, waitFor, openSocket } from '../lib/raw.js';

// Opens n connections from 127.0.0.1 that each send the start of a request head and nothing more; answers
// {sockets, closed(): how many the server has closed}.
async function slowConnections(port, n) {
  const sockets = [];
  let closed = 0;
  for (let i = 0; i < n; i++) {
    try {
      const s = await openSocket(port);
      s.on('error', () => {});
      s.on('close', () => { closed++; });
      s.write('GET /healthz HTTP/1.1\r\nHo');
      sockets.push(s);
    } catch { closed++; /* refused outright */ }
  }
  return { sockets, closed: () => closed, destroy: () => sockets.forEach((s) => s.destroy()) };
}

describe('many slow connections from one address', () => {
  let server;
  before(async () => {
    server = await startServer({ args: ['--max-connections', '300', '--max-connections-per-ip', '20', '--header-timeout', '60'] });
  });
  after(async () => { await server?.stop(); });

  it('only the per-address cap is held; another address (127.0.0.2) is answered at once', async () => {
    const slow = await slowConnections(server.port, 300);
    try {
      // Past the cap of 20 the server closes the connections from 127.0.0.1 straight away.
      await waitFor(() => slow.closed() >= 280, { timeout: 10000, what: 'the connections over the cap to be closed' });
      assert.ok(slow.closed() <= 280 + 5, `at most a few more than the cap closed: ${slow.closed()}`);
      const t0 = Date.now();
      const r = await rawRequest(server.port, 'GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n',
        { localAddress: '127.0.0.2', timeout: 3000 });
      assert.equal(r.status, 200);
      assert.ok(Date.now() - t0 < 2000, `answered in ${Date.now() - t0} ms`);
    } finally {
      slow.destroy();
    }
    // Once the slow ones are gone, 127.0.0.1 is served again.
    await waitFor(async () => (await fetch(`${server.url}/healthz`).then((r) => r.status, () => 0)) === 200,
      { timeout: 5000, what: '127.0.0.1 to be served again' });
  });
});

describe('the deadline for a request head (--header-timeout 2)', () => {
  let server;
  before(async () => { server = await startServer({ args: ['--header-timeout', '2'] }); });
  after(async () => { await server?.stop(); });

  it('a connection that sends a header byte every 200 ms is closed after about 2 s, though it never went idle', async () => {
    const s = await openSocket(server.port);
    s.on('error', () => {});
    let closedAt = 0;
    let answer = '';
    s.on('data', (d) => { answer += d; });
    const closed = new Promise((r) => s.on('close', () => { closedAt = Date.now(); r(); }));
    const t0 = Date.now();
    const head = `GET /healthz HTTP/1.1\r\nHost: t\r\nX-Slow: ${'a'.repeat(40)}`;
    let sent = 0;
    const timer = setInterval(() => { if (!s.destroyed && sent < head.length) s.write(head[sent++]); }, 200);
    try {
      await Promise.race([closed, new Promise((r) => setTimeout(r, 8000))]);
    } finally {
      clearInterval(timer);
    }
    assert.ok(closedAt, 'the server closed the connection');
    const took = closedAt - t0;
    assert.ok(took >= 1500 && took < 5000, `closed after ${took} ms`);
    assert.ok(sent < head.length, 'it was still sending its head');
    assert.equal(answer, '', 'no answer to a request that never arrived');
    s.destroy();
  });

  it('a connection that sends nothing is closed after the deadline too', async () => {
    const s = await openSocket(server.port);
    s.on('error', () => {});
    const t0 = Date.now();
    await waitFor(() => s.destroyed || s.readableEnded, { timeout: 6000, what: 'the idle connection to be closed' });
    assert.ok(Date.now() - t0 >= 1500, `closed after ${Date.now() - t0} ms`);
    s.destroy();
  });

  it('requests that arrive in time are answered, also several on one kept-alive connection', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const get = () => new Promise((resolve, reject) => {
      http.get(`${server.url}/healthz`, { agent }, (res) => { res.resume(); res.on('end', () => resolve(res.statusCode)); }).on('error', reject);
    });
    for (let i = 0; i < 3; i++) assert.equal(await get(), 200);
    agent.destroy();
  });
});

describe('live event streams per user (--max-streams-per-user 3)', () => {
  let server;
  let admin;
  before(async () => {
    server = await startServer({ args: ['--max-streams-per-user', '3'] });
    admin = await adminClient(server);
  });
  after(async () => { await server?.stop(); });

  // Opens GET /api/v1/events with a cookie; answers {status, res, req}.
  const openStream = (cookie) => new Promise((resolve, reject) => {
    const req = http.get(`${server.url}/api/v1/events`, { headers: { cookie, accept: 'text/event-stream' } }, (res) => resolve({ status: res.statusCode, res, req }));
    req.on('error', reject);
  });

  it('past the limit a new stream answers 429 too_many_streams; other users still get theirs', async () => {
    const streams = [];
    try {
      for (let i = 0; i < 3; i++) {
        const s = await openStream(admin.cookie);
        streams.push(s);
        assert.equal(s.status, 200, `stream ${i + 1}`);
      }
      const refused = await openStream(admin.cookie);
      streams.push(refused);
      assert.equal(refused.status, 429, 'the fourth stream is refused');
      let text = '';
      for await (const chunk of refused.res) text += chunk;
      assert.match(refused.res.headers['content-type'], /^application\/problem\+json/);
      assert.equal(JSON.parse(text).code, 'too_many_streams');
      assert.match(refused.res.headers['retry-after'] || '', /^\d+$/);
      // Another user is not affected.
      const u = await admin.post('/api/v1/users', { login: 'streamer', name: 'Streamer', password: 'streamer-pw-1234' });
      assert.equal(u.status, 201, u.text);
      const other = new (admin.constructor)(server);
      await other.login('streamer', 'streamer-pw-1234');
      const s = await openStream(other.cookie);
      streams.push(s);
      assert.equal(s.status, 200);
    } finally {
      for (const s of streams) s.req.destroy();
    }
  });
});
