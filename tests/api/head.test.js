// HEAD on every GET route answers as GET would, without the body.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startServer, adminClient } from '../lib/server.js';

// One request with node:http (fetch hides HEAD details); answers {status, headers, body}.
function request(server, method, path, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(`${server.url}${path}`, { method, headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body }));
    });
    req.setTimeout(5000, () => req.destroy(new Error(`${method} ${path} timed out`)));
    req.on('error', reject);
    req.end();
  });
}

describe('HEAD', () => {
  let server;
  let admin;
  before(async () => {
    server = await startServer();
    admin = await adminClient(server);
  });
  after(async () => { await server?.stop(); });

  it('answers like GET on API routes: same status and headers, no body', async () => {
    const h = { cookie: admin.cookie };
    for (const path of ['/healthz', '/api/v1/openapi.json', '/api/v1/me', '/api/v1/departments', '/api/v1/users/1', '/api/v1/inbox']) {
      const get = await request(server, 'GET', path, h);
      const head = await request(server, 'HEAD', path, h);
      assert.equal(get.status, 200, `GET ${path}`);
      assert.equal(head.status, 200, `HEAD ${path}: ${head.headers.allow || ''}`);
      assert.equal(head.body, '', `HEAD ${path} has no body`);
      assert.equal(head.headers['content-type'], get.headers['content-type'], path);
      if (head.headers['content-length'] !== undefined) assert.equal(Number(head.headers['content-length']), Buffer.byteLength(get.body), path);
      if (get.headers.etag) assert.equal(head.headers.etag, get.headers.etag, path);
    }
  });

  it('is authenticated like GET: 401 without a session, 404 for what does not exist', async () => {
    assert.equal((await request(server, 'HEAD', '/api/v1/me')).status, 401);
    assert.equal((await request(server, 'HEAD', '/api/v1/departments/999999', { cookie: admin.cookie })).status, 404);
  });

  it('on a route without GET answers 405, and Allow names HEAD wherever it names GET', async () => {
    const r = await request(server, 'HEAD', '/api/v1/session');
    assert.equal(r.status, 405);
    assert.doesNotMatch(r.headers.allow, /GET|HEAD/);
    const d = await request(server, 'DELETE', '/api/v1/me', { cookie: admin.cookie, 'x-csrf-token': admin.csrf });
    assert.equal(d.status, 405);
    assert.equal(d.headers.allow, 'GET, HEAD');
  });

  it('on the event stream answers 200 and ends', async () => {
    const r = await request(server, 'HEAD', '/api/v1/events', { cookie: admin.cookie });
    assert.equal(r.status, 200);
    assert.match(r.headers['content-type'], /^text\/event-stream/);
    assert.equal(r.body, '');
  });
});
