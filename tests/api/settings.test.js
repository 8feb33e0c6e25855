// `liaison settings`: the organisation's time zone decides what "today" is for due dates.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { startServer, Client, devClient, DEMO_PASSWORD, BIN } from '../lib/server.js';

const run = (...args) => spawnSync(BIN, args, { encoding: 'utf8' });

test('settings shows, validates and changes the time zone', async () => {
  const s = await startServer();
  try {
    let r = run('settings', '--db', s.db);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, 'timezone = Asia/Shanghai\n');
    r = run('settings', '--db', s.db, 'timezone', 'Mars/Olympus');
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^liaison settings: timezone: 'Mars\/Olympus' is not a time zone/);
    assert.equal(run('settings', '--db', s.db).stdout, 'timezone = Asia/Shanghai\n', 'nothing changed');
    r = run('settings', '--db', s.db, 'colour', 'blue');
    assert.equal(r.status, 2);
    assert.match(r.stderr, /unknown setting 'colour'/);
    r = run('settings', '--db', s.db, 'timezone', 'Europe/Berlin');
    assert.equal(r.status, 0, r.stderr);
    assert.equal(run('settings', '--db', s.db).stdout, 'timezone = Europe/Berlin\n');
  } finally {
    await s.stop();
  }
});

// 2026-12-01T12:00Z is 20:00 on 1 December in Shanghai, but 02:00 on 2 December in Kiritimati (UTC+14).
for (const [zone, expected] of [['Asia/Shanghai', 201], ['Pacific/Kiritimati', 422]]) {
  test(`a due date of 2026-12-01 at 2026-12-01T12:00Z in ${zone} answers ${expected}`, async () => {
    const s = await startServer({
      demo: true,
      prepare: (db) => assert.equal(run('settings', '--db', db, 'timezone', zone).status, 0),
    });
    try {
      const c = new Client(s);
      await c.login('wangfang', DEMO_PASSWORD);
      const depts = Object.fromEntries((await c.get('/api/v1/departments?limit=1000')).json.items.map((d) => [d.name, d.id]));
      assert.equal((await (await devClient(s)).put('/api/v1/admin/clock', { now: '2026-12-01T12:00:00Z' })).status, 200);
      const r = await c.post('/api/v1/requests', {
        title: '时区测试', background: '背景', goal: '目标', success_criteria: ['按期完成'], due_date: '2026-12-01',
        involved_department_ids: [depts['平台部']],
      });
      assert.equal(r.status, expected, r.text);
      if (expected === 422) {
        assert.equal(r.json.code, 'date_in_past');
        assert.equal(r.json.field, 'due_date');
      } else {
        assert.match(r.json.code, /^REQ-2026-\d{4}$/);
      }
    } finally {
      await s.stop();
    }
  });
}
