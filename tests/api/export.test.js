// `liaison export org`: the organisation as CSV in the import format, read back by `import org` unchanged.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, ADMIN_PASSWORD } from '../lib/server.js';

const env = { ...process.env, LIAISON_ADMIN_PASSWORD: ADMIN_PASSWORD, LIAISON_PWHASH: 'min' };
const run = (...args) => spawnSync(BIN, args, { env, encoding: 'utf8' });

test('export org writes every department and person, and import reads it back to the same file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'liaison-export-'));
  try {
    const a = join(dir, 'a.db'), b = join(dir, 'b.db'), f1 = join(dir, 'org.csv'), f2 = join(dir, 'org2.csv');
    execFileSync(BIN, ['init', '--db', a, '--demo'], { env, stdio: 'ignore' });
    let r = run('export', 'org', '--db', a, f1);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /exported 13 departments, 41 users/);
    const text = readFileSync(f1, 'utf8');
    assert.ok(text.startsWith('\uFEFFdepartment,parent_department,login,name,email,is_head,is_liaison,is_coordinator,is_admin,clearance\r\n'));
    assert.match(text, /\r\n市场部,星河科技有限公司,liqiang,李强,liqiang@xinghe\.example\.com,1,,,,confidential\r\n/);
    assert.match(text, /\r\n平台部,研发中心,chenjing,陈静,chenjing@xinghe\.example\.com,,1,,,internal\r\n/);
    assert.doesNotMatch(text, /demo1234|\$argon2/, 'no passwords or hashes');
    execFileSync(BIN, ['init', '--db', b], { env, stdio: 'ignore' });
    r = run('import', 'org', '--db', b, f1);
    assert.equal(r.status, 0, r.stderr);
    r = run('export', 'org', '--db', b, f2);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(readFileSync(f2, 'utf8'), text, 'export → import → export is stable');
    // Standard output works too.
    r = run('export', 'org', '--db', a);
    assert.equal(r.stdout, text);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('export refuses bad arguments with one line and status 2', () => {
  let r = run('export', '--db', '/nonexistent/x.db');
  assert.equal(r.status, 2);
  assert.match(r.stderr, /^liaison export: say what to export: 'org'\n$/);
  r = run('export', 'org', '--bogus');
  assert.equal(r.status, 2);
  assert.match(r.stderr, /unknown argument '--bogus'/);
  r = run('export', 'users', '--db', 'x.db');
  assert.equal(r.status, 2);
  r = run('export', '--help');
  assert.equal(r.status, 0);
  assert.match(r.stdout, /usage: liaison export org/);
});

test('backup copies the store while the server runs, and the copy opens (on PostgreSQL: says to use pg_dump)', async () => {
  const { startServer, PG } = await import('../lib/server.js');
  const s = await startServer({ demo: true });
  try {
    const out = join(s.dir, 'copy.db');
    let r = run('backup', '--db', s.db, out);
    if (PG) {
      assert.notEqual(r.status, 0);
      assert.match(r.stderr, /pg_dump/);
      return;
    }
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /backed up to/);
    r = run('user', 'list', '--db', out);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /wangfang/);
    r = run('backup', '--db', s.db);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /name the file to write/);
  } finally {
    await s.stop();
  }
});
