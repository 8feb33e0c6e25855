/* Growable byte buffers and UTF-8 checks. */
#ifndef LIAISON_UTIL_STR_H
#define LIAISON_UTIL_STR_H
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

typedef struct sbuf {
	char *p;     /* NUL-terminated; owned by the buffer */
	size_t len, cap;
} sbuf;

void sbuf_init(sbuf *b);
void sbuf_release(sbuf *b);  /* frees the bytes; the buffer may be reused after sbuf_init */
/* Makes room for n more bytes (and the NUL). */
void sbuf_reserve(sbuf *b, size_t n);
/* Appends n bytes (inline: writers call it for every token). */
static inline void sbuf_add(sbuf *b, const void *s, size_t n)
{
	if (b->len + n + 1 > b->cap)
		sbuf_reserve(b, n);
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = 0;
}
void sbuf_adds(sbuf *b, const char *s);
void sbuf_printf(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Hands the bytes to the caller (free with free()); the buffer is left empty. */
char *sbuf_detach(sbuf *b);

/* True when s[0..n) is well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF). */
bool utf8_valid(const char *s, size_t n);
/* Length of the well-formed UTF-8 character at p (1..4 bytes, within n), or 0 when the bytes there are not
 * one (overlong, surrogate, beyond U+10FFFF, cut short); its code point in *cp when cp is not NULL. */
size_t utf8_char(const char *p, size_t n, unsigned *cp);
/* Number of code points in a valid UTF-8 string. */
size_t utf8_count(const char *s);
/* Length of a UTF-8 BOM at the start of s, 0 or 3. */
size_t utf8_bom_len(const char *s, size_t n);

/* Trims ASCII white space at both ends, in place; returns s. */
char *str_trim(char *s);
bool str_starts_with(const char *s, const char *prefix);
/* Case-insensitive ASCII comparison of header-like tokens. */
bool str_ieq(const char *a, const char *b);

#endif
