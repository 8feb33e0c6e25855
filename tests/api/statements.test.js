// Pages cost a bounded number of store statements, whatever their length: lists, a request's page and
// My work load what their items share (the department tree, assessments, names, the viewer's
// departments) once per page.  Measured with liaison_db_statements_total of GET /metrics.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { RQ, startDemo, scenarioRequest, approvedScenarioRequest } from '../lib/helpers.js';

describe('statements per page', () => {
  let server; let as; let D; let admin;

  before(async () => {
    ({ server, as, D, admin } = await startDemo());
  });
  after(async () => { await server?.stop(); });

  async function statements(route) {
    const text = (await admin.get('/metrics')).text; // administrators may read the metrics
    const m = text.match(new RegExp(`^liaison_db_statements_total\\{route="${route.replace(/[?{}]/g, '\\$&')}"\\} (\\d+)$`, 'm'));
    return m ? Number(m[1]) : 0;
  }
  // Statements that one GET of path (as login) ran, for the route labelled `route`.
  async function cost(login, path, route) {
    const c = await as(login);
    const before0 = await statements(route);
    const r = await c.get(path);
    assert.equal(r.status, 200, r.text);
    return { n: (await statements(route)) - before0, json: r.json };
  }

  it('a list of 50 costs what a list of 2 costs', async () => {
    for (let i = 0; i < 12; i++) await approvedScenarioRequest(as, D, { title: `评估中 ${i}` });
    for (let i = 0; i < 40; i++) await scenarioRequest(as, D, { title: `草稿 ${i}` });
    const small = await cost('wangfang', `${RQ}?limit=2`, 'GET /api/v1/requests');
    const large = await cost('wangfang', `${RQ}?limit=50`, 'GET /api/v1/requests');
    assert.equal(small.json.items.length, 2);
    assert.equal(large.json.items.length, 50);
    assert.ok(small.n > 0, 'the counter counts');
    assert.equal(large.n, small.n, `limit=2: ${small.n} statements, limit=50: ${large.n}`);
    assert.ok(large.n <= 10, `a list page runs ${large.n} statements`);
  });

  it('a list of 50 costs what a list of 2 costs under every sort and filter', async () => {
    // Enough of 王芳's requests for 50 in each: the first test made 52 (12 in assessment, 40 drafts).
    const queries = ['sort=due_date', 'sort=-priority', 'sort=status&order=desc', 'sort=code',
      'status=draft,assessing&priority=normal,high&sort=-due_date',
      `due_from=2030-01-01&due_to=2099-12-31&sort=created`, 'mine=1&status=draft,submitted,assessing'];
    for (const q of queries) {
      const small = await cost('wangfang', `${RQ}?limit=2&${q}`, 'GET /api/v1/requests');
      const large = await cost('wangfang', `${RQ}?limit=50&${q}`, 'GET /api/v1/requests');
      assert.equal(small.json.items.length, 2, q);
      assert.equal(large.json.items.length, 50, q);
      assert.equal(large.n, small.n, `${q}: limit=2: ${small.n} statements, limit=50: ${large.n}`);
      assert.ok(large.n <= 10, `${q}: a list page runs ${large.n} statements`);
    }
  });

  it('"waiting on me" costs the same for a page of 2 or of 40 (her drafts wait on her)', async () => {
    for (const q of ['waiting_on=me', 'waiting_on=me&sort=-due_date', 'waiting_on=me&status=draft&sort=code']) {
      const small = await cost('wangfang', `${RQ}?limit=2&${q}`, 'GET /api/v1/requests');
      const large = await cost('wangfang', `${RQ}?limit=40&${q}`, 'GET /api/v1/requests');
      assert.equal(small.json.items.length, 2, q);
      assert.equal(large.json.items.length, 40, q);
      assert.equal(large.n, small.n, `${q}: limit=2: ${small.n} statements, limit=40: ${large.n}`);
      assert.ok(large.n <= 12, `${q}: ${large.n} statements`);
    }
  });

  it('an export costs a few statements per 500 rows, not per row', async () => {
    const few = await cost('wangfang', `${RQ}/export?status=assessing`, 'GET /api/v1/requests/export');
    const many = await cost('wangfang', `${RQ}/export`, 'GET /api/v1/requests/export');
    assert.ok(many.n <= few.n + 4, `export: ${few.n} statements for a few rows, ${many.n} for all`);
  });

  it('a request page runs a bounded number of statements', async () => {
    const rq = await approvedScenarioRequest(as, D, { title: '一页' });
    const { n } = await cost('liqiang', `${RQ}/${rq.id}`, 'GET /api/v1/requests/{id}');
    // The caller, the request with its departments, people copied in and added approvers, the tree, the caller's
    // departments and whom they stand in for, the assessments, the reviewer's name, the countersigns, and who
    // assesses for each department (liaisons, then their principals): a constant, whatever the request holds.
    assert.ok(n <= 12, `GET /requests/{id} runs ${n} statements`);
  });

  it('My work costs the same with 3 or 15 requests waiting for a review', async () => {
    const submitted = async (n) => {
      for (let i = 0; i < n; i++) {
        const rq = await scenarioRequest(as, D, { title: `待初审 ${i}` });
        assert.equal((await (await as('wangfang')).post(`${RQ}/${rq.id}/submit`)).status, 200);
      }
    };
    await submitted(3);
    const few = await cost('liqiang', '/api/v1/me/work', 'GET /api/v1/me/work');
    await submitted(12);
    const many = await cost('liqiang', '/api/v1/me/work', 'GET /api/v1/me/work');
    assert.ok(many.json.reviews.length >= few.json.reviews.length + 12);
    assert.equal(many.n, few.n, `My work: ${few.n} statements, then ${many.n}`);
  });
});
