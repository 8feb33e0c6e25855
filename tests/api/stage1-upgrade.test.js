// A SQLite store of the stage-1 release with three projects it accepted, upgraded by `serve`: migration 12 gives
// each project the follow-ups of its acceptance.  (A SQLite file of that release: tools/run-tests.sh leaves this
// file out of the api-pg suite.)
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, startServer } from '../lib/server.js';

const PRJ = '/api/v1/projects';

describe('a store of the stage-1 release, upgraded', () => {
  const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');
  let server;
  before(async () => {
    // The stage-1 release's store with three projects it accepted (tests/fixtures/stage1-accepted.sql), in place of
    // the fresh one; `serve` applies the migrations at start-up.
    server = await startServer({
      prepare(db) {
        for (const f of [db, `${db}-wal`, `${db}-shm`]) rmSync(f, { force: true });
        const sql = readFileSync(join(fixtures, 'stage1-store.sql'), 'utf8') + readFileSync(join(fixtures, 'stage1-accepted.sql'), 'utf8');
        execFileSync('sqlite3', [db], { input: sql });
      },
    });
  });
  after(async () => { await server?.stop(); });

  it('its projects have the follow-ups of their acceptance, in the project, its follow-ups and the list', async () => {
    const c = new Client(server);
    await c.login('wangfang', 'demo1234');
    const p = await c.get(`${PRJ}/1`);
    assert.equal(p.status, 200, p.text);
    assert.equal(p.json.code, 'PRJ-2026-0001');
    assert.equal(p.json.goal, '目标');
    assert.deepEqual(p.json.success_criteria, ['到场 200 人']);
    assert.equal(p.json.assessment_totals.person_days, 12.6);
    assert.equal(p.json.assessment_totals.cost, 30001.05);
    assert.deepEqual(p.json.follow_ups.map((f) => [f.source, f.department_name, f.text, f.raised_by_name, f.status]), [
      ['assessment', '平台部', '延后一周', '陈静', 'open'],
      ['decision', null, '预算另行报批', '李强', 'open'],
    ]);
    assert.deepEqual((await c.get(`${PRJ}/1/follow-ups`)).json.items, p.json.follow_ups);
    const list = (await c.get(PRJ)).json.items;
    assert.deepEqual(list.map((x) => [x.code, x.open_follow_ups]),
      [['PRJ-2026-0003', 0], ['PRJ-2026-0002', 1], ['PRJ-2026-0001', 2]]);
  });
});
