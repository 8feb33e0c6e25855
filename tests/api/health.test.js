// Health, metrics, OpenAPI, request ids, routing (404/405/SPA fallback), static files and the dev-only routes.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import net from 'node:net';
import { startServer, adminClient, Client } from '../lib/server.js';
import { parseRoutes } from '../lib/routes.js';
import { problemAsserter } from '../lib/helpers.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

const assertProblem = problemAsserter({ type: true });

// One HTTP/1.1 request over a plain socket, so the path goes out exactly as written (fetch would
// normalise "/static/../x").  Answers {status, head, body}.
function rawRequest(port, text) {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => s.write(text));
    let buf = Buffer.alloc(0);
    s.on('data', (d) => { buf = Buffer.concat([buf, d]); });
    s.on('end', () => {
      const t = buf.toString('utf8');
      const i = t.indexOf('\r\n\r\n');
      const head = i < 0 ? t : t.slice(0, i);
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]), head, body: i < 0 ? '' : t.slice(i + 4) });
    });
    s.on('error', reject);
    s.setTimeout(5000, () => { s.destroy(); reject(new Error('raw request timed out')); });
  });
}
const rawGet = (port, path) => rawRequest(port, `GET ${path} HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n`);

// Parses Prometheus text into [{name, labels, value}].
function parseMetrics(text) {
  const out = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$/.exec(line);
    assert.ok(m, `not a Prometheus sample line: ${line}`);
    const labels = {};
    if (m[3]) for (const l of m[3].matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]] = l[2];
    out.push({ name: m[1], labels, value: Number(m[4]) });
  }
  return out;
}

// GET /metrics as the administrator (the metrics are not public).
async function metrics(server, admin) {
  const r = await fetch(`${server.url}/metrics`, { headers: { cookie: admin.cookie } });
  assert.equal(r.status, 200);
  return { type: r.headers.get('content-type'), text: await r.text() };
}

function requestCount(samples, route, status) {
  return samples.filter((s) => s.name === 'liaison_http_requests_total' && s.labels.route === route &&
    (status === undefined || s.labels.status === String(status))).reduce((a, s) => a + s.value, 0);
}

describe('health, metrics, routing (server with --dev-clock)', () => {
  let server;
  let admin;
  before(async () => {
    server = await startServer();
    admin = await adminClient(server);
  });
  after(async () => { await server?.stop(); });

  it('GET /healthz answers 200 {"status":"ok"} as JSON', async () => {
    const r = await fetch(`${server.url}/healthz`);
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type'), /^application\/json/);
    assert.deepEqual(await r.json(), { status: 'ok' });
  });

  it('GET /metrics is Prometheus text counting requests by route and status', async () => {
    const route = 'GET /api/v1/departments';
    const before0 = requestCount(parseMetrics((await metrics(server, admin)).text), route, 200);
    for (let i = 0; i < 3; i++) assert.equal((await admin.get('/api/v1/departments')).status, 200);
    await admin.get('/api/v1/departments/999999'); // a 404 on the same route
    // The counter is updated when the request completes, just after the answer is sent: poll briefly.
    let samples;
    for (let i = 0; i < 40; i++) {
      samples = parseMetrics((await metrics(server, admin)).text);
      if (requestCount(samples, route, 200) >= before0 + 3 && requestCount(samples, 'GET /api/v1/departments/{id}', 404) >= 1) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    assert.equal(requestCount(samples, route, 200), before0 + 3);
    assert.equal(requestCount(samples, 'GET /api/v1/departments/{id}', 404), 1);
    const m = await metrics(server, admin);
    assert.match(m.type, /^text\/plain/);
    assert.match(m.text, /^# TYPE liaison_http_requests_total counter$/m);
    assert.match(m.text, /^# HELP liaison_http_requests_total /m);
  });

  it('GET /metrics has the latency histogram per route, consistent with the counter', async () => {
    const { text } = await metrics(server, admin);
    assert.match(text, /^# TYPE liaison_http_request_duration_seconds histogram$/m);
    const samples = parseMetrics(text);
    const route = 'GET /api/v1/departments';
    const buckets = samples.filter((s) => s.name === 'liaison_http_request_duration_seconds_bucket' && s.labels.route === route);
    assert.ok(buckets.length >= 2, 'buckets for the route');
    const inf = buckets.find((b) => b.labels.le === '+Inf');
    assert.ok(inf, 'a +Inf bucket');
    let prev = 0;
    for (const b of buckets) {
      assert.ok(b.value >= prev, 'buckets are cumulative');
      prev = b.value;
    }
    const count = samples.find((s) => s.name === 'liaison_http_request_duration_seconds_count' && s.labels.route === route);
    const sum = samples.find((s) => s.name === 'liaison_http_request_duration_seconds_sum' && s.labels.route === route);
    assert.ok(count && sum, '_count and _sum for the route');
    assert.equal(count.value, inf.value);
    assert.equal(count.value, requestCount(samples, route));
    // _sum is the total time of those requests: each one counted in the bucket (lo, le] took more than lo and at
    // most le seconds, so the sum lies between what the buckets allow (1 µs of slack for the printed rounding).
    assert.ok(count.value >= 3, `at least the three requests of the test before: ${count.value}`);
    let lo = 0;
    let prevLe = 0;
    let prevCum = 0;
    let hi = 0;
    for (const b of buckets) {
      const n = b.value - prevCum;
      const le = b.labels.le === '+Inf' ? Infinity : Number(b.labels.le);
      if (n > 0) { lo += n * prevLe; hi += n * le; }
      prevLe = le;
      prevCum = b.value;
    }
    assert.ok(sum.value > 0, `requests take time: _sum ${sum.value}`);
    assert.ok(sum.value >= lo - 1e-6 && sum.value <= hi + 1e-6, `_sum ${sum.value} within what the buckets allow [${lo}, ${hi}]`);
  });

  it('GET /metrics reports open connections as a gauge', async () => {
    const { text } = await metrics(server, admin);
    assert.match(text, /^# TYPE liaison_http_connections gauge$/m);
    const c = parseMetrics(text).find((s) => s.name === 'liaison_http_connections');
    assert.ok(c, 'liaison_http_connections sample');
    assert.ok(Number.isInteger(c.value) && c.value >= 1, `at least the connection asking: ${c.value}`);
  });

  it('GET /api/v1/openapi.json lists every route of the route tables with its summary', async () => {
    const routes = parseRoutes();
    assert.ok(routes.length >= 20, `parsed ${routes.length} routes from src/api`);
    const r = await fetch(`${server.url}/api/v1/openapi.json`);
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type'), /^application\/json/);
    const doc = await r.json();
    assert.match(doc.openapi, /^3\./);
    assert.equal(typeof doc.info?.title, 'string');
    let ops = 0;
    for (const rt of routes) {
      const op = doc.paths?.[rt.pattern]?.[rt.method.toLowerCase()];
      assert.ok(op, `${rt.method} ${rt.pattern} is in the OpenAPI document`);
      assert.equal(op.summary, rt.help, `summary of ${rt.method} ${rt.pattern}`);
      assert.ok(op.summary.length > 0);
      const params = (rt.pattern.match(/\{[^}]+\}/g) || []).map((p) => p.slice(1, -1));
      assert.deepEqual((op.parameters || []).filter((p) => p.in === 'path').map((p) => p.name), params, `path parameters of ${rt.pattern}`);
    }
    for (const item of Object.values(doc.paths)) ops += Object.keys(item).length;
    assert.equal(ops, routes.length, 'no operation that the route tables do not have');
  });

  it('every answer carries a distinct X-Request-Id, and the access log has one line with it', async () => {
    const ids = new Set();
    const paths = ['/healthz', '/api/v1/nothing-here', '/api/v1/openapi.json', '/some/page', '/api/v1/me'];
    for (const p of paths) {
      const r = await fetch(server.url + p);
      await r.arrayBuffer();
      const id = r.headers.get('x-request-id');
      assert.ok(id && /^[\w-]{8,}$/.test(id), `X-Request-Id on ${p}: ${id}`);
      ids.add(id);
    }
    assert.equal(ids.size, paths.length, 'ids are distinct');
    const last = [...ids].at(-1);
    let lines = [];
    for (let i = 0; i < 40 && lines.length === 0; i++) {
      lines = server.log().split('\n').filter((l) => l.includes(last));
      if (!lines.length) await new Promise((r) => setTimeout(r, 25));
    }
    assert.equal(lines.length, 1, `one access-log line for ${last}`);
    assert.match(lines[0], /GET \/api\/v1\/me 401/);
  });

  it('an unknown /api path answers 404 problem+json not_found', async () => {
    for (const p of ['/api/v1/nothing', '/api/v1/departments/abc', '/api/v1/departments/0', '/api/v2/departments', '/api/v1/departments/1/nope']) {
      const r = await admin.get(p);
      assertProblem(r, 404, 'not_found');
    }
    assertProblem(await admin.post('/api/v1/nothing', {}), 404, 'not_found');
  });

  it('a wrong method on a known path answers 405 method_not_allowed', async () => {
    assertProblem(await admin.req('DELETE', '/api/v1/departments'), 405, 'method_not_allowed');
    assertProblem(await admin.post('/api/v1/departments/1', {}), 405, 'method_not_allowed');
    assertProblem(await admin.req('PUT', '/healthz'), 405, 'method_not_allowed');
    assertProblem(await admin.req('PATCH', '/api/v1/me', { body: {} }), 405, 'method_not_allowed');
    assertProblem(await new Client(server).req('GET', '/api/v1/session'), 405, 'method_not_allowed');
  });

  it('a GET of a non-API path answers the single-page app (SPA fallback)', async () => {
    for (const p of ['/', '/departments', '/departments/12/history', '/users/3']) {
      const r = await fetch(server.url + p);
      assert.equal(r.status, 200, p);
      assert.match(r.headers.get('content-type'), /^text\/html/, p);
      const body = await r.text();
      assert.match(body, /<!doctype html>/i, p);
      assert.ok(r.headers.get('content-security-policy'), `CSP on ${p}`);
    }
    const fav = await fetch(`${server.url}/favicon.ico`);
    assert.equal(fav.status, 404);
    await fav.arrayBuffer();
    const post = await fetch(`${server.url}/departments`, { method: 'POST' });
    assert.equal(post.status, 404, 'only GET falls back to the page');
    await post.arrayBuffer();
  });

  it('/static/ serves embedded assets and refuses path traversal with 404', async () => {
    const ok = await rawGet(server.port, '/static/app.js');
    assert.equal(ok.status, 200);
    assert.match(ok.head, /content-type: text\/javascript/i);
    for (const p of ['/static/../Makefile', '/static/../../etc/passwd', '/static/%2e%2e/Makefile',
      '/static/..%2f..%2fetc%2fpasswd', '/static//etc/passwd', '/static/lib/../app.js', '/static/..\\Makefile', '/static/']) {
      const r = await rawGet(server.port, p);
      assert.equal(r.status, 404, `${p}: ${r.head.split('\r\n')[0]}`);
      assert.doesNotMatch(r.body, /root:|CFLAGS/);
    }
  });

  it('PUT /api/v1/admin/clock sets the clock and POST /api/v1/admin/tick runs the jobs (with --dev-clock)', async () => {
    // Two days ahead (sessions last longer than that), written with a +08:00 offset.
    const target = Math.floor((Date.now() + 2 * 86400000) / 1000) * 1000;
    const local = new Date(target + 8 * 3600000).toISOString().replace(/\.\d{3}Z$/, '+08:00');
    const r = await admin.put('/api/v1/admin/clock', { now: local });
    assert.equal(r.status, 200, r.text);
    assert.ok(Math.abs(Date.parse(r.json.now) - target) < 2000, `${local} -> ${r.json.now}`);
    // The new clock shows in timestamps the server writes.
    const d = await admin.post('/api/v1/departments', { name: 'Clocked' });
    assert.equal(d.status, 201, d.text);
    const at = Date.parse(d.json.created_at);
    assert.ok(at >= target - 1000 && at < target + 60000, `${d.json.created_at} vs ${new Date(target).toISOString()}`);
    const bad = await admin.put('/api/v1/admin/clock', { now: 'next tuesday' });
    assertProblem(bad, 422, 'invalid_value');
    assert.equal(bad.json.field, 'now');
    const tick = await admin.post('/api/v1/admin/tick', {});
    assert.equal(tick.status, 200, tick.text);
    assert.ok(Array.isArray(tick.json.ran));
  });
});

describe('server without --dev-clock, serving web/ from disk', () => {
  let server;
  before(async () => { server = await startServer({ devClock: false, args: ['--web-dir', join(root, 'web')] }); });
  after(async () => { await server?.stop(); });

  it('the dev routes answer 404 not_found', async () => {
    const admin = await adminClient(server);
    assertProblem(await admin.put('/api/v1/admin/clock', { now: '2030-01-01T00:00:00Z' }), 404, 'not_found');
    assertProblem(await admin.post('/api/v1/admin/tick', {}), 404, 'not_found');
    const anon = new Client(server);
    assertProblem(await anon.put('/api/v1/admin/clock', { now: '2030-01-01T00:00:00Z' }), 404, 'not_found');
    assertProblem(await anon.post('/api/v1/admin/tick', {}), 404, 'not_found');
    // The clock really did not move.
    const d = await admin.post('/api/v1/departments', { name: 'Now' });
    assert.equal(d.status, 201);
    assert.ok(Math.abs(Date.parse(d.json.created_at) - Date.now()) < 60000, d.json.created_at);
  });

  it('the dev routes do not exist under any method (404, not 405)', async () => {
    const admin = await adminClient(server);
    for (const [m, p] of [['GET', '/api/v1/admin/clock'], ['GET', '/api/v1/admin/tick'], ['DELETE', '/api/v1/admin/clock']]) {
      assertProblem(await admin.req(m, p), 404, 'not_found');
    }
  });

  it('/static/ path traversal on disk answers 404 and never a file outside web/', async () => {
    const ok = await rawGet(server.port, '/static/app.js');
    assert.equal(ok.status, 200);
    for (const p of ['/static/../Makefile', '/static/../src/main.c', '/static/%2e%2e/Makefile', '/static/..%2fMakefile',
      '/static/%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd', '/static//etc/passwd', '/static/lib/../../Makefile',
      '/static/....//Makefile', '/static/..\\Makefile']) {
      const r = await rawGet(server.port, p);
      assert.equal(r.status, 404, `${p}: ${r.head.split('\r\n')[0]}`);
      assert.doesNotMatch(r.body, /root:|CFLAGS|#include/);
    }
  });
});
