/* Organisation-wide settings. */
#include "store/settings.h"

#include <stdio.h>

bool settings_get(db *d, const char *key, char *out, size_t n)
{
	db_stmt *st = db_prepare(d, "SELECT value FROM settings WHERE key = ?");
	db_bind_text(st, 1, key);
	bool ok = db_step(st) == DB_ROW;
	snprintf(out, n, "%s", ok ? db_col_text(st, 0) : "");
	db_done(st);
	return ok;
}

int settings_set(db *d, const char *key, const char *value)
{
	db_stmt *st = db_prepare(d, "INSERT INTO settings(key, value) VALUES (?1, ?2)"
				    " ON CONFLICT(key) DO UPDATE SET value = ?2");
	db_bind_text(st, 1, key);
	db_bind_text(st, 2, value);
	int rc = db_step(st);
	db_done(st);
	return rc;
}
