// Changing one's own password ends one's other sessions; the session that changed it, and API tokens, go on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, adminClient, DEMO_PASSWORD, ADMIN_PASSWORD } from '../lib/server.js';
import { ifMatch } from '../lib/helpers.js';

test('a password change signs the person out everywhere else', async () => {
  const s = await startServer({ demo: true });
  try {
    const here = new Client(s), there = new Client(s), bearer = new Client(s);
    await here.login('wangfang', DEMO_PASSWORD);
    await there.login('wangfang', DEMO_PASSWORD);
    const t = await here.post('/api/v1/tokens', { name: 'script' });
    assert.equal(t.status, 201, t.text);
    bearer.token = t.json.token;
    const me = here.user;
    const r = await here.patch(`/api/v1/users/${me.id}`, { password: 'new-password-1', current_password: DEMO_PASSWORD },
      ifMatch(me.version));
    assert.equal(r.status, 200, r.text);
    assert.equal((await here.get('/api/v1/me')).status, 200, 'the session that changed it goes on');
    assert.equal((await there.get('/api/v1/me')).status, 401, 'the other session has ended');
    assert.equal((await bearer.get('/api/v1/me')).status, 200, 'API tokens are separate credentials');
    // An administrator's reset ends every session of that person.
    const admin = await adminClient(s);
    const u = (await admin.get(`/api/v1/users/${me.id}`)).json;
    const a = await admin.patch(`/api/v1/users/${me.id}`, { password: 'reset-password-1' }, ifMatch(u.version));
    assert.equal(a.status, 200, a.text);
    assert.equal((await here.get('/api/v1/me')).status, 401);
    await new Client(s).login('wangfang', 'reset-password-1');
  } finally {
    await s.stop();
  }
});

test('administrators too prove the current password to change their own', async () => {
  const s = await startServer();
  try {
    const admin = await adminClient(s);
    const me = admin.user;
    let r = await admin.patch(`/api/v1/users/${me.id}`, { password: 'another-pass-1' }, ifMatch(me.version));
    assert.equal(r.status, 422, r.text);
    assert.equal(r.json.field, 'current_password');
    r = await admin.patch(`/api/v1/users/${me.id}`, { password: 'another-pass-1', current_password: 'wrong-one-123' },
      ifMatch(me.version));
    assert.equal(r.status, 422, r.text);
    assert.equal(r.json.code, 'wrong_password');
    r = await admin.patch(`/api/v1/users/${me.id}`, { password: 'another-pass-1', current_password: ADMIN_PASSWORD },
      ifMatch(me.version));
    assert.equal(r.status, 200, r.text);
  } finally {
    await s.stop();
  }
});

test('liaison user passwd sets a new password from $LIAISON_PASSWORD and ends the sessions', async () => {
  const { spawnSync } = await import('node:child_process');
  const { BIN } = await import('../lib/server.js');
  const s = await startServer();
  try {
    const admin = await adminClient(s);
    const run = (pw, ...args) => spawnSync(BIN, ['user', 'passwd', '--db', s.db, ...args],
      { encoding: 'utf8', env: { ...process.env, LIAISON_PASSWORD: pw, LIAISON_PWHASH: 'min' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let r = run('short', '--login', 'admin');
    assert.equal(r.status, 1);
    assert.match(r.stderr, /password needs at least 8 characters/);
    assert.equal((await admin.get('/api/v1/me')).status, 200, 'a refused change ends nothing');
    r = run('forgotten-no-more', '--login', 'nobody');
    assert.equal(r.status, 2);
    assert.match(r.stderr, /no user 'nobody'/);
    r = run('forgotten-no-more', '--login', 'admin');
    assert.equal(r.status, 0, r.stderr);
    assert.equal((await admin.get('/api/v1/me')).status, 401, 'sessions have ended');
    await new Client(s).login('admin', 'forgotten-no-more');
    assert.doesNotMatch(s.log(), /forgotten-no-more/);
  } finally {
    await s.stop();
  }
});
