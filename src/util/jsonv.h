/* Checking JSON input against a list of fields: unknown fields, types, required, lengths. */
#ifndef LIAISON_UTIL_JSONV_H
#define LIAISON_UTIL_JSONV_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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
};

enum { JF_REQUIRED = 1, JF_NULLABLE = 2 };

typedef struct jfield {
	const char *name;
	enum jf_type type;
	unsigned flags;
	int64_t min, max;
} jfield;

/* Checks that `in` is an object whose members are all in spec, each of the right type and size,
 * and that required ones are present (strings non-empty after trimming).  Fails with 422 naming the field. */
int jsonv_check(json_t *in, const jfield *spec, size_t n, lerr *e);
#define JSONV_CHECK(in, spec, e) jsonv_check((in), (spec), sizeof(spec) / sizeof((spec)[0]), (e))

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
