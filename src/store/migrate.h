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

#endif
