// Helpers the API tests share: problem+json answers, the requests path, If-Match, the dev clock and dates in the
// organisation's time zone, signed-in demo people, the demo organisation's ids, and the scenario's request.
import assert from 'node:assert/strict';
import { Client, adminClient, devClient, startServer, DEMO_PASSWORD } from './server.js';

// problemAsserter({title, detail, type}) -> assertProblem(r, status, code, field), which asserts that r is an
// application/problem+json answer with that status; with the code when code is given (a list: one of them); with
// that field when field is given (null: no field).  Also asserts title and detail are strings and type is
// present, each where the option says so (files differ in what they check).
export function problemAsserter({ title = true, detail = true, type = false } = {}) {
  return function assertProblem(r, status, code, field) {
    assert.equal(r.status, status, r.text);
    assert.match(r.headers.get('content-type') || '', /^application\/problem\+json/);
    assert.equal(r.json.status, status, r.text);
    if (Array.isArray(code)) assert.ok(code.includes(r.json.code), r.text);
    else if (code !== undefined) assert.equal(r.json.code, code, r.text);
    if (title) assert.equal(typeof r.json.title, 'string');
    if (detail) assert.equal(typeof r.json.detail, 'string');
    if (type) assert.ok(r.json.type);
    if (field !== undefined) assert.equal(r.json.field, field ?? undefined, r.text);
  };
}

// The usual check: status, content type, code, title and detail, field.
export const assertProblem = problemAsserter();

export const RQ = '/api/v1/requests';
export const ifMatch = (v) => ({ headers: { 'if-match': `"${v}"` } });

// The clock.  A server started with --dev-clock takes its "now" from PUT /api/v1/admin/clock (an administrator's:
// devClient);
// setClock(server, ms) sets it and remembers its offset from the real clock, so that serverNow(server) is the
// server's now; advanceClock(server, ms) moves it forward.
export async function setClock(server, ms) {
  const r = await (await devClient(server)).put('/api/v1/admin/clock', { now: new Date(ms).toISOString() });
  assert.equal(r.status, 200, r.text);
  server.clockOffset = Date.parse(r.json.now) - Date.now();
  return r.json.now;
}
export const serverNow = (server) => Date.now() + (server.clockOffset ?? 0);
export const advanceClock = (server, ms) => setClock(server, serverNow(server) + ms);

// startDemo() pins the server's clock to PINNED_NOW, a Wednesday at 10:00 in Shanghai, and it runs on from there: the
// server's "today" and the dates computed here are then the same day, whatever the real time (no race at midnight,
// the server's and the test's clocks never straddle a day or a year).
export const PINNED_NOW = Date.parse('2030-06-12T10:00:00+08:00');
// A date `days` from "today" in the organisation's time zone (Asia/Shanghai, UTC+8) on a server started by
// startDemo() (so: from the day of PINNED_NOW).
export const shanghaiDate = (days = 0) => new Date(PINNED_NOW + 8 * 3600e3 + days * 86400e3).toISOString().slice(0, 10);

// people(server) -> as(login, password): a signed-in client for a login, or for 'admin' the administrator; one
// client per login, signed in on first use with password (the demo password unless given).
export function people(server) {
  const clients = new Map();
  return function as(login, password = DEMO_PASSWORD) {
    if (!clients.has(login)) {
      const c = login === 'admin' ? adminClient(server) : (async () => {
        const cl = new Client(server);
        await cl.login(login, password);
        return cl;
      })();
      clients.set(login, c);
      c.catch(() => clients.delete(login));
    }
    return clients.get(login);
  };
}

// orgMaps(admin) -> {D: department name -> id, U: login -> user id, NAME: login -> name}, as the administrator sees them.
export async function orgMaps(admin) {
  const D = {};
  const U = {};
  const NAME = {};
  for (const d of (await admin.get('/api/v1/departments?limit=1000')).json.items) D[d.name] = d.id;
  for (const u of (await admin.get('/api/v1/users?limit=1000')).json.items) { U[u.login] = u.id; NAME[u.login] = u.name; }
  return { D, U, NAME };
}

// startDemo() -> {server, as, admin, D, U, NAME}: a server with the demo company and its clock set to PINNED_NOW,
// people(server), the administrator (as('admin')) and orgMaps(admin).  The caller must server.stop() it; if anything
// after the start fails, it is stopped here.
export async function startDemo() {
  const server = await startServer({ demo: true });
  try {
    await setClock(server, PINNED_NOW); // before anyone signs in: sessions start on the pinned clock
    const as = people(server);
    const admin = await as('admin');
    return { server, as, admin, ...(await orgMaps(admin)) };
  } catch (e) {
    await server.stop();
    throw e;
  }
}

// The scenario's request (SCENARIO step 1, short form) raised by login (王芳 unless said), with overrides;
// asserts 201 and answers the draft.
export async function scenarioRequest(as, D, over = {}, login = 'wangfang') {
  const r = await (await as(login)).post(RQ, {
    title: '新品发布会',
    background: '八周后发布新品。',
    goal: '按期举办发布会。',
    success_criteria: ['发布会按期举办', '至少 30 家媒体到场'],
    due_date: shanghaiDate(56),
    involved_department_ids: [D['平台部'], D['财务部'], D['生产部']],
    ...over,
  });
  assert.equal(r.status, 201, r.text);
  return r.json;
}

// The scenario's request raised and submitted by 王芳 and approved by 李强 (so in assessment); answers it as approved.
export async function approvedScenarioRequest(as, D, over = {}) {
  const rq = await scenarioRequest(as, D, over);
  const s = await (await as('wangfang')).post(`${RQ}/${rq.id}/submit`);
  assert.equal(s.status, 200, `wangfang submit: ${s.text}`);
  const a = await (await as('liqiang')).post(`${RQ}/${rq.id}/review`, { decision: 'approve' });
  assert.equal(a.status, 200, `liqiang review: ${a.text}`);
  return a.json;
}
