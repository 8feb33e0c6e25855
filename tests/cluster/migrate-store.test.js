// `liaison migrate-store --from PATH --to postgres://...` (issue 8): a SQLite store in use is copied into an
// empty PostgreSQL database and verified; the servers then run on PostgreSQL with everything there (people,
// requests, their codes, sign-ins); a target that is not empty is refused and left as it was.  Run by the
// api-pg suite ($LIAISON_TEST_PG).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { startServer, Client, BIN, PG, newStore, dropStore, storeSql } from '../lib/server.js';
import { RQ } from '../lib/helpers.js';

assert.ok(PG, 'this test needs $LIAISON_TEST_PG (tools/run-tests.sh api-pg)');
const run = (...args) => spawnSync(BIN, args, { encoding: 'utf8' });

test('migrate-store copies a SQLite store in use into an empty PostgreSQL database, verified, and refuses a full one', async () => {
  const lite = await startServer({ demo: true, sqlite: true });
  const target = newStore(lite.dir);
  let pg;
  try {
    const c = new Client(lite);
    await c.login('wangfang', 'demo1234');
    const D = Object.fromEntries((await c.get('/api/v1/departments?limit=100')).json.items.map((d) => [d.name, d.id]));
    const made = [];
    for (let i = 0; i < 3; i++) {
      const r = await c.post(RQ, {
        title: `搬家 ${i}`, background: '从 SQLite 到 PostgreSQL。', goal: '一行不少。', success_criteria: ['校验一致'],
        due_date: '2099-12-31', involved_department_ids: [D['平台部']],
      });
      assert.equal(r.status, 201, r.text);
      made.push(r.json);
    }
    const tok = await c.post('/api/v1/tokens', { name: '搬家' });
    assert.equal(tok.status, 201, tok.text);

    // The server keeps running on the SQLite store while it is copied.
    let r = run('migrate-store', '--from', lite.db, '--to', target);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /verified: every table's row count and checksum match/);
    assert.match(r.stderr, /copied requests +3 rows/);
    assert.match(r.stderr, /copied users +\d+ rows/);

    pg = await startServer({ on: { db: target } });
    const p = new Client(pg);
    await p.login('wangfang', 'demo1234');
    for (const m of made) {
      const g = await p.get(`${RQ}/${m.id}`);
      assert.equal(g.status, 200, g.text);
      assert.equal(g.json.code, m.code);
      assert.equal(g.json.title, m.title);
      assert.deepEqual(g.json.success_criteria, ['校验一致']);
    }
    const api = new Client(pg);
    api.token = tok.json.token; // an API token made on SQLite still works
    assert.equal((await api.get('/api/v1/me')).status, 200);
    const next = await p.post(RQ, {
      title: '之后', background: '新库。', goal: '编号接着走。', success_criteria: ['不重号'],
      due_date: '2099-12-31', involved_department_ids: [D['平台部']],
    });
    assert.equal(next.status, 201, next.text);
    assert.equal(next.json.id, made[2].id + 1, 'ids go on after the copied ones');
    assert.equal(Number(next.json.code.slice(-4)), Number(made[2].code.slice(-4)) + 1, 'so do the codes');

    // A target that holds anything is refused, and left as it was.
    const before = storeSql(target, 'SELECT count(*) FROM requests').stdout;
    r = run('migrate-store', '--from', lite.db, '--to', target);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /not empty/);
    assert.equal(storeSql(target, 'SELECT count(*) FROM requests').stdout, before);

    r = run('migrate-store', '--from', target, '--to', lite.db);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--from is a SQLite file and --to a postgres:\/\/ URL/);
  } finally {
    await pg?.stop();
    await lite.stop();
    dropStore(target);
  }
});
