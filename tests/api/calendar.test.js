// The working-day calendar (stage 2): GET /api/v1/calendar lists the dates that differ from Monday-to-Friday
// working — mainland China's 2025 and 2026 holidays and make-up workdays (调休) ship with the store — and
// administrators set or remove dates, for the organisation or for one department, each change audited.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, adminClient, Client } from '../lib/server.js';
import { assertProblem } from '../lib/helpers.js';

const CAL = '/api/v1/calendar';

describe('the working-day calendar', () => {
  let server;
  let admin;
  let staff;
  let dept;
  before(async () => {
    server = await startServer({ demo: true });
    admin = await adminClient(server);
    staff = new Client(server);
    await staff.login('wangfang', 'demo1234');
    dept = (await admin.get('/api/v1/departments?limit=100')).json.items.find((d) => d.name === '生产部').id;
  });
  after(async () => { await server?.stop(); });

  it('holds China\'s 2026 Spring Festival and its make-up workdays, in date order, for everyone signed in', async () => {
    const r = await staff.get(`${CAL}?from=2026-02-01&to=2026-02-28`);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json.items.map((d) => [d.date, d.kind]), [
      ['2026-02-14', 'workday'], ['2026-02-15', 'holiday'], ['2026-02-16', 'holiday'], ['2026-02-17', 'holiday'],
      ['2026-02-18', 'holiday'], ['2026-02-19', 'holiday'], ['2026-02-20', 'holiday'], ['2026-02-21', 'holiday'],
      ['2026-02-22', 'holiday'], ['2026-02-23', 'holiday'], ['2026-02-28', 'workday'],
    ]);
    assert.equal(r.json.items[1].name, '春节');
    assert.equal(r.json.items[0].name, '春节调休');
    assert.equal(r.json.items[0].department_id, null);
    const y2025 = await staff.get(`${CAL}?from=2025-10-01&to=2025-10-31`);
    assert.ok(y2025.json.items.some((d) => d.date === '2025-10-06' && d.name === '国庆节、中秋节'), '2025 as well');
    assert.equal((await new Client(server).get(`${CAL}?from=2026-02-01&to=2026-02-28`)).status, 401);
  });

  it('administrators set a date, replace it, and remove it; each change is audited', async () => {
    let r = await admin.put(`${CAL}/days/2026-12-31`, { kind: 'holiday', name: '年终盘点' });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json, { date: '2026-12-31', kind: 'holiday', name: '年终盘点', department_id: null });
    r = await admin.put(`${CAL}/days/2026-12-31`, { kind: 'holiday', name: '年终盘点日' });
    assert.equal(r.json.name, '年终盘点日');
    let days = (await staff.get(`${CAL}?from=2026-12-01&to=2026-12-31`)).json.items;
    assert.deepEqual(days.map((d) => [d.date, d.name]), [['2026-12-31', '年终盘点日']]);
    assert.equal((await admin.del(`${CAL}/days/2026-12-31`)).status, 204);
    assert.deepEqual((await staff.get(`${CAL}?from=2026-12-01&to=2026-12-31`)).json.items, []);
    assertProblem(await admin.del(`${CAL}/days/2026-12-31`), 404, 'not_found');
  });

  it('a department may have its own dates, which take the organisation\'s place in its view', async () => {
    let r = await admin.put(`${CAL}/days/2026-02-14`, { kind: 'holiday', name: '生产部轮休', department_id: dept });
    assert.equal(r.status, 200, r.text);
    const own = (await staff.get(`${CAL}?from=2026-02-13&to=2026-02-15&department_id=${dept}`)).json.items;
    assert.deepEqual(own.map((d) => [d.date, d.kind, d.department_id]), [['2026-02-14', 'holiday', dept], ['2026-02-15', 'holiday', null]]);
    const org = (await staff.get(`${CAL}?from=2026-02-13&to=2026-02-15`)).json.items;
    assert.deepEqual(org.map((d) => [d.date, d.kind]), [['2026-02-14', 'workday'], ['2026-02-15', 'holiday']], 'the organisation keeps its own');
    assert.equal((await admin.del(`${CAL}/days/2026-02-14?department_id=${dept}`)).status, 204);
    assertProblem(await admin.put(`${CAL}/days/2026-02-14`, { kind: 'holiday', department_id: 999999 }), 404, 'not_found', 'department_id');
  });

  it('refuses what the calendar cannot hold, naming the field, and changes nothing', async () => {
    assertProblem(await admin.put(`${CAL}/days/2026-02-30`, { kind: 'holiday' }), 422, 'invalid_value', 'date');
    assertProblem(await admin.put(`${CAL}/days/1999-12-31`, { kind: 'holiday' }), 422, 'invalid_value', 'date');
    assertProblem(await admin.put(`${CAL}/days/2026-03-02`, { kind: 'vacation' }), 422, undefined, 'kind');
    assertProblem(await admin.put(`${CAL}/days/2026-03-02`, { name: '没有类型' }), 422, undefined, 'kind');
    assertProblem(await admin.put(`${CAL}/days/2026-03-02`, { kind: 'holiday', name: '长'.repeat(41) }), 422, undefined, 'name');
    assert.deepEqual((await staff.get(`${CAL}?from=2026-03-01&to=2026-03-31`)).json.items, []);
    assertProblem(await staff.get(`${CAL}?from=2026-13-01&to=2026-12-31`), 422, 'invalid_value', 'from');
    assertProblem(await staff.get(`${CAL}?from=2026-01-01&to=2025-12-31`), 422, 'invalid_value', 'to');
    assertProblem(await staff.get(`${CAL}?from=2020-01-01&to=2026-12-31`), 422, 'invalid_value', 'to');
    assertProblem(await staff.get(`${CAL}?to=2026-12-31`), 422, undefined, 'from');
  });

  it('only administrators change it', async () => {
    assertProblem(await staff.put(`${CAL}/days/2026-03-02`, { kind: 'holiday' }), 403, 'forbidden');
    assertProblem(await staff.del(`${CAL}/days/2026-02-14`), 403, 'forbidden');
    assert.equal((await staff.get(`${CAL}?from=2026-02-14&to=2026-02-14`)).json.items.length, 1, 'still there');
  });
});
