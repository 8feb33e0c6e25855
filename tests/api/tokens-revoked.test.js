// An administrator's password reset, `liaison user passwd` and a deactivation end the person's API tokens as well
// as their sessions; reactivating them revives none.  Changing one's own password keeps one's tokens.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { startServer, adminClient, Client, BIN } from '../lib/server.js';
import { assertProblem } from '../lib/helpers.js';

describe('API tokens end with the person\'s sessions', () => {
  let server;
  let admin;
  let n = 0;
  before(async () => {
    server = await startServer();
    admin = await adminClient(server);
  });
  after(async () => { await server?.stop(); });

  // A new user, signed in, with one API token; answers {id, password, c (signed-in client), token}.
  async function userWithToken() {
    const login = `tok${++n}`;
    const password = `${login}-password-1`;
    const u = await admin.post('/api/v1/users', { login, name: login, password });
    assert.equal(u.status, 201, u.text);
    const c = new Client(server);
    await c.login(login, password);
    const t = await c.post('/api/v1/tokens', { name: 'script' });
    assert.equal(t.status, 201, t.text);
    assert.equal((await bearerGet(t.json.token)).status, 200, 'the token works to begin with');
    return { id: u.json.id, login, password, c, token: t.json.token };
  }
  const bearerGet = (token) => { const b = new Client(server); b.token = token; return b.get('/api/v1/me'); };
  const patchUser = async (id, body) => {
    const cur = await admin.get(`/api/v1/users/${id}`);
    const r = await admin.patch(`/api/v1/users/${id}`, body, { headers: { 'if-match': cur.headers.get('etag') } });
    assert.equal(r.status, 200, r.text);
    return r;
  };

  it('an administrator\'s password reset ends the tokens', async () => {
    const u = await userWithToken();
    await patchUser(u.id, { password: 'reset-by-admin-1' });
    assertProblem(await bearerGet(u.token), 401, 'unauthenticated');
    assertProblem(await u.c.get('/api/v1/me'), 401, 'unauthenticated');
    const again = new Client(server);
    await again.login(u.login, 'reset-by-admin-1');
    assert.deepEqual((await again.get('/api/v1/tokens')).json.items, [], 'no token is left');
  });

  it('a deactivation ends the tokens, and reactivating the person revives none', async () => {
    const u = await userWithToken();
    await patchUser(u.id, { active: false });
    assertProblem(await bearerGet(u.token), 401, 'unauthenticated');
    await patchUser(u.id, { active: true });
    assertProblem(await bearerGet(u.token), 401, 'unauthenticated');
    assertProblem(await u.c.get('/api/v1/me'), 401, 'unauthenticated');
  });

  it('liaison user passwd ends the tokens', async () => {
    const u = await userWithToken();
    const r = spawnSync(BIN, ['user', 'passwd', '--db', server.db, '--login', u.login],
      { env: { ...process.env, LIAISON_PASSWORD: 'set-by-cli-1234' }, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assertProblem(await bearerGet(u.token), 401, 'unauthenticated');
  });

  it('changing one\'s own password keeps one\'s tokens (as documented)', async () => {
    const u = await userWithToken();
    const cur = await u.c.get(`/api/v1/users/${u.id}`);
    const r = await u.c.patch(`/api/v1/users/${u.id}`, { password: 'my-own-new-pw-1', current_password: u.password },
      { headers: { 'if-match': cur.headers.get('etag') } });
    assert.equal(r.status, 200, r.text);
    assert.equal((await bearerGet(u.token)).status, 200);
  });
});
