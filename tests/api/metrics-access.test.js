// /metrics is not public: administrators, or the holder of the metrics token (--metrics-token-file or
// $LIAISON_METRICS_TOKEN); with --metrics-listen it is served only on that address.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import net from 'node:net';
import { startServer, adminClient, Client } from '../lib/server.js';
import { assertProblem } from '../lib/helpers.js';

const TOKEN = 'metrics-token-0123456789abcdef';
const get = (url, headers = {}) => fetch(url, { headers }).then(async (r) => ({ status: r.status, type: r.headers.get('content-type'), text: await r.text() }));
const looksLikeMetrics = (r) => { assert.equal(r.status, 200, r.text); assert.match(r.text, /^# TYPE liaison_http_requests_total counter$/m); };

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

describe('/metrics on the main address', () => {
  let server;
  let admin;
  let dir;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'liaison-metrics-'));
    writeFileSync(join(dir, 'token'), `${TOKEN}\n`);
    server = await startServer({ args: ['--metrics-token-file', join(dir, 'token')] });
    admin = await adminClient(server);
  });
  after(async () => { await server?.stop(); rmSync(dir, { recursive: true, force: true }); });

  it('anonymous: 401, and no request counts leak', async () => {
    const r = await new Client(server).get('/metrics');
    assertProblem(r, 401, 'unauthenticated');
    assert.doesNotMatch(r.text, /liaison_http/);
  });

  it('a signed-in user who is not an administrator: 403', async () => {
    assert.equal((await admin.post('/api/v1/users', { login: 'watcher', name: 'W', password: 'watcher-pw-123' })).status, 201);
    const c = new Client(server);
    await c.login('watcher', 'watcher-pw-123');
    assertProblem(await c.get('/metrics'), 403, 'forbidden');
  });

  it('an administrator, or the metrics token as bearer: 200; a wrong token: 401', async () => {
    looksLikeMetrics(await get(`${server.url}/metrics`, { cookie: admin.cookie }));
    looksLikeMetrics(await get(`${server.url}/metrics`, { authorization: `Bearer ${TOKEN}` }));
    assert.equal((await get(`${server.url}/metrics`, { authorization: `Bearer ${TOKEN}x` })).status, 401);
    assert.equal((await get(`${server.url}/metrics`, { authorization: 'Bearer ' })).status, 401);
    assert.ok(!server.log().includes(TOKEN), 'the token is never logged');
  });

  it('the token also works from $LIAISON_METRICS_TOKEN, and a short token is refused at start-up', async () => {
    process.env.LIAISON_METRICS_TOKEN = TOKEN;
    let s;
    try {
      s = await startServer();
    } finally {
      delete process.env.LIAISON_METRICS_TOKEN;
    }
    try {
      looksLikeMetrics(await get(`${s.url}/metrics`, { authorization: `Bearer ${TOKEN}` }));
    } finally {
      await s.stop();
    }
    writeFileSync(join(dir, 'short'), 'short\n');
    await assert.rejects(startServer({ args: ['--metrics-token-file', join(dir, 'short')] }), /at least 16 characters/);
  });
});

describe('/metrics on its own address (--metrics-listen)', () => {
  let server;
  let admin;
  let mport;
  before(async () => {
    mport = await freePort();
    server = await startServer({ args: ['--metrics-listen', `127.0.0.1:${mport}`] });
    admin = await adminClient(server);
  });
  after(async () => { await server?.stop(); });

  it('is served there to whoever can reach it, and not on the main address, not even to administrators', async () => {
    looksLikeMetrics(await get(`http://127.0.0.1:${mport}/metrics`));
    assertProblem(await admin.get('/metrics'), 404, 'not_found');
  });

  it('the metrics address serves nothing else', async () => {
    for (const p of ['/healthz', '/api/v1/me', '/', '/metrics/x']) assert.equal((await get(`http://127.0.0.1:${mport}${p}`, { cookie: admin.cookie })).status, 404, p);
    const post = await fetch(`http://127.0.0.1:${mport}/metrics`, { method: 'POST', body: 'x' });
    assert.equal(post.status, 404);
    await post.arrayBuffer();
  });
});
