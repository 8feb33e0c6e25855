/* Rendering records to JSON and describing them as JSON Schema, from their field declarations. */
#include "util/record.h"

#include <math.h>
#include <string.h>

#include "util/clock.h"

#define AT(rec, f, type) (*(const type *)((const char *)(rec) + (f)->off))
#define COUNT(rec, f) (*(const size_t *)((const char *)(rec) + (f)->count_off))

const char *enum_name(const char *const *names, int v)
{
	for (int i = 0; names && names[i]; i++)
		if (i == v)
			return names[i];
	return NULL;
}

int enum_parse(const char *const *names, const char *s)
{
	for (int i = 0; s && names && names[i]; i++)
		if (strcmp(names[i], s) == 0)
			return i;
	return -1;
}

static json_t *time_json(int64_t ms)
{
	if (!ms)
		return json_null();
	char buf[40];
	time_format_rfc3339(ms, buf, sizeof buf);
	return json_string(buf);
}

static json_t *cents_json(int64_t c)
{
	if (c % 100 == 0)
		return json_integer(c / 100);
	sbuf b;
	sbuf_init(&b);
	json_write_cents(&b, c);
	json_t *v = json_loadb(b.p, b.len, JSON_DECODE_ANY, NULL);
	sbuf_release(&b);
	return v ? v : json_real((double)c / 100.0);
}

static void render_into(json_t *o, const rdesc *d, const void *rec, unsigned view);

static json_t *field_json(const rfield *f, const void *rec, unsigned view)
{
	switch (f->kind) {
	case RK_ID: {
		int64_t v = AT(rec, f, int64_t);
		return v > 0 ? json_integer(v) : json_null();
	}
	case RK_INT: return json_integer(AT(rec, f, int64_t));
	case RK_SMALL: return json_integer(AT(rec, f, int));
	case RK_BOOL: return json_boolean(AT(rec, f, bool));
	case RK_STR:
	case RK_DATE: {
		const char *s = AT(rec, f, const char *);
		return s ? json_string(s) : json_null();
	}
	case RK_TIME: return time_json(AT(rec, f, int64_t));
	case RK_REAL: return json_real(AT(rec, f, double));
	case RK_CENTS: return cents_json(AT(rec, f, int64_t));
	case RK_ENUM: {
		const char *s = enum_name(f->names, AT(rec, f, int));
		return s ? json_string(s) : json_null();
	}
	case RK_IDS: {
		json_t *a = json_array();
		const int64_t *ids = AT(rec, f, const int64_t *);
		for (size_t i = 0; i < COUNT(rec, f); i++)
			json_array_append_new(a, json_integer(ids[i]));
		return a;
	}
	case RK_STRS: {
		json_t *a = json_array();
		const char *const *s = AT(rec, f, const char *const *);
		for (size_t i = 0; i < COUNT(rec, f); i++)
			json_array_append_new(a, json_string(s[i] ? s[i] : ""));
		return a;
	}
	case RK_OBJ: {
		const void *sub = AT(rec, f, const void *);
		return sub ? rec_json(f->sub, sub, view) : json_null();
	}
	case RK_LIST: {
		json_t *a = json_array();
		const char *base = AT(rec, f, const char *);
		for (size_t i = 0; i < COUNT(rec, f); i++)
			json_array_append_new(a, rec_json(f->sub, base + i * f->elem_size, view));
		return a;
	}
	case RK_INLINE: return rec_json(f->sub, (const char *)rec + f->off, view);
	case RK_EMBED: break;
	}
	return json_null();
}

static bool wanted(const rfield *f, unsigned view)
{
	if ((f->flags & RF_FULL) && !(view & RV_FULL))
		return false;
	if ((f->flags & RF_AUDIT) && (view & RV_AUDIT) != RV_AUDIT)
		return false;
	if ((f->flags & RF_NO_AUDIT) && (view & RV_AUDIT) == RV_AUDIT)
		return false;
	return true;
}

static void render_into(json_t *o, const rdesc *d, const void *rec, unsigned view)
{
	for (size_t i = 0; i < d->n; i++) {
		const rfield *f = &d->fields[i];
		if (!wanted(f, view))
			continue;
		if (f->kind == RK_EMBED) {
			render_into(o, f->sub, (const char *)rec + f->off, view);
			continue;
		}
		if (f->kind == RK_BOOL && (f->flags & RF_OMIT_FALSE) && !AT(rec, f, bool))
			continue;
		json_object_set_new(o, f->name, field_json(f, rec, view));
	}
}

json_t *rec_json(const rdesc *d, const void *rec, unsigned view)
{
	json_t *o = json_object();
	render_into(o, d, rec, view);
	return o;
}

/* ------------------------------------------------------------------ schema */

static json_t *ref_or_inline(const rdesc *d)
{
	if (d->name)
		return json_pack("{s:s+}", "$ref", "#/components/schemas/", d->name);
	return rec_schema(d);
}

static json_t *nullable(json_t *schema)
{
	return json_pack("{s:[o, {s:s}]}", "anyOf", schema, "type", "null");
}

static json_t *field_schema(const rfield *f)
{
	json_t *s;
	bool null_ok = (f->flags & RF_NULLABLE) != 0;
	switch (f->kind) {
	case RK_ID: s = json_pack("{s:s, s:i}", "type", "integer", "minimum", 1); null_ok = true; break;
	case RK_INT:
	case RK_SMALL: s = json_pack("{s:s}", "type", "integer"); break;
	case RK_BOOL: s = json_pack("{s:s}", "type", "boolean"); break;
	case RK_STR: s = json_pack("{s:s}", "type", "string"); null_ok = true; break;
	case RK_DATE: s = json_pack("{s:s, s:s}", "type", "string", "format", "date"); null_ok = true; break;
	case RK_TIME: s = json_pack("{s:s, s:s}", "type", "string", "format", "date-time"); null_ok = true; break;
	case RK_REAL:
	case RK_CENTS: s = json_pack("{s:s}", "type", "number"); break;
	case RK_ENUM: {
		json_t *e = json_array();
		for (int i = 0; f->names && f->names[i]; i++)
			json_array_append_new(e, json_string(f->names[i]));
		s = json_pack("{s:s, s:o}", "type", "string", "enum", e);
		break;
	}
	case RK_IDS: s = json_pack("{s:s, s:{s:s}}", "type", "array", "items", "type", "integer"); break;
	case RK_STRS: s = json_pack("{s:s, s:{s:s}}", "type", "array", "items", "type", "string"); break;
	case RK_OBJ: s = ref_or_inline(f->sub); null_ok = true; break;
	case RK_INLINE: s = ref_or_inline(f->sub); break;
	case RK_LIST: s = json_pack("{s:s, s:o}", "type", "array", "items", ref_or_inline(f->sub)); break;
	default: s = json_object(); break;
	}
	if (null_ok)
		s = nullable(s);
	if (f->doc)
		json_object_set_new(s, "description", json_string(f->doc));
	return s;
}

static void schema_into(json_t *props, json_t *req, const rdesc *d)
{
	for (size_t i = 0; i < d->n; i++) {
		const rfield *f = &d->fields[i];
		if (f->flags & RF_AUDIT)
			continue;
		if (f->kind == RK_EMBED) {
			schema_into(props, req, f->sub);
			continue;
		}
		json_object_set_new(props, f->name, field_schema(f));
		if (!(f->flags & (RF_FULL | RF_OMIT_FALSE)))
			json_array_append_new(req, json_string(f->name));
	}
}

json_t *rec_schema(const rdesc *d)
{
	json_t *props = json_object(), *req = json_array();
	schema_into(props, req, d);
	json_t *s = json_pack("{s:s, s:o, s:o}", "type", "object", "properties", props, "required", req);
	if (d->doc)
		json_object_set_new(s, "description", json_string(d->doc));
	return s;
}

/* ------------------------------------------------------------------ writing text */

void json_write_str(sbuf *b, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	sbuf_add(b, "\"", 1);
	const char *run = s;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		sbuf_add(b, run, (size_t)(s - run));
		run = s + 1;
		char esc[7] = {'\\', 0};
		size_t n = 2;
		switch (c) {
		case '"': esc[1] = '"'; break;
		case '\\': esc[1] = '\\'; break;
		case '\b': esc[1] = 'b'; break;
		case '\f': esc[1] = 'f'; break;
		case '\n': esc[1] = 'n'; break;
		case '\r': esc[1] = 'r'; break;
		case '\t': esc[1] = 't'; break;
		default:
			esc[1] = 'u', esc[2] = '0', esc[3] = '0', esc[4] = hex[c >> 4], esc[5] = hex[c & 15];
			n = 6;
		}
		sbuf_add(b, esc, n);
	}
	sbuf_add(b, run, (size_t)(s - run));
	sbuf_add(b, "\"", 1);
}

void json_write_int(sbuf *b, int64_t v)
{
	char buf[24], *p = buf + sizeof buf;
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		*--p = '-';
	sbuf_add(b, p, (size_t)(buf + sizeof buf - p));
}

void json_write_cents(sbuf *b, int64_t v)
{
	if (v < 0) {
		sbuf_add(b, "-", 1);
		v = -v;
	}
	json_write_int(b, v / 100);
	int frac = (int)(v % 100);
	if (frac) {
		char f[3] = {'.', (char)('0' + frac / 10), (char)('0' + frac % 10)};
		sbuf_add(b, f, frac % 10 ? 3 : 2);
	}
}

static void write_time(sbuf *b, int64_t ms)
{
	if (!ms) {
		sbuf_add(b, "null", 4);
		return;
	}
	char buf[40];
	time_format_rfc3339(ms, buf, sizeof buf);
	sbuf_add(b, "\"", 1);
	sbuf_adds(b, buf);
	sbuf_add(b, "\"", 1);
}

static void write_fields(sbuf *b, const rdesc *d, const void *rec, unsigned view, bool *first);

static void write_value(sbuf *b, const rfield *f, const void *rec, unsigned view)
{
	switch (f->kind) {
	case RK_ID: {
		int64_t v = AT(rec, f, int64_t);
		if (v > 0)
			json_write_int(b, v);
		else
			sbuf_add(b, "null", 4);
		return;
	}
	case RK_INT: json_write_int(b, AT(rec, f, int64_t)); return;
	case RK_SMALL: json_write_int(b, AT(rec, f, int)); return;
	case RK_BOOL: sbuf_adds(b, AT(rec, f, bool) ? "true" : "false"); return;
	case RK_STR:
	case RK_DATE: {
		const char *s = AT(rec, f, const char *);
		if (s)
			json_write_str(b, s);
		else
			sbuf_add(b, "null", 4);
		return;
	}
	case RK_TIME: write_time(b, AT(rec, f, int64_t)); return;
	case RK_REAL: sbuf_printf(b, "%.17g", AT(rec, f, double)); return;
	case RK_CENTS: json_write_cents(b, AT(rec, f, int64_t)); return;
	case RK_ENUM: {
		const char *s = enum_name(f->names, AT(rec, f, int));
		if (s)
			json_write_str(b, s);
		else
			sbuf_add(b, "null", 4);
		return;
	}
	case RK_IDS: {
		const int64_t *ids = AT(rec, f, const int64_t *);
		sbuf_add(b, "[", 1);
		for (size_t i = 0; i < COUNT(rec, f); i++) {
			if (i)
				sbuf_add(b, ",", 1);
			json_write_int(b, ids[i]);
		}
		sbuf_add(b, "]", 1);
		return;
	}
	case RK_STRS: {
		const char *const *s = AT(rec, f, const char *const *);
		sbuf_add(b, "[", 1);
		for (size_t i = 0; i < COUNT(rec, f); i++) {
			if (i)
				sbuf_add(b, ",", 1);
			json_write_str(b, s[i] ? s[i] : "");
		}
		sbuf_add(b, "]", 1);
		return;
	}
	case RK_OBJ: {
		const void *sub = AT(rec, f, const void *);
		if (sub)
			rec_write(b, f->sub, sub, view);
		else
			sbuf_add(b, "null", 4);
		return;
	}
	case RK_INLINE: rec_write(b, f->sub, (const char *)rec + f->off, view); return;
	case RK_LIST: {
		const char *base = AT(rec, f, const char *);
		sbuf_add(b, "[", 1);
		for (size_t i = 0; i < COUNT(rec, f); i++) {
			if (i)
				sbuf_add(b, ",", 1);
			rec_write(b, f->sub, base + i * f->elem_size, view);
		}
		sbuf_add(b, "]", 1);
		return;
	}
	case RK_EMBED: return;
	}
}

static void write_fields(sbuf *b, const rdesc *d, const void *rec, unsigned view, bool *first)
{
	for (size_t i = 0; i < d->n; i++) {
		const rfield *f = &d->fields[i];
		if (!wanted(f, view))
			continue;
		if (f->kind == RK_EMBED) {
			write_fields(b, f->sub, (const char *)rec + f->off, view, first);
			continue;
		}
		if (f->kind == RK_BOOL && (f->flags & RF_OMIT_FALSE) && !AT(rec, f, bool))
			continue;
		/* Field names are plain identifiers: written as they are, without escaping. */
		size_t n = strlen(f->name);
		sbuf_reserve(b, n + 4);
		char *p = b->p + b->len;
		if (!*first)
			*p++ = ',';
		*first = false;
		*p++ = '"';
		memcpy(p, f->name, n);
		p += n;
		*p++ = '"';
		*p++ = ':';
		b->len = (size_t)(p - b->p);
		write_value(b, f, rec, view);
	}
}

void rec_write(sbuf *b, const rdesc *d, const void *rec, unsigned view)
{
	bool first = true;
	sbuf_add(b, "{", 1);
	write_fields(b, d, rec, view, &first);
	sbuf_add(b, "}", 1);
}

int64_t rec_version(const rdesc *d, const void *rec)
{
	for (size_t i = 0; i < d->n; i++) {
		const rfield *f = &d->fields[i];
		if (f->kind == RK_EMBED) {
			int64_t v = rec_version(f->sub, (const char *)rec + f->off);
			if (v)
				return v;
		} else if (f->kind == RK_INT && strcmp(f->name, "version") == 0) {
			return AT(rec, f, int64_t);
		}
	}
	return 0;
}
