/* Checking JSON input against a list of fields, with errors that name the field and say why. */
#include "util/jsonv.h"

#include <stdio.h>
#include <string.h>

#include "util/str.h"

static const jfield *find(const jfield *spec, size_t n, const char *k)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(spec[i].name, k) == 0)
			return &spec[i];
	return NULL;
}

static bool blank(const char *s)
{
	for (; *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			return false;
	return true;
}

static int check_one(const jfield *f, json_t *v, lerr *e)
{
	const char *k = f->name;
	if (json_is_null(v)) {
		if (f->flags & JF_REQUIRED)
			return lerr_set(e, LERR_INVALID, "required", k, "%s is required", k);
		if (f->flags & JF_NULLABLE || f->type == JF_STRING || f->type == JF_ENUM)
			return 0;
		return lerr_set(e, LERR_INVALID, "invalid_type", k, "%s must not be null", k);
	}
	switch (f->type) {
	case JF_STRING:
		if (!json_is_string(v))
			return lerr_set(e, LERR_INVALID, "invalid_type", k, "%s must be a string", k);
		if ((f->flags & JF_REQUIRED) && blank(json_string_value(v)))
			return lerr_set(e, LERR_INVALID, "required", k, "%s must not be empty", k);
		if (f->max > 0 && (int64_t)utf8_count(json_string_value(v)) > f->max)
			return lerr_set(e, LERR_INVALID, "too_long", k, "%s is longer than %lld characters", k,
					(long long)f->max);
		return 0;
	case JF_INT:
	case JF_ID:
		if (!json_is_integer(v))
			return lerr_set(e, LERR_INVALID, "invalid_type", k, "%s must be an integer", k);
		if (f->type == JF_ID && json_integer_value(v) <= 0)
			return lerr_set(e, LERR_INVALID, "invalid_value", k, "%s must be a positive id", k);
		if (f->max > f->min && (json_integer_value(v) < f->min || json_integer_value(v) > f->max))
			return lerr_set(e, LERR_INVALID, "invalid_value", k, "%s must be between %lld and %lld", k,
					(long long)f->min, (long long)f->max);
		return 0;
	case JF_NUMBER:
		if (!json_is_number(v))
			return lerr_set(e, LERR_INVALID, "invalid_type", k, "%s must be a number", k);
		return 0;
	case JF_BOOL:
		if (!json_is_boolean(v))
			return lerr_set(e, LERR_INVALID, "invalid_type", k, "%s must be true or false", k);
		return 0;
	case JF_IDS: {
		if (!json_is_array(v))
			return lerr_set(e, LERR_INVALID, "invalid_type", k, "%s must be an array of ids", k);
		size_t max = f->max > 0 ? (size_t)f->max : 1000, i, j;
		if (json_array_size(v) > max)
			return lerr_set(e, LERR_INVALID, "too_long", k, "%s has more than %zu items", k, max);
		json_t *x;
		json_array_foreach(v, i, x) {
			if (!json_is_integer(x) || json_integer_value(x) <= 0)
				return lerr_set(e, LERR_INVALID, "invalid_type", k, "%s must hold only positive ids", k);
			for (j = 0; j < i; j++)
				if (json_integer_value(json_array_get(v, j)) == json_integer_value(x))
					return lerr_set(e, LERR_INVALID, "duplicate", k, "%s lists %lld twice", k,
							(long long)json_integer_value(x));
		}
		if ((f->flags & JF_REQUIRED) && json_array_size(v) == 0)
			return lerr_set(e, LERR_INVALID, "required", k, "%s needs at least one item", k);
		return 0;
	}
	case JF_ARRAY: {
		if (!json_is_array(v))
			return lerr_set(e, LERR_INVALID, "invalid_type", k, "%s must be an array", k);
		size_t max = f->max > 0 ? (size_t)f->max : 1000;
		if (json_array_size(v) > max)
			return lerr_set(e, LERR_INVALID, "too_long", k, "%s has more than %zu items", k, max);
		if ((f->flags & JF_REQUIRED) && json_array_size(v) == 0)
			return lerr_set(e, LERR_INVALID, "required", k, "%s needs at least one item", k);
		return 0;
	}
	case JF_OBJECT:
		if (!json_is_object(v))
			return lerr_set(e, LERR_INVALID, "invalid_type", k, "%s must be an object", k);
		return 0;
	case JF_ENUM: {
		if (!json_is_string(v))
			return lerr_set(e, LERR_INVALID, "invalid_type", k, "%s must be a string", k);
		for (size_t i = 0; f->values && f->values[i]; i++)
			if (strcmp(f->values[i], json_string_value(v)) == 0)
				return 0;
		char list[256] = "";
		size_t used = 0;
		for (size_t i = 0; f->values && f->values[i] && used < sizeof list; i++)
			used += (size_t)snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "", f->values[i]);
		return lerr_set(e, LERR_INVALID, "invalid_value", k, "%s must be one of %s", k, list);
	}
	case JF_ENUMS: {
		size_t i;
		json_t *x;
		if (!json_is_array(v))
			return lerr_set(e, LERR_INVALID, "invalid_type", k, "%s must be an array of names", k);
		json_array_foreach(v, i, x) {
			bool known = false;
			for (size_t j = 0; json_is_string(x) && f->values && f->values[j]; j++)
				known |= strcmp(f->values[j], json_string_value(x)) == 0;
			if (!known)
				return lerr_set(e, LERR_INVALID, "invalid_value", k, "%s holds a value it does not know", k);
		}
		if ((f->flags & JF_REQUIRED) && json_array_size(v) == 0)
			return lerr_set(e, LERR_INVALID, "required", k, "%s needs at least one item", k);
		return 0;
	}
	case JF_STRINGS: {
		if (!json_is_array(v))
			return lerr_set(e, LERR_INVALID, "invalid_type", k, "%s must be an array of text", k);
		size_t max = f->max > 0 ? (size_t)f->max : 1000, i;
		if (json_array_size(v) > max)
			return lerr_set(e, LERR_INVALID, "too_long", k, "%s has more than %zu items", k, max);
		json_t *x;
		json_array_foreach(v, i, x) if (!json_is_string(x)) return lerr_set(e, LERR_INVALID, "invalid_type", k,
										     "%s must hold only text", k);
		if ((f->flags & JF_REQUIRED) && json_array_size(v) == 0)
			return lerr_set(e, LERR_INVALID, "required", k, "%s needs at least one item", k);
		return 0;
	}
	}
	return 0;
}

int jsonv_check(json_t *in, const jfield *spec, size_t n, lerr *e)
{
	if (!json_is_object(in))
		return lerr_set(e, LERR_INVALID, "invalid_type", NULL, "the body must be a JSON object");
	const char *k;
	json_t *v;
	json_object_foreach(in, k, v) {
		const jfield *f = find(spec, n, k);
		if (!f)
			return lerr_set(e, LERR_INVALID, "unknown_field", k, "%s is not a field of this request", k);
		int rc = check_one(f, v, e);
		if (rc)
			return rc;
	}
	for (size_t i = 0; i < n; i++)
		if ((spec[i].flags & JF_REQUIRED) && !json_object_get(in, spec[i].name))
			return lerr_set(e, LERR_INVALID, "required", spec[i].name, "%s is required", spec[i].name);
	return 0;
}

#define SLOT(out, f, type) (*(type *)((char *)(out) + (f)->off))

static void decode_one(const jfield *f, json_t *v, void *out, arena *a)
{
	bool null = json_is_null(v);
	switch (f->type) {
	case JF_STRING: SLOT(out, f, const char *) = null ? NULL : json_string_value(v); break;
	case JF_INT:
	case JF_ID: SLOT(out, f, int64_t) = null ? 0 : json_integer_value(v); break;
	case JF_NUMBER: SLOT(out, f, double) = null ? 0 : json_number_value(v); break;
	case JF_BOOL: SLOT(out, f, bool) = json_is_true(v); break;
	case JF_ENUM: {
		int idx = -1;
		for (int i = 0; !null && f->values && f->values[i]; i++)
			if (strcmp(f->values[i], json_string_value(v)) == 0)
				idx = i;
		SLOT(out, f, int) = idx;
		break;
	}
	case JF_ENUMS: {
		unsigned bits = 0;
		size_t i;
		json_t *x;
		json_array_foreach(v, i, x) for (unsigned j = 0; j < 32 && f->values && f->values[j]; j++) if (
			strcmp(f->values[j], json_string_value(x)) == 0) bits |= 1u << j;
		SLOT(out, f, unsigned) = bits;
		break;
	}
	case JF_IDS:
	case JF_STRINGS: {
		size_t n = null ? 0 : json_array_size(v), i;
		json_t *x;
		if (f->type == JF_IDS) {
			int64_t *ids = arena_alloc(a, (n ? n : 1) * sizeof *ids);
			json_array_foreach(v, i, x) ids[i] = json_integer_value(x);
			SLOT(out, f, int64_t *) = ids;
		} else {
			const char **s = arena_alloc(a, (n ? n : 1) * sizeof *s);
			json_array_foreach(v, i, x) s[i] = json_string_value(x);
			SLOT(out, f, const char **) = s;
		}
		*(size_t *)((char *)out + f->count_off) = n;
		break;
	}
	default: break; /* JF_ARRAY, JF_OBJECT: no typed slot */
	}
}

int jsonv_decode(json_t *in, const jfield *spec, size_t n, void *out, arena *a, lerr *e)
{
	int rc = jsonv_check(in, spec, n, e);
	if (rc)
		return rc;
	for (size_t i = 0; i < n; i++) {
		json_t *v = json_object_get(in, spec[i].name);
		if (!v || (!spec[i].off && !spec[i].bit))
			continue;
		*(unsigned *)out |= spec[i].bit;
		decode_one(&spec[i], v, out, a);
	}
	return 0;
}

json_t *jsonv_schema(const jfield *spec, size_t n)
{
	json_t *props = json_object(), *req = json_array();
	for (size_t i = 0; i < n; i++) {
		const jfield *f = &spec[i];
		json_t *s;
		switch (f->type) {
		case JF_STRING:
			s = json_pack("{s:s}", "type", "string");
			if (f->max > 0)
				json_object_set_new(s, "maxLength", json_integer(f->max));
			break;
		case JF_INT:
			s = json_pack("{s:s}", "type", "integer");
			if (f->max > f->min) {
				json_object_set_new(s, "minimum", json_integer(f->min));
				json_object_set_new(s, "maximum", json_integer(f->max));
			}
			break;
		case JF_ID: s = json_pack("{s:s, s:i}", "type", "integer", "minimum", 1); break;
		case JF_NUMBER: s = json_pack("{s:s}", "type", "number"); break;
		case JF_BOOL: s = json_pack("{s:s}", "type", "boolean"); break;
		case JF_IDS:
			s = json_pack("{s:s, s:{s:s, s:i}, s:b, s:I}", "type", "array", "items", "type", "integer", "minimum", 1,
				      "uniqueItems", 1, "maxItems", (json_int_t)(f->max > 0 ? f->max : 1000));
			break;
		case JF_STRINGS:
			s = json_pack("{s:s, s:{s:s}, s:I}", "type", "array", "items", "type", "string", "maxItems",
				      (json_int_t)(f->max > 0 ? f->max : 1000));
			break;
		case JF_ARRAY: s = json_pack("{s:s}", "type", "array"); break;
		case JF_OBJECT: s = json_pack("{s:s}", "type", "object"); break;
		case JF_ENUM:
		case JF_ENUMS: {
			json_t *vals = json_array();
			for (size_t k = 0; f->values && f->values[k]; k++)
				json_array_append_new(vals, json_string(f->values[k]));
			s = json_pack("{s:s, s:o}", "type", "string", "enum", vals);
			if (f->type == JF_ENUMS)
				s = json_pack("{s:s, s:o, s:b}", "type", "array", "items", s, "uniqueItems", 1);
			break;
		}
		default: s = json_object(); break;
		}
		if (f->flags & JF_NULLABLE || (f->type == JF_STRING && !(f->flags & JF_REQUIRED)))
			s = json_pack("{s:[o, {s:s}]}", "anyOf", s, "type", "null");
		if (f->doc)
			json_object_set_new(s, "description", json_string(f->doc));
		json_object_set_new(props, f->name, s);
		if (f->flags & JF_REQUIRED)
			json_array_append_new(req, json_string(f->name));
	}
	json_t *o = json_pack("{s:s, s:o, s:b}", "type", "object", "properties", props, "additionalProperties", 0);
	if (json_array_size(req))
		json_object_set_new(o, "required", req);
	else
		json_decref(req);
	return o;
}

const char *jv_str(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

int64_t jv_int(json_t *o, const char *k, int64_t dflt)
{
	json_t *v = json_object_get(o, k);
	return json_is_integer(v) ? json_integer_value(v) : dflt;
}

bool jv_bool(json_t *o, const char *k, bool dflt)
{
	json_t *v = json_object_get(o, k);
	return json_is_boolean(v) ? json_is_true(v) : dflt;
}

bool jv_has(json_t *o, const char *k)
{
	return json_object_get(o, k) != NULL;
}

int json_text_depth(const char *s, size_t n)
{
	int depth = 0, max = 0;
	bool in_str = false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (in_str) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_str = false;
		} else if (c == '"') {
			in_str = true;
		} else if (c == '[' || c == '{') {
			if (++depth > max)
				max = depth;
		} else if (c == ']' || c == '}') {
			depth--;
		}
	}
	return max;
}

size_t json_longest_string(json_t *v)
{
	size_t m = 0, i, n;
	const char *k;
	json_t *x;
	if (json_is_string(v))
		return utf8_count(json_string_value(v));
	if (json_is_array(v))
		json_array_foreach(v, i, x) if ((n = json_longest_string(x)) > m) m = n;
	if (json_is_object(v))
		json_object_foreach(v, k, x) {
			if ((n = utf8_count(k)) > m)
				m = n;
			if ((n = json_longest_string(x)) > m)
				m = n;
		}
	return m;
}
