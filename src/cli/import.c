/* liaison import org: the organisation from a CSV file (as Excel saves it), all or nothing.
 *
 * The file is read whole, decoded (UTF-8 with or without BOM; anything else is taken for GBK/GB18030
 * and converted with iconv), split into records by libcsv, then applied inside ONE transaction through
 * the same operations the API uses (dept_create, user_create, dept_update, dept_set_liaisons).  The
 * first bad row rolls everything back and is reported as `line N, column "C": why`.  The format is
 * described in docs/import-format.md. */
#include <csv.h>
#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ops/org.h"
#include "cli/cli.h"
#include "store/org.h"
#include "util/log.h"
#include "util/str.h"

enum { IMPORT_MAX_BYTES = 64 << 20, IMPORT_MAX_LIAISONS = 50 };

/* ------------------------------------------------------------------ columns */

enum col {
	C_DEPT,
	C_PARENT,
	C_LOGIN,
	C_NAME,
	C_EMAIL,
	C_HEAD,
	C_LIAISON,
	C_COORD,
	C_ADMIN,
	C_CLEAR,
	C_PASSWORD,
	C_COUNT
};

/* The canonical names first, in the order of enum col (messages use col_names[col]), then the
 * Chinese headers a person is likely to type. */
static const struct {
	enum col col;
	const char *name;
} col_names[] = {
	{C_DEPT, "department"},   {C_PARENT, "parent_department"}, {C_LOGIN, "login"},
	{C_NAME, "name"},         {C_EMAIL, "email"},              {C_HEAD, "is_head"},
	{C_LIAISON, "is_liaison"}, {C_COORD, "is_coordinator"},    {C_ADMIN, "is_admin"},
	{C_CLEAR, "clearance"},   {C_PASSWORD, "password"},
	{C_DEPT, "部门"},         {C_PARENT, "上级部门"},          {C_LOGIN, "登录名"},
	{C_LOGIN, "账号"},        {C_NAME, "姓名"},                {C_EMAIL, "邮箱"},
	{C_HEAD, "负责人"},       {C_HEAD, "部门负责人"},          {C_LIAISON, "联络人"},
	{C_LIAISON, "部门联络人"}, {C_COORD, "协调人"},            {C_ADMIN, "管理员"},
	{C_CLEAR, "密级"},        {C_PASSWORD, "密码"},
};

/* Spaces, '-' and '_' do not count: "Parent Department", "parent-department", "E-Mail" and
 * "IS_HEAD" name parent_department, email and is_head. */
static bool header_eq(const char *h, const char *name)
{
	for (;;) {
		while (*h == ' ' || *h == '-' || *h == '_')
			h++;
		while (*name == '_')
			name++;
		if (!*h || !*name)
			return !*h && !*name;
		if (tolower((unsigned char)*h) != tolower((unsigned char)*name))
			return false;
		h++, name++;
	}
}

static int col_lookup(const char *h)
{
	for (size_t i = 0; i < sizeof col_names / sizeof col_names[0]; i++)
		if (header_eq(h, col_names[i].name))
			return (int)col_names[i].col;
	return -1;
}

/* ------------------------------------------------------------------ reading the file */

typedef struct row {
	int line;     /* physical line where the record starts (the header is line 1) */
	char **f;
	size_t n;
} row;

typedef struct reader {
	row *rows;
	size_t n, cap;
	char **cur;
	size_t cur_n, cur_cap;
	int cur_line;
	int line;     /* the line being fed to the parser */
	bool nomem;
} reader;

/* Line breaks inside s: LF, CRLF or a lone CR each count once. */
static int count_breaks(const char *s, size_t n)
{
	int k = 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] == '\n' || (s[i] == '\r' && (i + 1 == n || s[i + 1] != '\n')))
			k++;
	return k;
}

static void on_field(void *s, size_t len, void *data)
{
	reader *r = data;
	if (r->cur_n == r->cur_cap) {
		size_t cap = r->cur_cap ? r->cur_cap * 2 : 16;
		char **p = realloc(r->cur, cap * sizeof *p);
		if (!p) {
			r->nomem = true;
			return;
		}
		r->cur = p;
		r->cur_cap = cap;
	}
	char *v = malloc(len + 1);
	if (!v) {
		r->nomem = true;
		return;
	}
	if (len)
		memcpy(v, s, len);
	v[len] = 0;
	/* A quoted field may span lines: the record started as many lines earlier as its first field holds. */
	if (r->cur_n == 0)
		r->cur_line = r->line - count_breaks(v, len);
	r->cur[r->cur_n++] = v;
}

static void on_record(int c, void *data)
{
	(void)c;
	reader *r = data;
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 64;
		row *p = realloc(r->rows, cap * sizeof *p);
		if (!p) {
			r->nomem = true;
			return;
		}
		r->rows = p;
		r->cap = cap;
	}
	r->rows[r->n++] = (row){r->cur_line, r->cur, r->cur_n};
	r->cur = NULL;
	r->cur_n = r->cur_cap = 0;
}

static void reader_free(reader *r)
{
	for (size_t i = 0; i < r->n; i++) {
		for (size_t j = 0; j < r->rows[i].n; j++)
			free(r->rows[i].f[j]);
		free(r->rows[i].f);
	}
	for (size_t j = 0; j < r->cur_n; j++)
		free(r->cur[j]);
	free(r->cur);
	free(r->rows);
}

static int line_of(const char *s, size_t off)
{
	return 1 + count_breaks(s, off);
}

/* Converts GB18030 (a superset of GBK and GB2312) to UTF-8.  NULL on a byte sequence that is not
 * GB18030, with *bad at its offset. */
static char *gbk_to_utf8(const char *in, size_t n, size_t *outn, size_t *bad)
{
	iconv_t cd = iconv_open("UTF-8", "GB18030");
	if (cd == (iconv_t)-1) {
		*bad = 0;
		return NULL;
	}
	size_t cap = n * 2 + 16;
	char *out = malloc(cap + 1);
	char *ip = (char *)in, *op = out;
	size_t il = n, ol = cap;
	while (out && il > 0) {
		if (iconv(cd, &ip, &il, &op, &ol) != (size_t)-1)
			continue;
		if (errno == E2BIG) {
			size_t used = (size_t)(op - out);
			char *p = realloc(out, cap * 2 + 1);
			if (!p)
				break;
			out = p;
			cap *= 2;
			op = out + used;
			ol = cap - used;
			continue;
		}
		*bad = (size_t)(ip - in);  /* EILSEQ, or EINVAL: a sequence cut off at the end */
		free(out);
		out = NULL;
	}
	if (out && il > 0) {  /* out of memory while growing */
		free(out);
		out = NULL;
		*bad = (size_t)(ip - in);
	}
	iconv_close(cd);
	if (out) {
		*outn = (size_t)(op - out);
		out[*outn] = 0;
	}
	return out;
}

static char *read_all(FILE *f, size_t *n, bool *too_big)
{
	size_t cap = 1 << 16, len = 0;
	char *buf = malloc(cap + 1);
	*too_big = false;
	while (buf) {
		if (len == cap) {
			if (cap >= IMPORT_MAX_BYTES) {
				*too_big = true;
				free(buf);
				return NULL;
			}
			char *p = realloc(buf, cap * 2 + 1);
			if (!p)
				break;
			buf = p;
			cap *= 2;
		}
		size_t k = fread(buf + len, 1, cap - len, f);
		if (k == 0)
			break;
		len += k;
	}
	if (!buf || ferror(f)) {
		free(buf);
		return NULL;
	}
	buf[len] = 0;
	*n = len;
	return buf;
}

/* Reads, decodes and splits the file into records.  0, or 1 after printing why not. */
static int load(const char *path, reader *r)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "liaison import: cannot open %s: %s\n", path, strerror(errno));
		return 1;
	}
	size_t n = 0;
	bool too_big;
	char *raw = read_all(f, &n, &too_big);
	int err = errno;
	if (f != stdin)
		fclose(f);
	if (!raw) {
		if (too_big)
			fprintf(stderr, "liaison import: %s is larger than %d MiB\n", path, IMPORT_MAX_BYTES >> 20);
		else
			fprintf(stderr, "liaison import: cannot read %s: %s\n", path, strerror(err));
		return 1;
	}
	if (n >= 2 && (((unsigned char)raw[0] == 0xFF && (unsigned char)raw[1] == 0xFE) ||
		       ((unsigned char)raw[0] == 0xFE && (unsigned char)raw[1] == 0xFF))) {
		fprintf(stderr, "liaison import: %s is UTF-16 text; save it as \"CSV UTF-8\" (or plain CSV) instead\n",
			path);
		free(raw);
		return 1;
	}
	const char *nul = memchr(raw, 0, n);
	if (nul) {
		fprintf(stderr, "liaison import: line %d: the file holds a NUL byte; it is not a CSV text file\n",
			line_of(raw, (size_t)(nul - raw)));
		free(raw);
		return 1;
	}
	char *text = raw;
	size_t len = n;
	if (!utf8_valid(raw, n)) {
		size_t bad = 0;
		text = gbk_to_utf8(raw, n, &len, &bad);
		if (!text) {
			fprintf(stderr,
				"liaison import: line %d: the file is neither UTF-8 nor GBK (byte 0x%02X at offset %zu cannot be "
				"read); save it as \"CSV UTF-8\"\n",
				line_of(raw, bad), bad < n ? (unsigned char)raw[bad] : 0, bad);
			free(raw);
			return 1;
		}
		free(raw);
	}
	size_t bom = utf8_bom_len(text, len);

	struct csv_parser p;
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
		fprintf(stderr, "liaison import: out of memory\n");
		free(text);
		return 1;
	}
	int rc = 0;
	r->line = 1;
	/* Fed one physical line at a time so that every record knows the line it starts on. */
	for (size_t pos = bom; pos < len && !rc; r->line++) {
		size_t end = pos;
		while (end < len && text[end] != '\n' && text[end] != '\r')
			end++;
		if (end < len)
			end += text[end] == '\r' && end + 1 < len && text[end + 1] == '\n' ? 2 : 1;
		if (csv_parse(&p, text + pos, end - pos, on_field, on_record, r) != end - pos) {
			fprintf(stderr, "liaison import: line %d: the CSV cannot be read (%s); check the quotes on this line\n",
				r->line, csv_strerror(csv_error(&p)));
			rc = 1;
		}
		pos = end;
	}
	if (!rc) {
		r->line--;
		if (csv_fini(&p, on_field, on_record, r) != 0) {
			fprintf(stderr, "liaison import: line %d: a quoted field is not closed by the end of the file\n",
				r->line > 0 ? r->line : 1);
			rc = 1;
		}
	}
	if (!rc && r->nomem) {
		fprintf(stderr, "liaison import: out of memory\n");
		rc = 1;
	}
	csv_free(&p);
	free(text);
	return rc;
}

/* ------------------------------------------------------------------ the rows */

typedef struct dnode {
	const char *name;    /* borrowed from the rows */
	const char *parent;  /* NULL: not given on any row */
	int line;            /* first row that names the department */
	int parent_line;     /* row that gives the parent */
	int64_t id;
	int state;           /* 0 unresolved, 1 being resolved, 2 resolved */
	int64_t head;        /* user to make head, 0 none */
	int head_line;
	int64_t liaisons[IMPORT_MAX_LIAISONS];
	int liaison_lines[IMPORT_MAX_LIAISONS];
	size_t n_liaisons;
} dnode;

typedef struct importer {
	db *d;
	op_ctx *c;                   /* every change goes through the operations, in one transaction */
	reader *r;
	int col[C_COUNT];            /* index of each column in a row, -1 when the header lacks it */
	char *header[C_COUNT];       /* the header text as written, for messages */
	dnode *depts;
	size_t n_depts;
	int64_t made_depts, reused_depts, made_users;
	/* the error, once there is one */
	int err_line;
	char err_col[80];
	char err_msg[400];
} importer;

static int fail(importer *im, int line, int col, const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int fail(importer *im, int line, int col, const char *fmt, ...)
{
	im->err_line = line;
	im->err_col[0] = 0;
	if (col >= 0)
		snprintf(im->err_col, sizeof im->err_col, "%s",
			 im->header[col] ? im->header[col] : col_names[col].name);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(im->err_msg, sizeof im->err_msg, fmt, ap);
	va_end(ap);
	return 1;
}

/* The column an operation's field came from. */
static int field_col(const char *field, bool dept_op)
{
	static const struct {
		const char *field;
		int col;
	} map[] = {
		{"login", C_LOGIN},        {"email", C_EMAIL},           {"password", C_PASSWORD},
		{"clearance", C_CLEAR},    {"is_admin", C_ADMIN},        {"is_coordinator", C_COORD},
		{"department_id", C_DEPT}, {"parent_id", C_PARENT},      {"head_user_id", C_HEAD},
		{"user_ids", C_LIAISON},
	};
	if (!field || !*field)
		return -1;
	if (strcmp(field, "name") == 0)
		return dept_op ? C_DEPT : C_NAME;
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (strcmp(field, map[i].field) == 0)
			return map[i].col;
	return -1;
}

static int fail_op(importer *im, int line, const lerr *e, bool dept_op, int col_if_none)
{
	int col = field_col(e->field, dept_op);
	return fail(im, line, col >= 0 ? col : col_if_none, "%s", e->detail[0] ? e->detail : "the change was refused");
}

static const char *cell(const importer *im, const row *rw, int col)
{
	int i = im->col[col];
	return i >= 0 && (size_t)i < rw->n ? rw->f[i] : "";
}

static bool row_blank(const row *rw)
{
	for (size_t i = 0; i < rw->n; i++)
		if (rw->f[i][0])
			return false;
	return true;
}

/* 1/0, yes/no, true/false, y/n, 是/否; empty is no.  -1 when none of those. */
static int parse_flag(const char *s)
{
	static const char *const yes[] = {"1", "yes", "y", "true", "是", "√", "✓"};
	static const char *const no[] = {"", "0", "no", "n", "false", "否"};
	for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
		if (str_ieq(s, yes[i]))
			return 1;
	for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
		if (str_ieq(s, no[i]))
			return 0;
	return -1;
}

/* The stored name of a clearance given in English (any case) or Chinese; NULL when unknown. */
static const char *parse_clearance(const char *s)
{
	static const char *const en[] = {"public", "internal", "confidential", "secret"};
	static const char *const zh[] = {"公开", "内部", "秘密", "机密"};
	for (int i = 0; i < 4; i++)
		if (str_ieq(s, en[i]) || strcmp(s, zh[i]) == 0)
			return en[i];
	return NULL;
}

static dnode *dept_find(importer *im, const char *name)
{
	for (size_t i = 0; i < im->n_depts; i++)
		if (strcmp(im->depts[i].name, name) == 0)
			return &im->depts[i];
	return NULL;
}

/* The id of a department named in the file: found in the store (same name under the same parent), or
 * created, after its parent.  0 after fail(). */
static int64_t dept_resolve(importer *im, dnode *dn)
{
	if (dn->state == 2)
		return dn->id;
	if (dn->state == 1) {
		fail(im, dn->parent_line, C_PARENT, "departments \"%s\" and \"%s\" are each other's parent (a cycle)",
		     dn->name, dn->parent);
		return 0;
	}
	dn->state = 1;
	int64_t parent = 0, id = 0;
	if (dn->parent) {
		dnode *pn = dept_find(im, dn->parent);
		if (pn) {
			if (!(parent = dept_resolve(im, pn)))
				return 0;
		} else {
			int k = org_dept_count_by_name(im->d, dn->parent, &parent);
			if (k == 0) {
				fail(im, dn->parent_line, C_PARENT,
				     "there is no department \"%s\" in the file or in the store", dn->parent);
				return 0;
			}
			if (k > 1) {
				fail(im, dn->parent_line, C_PARENT,
				     "the store has several departments named \"%s\"; cannot tell which one is meant",
				     dn->parent);
				return 0;
			}
		}
		id = org_dept_find_by_name(im->d, dn->name, parent);
	} else {
		/* No parent on any row: a top-level department of that name, else the only one of that name
		 * anywhere, else a new top-level department. */
		id = org_dept_find_by_name(im->d, dn->name, 0);
		if (!id && org_dept_count_by_name(im->d, dn->name, &id) > 1) {
			fail(im, dn->line, C_PARENT,
			     "the store has several departments named \"%s\"; give its parent_department", dn->name);
			return 0;
		}
	}
	if (id) {
		im->reused_depts++;
	} else {
		dept_in in = {DEPT_IN_NAME | DEPT_IN_PARENT, dn->name, parent, 0};
		department out;
		lerr e = {0};
		int rc = op_dept_create(im->c, &in, &out, &e);
		if (rc) {
			if (strcmp(e.field, "parent_id") == 0)
				fail_op(im, dn->parent_line, &e, true, C_PARENT);
			else
				fail_op(im, dn->line, &e, true, C_DEPT);
			return 0;
		}
		id = out.id;
		im->made_depts++;
	}
	dn->id = id;
	dn->state = 2;
	return id;
}

static int read_header(importer *im, const row *h)
{
	for (int c = 0; c < C_COUNT; c++)
		im->col[c] = -1;
	for (size_t i = 0; i < h->n; i++) {
		char *name = str_trim(h->f[i]);
		if (!*name) {
			if (i + 1 == h->n || row_blank(&(row){0, h->f + i, h->n - i}))
				break;  /* trailing empty cells, as Excel writes them */
			return fail(im, h->line, -1, "column %zu of the header has no name", i + 1);
		}
		int c = col_lookup(name);
		if (c < 0)
			return fail(im, h->line, -1,
				    "unknown column \"%s\"; the columns are department, parent_department, login, name, email, "
				    "is_head, is_liaison, is_coordinator, is_admin, clearance, password",
				    name);
		if (im->col[c] >= 0)
			return fail(im, h->line, -1, "column \"%s\" appears twice (also as \"%s\")", name, im->header[c]);
		im->col[c] = (int)i;
		im->header[c] = name;
	}
	if (im->col[C_DEPT] < 0)
		return fail(im, h->line, -1, "the header has no \"department\" column");
	return 0;
}

/* Checks a row's shape and collects the departments it names, with their parents. */
static int collect_depts(importer *im, const row *rw)
{
	size_t width = 0;
	for (int c = 0; c < C_COUNT; c++)
		if (im->col[c] >= 0 && (size_t)im->col[c] + 1 > width)
			width = (size_t)im->col[c] + 1;
	for (size_t i = width; i < rw->n; i++)
		if (rw->f[i][0])
			return fail(im, rw->line, -1, "the row has a value in column %zu, but the header has only %zu columns",
				    i + 1, width);
	const char *name = cell(im, rw, C_DEPT), *parent = cell(im, rw, C_PARENT);
	if (!*name)
		return fail(im, rw->line, C_DEPT, "department must not be empty");
	if (*parent && strcmp(parent, name) == 0)
		return fail(im, rw->line, C_PARENT, "a department cannot be its own parent");
	dnode *dn = dept_find(im, name);
	if (!dn) {
		dnode *p = realloc(im->depts, (im->n_depts + 1) * sizeof *p);
		if (!p)
			return fail(im, rw->line, -1, "out of memory");
		im->depts = p;
		dn = &im->depts[im->n_depts++];
		*dn = (dnode){.name = name, .line = rw->line};
	}
	if (*parent) {
		if (!dn->parent) {
			dn->parent = parent;
			dn->parent_line = rw->line;
		} else if (strcmp(dn->parent, parent) != 0) {
			return fail(im, rw->line, C_PARENT, "department \"%s\" was given the parent \"%s\" on line %d",
				    name, dn->parent, dn->parent_line);
		}
	}
	return 0;
}

/* The user on a row, if any, and their roles. */
static int import_row(importer *im, const row *rw)
{
	dnode *dn = dept_find(im, cell(im, rw, C_DEPT));
	int64_t dept = dept_resolve(im, dn);
	if (!dept)
		return 1;
	const char *login = cell(im, rw, C_LOGIN);
	int flags[C_COUNT] = {0};
	static const int flag_cols[] = {C_HEAD, C_LIAISON, C_COORD, C_ADMIN};
	for (size_t i = 0; i < sizeof flag_cols / sizeof flag_cols[0]; i++) {
		int c = flag_cols[i];
		if ((flags[c] = parse_flag(cell(im, rw, c))) < 0)
			return fail(im, rw->line, c, "\"%s\" is not one of 1/0, yes/no, true/false, 是/否", cell(im, rw, c));
	}
	if (!*login) {
		static const int user_cols[] = {C_NAME, C_EMAIL, C_HEAD, C_LIAISON, C_COORD, C_ADMIN, C_CLEAR, C_PASSWORD};
		for (size_t i = 0; i < sizeof user_cols / sizeof user_cols[0]; i++) {
			int c = user_cols[i];
			const char *v = cell(im, rw, c);
			bool set = c == C_HEAD || c == C_LIAISON || c == C_COORD || c == C_ADMIN ? flags[c] == 1 : *v != 0;
			if (set)
				return fail(im, rw->line, c, "a person needs a login: this row has \"%s\" but no login", v);
		}
		return 0;  /* a row that only names a department */
	}
	const char *clearance = NULL, *raw = cell(im, rw, C_CLEAR);
	if (*raw && !(clearance = parse_clearance(raw)))
		return fail(im, rw->line, C_CLEAR,
			    "\"%s\" is not a clearance; say public, internal, confidential, secret (or 公开, 内部, 秘密, 机密)",
			    raw);
	user_in in = {USER_IN_LOGIN | USER_IN_ADMIN | USER_IN_COORDINATOR | USER_IN_DEPARTMENT, .login = login,
		      .is_admin = flags[C_ADMIN], .is_coordinator = flags[C_COORD], .department_id = dept};
	if (*cell(im, rw, C_NAME)) {
		in.set |= USER_IN_NAME;
		in.name = cell(im, rw, C_NAME);
	}
	if (*cell(im, rw, C_EMAIL)) {
		in.set |= USER_IN_EMAIL;
		in.email = cell(im, rw, C_EMAIL);
	}
	if (*cell(im, rw, C_PASSWORD)) {
		in.set |= USER_IN_PASSWORD;
		in.password = cell(im, rw, C_PASSWORD);
	}
	if (clearance) {
		in.set |= USER_IN_CLEARANCE;
		in.clearance = clearance_parse(clearance);
	}
	user out;
	lerr e = {0};
	int rc = op_user_create(im->c, &in, &out, &e);
	if (rc) {
		if (strcmp(e.code, "duplicate") == 0 && strcmp(e.field, "login") == 0) {
			/* Say where in the file, when the other one came from an earlier row. */
			for (size_t i = 1; i < im->r->n && im->r->rows[i].line < rw->line; i++)
				if (strcmp(cell(im, &im->r->rows[i], C_LOGIN), login) == 0)
					return fail(im, rw->line, C_LOGIN, "login \"%s\" is already used on line %d", login,
						    im->r->rows[i].line);
			return fail(im, rw->line, C_LOGIN, "a user with login \"%s\" already exists", login);
		}
		return fail_op(im, rw->line, &e, false, -1);
	}
	int64_t uid = out.id;
	im->made_users++;
	if (flags[C_HEAD]) {
		if (dn->head)
			return fail(im, rw->line, C_HEAD, "department \"%s\" already has a head on line %d", dn->name,
				    dn->head_line);
		dn->head = uid;
		dn->head_line = rw->line;
	}
	if (flags[C_LIAISON]) {
		if (dn->n_liaisons == IMPORT_MAX_LIAISONS)
			return fail(im, rw->line, C_LIAISON, "department \"%s\" has more than %d liaisons", dn->name,
				    IMPORT_MAX_LIAISONS);
		dn->liaison_lines[dn->n_liaisons] = rw->line;
		dn->liaisons[dn->n_liaisons++] = uid;
	}
	return 0;
}

/* Heads and liaisons, once every member exists.  Liaisons already named in the store are kept. */
static int apply_roles(importer *im, dnode *dn)
{
	lerr e = {0};
	department cur;
	if (dn->head) {
		if (org_dept_load(im->d, im->c->a, dn->id, &cur) != DB_ROW)
			return fail(im, dn->head_line, C_HEAD, "department \"%s\" could not be read", dn->name);
		dept_in in = {DEPT_IN_HEAD, .head_user_id = dn->head};
		if (op_dept_update(im->c, dn->id, cur.version, &in, &cur, &e))
			return fail_op(im, dn->head_line, &e, true, C_HEAD);
	}
	if (dn->n_liaisons) {
		if (org_dept_load(im->d, im->c->a, dn->id, &cur) != DB_ROW)
			return fail(im, dn->liaison_lines[0], C_LIAISON, "department \"%s\" could not be read", dn->name);
		int64_t *ids = arena_alloc(im->c->a, (cur.nliaisons + dn->n_liaisons) * sizeof *ids);
		size_t n = cur.nliaisons;
		if (n)
			memcpy(ids, cur.liaisons, n * sizeof *ids);
		for (size_t i = 0; i < dn->n_liaisons; i++) {
			bool have = false;
			for (size_t j = 0; j < n; j++)
				have |= ids[j] == dn->liaisons[i];
			if (!have)
				ids[n++] = dn->liaisons[i];
		}
		if (n > IMPORT_MAX_LIAISONS)
			return fail(im, dn->liaison_lines[dn->n_liaisons - 1], C_LIAISON,
				    "department \"%s\" would have more than %d liaisons", dn->name, IMPORT_MAX_LIAISONS);
		liaisons_in in = {1, ids, n};
		if (op_dept_set_liaisons(im->c, dn->id, cur.version, &in, &cur, &e))
			return fail_op(im, dn->liaison_lines[0], &e, true, C_LIAISON);
	}
	return 0;
}

static int run_import(importer *im)
{
	reader *r = im->r;
	if (r->n == 0)
		return fail(im, 1, -1, "the file is empty; the first row must name the columns");
	for (size_t i = 0; i < r->n; i++)
		for (size_t j = 0; j < r->rows[i].n; j++)
			str_trim(r->rows[i].f[j]);
	if (read_header(im, &r->rows[0]))
		return 1;
	for (size_t i = 1; i < r->n; i++)
		if (!row_blank(&r->rows[i]) && collect_depts(im, &r->rows[i]))
			return 1;
	for (size_t i = 1; i < r->n; i++)
		if (!row_blank(&r->rows[i]) && import_row(im, &r->rows[i]))
			return 1;
	/* Departments named only in rows without people are still resolved (and created). */
	for (size_t i = 0; i < im->n_depts; i++)
		if (!dept_resolve(im, &im->depts[i]))
			return 1;
	for (size_t i = 0; i < im->n_depts; i++)
		if (apply_roles(im, &im->depts[i]))
			return 1;
	return 0;
}

static const char *plural(int64_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

int cmd_import(int argc, char **argv)
{
	if (cli_help("import", argc, argv))
		return 0;
	if (argc < 2 || strcmp(argv[1], "org") != 0)
		return cli_fail("import", "say what to import: 'liaison import org --db PATH FILE.csv'");
	const char *url = NULL, *file = NULL;
	bool bad = false;
	for (int i = 2; i < argc; i++) {
		if (cli_opt(argc, argv, &i, "--db", &url, &bad))
			continue;
		if (argv[i][0] == '-' && argv[i][1] != 0)
			return cli_fail("import", "unknown argument '%s'", argv[i]);
		if (file)
			return cli_fail("import", "one file at a time: '%s' is a second file", argv[i]);
		file = argv[i];
	}
	if (bad)
		return 2;
	if (!file)
		return cli_fail("import", "FILE.csv is required");
	if (!cli_db_url(url))
		return cli_fail("import", "--db is required (or set $LIAISON_DB)");

	reader r = {0};
	int rc = load(file, &r);
	if (rc) {
		reader_free(&r);
		return rc;
	}
	db *d;
	if ((rc = cli_open("import", cli_db_url(url), &d))) {
		reader_free(&r);
		return rc;
	}
	log_set_quiet(1);
	arena *a = arena_new();
	op_ctx c;
	op_init(&c, d, &op_cli_principal, a);
	importer im = {.d = d, .c = &c, .r = &r};
	lerr e = {0};
	/* One transaction around the whole file: a bad row leaves the store as it was. */
	if (op_begin(&c, &e)) {
		fprintf(stderr, "liaison import: %s\n", e.detail);
		rc = 1;
	} else if (op_end(&c, run_import(&im) ? LERR_INVALID : 0, &e)) {
		if (im.err_msg[0] && im.err_col[0])
			fprintf(stderr, "liaison import: line %d, column \"%s\": %s\n", im.err_line, im.err_col, im.err_msg);
		else if (im.err_msg[0])
			fprintf(stderr, "liaison import: line %d: %s\n", im.err_line, im.err_msg);
		else
			fprintf(stderr, "liaison import: %s\n", e.detail);
		fprintf(stderr, "liaison import: nothing was imported\n");
		rc = 1;
	} else {
		printf("imported %lld %s, %lld %s\n", (long long)im.made_depts,
		       plural(im.made_depts, "department", "departments"), (long long)im.made_users,
		       plural(im.made_users, "user", "users"));
		if (im.reused_depts)
			printf("%lld existing %s reused\n", (long long)im.reused_depts,
			       plural(im.reused_depts, "department was", "departments were"));
	}
	free(im.depts);
	op_release(&c);
	arena_free(a);
	reader_free(&r);
	db_close(d);
	return rc;
}
