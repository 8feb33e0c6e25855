// Several `liaison serve` processes on one PostgreSQL store (issue 8): run by the api-pg suite of
// tools/run-tests.sh, which sets $LIAISON_TEST_PG.  Two servers, A and B, on one database:
// - an event raised through A reaches a browser's event stream on B;
// - 200 concurrent creations through both give 200 distinct codes, without a gap;
// - 1,000 due deliveries, claimed by both servers at once, each run exactly once;
// - a server killed in the middle of writes loses nothing it acknowledged, and the other goes on;
// - a server that loses its database answers 503 on /healthz and comes back by itself;
// - three servers started together on an empty database apply each migration once.
import { describe, it, before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import net from 'node:net';
import { startServer, Client, PG, storeSql, devClient, newStore, dropStore, BIN } from '../lib/server.js';
import { RQ } from '../lib/helpers.js';
import { waitFor } from '../lib/raw.js';

assert.ok(PG, 'these tests need $LIAISON_TEST_PG (tools/run-tests.sh api-pg)');

// A draft of 王芳's; the departments by name from the demo company.
async function draft(c, D, title) {
  return c.post(RQ, {
    title, background: '两台服务器。', goal: '同一个库。', success_criteria: ['不丢数据'],
    due_date: '2099-12-31', involved_department_ids: [D['平台部'], D['财务部']],
  });
}

// Reads a server-sent event stream until `want` matches what came, or `ms` pass; answers the text.
async function readEvents(server, client, want, ms) {
  const ac = new AbortController();
  const r = await fetch(`${server.url}/api/v1/events`, { headers: { cookie: client.cookie }, signal: ac.signal });
  assert.equal(r.status, 200);
  const reader = r.body.getReader();
  const dec = new TextDecoder();
  let text = '';
  const timer = setTimeout(() => ac.abort(), ms);
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      text += dec.decode(value);
      if (want.test(text)) break;
    }
  } catch { /* aborted */ } finally {
    clearTimeout(timer);
    ac.abort();
  }
  return text;
}

describe('two servers on one PostgreSQL store', () => {
  let A;
  let B;
  let D;
  const dbName = () => A.db.slice(A.db.lastIndexOf('/') + 1);

  before(async () => {
    A = await startServer({ demo: true });
    B = await startServer({ on: A });
    const admin = new Client(A);
    await admin.login('admin', 'admin-pass-1234');
    D = Object.fromEntries((await admin.get('/api/v1/departments?limit=100')).json.items.map((d) => [d.name, d.id]));
  });
  after(async () => { await B?.stop(); await A?.stop(); });

  it('a change made through A reaches the event stream of a page open on B', async () => {
    const reviewer = new Client(B);
    await reviewer.login('liqiang', 'demo1234'); // 市场部's head reviews 王芳's requests
    const author = new Client(A);
    await author.login('wangfang', 'demo1234');
    const d = await draft(author, D, '跨服务器的事件');
    assert.equal(d.status, 201, d.text);
    const stream = readEvents(B, reviewer, new RegExp(`"id":${d.json.id}\\}[\\s\\S]*event: inbox|event: inbox[\\s\\S]*"id":${d.json.id}\\}`), 8000);
    await new Promise((r) => setTimeout(r, 300)); // the stream is open on B
    const s = await author.post(`${RQ}/${d.json.id}/submit`, {}, { headers: { 'if-match': `"${d.json.version}"` } });
    assert.equal(s.status, 200, s.text);
    const text = await stream;
    assert.match(text, new RegExp(`event: change\\ndata: \\{"entity":"request","id":${d.json.id}\\}`), text);
    assert.match(text, /event: inbox\ndata: \{"unread_count":\d+\}/, text);
  });

  it('200 concurrent creations through both servers get 200 distinct codes, without a gap', async () => {
    const onA = new Client(A);
    await onA.login('wangfang', 'demo1234');
    const onB = new Client(B);
    await onB.login('wangfang', 'demo1234');
    // 20 clients at once (10 on each server; a server limits the connections of one address), 10 each.
    const made = (await Promise.all(Array.from({ length: 20 }, async (_, k) => {
      const out = [];
      for (let i = 0; i < 10; i++) out.push(await draft(k % 2 ? onB : onA, D, `并发 ${k}-${i}`));
      return out;
    }))).flat();
    assert.equal(made.length, 200);
    for (const r of made) assert.equal(r.status, 201, r.text);
    const codes = made.map((r) => r.json.code);
    assert.equal(new Set(codes).size, 200, 'distinct');
    const nums = codes.map((c) => Number(c.slice(-4))).sort((x, y) => x - y);
    for (let i = 1; i < nums.length; i++) assert.equal(nums[i], nums[i - 1] + 1, `no gap after ${nums[i - 1]}`);
  });

  it('1,000 due deliveries claimed by both servers at once are each delivered exactly once', async () => {
    const uid = Number(storeSql(A.db, "SELECT id FROM users WHERE login = 'sunli'").stdout);
    const before = Number(storeSql(A.db, `SELECT count(*) FROM notifications WHERE user_id = ${uid}`).stdout);
    const r = storeSql(A.db, `INSERT INTO outbox(channel, user_id, kind, entity, entity_id, created_at)
      SELECT 'inbox', ${uid}, 'request.submitted', 'request', 1, ${Date.now()} FROM generate_series(1, 1000)`);
    assert.equal(r.status, 0, r.stderr);
    const [devA, devB] = [await devClient(A), await devClient(B)];
    // Both servers run their jobs at the same moment, several times over.
    await Promise.all([1, 2, 3].flatMap(() => [devA.post('/api/v1/admin/tick', {}), devB.post('/api/v1/admin/tick', {})]));
    await waitFor(() => storeSql(A.db, 'SELECT count(*) FROM outbox WHERE delivered_at IS NULL').stdout === '0', { what: 'every message delivered', timeout: 30000 });
    const after = Number(storeSql(A.db, `SELECT count(*) FROM notifications WHERE user_id = ${uid}`).stdout);
    assert.equal(after - before, 1000, 'one notification per message, none twice');
  });

  it('a server killed in the middle of writes loses nothing it acknowledged, and the other goes on', async () => {
    const C = await startServer({ on: A });
    const onC = new Client(C);
    await onC.login('wangfang', 'demo1234');
    const acked = [];
    let stop = false;
    const worker = async (k) => {
      for (let i = 0; !stop; i++) {
        try {
          const r = await draft(onC, D, `写到一半 ${k}-${i}`);
          if (r.status === 201) acked.push(r.json.id);
        } catch { return; } // the server is gone
      }
    };
    const workers = [0, 1, 2, 3, 4, 5].map(worker);
    await waitFor(() => acked.length >= 60, { what: '60 acknowledged creations', timeout: 30000 });
    C.proc.kill('SIGKILL');
    stop = true;
    await Promise.all(workers);
    await C.stop();
    const onA = new Client(A);
    await onA.login('wangfang', 'demo1234');
    for (const id of acked) assert.equal((await onA.get(`${RQ}/${id}`)).status, 200, `request ${id} was acknowledged`);
    const more = await draft(onA, D, '之后');
    assert.equal(more.status, 201, more.text);
  });

  it('a server that loses its database answers 503 on /healthz, and 200 once it is back, by itself', async () => {
    const health = async () => (await fetch(`${B.url}/healthz`)).status;
    assert.equal(await health(), 200);
    const db = dbName();
    let r = storeSql('postgres://x/postgres', `ALTER DATABASE ${db} ALLOW_CONNECTIONS false;
      SELECT count(pg_terminate_backend(pid)) >= 0 FROM pg_stat_activity WHERE datname = '${db}' AND pid <> pg_backend_pid();`);
    assert.equal(r.status, 0, r.stderr);
    await waitFor(async () => (await health()) === 503, { what: '503 while the database is away', timeout: 15000 });
    r = storeSql('postgres://x/postgres', `ALTER DATABASE ${db} ALLOW_CONNECTIONS true`);
    assert.equal(r.status, 0, r.stderr);
    await waitFor(async () => (await health()) === 200, { what: '200 once it is back', timeout: 15000 });
    const c = new Client(B);
    await c.login('wangfang', 'demo1234'); // and the store works again, writes included
    assert.equal((await draft(c, D, '回来了')).status, 201);
    // The listeners connected again as well: a change through A reaches a page open on B.
    const reviewer = new Client(B);
    await reviewer.login('liqiang', 'demo1234');
    const author = new Client(A);
    await author.login('wangfang', 'demo1234');
    const again = async () => { // a new draft each time, submitted through A while a page of B listens
      const d = await draft(author, D, '事件也回来了');
      assert.equal(d.status, 201, d.text);
      const stream = readEvents(B, reviewer, new RegExp(`"id":${d.json.id}\\}`), 3000);
      await new Promise((res) => setTimeout(res, 300));
      const sub = await author.post(`${RQ}/${d.json.id}/submit`, {}, { headers: { 'if-match': `"${d.json.version}"` } });
      assert.equal(sub.status, 200, sub.text);
      return new RegExp(`event: change\\ndata: \\{"entity":"request","id":${d.json.id}\\}`).test(await stream);
    };
    await waitFor(again, { what: 'events between the servers again', timeout: 20000, interval: 500 });
  });
});

const freePort = () => new Promise((resolve) => {
  const s = net.createServer().listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
});

test('three servers started together on an empty database apply each migration once, and all serve', async () => {
  const dir = mkdtempSync(join(process.env.LIAISON_TEST_TMP || tmpdir(), 'liaison-start-'));
  const db = newStore(dir);
  const procs = [];
  try {
    const ports = [await freePort(), await freePort(), await freePort()];
    for (const port of ports) {
      procs.push(spawn(BIN, ['serve', '--db', db, '--listen', `127.0.0.1:${port}`], {
        stdio: 'ignore', env: { ...process.env, LIAISON_PWHASH: 'min' },
      }));
    }
    for (const port of ports) {
      await waitFor(async () => { try { return (await fetch(`http://127.0.0.1:${port}/healthz`)).ok; } catch { return false; } },
        { what: `the server on ${port}`, timeout: 20000 });
    }
    for (const p of procs) assert.equal(p.exitCode, null, 'every server runs');
    const versions = storeSql(db, 'SELECT count(*), count(DISTINCT version), max(version) FROM schema_migrations').stdout;
    const [n, distinct, max] = versions.split('|').map(Number);
    assert.equal(n, max, `one row per migration: ${versions}`);
    assert.equal(distinct, max);
  } finally {
    for (const p of procs) if (p.exitCode === null) { const done = new Promise((r) => p.once('exit', r)); p.kill('SIGTERM'); await done; }
    dropStore(db);
    rmSync(dir, { recursive: true, force: true });
  }
});
