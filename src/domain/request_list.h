/* The request list's rules: its sort orders, the cursor that pages under each of them, and the due-date
 * range.  Pure functions over strings and records; no I/O.
 *
 * Every order is stable: the sort key, then the id in the same direction, so two requests never tie and
 * keyset paging (the cursor names the last item's key and id; the next page starts strictly after it)
 * neither loses nor repeats an item while the list does not change.
 *
 *   created   creation order (the id): the default, newest first
 *   due_date  the due date; a draft without one comes last in either direction
 *   priority  low < normal < high < urgent
 *   status    the workflow's order: draft, submitted, returned, rejected, assessing, accepted, declined,
 *             cancelled (enum rq_status)
 *   code      REQ-YYYY-NNNN as text (year, then number)
 *
 * The key as the SQL computes it (store/request.c RQ_SORT_KEY) and as rq_sort_key writes it must agree:
 * a date or "" (ascending: "9999-99-99", so that the blank sorts last), one digit for a priority or a
 * status, the code. */
#ifndef LIAISON_DOMAIN_REQUEST_LIST_H
#define LIAISON_DOMAIN_REQUEST_LIST_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/request.h"
#include "util/err.h"

enum rq_sort { RQS_CREATED, RQS_DUE_DATE, RQS_PRIORITY, RQS_STATUS, RQS_CODE, RQS_COUNT };
extern const char *const rq_sort_names[]; /* NULL-terminated, index = enum rq_sort */

typedef struct rq_order {
	int sort; /* enum rq_sort */
	bool asc; /* false: descending (so {0} is the default, newest first) */
} rq_order;

/* What the list is sorted by: `sort` ("due_date", "-due_date"; NULL or "": -created, newest first) and
 * `order` ("asc", "desc"; NULL: as `sort` says).  400 naming `sort` for an unknown key, `order` for an
 * unknown direction or one that contradicts a "-" prefix. */
int rq_order_parse(const char *sort, const char *order, rq_order *out, lerr *e);

/* The blank due date's key when ascending: after every real date. */
#define RQ_DUE_BLANK_LAST "9999-99-99"
enum { RQ_KEY_MAX = 48 };

/* The key of rq under order o, as the SQL computes it, into buf. */
void rq_sort_key(const request *rq, rq_order o, char *buf, size_t n);

/* Where a page starts: after the request with this key and id (id 0: from the top). */
typedef struct rq_cursor {
	int64_t id;
	char key[RQ_KEY_MAX];
} rq_cursor;
/* The cursor after rq (the last item of a page) under o, as the API hands it out: the id alone for
 * `created`, else "<key>~<id>" with a priority or status by its name and a blank due date as "". */
void rq_cursor_make(const request *rq, rq_order o, char *buf, size_t n);
/* Reads a cursor rq_cursor_make wrote for the same sort (NULL or "": from the top); 400 naming `cursor`
 * for anything else. */
int rq_cursor_parse(const char *text, rq_order o, rq_cursor *out, lerr *e);

/* due_from and due_to (either may be NULL): real dates "YYYY-MM-DD", from not after to; 400 naming the
 * parameter. */
int rq_check_due_range(const char *from, const char *to, lerr *e);

#endif
