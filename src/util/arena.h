/* Arena allocator: many small allocations freed at once (one arena per HTTP request). */
#ifndef LIAISON_UTIL_ARENA_H
#define LIAISON_UTIL_ARENA_H
#include <stddef.h>

typedef struct arena arena;

/* Returns a new arena; the caller frees it with arena_free. Aborts when out of memory. */
arena *arena_new(void);
void arena_free(arena *a);
/* Memory owned by the arena, zeroed, aligned for any type. */
void *arena_alloc(arena *a, size_t n);
char *arena_strdup(arena *a, const char *s);
/* Calls fn(arg) when the arena is freed (the last registered first): to release what the arena's
 * memory points into, such as a shared snapshot it holds a reference on. */
void arena_defer(arena *a, void (*fn)(void *), void *arg);
char *arena_strndup(arena *a, const char *s, size_t n);
char *arena_printf(arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
