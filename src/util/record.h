/* Records described as data: each field's JSON name, kind and place in its C struct.  One declaration
 * renders a record as JSON (API answers, audit snapshots) and describes it as a JSON Schema (the
 * OpenAPI document), so the two cannot disagree. */
#ifndef LIAISON_UTIL_RECORD_H
#define LIAISON_UTIL_RECORD_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/str.h"

enum rkind {
	RK_ID,     /* int64_t; 0 renders null */
	RK_INT,    /* int64_t */
	RK_SMALL,  /* int */
	RK_BOOL,   /* bool */
	RK_STR,    /* const char *; NULL renders null */
	RK_DATE,   /* const char *, YYYY-MM-DD; NULL renders null */
	RK_TIME,   /* int64_t UTC ms; 0 renders null; RFC 3339 */
	RK_REAL,   /* double */
	RK_CENTS,  /* int64_t hundredths (money, person-days), rendered as a number with two decimals at most */
	RK_ENUM,   /* int index into `names` (NULL-terminated); out of range renders null */
	RK_IDS,    /* int64_t * with its size_t count at count_off */
	RK_STRS,   /* const char ** with its size_t count at count_off */
	RK_OBJ,    /* const void * to a record described by `sub`; NULL renders null */
	RK_LIST,   /* array of records described by `sub`, elem_size bytes each, count at count_off */
	RK_EMBED,  /* a record described by `sub` stored inline: its fields are rendered into this object */
	RK_INLINE, /* a record described by `sub` stored inline, rendered as a nested object */
};

/* Field flags. */
enum {
	RF_FULL = 1,      /* only in the full view of a resource (its own page), not in lists */
	RF_AUDIT = 2,     /* only in audit snapshots */
	RF_NO_AUDIT = 4,  /* never in audit snapshots (computed for the viewer) */
	RF_NULLABLE = 8,  /* may render null (set for you on RK_ID, RK_STR, RK_DATE, RK_TIME, RK_OBJ) */
	RF_OMIT_FALSE = 16, /* RK_BOOL: left out when false */
};

/* Views passed to rec_json: which flagged fields to include. */
enum { RV_LIST = 0, RV_FULL = 1, RV_AUDIT = 2 | 1 };

typedef struct rdesc rdesc;

typedef struct rfield {
	const char *name;
	enum rkind kind;
	size_t off;
	size_t count_off;            /* RK_IDS, RK_STRS, RK_LIST */
	const char *const *names;    /* RK_ENUM */
	const rdesc *sub;            /* RK_OBJ, RK_LIST, RK_EMBED */
	size_t elem_size;            /* RK_LIST */
	unsigned flags;
	const char *doc;             /* one line for the schema */
} rfield;

struct rdesc {
	const char *name;            /* schema name in the OpenAPI document, e.g. "Request" */
	const rfield *fields;
	size_t n;
	const char *doc;
};

#define RDESC(name_, fields_, doc_) {name_, fields_, sizeof(fields_) / sizeof((fields_)[0]), doc_}

/* The record as a new JSON object (caller owns).  view selects flagged fields (RV_*). */
json_t *rec_json(const rdesc *d, const void *rec, unsigned view);
/* The same JSON, written straight to b as compact text (what answers use: no tree is built). */
void rec_write(sbuf *b, const rdesc *d, const void *rec, unsigned view);
/* The record's "version" field (searched through embedded records), 0 when it has none. */
int64_t rec_version(const rdesc *d, const void *rec);

/* Compact JSON text, for writers: a string (escaped as jansson does), an integer, hundredths. */
void json_write_str(sbuf *b, const char *s);
void json_write_int(sbuf *b, int64_t v);
void json_write_cents(sbuf *b, int64_t v);
/* A JSON Schema of the record (caller owns); the full view, without audit-only fields.  Nested records
 * are referenced as "#/components/schemas/<name>" when they have a name, else inlined. */
json_t *rec_schema(const rdesc *d);

/* Name of value v in a NULL-terminated list of names; NULL when out of range. */
const char *enum_name(const char *const *names, int v);
/* Index of s in a NULL-terminated list of names; -1 when absent. */
int enum_parse(const char *const *names, const char *s);

#endif
