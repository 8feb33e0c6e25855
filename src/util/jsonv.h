/* Checking JSON input against a list of fields: unknown fields, types, required, lengths. */
#ifndef LIAISON_UTIL_JSONV_H
#define LIAISON_UTIL_JSONV_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/arena.h"
#include "util/err.h"

enum jf_type {
	JF_STRING, /* max = characters */
	JF_INT,    /* min..max when max > min */
	JF_NUMBER,
	JF_BOOL,
	JF_ID,     /* positive integer, or null when JF_NULLABLE */
	JF_IDS,    /* array of positive integers, at most max (0: 1000), no duplicates */
	JF_ARRAY,  /* at most max items (0: 1000) */
	JF_OBJECT,
	JF_ENUM,    /* a string among `values`; decodes to its index (int) */
	JF_STRINGS, /* array of strings, at most max (0: 1000); decodes to const char ** + count */
	JF_ENUMS,   /* several of `values` (at most 32): an array in JSON; in a query, comma-separated and/or
		     * the parameter repeated; decodes to an unsigned with bit i set for values[i] */
};

enum { JF_REQUIRED = 1, JF_NULLABLE = 2 };

/* One input field.  With `off` (and `bit`), jsonv_decode copies the value into a typed input struct:
 * JF_STRING → const char * (pointing into the JSON, which must outlive the struct), JF_INT and JF_ID →
 * int64_t (null → 0), JF_NUMBER → double, JF_BOOL → bool, JF_ENUM → int (null → -1), JF_IDS → int64_t *
 * and JF_STRINGS → const char ** (both allocated in the arena, with a size_t count at count_off), JF_ENUMS →
 * unsigned (a bit per value).  Every
 * input struct begins with `unsigned set`, into which the bit of each field present in the JSON is OR-ed. */
typedef struct jfield {
	const char *name;
	enum jf_type type;
	unsigned flags;
	int64_t min, max;
	size_t off;                /* where the value goes in the input struct */
	size_t count_off;          /* JF_IDS, JF_STRINGS: where the count goes */
	unsigned bit;              /* presence bit */
	const char *const *values; /* JF_ENUM: allowed values, NULL-terminated */
	const char *doc;           /* one line for the OpenAPI document */
} jfield;

/* Checks that `in` is an object whose members are all in spec, each of the right type and size,
 * and that required ones are present (strings non-empty after trimming).  Fails with 422 naming the field. */
int jsonv_check(json_t *in, const jfield *spec, size_t n, lerr *e);
#define JSONV_CHECK(in, spec, e) jsonv_check((in), (spec), sizeof(spec) / sizeof((spec)[0]), (e))

/* Checks `in` (as jsonv_check) and then decodes it into `out` (see jfield).  Fails as jsonv_check. */
int jsonv_decode(json_t *in, const jfield *spec, size_t n, void *out, arena *a, lerr *e);
/* A JSON Schema object for a field list (the request body of a route); caller owns. */
json_t *jsonv_schema(const jfield *spec, size_t n);

/* Accessors for members that jsonv_check has accepted. */
const char *jv_str(json_t *o, const char *k);  /* NULL when absent or null */
int64_t jv_int(json_t *o, const char *k, int64_t dflt);
bool jv_bool(json_t *o, const char *k, bool dflt);
bool jv_has(json_t *o, const char *k);

/* Depth of nesting of raw JSON text (brackets outside strings). */
int json_text_depth(const char *s, size_t n);
/* Longest string (in characters) anywhere in v, keys included. */
size_t json_longest_string(json_t *v);

#endif
