// The OpenAPI document describes what the server really answers: for every GET route of the story so far
// (organisation, requests with assessments, a project and its follow-ups, inbox, My work), the answer checks out against the
// route's declared response schema — every declared field present and of its type, no undeclared field —
// and every route that takes a body declares it.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { RQ, startDemo, approvedScenarioRequest } from '../lib/helpers.js';
import { checkSchema } from '../lib/schema.js';

describe('OpenAPI schemas match the answers', () => {
  let server; let as; let D; let doc; let rq;

  before(async () => {
    ({ server, as, D } = await startDemo());
    doc = await (await fetch(`${server.url}/api/v1/openapi.json`)).json();
    rq = await approvedScenarioRequest(as, D);
    // 财务部's condition and the decision's comment become the project's follow-ups.
    const put = (login, dept, verdict = 'feasible') => as(login).then((c) => c.put(`${RQ}/${rq.id}/assessments/${D[dept]}`,
      { impact: '影响', person_days: 2.5, cost: 1000.5, schedule_impact_days: 1, verdict, conditions: '预算需签字' }));
    for (const [l, d, v] of [['chenjing', '平台部'], ['sunli', '财务部', 'conditional'], ['wugang', '生产部']]) assert.equal((await put(l, d, v)).status, 200);
    const acc = await (await as('liqiang')).post(`${RQ}/${rq.id}/decision`, { decision: 'accept', comment: '签字后执行' });
    assert.equal(acc.status, 200, acc.text);
    rq = acc.json;
  });
  after(async () => { await server?.stop(); });

  function check(method, pattern, status, body) {
    const op = doc.paths[pattern]?.[method.toLowerCase()];
    assert.ok(op, `${method} ${pattern} is documented`);
    const schema = op.responses?.[String(status)]?.content?.['application/json']?.schema;
    assert.ok(schema, `${method} ${pattern} declares its ${status} answer`);
    const problems = checkSchema(doc, schema, body);
    assert.deepEqual(problems, [], `${method} ${pattern}`);
  }

  it('every GET answer has the shape its route declares', async () => {
    const c = await as('liqiang');
    const cases = [
      ['/api/v1/departments', '/api/v1/departments'],
      [`/api/v1/departments/${D['平台部']}`, '/api/v1/departments/{id}'],
      ['/api/v1/users', '/api/v1/users'],
      ['/api/v1/users/1', '/api/v1/users/{id}'],
      ['/api/v1/me', '/api/v1/me'],
      [RQ, RQ],
      [`${RQ}/${rq.id}`, `${RQ}/{id}`],
      [`${RQ}/${rq.id}/assessments`, `${RQ}/{id}/assessments`],
      [`${RQ}/${rq.id}/history`, `${RQ}/{id}/history`],
      ['/api/v1/projects', '/api/v1/projects'],
      [`/api/v1/projects/${rq.project_id}`, '/api/v1/projects/{id}'],
      [`/api/v1/projects/${rq.project_id}/follow-ups`, '/api/v1/projects/{id}/follow-ups'],
      ['/api/v1/inbox', '/api/v1/inbox'],
      ['/api/v1/me/work', '/api/v1/me/work'],
      [`/api/v1/departments/${D['平台部']}/history`, '/api/v1/departments/{id}/history'],
    ];
    for (const [path, pattern] of cases) {
      const r = await c.get(path);
      assert.equal(r.status, 200, `${path}: ${r.text}`);
      check('GET', pattern, 200, r.json);
    }
    const w = await (await as('wangfang')).get(`${RQ}/${rq.id}`);
    check('GET', `${RQ}/{id}`, 200, w.json);
  });

  it('every route that reads a body declares it, with its fields', async () => {
    for (const [pattern, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        if (['post', 'put', 'patch'].includes(method) && !/\/(read|read-all|tick|copy)$/.test(pattern)) {
          const s = op.requestBody?.content?.['application/json']?.schema;
          assert.ok(s && s.type === 'object' && s.properties, `${method.toUpperCase()} ${pattern} declares its body`);
        }
        assert.ok(op.responses && Object.keys(op.responses).some((k) => k.startsWith('2')), `${method} ${pattern}: a success answer`);
      }
    }
  });
});
