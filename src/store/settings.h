/* Organisation-wide settings (time zone, ...): a key-value table. */
#ifndef LIAISON_STORE_SETTINGS_H
#define LIAISON_STORE_SETTINGS_H
#include <stddef.h>

#include "store/db.h"

/* Copies the value of key into out; returns false (and out = "") when unset. */
bool settings_get(db *d, const char *key, char *out, size_t n);
int settings_set(db *d, const char *key, const char *value);

#endif
