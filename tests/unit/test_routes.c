/* The route table's declared inputs (the api layer): jsonv_decode ORs each present field's bit into the first
 * `unsigned set` of the input struct, so no field with a bit may sit at offset 0 (it would be corrupted by
 * the bits of the fields after it), and every field lies inside the struct. */
#include <criterion/criterion.h>

#include "api/api.h"

static void check(const char *method, const char *pattern, const jfield *f, size_t n, size_t size)
{
	for (size_t i = 0; i < n; i++) {
		cr_assert(!(f[i].bit && f[i].off < sizeof(unsigned)),
			  "%s %s: field %s is at offset %zu, where the presence bits go: begin the input struct with `unsigned set`",
			  method, pattern, f[i].name, f[i].off);
		cr_assert(f[i].off < size || (!f[i].off && !f[i].bit), "%s %s: field %s lies outside its struct", method,
			  pattern, f[i].name);
	}
}

Test(routes, declared_inputs_leave_room_for_the_presence_bits)
{
	const route_table *t = api_routes();
	int checked = 0;
	for (int i = 0; i < t->n; i++) {
		const route *r = &t->routes[i];
		if (r->fields) {
			check(r->method, r->pattern, r->fields, r->nfields, r->in_size);
			checked++;
		}
		if (r->query) {
			check(r->method, r->pattern, r->query, r->nquery, r->query_size);
			checked++;
		}
	}
	cr_assert_gt(checked, 10);
}
