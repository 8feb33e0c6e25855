// The checks of tools/pg-check.sh, against the PostgreSQL 15 server it started (PGHOST, PGPORT, PGUSER and
// PGDATABASE name it; PGUSER is an ordinary role that owns PGDATABASE, as a deployment's would be).
//
//   node tools/pg-check.js --liaison BIN --psql PSQL [--src DIR] [--cpp "CC -E FLAGS"] [--verbose] [TRACE...]
//
// 1. Schema: applies `liaison schema --dialect postgres`, the migrations table and then each migration in its
//    own transaction (one check each), then compares every table with the SQLite schema of a fresh store
//    (columns, their types and NOT NULL, primary keys, foreign keys, indexes; one check per table).
// 2. Statements: every SQL text in the traces (LIAISON_SQL_TRACE of src/store/db_sqlite.c, one JSON line per
//    text) and every SQL text written in src/ (string literals as the C preprocessor leaves them, joined as
//    the compiler joins them): `?` and `?NNN` become $1..$n and PostgreSQL PREPAREs it (one check each).
//    What belongs to the SQLite driver alone is listed (SQLITE_ONLY, with the reason), never skipped silently.
// Prints a line per check and, last, "pg: N passed, N failed"; exits 1 when a check failed.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  if (i < 0) return dflt;
  const v = args[i + 1];
  args.splice(i, 2);
  return v;
};
const LIAISON = opt('--liaison', './liaison');
const PSQL = opt('--psql', 'psql');
const SRC = opt('--src', 'src');
const CPP = opt('--cpp', 'cc -E -std=c17 -D_GNU_SOURCE -Isrc -Ibuild');
const verbose = args.includes('--verbose') && args.splice(args.indexOf('--verbose'), 1);
const traces = args;

let passed = 0;
let failed = 0;
const pass = (what) => { passed++; console.log(`ok   ${what}`); };
const fail = (what, why) => { failed++; console.log(`FAIL ${what}\n     ${why.trim().replace(/\n/g, '\n     ')}`); };
const oneLine = (sql, n = 160) => { const s = sql.replace(/\s+/g, ' ').trim(); return s.length > n ? `${s.slice(0, n)}...` : s; };

// Runs SQL text through psql in one session; {ok, out, err}.  -1: one transaction; ON_ERROR_STOP: the first
// error ends it (and rolls it back).
function psql(sql, { single = false, json = false } = {}) {
  const a = ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-At', '-f', '-'];
  if (single) a.unshift('-1');
  const r = spawnSync(PSQL, a, { input: sql, encoding: 'utf8' });
  if (r.error) throw r.error;
  const ok = r.status === 0;
  return { ok, out: r.stdout, err: r.stderr.replace(/^psql:<stdin>:\d+: /gm, ''), json: ok && json ? JSON.parse(r.stdout || 'null') : null };
}
const run = (cmd, argv, env = {}) => {
  const r = spawnSync(cmd, argv, { encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 1 << 28 });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${cmd} ${argv.join(' ')} exited ${r.status}: ${r.stderr}`);
  return r.stdout;
};

// ------------------------------------------------------------------ 1. schema

const pgSchema = run(LIAISON, ['schema', '--dialect', 'postgres']);
const sqliteSchema = run(LIAISON, ['schema', '--dialect', 'sqlite']);
// Splits `liaison schema` output into [{title, sql}]: the migrations table first, then one per migration.
function parts(text) {
  const out = [{ title: 'the migrations table (schema_migrations)', sql: '' }];
  for (const line of text.split('\n')) {
    const m = line.match(/^-- migration (\d+): (.*)$/);
    if (m) out.push({ title: `migration ${m[1]}: ${m[2]}`, n: Number(m[1]), sql: '' });
    else if (!line.startsWith('--')) out[out.length - 1].sql += `${line}\n`;
  }
  return out;
}
let schemaOk = true;
for (const p of parts(pgSchema)) {
  const r = psql(p.sql, { single: true });
  if (r.ok) pass(`applies ${p.title}`);
  else { schemaOk = false; fail(`applies ${p.title}`, r.err); }
}
// A migration the SQLite driver runs through db_exec is known by its text without whitespace.
const squash = (s) => s.replace(/\s+/g, '');
const sqliteMigrations = new Map(parts(sqliteSchema).filter((p) => p.n).map((p) => [squash(p.sql), p.n]));

// The SQLite schema of a fresh store, read back with the sqlite3 shell.
const dir = mkdtempSync(join(tmpdir(), 'liaison-pg-check-'));
let lite;
try {
  const db = join(dir, 'fresh.db');
  run(LIAISON, ['migrate', '--db', db]);
  const q = (sql) => JSON.parse(run('sqlite3', ['-json', db, sql]) || '[]');
  const tables = q("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'requests_fts%' ORDER BY name");
  lite = tables.map(({ name }) => ({
    name,
    cols: q(`SELECT name, type, "notnull", pk FROM pragma_table_info('${name}') ORDER BY cid`),
    fks: q(`SELECT "from", "table", "to", on_delete FROM pragma_foreign_key_list('${name}')`),
    idx: q(`SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = '${name}' AND sql IS NOT NULL`).map((r) => r.name),
  }));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
// What each SQLite declared type must be on PostgreSQL (a key column of {ID}/{ROWID} is a BIGINT identity).
const PG_TYPE = { INTEGER: 'integer', BIGINT: 'bigint', TEXT: 'text', REAL: 'real' };
if (schemaOk) {
  const pg = psql(`SELECT json_agg(x) FROM (SELECT c.table_name AS t, c.column_name AS name, c.data_type AS type,
      c.is_nullable = 'NO' AS notnull, c.is_identity = 'YES' AS identity FROM information_schema.columns c
      WHERE c.table_schema = 'public' ORDER BY c.table_name, c.ordinal_position) x`, { json: true }).json || [];
  const pgKeys = psql(`SELECT json_agg(x) FROM (SELECT cl.relname AS t, con.contype AS kind,
      (SELECT array_agg(a.attname ORDER BY k.i) FROM unnest(con.conkey) WITH ORDINALITY k(n, i)
        JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n) AS cols,
      fr.relname AS ref, (SELECT array_agg(a.attname ORDER BY k.i) FROM unnest(con.confkey) WITH ORDINALITY k(n, i)
        JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n) AS refcols,
      con.confdeltype AS on_delete, con.condeferrable AS deferrable
      FROM pg_constraint con JOIN pg_class cl ON cl.oid = con.conrelid LEFT JOIN pg_class fr ON fr.oid = con.confrelid
      JOIN pg_namespace ns ON ns.oid = cl.relnamespace WHERE ns.nspname = 'public') x`, { json: true }).json || [];
  const pgIdx = psql(`SELECT json_agg(x) FROM (SELECT tablename AS t, indexname AS name FROM pg_indexes
      WHERE schemaname = 'public') x`, { json: true }).json || [];
  const DEL = { a: 'NO ACTION', r: 'RESTRICT', c: 'CASCADE', n: 'SET NULL', d: 'SET DEFAULT' };
  for (const t of lite) {
    const problems = [];
    const cols = pg.filter((c) => c.t === t.name);
    if (!cols.length) { fail(`table ${t.name} is the same on PostgreSQL`, 'missing'); continue; }
    const pk = t.cols.filter((c) => c.pk).sort((a, b) => a.pk - b.pk).map((c) => c.name);
    for (const c of t.cols) {
      const p = cols.find((x) => x.name === c.name);
      if (!p) { problems.push(`column ${c.name} missing`); continue; }
      // SQLite's INTEGER PRIMARY KEY: an id the store assigns is a BIGINT identity ({ID}, {ROWID}); a key the
      // program gives (schema_migrations.version) stays an INTEGER.
      const key = pk.length === 1 && pk[0] === c.name && c.type === 'INTEGER';
      const want = key && p.identity ? 'bigint' : PG_TYPE[c.type];
      if (p.type !== want) problems.push(`column ${c.name}: ${c.type} on SQLite, ${p.type} on PostgreSQL (want ${want})`);
      if (!key && Boolean(c.notnull || c.pk) !== p.notnull) problems.push(`column ${c.name}: NOT NULL differs`);
    }
    for (const p of cols) if (!t.cols.find((c) => c.name === p.name)) problems.push(`column ${p.name} only on PostgreSQL`);
    const keys = pgKeys.filter((k) => k.t === t.name);
    const pgPk = keys.find((k) => k.kind === 'p');
    if (String(pgPk?.cols) !== String(pk)) problems.push(`primary key (${pk}) on SQLite, (${pgPk?.cols}) on PostgreSQL`);
    const fkText = (f) => `${f.from} -> ${f.table}(${f.to}) ON DELETE ${f.on_delete}`;
    const liteFks = t.fks.map(fkText).sort();
    const pgFks = keys.filter((k) => k.kind === 'f')
      .map((k) => fkText({ from: k.cols.join(), table: k.ref, to: k.refcols.join(), on_delete: DEL[k.on_delete] })).sort();
    if (String(liteFks) !== String(pgFks)) problems.push(`foreign keys differ:\n  SQLite:     ${liteFks.join('; ')}\n  PostgreSQL: ${pgFks.join('; ')}`);
    for (const i of t.idx) if (!pgIdx.find((x) => x.t === t.name && x.name === i)) problems.push(`index ${i} missing`);
    if (problems.length) fail(`table ${t.name} is the same on PostgreSQL`, problems.join('\n'));
    else pass(`table ${t.name} is the same on PostgreSQL (${t.cols.length} columns, ${liteFks.length} foreign keys, ${t.idx.length} indexes)`);
  }
  for (const t of new Set(pg.map((c) => c.t))) if (!lite.find((x) => x.name === t)) fail(`table ${t}`, 'only on PostgreSQL');
}

// ------------------------------------------------------------------ 2. statements

// What the SQLite driver alone runs: each with the reason; the PostgreSQL driver (issue 8) has its own.
const SQLITE_ONLY = [
  [/^\s*PRAGMA\b/i, 'SQLite connection settings (WAL, foreign keys, synchronous) set by db_open of src/store/db_sqlite.c'],
  [/^\s*BEGIN (IMMEDIATE|DEFERRED)\s*$/i, "SQLite's transaction modes, in db_begin/db_begin_read of the SQLite driver (PostgreSQL: BEGIN / BEGIN READ ONLY in its driver)"],
  [/^\s*(COMMIT|ROLLBACK)\s*$/i, 'transaction control inside the driver (the PostgreSQL driver sends its own; PostgreSQL cannot PREPARE it)'],
  [/\brequests_fts\b/, 'the FTS5 search table of migration 5 (SQLite); on PostgreSQL search uses the pg_trgm indexes of migration 5 (issue 8)'],
  [/\bfts5\s*\(/, "registers the liaison_ngram tokenizer with SQLite's FTS5 (db_open)"],
  [/\bsqlite_(master|schema|sequence)\b/, "SQLite's own catalogue"],
  [/\bpragma_table_info\s*\(/, "SQLite's catalogue of a table's columns, read by migrate-store from the SQLite store it copies (src/store/copy.c)"],
];
const sqliteOnly = (sql) => SQLITE_ONLY.find(([re]) => re.test(sql));

// What the PostgreSQL driver itself runs and PostgreSQL cannot PREPARE (transaction control), and what
// migrate-store runs on the schema it made (each run by the api-pg suite on a real PostgreSQL).
const DRIVER_ONLY = [
  [/^\s*BEGIN ISOLATION LEVEL\b/i, "the PostgreSQL driver's transactions (db_pg.c), run by the api-pg suite"],
  [/^\s*DROP (TABLE|FUNCTION) IF EXISTS\b/i, "migrate-store undoing the schema it made in an empty database after a failed copy (store/copy.c)"],
];
const driverOnly = (sql) => DRIVER_ONLY.find(([re]) => re.test(sql));
// A printf template (its table and column names filled in at run time: migrate-store): not SQL until then.
const template = (sql) => /%[-.0-9]*[sd]/.test(sql);

// `?` and `?NNN` as PostgreSQL's $n, outside quoted strings and identifiers.  SQLite numbers a bare `?` one
// past the largest number used so far.
function dollars(sql) {
  let out = '';
  let max = 0;
  for (let i = 0; i < sql.length; i++) {
    const c = sql[i];
    if (c === "'" || c === '"') {
      const j = sql.indexOf(c, i + 1);
      const end = j < 0 ? sql.length : j;
      out += sql.slice(i, end + 1);
      i = end;
    } else if (c === '?') {
      const m = sql.slice(i + 1).match(/^\d+/);
      const n = m ? Number(m[0]) : max + 1;
      if (n > max) max = n;
      out += `$${n}`;
      if (m) i += m[0].length;
    } else {
      out += c;
    }
  }
  return out;
}

// Every distinct SQL text: from the traces, and from the source.
const stmts = new Map(); // text -> {via, traced, source: [files]}
for (const f of traces) {
  let text;
  try { text = readFileSync(f, 'utf8'); } catch { console.log(`note: no trace at ${f}`); continue; }
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const { via, sql } = JSON.parse(line);
    const s = stmts.get(sql) || { via, traced: false, source: [] };
    s.traced = true;
    stmts.set(sql, s);
  }
}
const tracedCount = [...stmts.values()].filter((s) => s.traced).length;

// SQL in the source: the C preprocessor expands the macros (VIS_REQUEST, ROWS_IN, ...); each run of adjacent
// string literals is one string to the compiler, and a string that opens with an SQL verb is a statement.
// Migrations are left to the schema checks above.
const SQL_START = /^\s*(SELECT|INSERT|UPDATE|DELETE|WITH|BEGIN|COMMIT|ROLLBACK|PRAGMA|CREATE|ALTER|DROP)\b\s*\S/;
function cFiles(d) {
  return readdirSync(d).flatMap((n) => {
    const p = join(d, n);
    return statSync(p).isDirectory() ? cFiles(p) : n.endsWith('.c') ? [p] : [];
  });
}
function literals(code) {
  const out = [];
  let cur = null;
  let i = 0;
  const unescape = (s) => s.replace(/\\(x[0-9a-fA-F]+|[0-7]{1,3}|.)/g, (m, e) => {
    const simple = { n: '\n', t: '\t', r: '\r', '\\': '\\', '"': '"', "'": "'", '?': '?', a: '\x07', b: '\b', f: '\f', v: '\v' };
    if (e in simple) return simple[e];
    if (e[0] === 'x') return String.fromCharCode(parseInt(e.slice(1), 16));
    return String.fromCharCode(parseInt(e, 8));
  });
  while (i < code.length) {
    const c = code[i];
    if (c === '"') {
      let j = i + 1;
      while (j < code.length && code[j] !== '"') j += code[j] === '\\' ? 2 : 1;
      const piece = unescape(code.slice(i + 1, j));
      cur = cur === null ? piece : cur + piece;
      i = j + 1;
    } else if (c === "'") { // a character constant
      let j = i + 1;
      while (j < code.length && code[j] !== "'") j += code[j] === '\\' ? 2 : 1;
      if (cur !== null) { out.push(cur); cur = null; }
      i = j + 1;
    } else if (c === '#' && (i === 0 || code[i - 1] === '\n')) { // a line marker of the preprocessor
      const j = code.indexOf('\n', i);
      i = j < 0 ? code.length : j + 1;
    } else if (/\s/.test(c)) {
      i++;
    } else {
      if (cur !== null) { out.push(cur); cur = null; }
      i++;
    }
  }
  if (cur !== null) out.push(cur);
  return out;
}
let sourceCount = 0;
let migrationTexts = 0;
if (SRC !== 'none') {
  const cpp = CPP.split(/\s+/).filter(Boolean);
  for (const f of cFiles(SRC).sort()) {
    const code = run(cpp[0], [...cpp.slice(1), f]);
    for (const sql of literals(code)) {
      if (!SQL_START.test(sql) || template(sql)) continue;
      if (f.endsWith('migrate.c') && /^\s*(CREATE|ALTER)\b/.test(sql) && !/^\s*CREATE TABLE IF NOT EXISTS/.test(sql)) {
        migrationTexts++;
        continue;
      }
      sourceCount++;
      const s = stmts.get(sql) || { via: 'source', traced: false, source: [] };
      if (!s.source.includes(f)) s.source.push(f);
      stmts.set(sql, s);
    }
  }
}

if (SRC !== 'none' && sourceCount === 0) fail(`SQL written in ${SRC}/`, 'none found: the extraction from the preprocessed source is broken');
for (const [sql, s] of stmts) if (s.traced && SRC !== 'none' && !s.source.length) console.log(`note: run but not found in ${SRC}/ (built at run time?): ${oneLine(sql, 100)}`);
const untraced = [...stmts.entries()].filter(([, s]) => !s.traced);
console.log(`\n${stmts.size} distinct SQL texts: ${tracedCount} from the trace(s), ${sourceCount} written in ${SRC}/` +
  ` (besides ${migrationTexts} migration texts, checked as the schema above); ${untraced.length} never ran under the trace:` +
  ' checked from the source');
for (const [sql, s] of untraced) if (verbose) console.log(`     not traced (${s.source.join(', ')}): ${oneLine(sql, 100)}`);

// Parameters PostgreSQL typed `integer` (32 bits) that the statement also compares with, or stores in, an id or
// an instant (a column named id, *_id or *_at: BIGINT), whose values pass 2^31 — an instant always does.  The
// driver sends values as text, and "1796291657414" is out of range for an integer.
function narrowIds(sql, types) {
  const t = types ? types.split(', ') : [];
  const out = [];
  t.forEach((type, i) => {
    if (type !== 'integer') return;
    const p = `\\$${i + 1}(?!\\d)`;
    const col = '(?:\\w+\\.)?(id|\\w+_id|\\w+_at)';
    const re = new RegExp(`${col}\\s*(?:=|<>|<=|>=|<|>)\\s*${p}|${p}\\s*(?:=|<>|<=|>=|<|>)\\s*${col}(?!\\s*\\()`, 'g');
    const m = [...sql.matchAll(re)].map((x) => x[0]);
    if (m.length) out.push(`$${i + 1} (${m.join(', ')})`);
  });
  return out;
}

let k = 0;
const skipped = [];
for (const [sql, s] of stmts) {
  const what = `${s.traced ? '' : '[source only] '}${oneLine(sql)}`;
  const only = sqliteOnly(sql);
  const migration = s.via === 'exec' && sqliteMigrations.get(squash(sql));
  if (migration) { skipped.push(`migration ${migration} as the SQLite driver runs it (its PostgreSQL rendering was applied above): ${oneLine(sql, 60)}`); continue; }
  if (only) { skipped.push(`SQLite only, ${only[1]}: ${oneLine(sql, 90)}`); continue; }
  const driver = driverOnly(sql);
  if (driver) { skipped.push(`not preparable, ${driver[1]}: ${oneLine(sql, 90)}`); continue; }
  if (!schemaOk) { fail(what, 'not checked: the schema did not apply'); continue; }
  let r;
  if (/^\s*(CREATE|ALTER|DROP)\b/i.test(sql)) {
    // DDL the program runs itself (the migrations table): run it, and undo it.
    r = psql(`BEGIN;\n${sql};\nROLLBACK;\n`);
  } else {
    const name = `s${++k}`;
    r = psql(`PREPARE ${name} AS ${dollars(sql)};\nSELECT coalesce(array_to_string(parameter_types, ', '), '') FROM pg_prepared_statements WHERE name = '${name}';\n`);
  }
  const narrow = r.ok ? narrowIds(dollars(sql), r.out.trim()) : [];
  if (r.ok && narrow.length) {
    fail(what, `PostgreSQL infers a 32-bit integer for a parameter that holds a 64-bit id or instant (the first use of a
parameter decides its type: write the comparison with the column first, or CAST(? AS BIGINT)): ${narrow.join('; ')}\n${dollars(sql)}`);
  } else if (r.ok) {
    pass(what);
    if (verbose && r.out.trim()) console.log(`     parameters: ${r.out.trim()}`);
  } else {
    fail(what, `${r.err}\n${dollars(sql)}`);
  }
}
console.log('');
for (const s of skipped) console.log(`skip ${s}`);
console.log(`\npg: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
