// Every command listed by `liaison help` answers --help with its usage, and unknown commands fail with 2.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { BIN } from '../lib/server.js';

const run = (...args) => spawnSync(BIN, args, { encoding: 'utf8' });

test('every command has --help, and the admin guide or README names it', () => {
  const list = run('help');
  assert.equal(list.status, 0);
  const commands = [...list.stdout.matchAll(/^ {2}([a-z]+) +\S/gm)].map((m) => m[1]);
  assert.ok(commands.length >= 10, list.stdout);
  for (const c of ['init', 'serve', 'user', 'dept', 'import', 'export', 'backup', 'migrate', 'version', 'help']) {
    assert.ok(commands.includes(c), `${c} is listed`);
  }
  const docs = readFileSync(new URL('../../docs/admin.md', import.meta.url), 'utf8')
    + readFileSync(new URL('../../README.md', import.meta.url), 'utf8')
    + readFileSync(new URL('../../docs/HACKING.md', import.meta.url), 'utf8');
  for (const c of commands) {
    const r = run(c, '--help');
    assert.equal(r.status, 0, `${c} --help`);
    assert.match(r.stdout, new RegExp(`^usage: liaison ${c}`), `${c} --help prints its usage`);
    assert.ok(docs.includes(`liaison ${c}`) || c === 'help' || c === 'version', `the docs mention liaison ${c}`);
  }
});

test('an unknown command or no command exits 2 with one line', () => {
  let r = run('frobnicate');
  assert.equal(r.status, 2);
  assert.equal(r.stderr, "liaison: unknown command 'frobnicate'; see 'liaison help'\n");
  r = run();
  assert.equal(r.status, 2);
});
