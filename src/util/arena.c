/* A bump allocator over a chain of blocks. */
#include "util/arena.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct block {
	struct block *next;
	size_t used, cap;
	_Alignas(16) unsigned char data[];
};

struct defer {
	struct defer *next;
	void (*fn)(void *);
	void *arg;
};

struct arena {
	struct block *head;
	struct defer *defers; /* run by arena_free, the last added first */
};

static struct block *block_new(size_t cap)
{
	struct block *b = malloc(sizeof *b + cap);
	if (!b)
		abort();
	b->next = NULL;
	b->used = 0;
	b->cap = cap;
	return b;
}

arena *arena_new(void)
{
	arena *a = malloc(sizeof *a);
	if (!a)
		abort();
	a->head = block_new(8192 - sizeof(struct block));
	a->defers = NULL;
	return a;
}

void arena_free(arena *a)
{
	if (!a)
		return;
	for (struct defer *f = a->defers; f; f = f->next)
		f->fn(f->arg);
	struct block *b = a->head;
	while (b) {
		struct block *n = b->next;
		free(b);
		b = n;
	}
	free(a);
}

void *arena_alloc(arena *a, size_t n)
{
	n = (n + 15) & ~(size_t)15;
	struct block *b = a->head;
	if (b->cap - b->used < n) {
		size_t cap = n > 16384 ? n : 16384;
		struct block *nb = block_new(cap);
		nb->next = b;
		a->head = nb;
		b = nb;
	}
	void *p = b->data + b->used;
	b->used += n;
	memset(p, 0, n);
	return p;
}

void arena_defer(arena *a, void (*fn)(void *), void *arg)
{
	struct defer *f = arena_alloc(a, sizeof *f);
	f->fn = fn;
	f->arg = arg;
	f->next = a->defers;
	a->defers = f;
}

char *arena_strndup(arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);
	memcpy(p, s, n);
	p[n] = 0;
	return p;
}

char *arena_strdup(arena *a, const char *s)
{
	return s ? arena_strndup(a, s, strlen(s)) : NULL;
}

char *arena_printf(arena *a, const char *fmt, ...)
{
	va_list ap, ap2;
	va_start(ap, fmt);
	va_copy(ap2, ap);
	char probe[1];
	int n = vsnprintf(probe, sizeof probe, fmt, ap);
	va_end(ap);
	char *p = arena_alloc(a, (size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap2);
	va_end(ap2);
	return p;
}
