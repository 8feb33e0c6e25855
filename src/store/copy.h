/* Moving a store: a whole SQLite store copied into an empty PostgreSQL database (`liaison migrate-store`),
 * then proven — every table's rows counted and checksummed on both sides. */
#ifndef LIAISON_STORE_COPY_H
#define LIAISON_STORE_COPY_H
#include <stddef.h>
#include <stdint.h>

#include "store/db.h"

/* Told as a table is copied: rows done of total. */
typedef void (*store_progress_fn)(void *ctx, const char *table, int64_t done, int64_t total);

/* One table as verified: rows and a checksum of every value, in the source and in the copy. */
typedef struct store_verified {
	char table[64];
	int64_t rows_from, rows_to;
	uint64_t sum_from, sum_to;
} store_verified;

/* Brings `from` (SQLite) to the latest schema, refuses a `to` (PostgreSQL) that holds any table (409
 * not_empty), creates the schema there, copies every table in one transaction (the source read from one
 * snapshot, so a server may keep running on it), moves the id sequences past the copied ids, and verifies:
 * out[0..*nout) (room for 128) says what was compared; a difference is an error naming the table. */
int store_copy(db *from, db *to, store_progress_fn progress, void *ctx, store_verified *out, size_t *nout, lerr *e);

#endif
