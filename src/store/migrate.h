/* Numbered schema migrations, applied in order by `init` and at start-up. */
#ifndef LIAISON_STORE_MIGRATE_H
#define LIAISON_STORE_MIGRATE_H
#include "store/db.h"

/* Applies every migration newer than the store's version, each in its own transaction. */
int db_migrate(db *d, lerr *e);
/* The newest migration this binary knows. */
int db_schema_version_latest(void);
/* The store's current version (0 for an empty store). */
int db_schema_version(db *d);

/* Migration v (1..latest) as a store of that dialect runs it: the portable SQL with its tokens expanded
 * (see src/store/migrate.c), then the dialect's own part.  NULL when v is out of range or a token is
 * unknown.  The caller frees. */
char *db_migration_ddl(int v, enum db_dialect dialect);
/* Migration v's one-line summary; NULL when out of range. */
const char *db_migration_about(int v);
/* The table that records the applied migrations (CREATE TABLE IF NOT EXISTS; the same on both dialects). */
const char *db_migrations_table_ddl(void);

#endif
