/* Writing CSV for spreadsheets, and choosing the language of a file from Accept-Language. */
#ifndef LIAISON_UTIL_CSV_H
#define LIAISON_UTIL_CSV_H
#include <stdbool.h>

#include "util/str.h"

/* The UTF-8 byte order mark: Excel reads a CSV file as UTF-8 (Chinese included) only after it. */
#define CSV_BOM "\xEF\xBB\xBF"

/* Appends one field of a record to b, after a comma unless it is the first: quoted (RFC 4180) when it
 * holds a comma, a quote, CR or LF, quotes doubled.  A field a spreadsheet would run as a formula —
 * starting with = + - @, a tab or CR — gets a ' in front (OWASP "CSV injection"): the cell shows the
 * text, never computes it.  NULL is an empty field. */
void csv_field(sbuf *b, const char *s, bool first);
/* Ends a record (CRLF, as RFC 4180 writes). */
void csv_end(sbuf *b);
/* Whether a spreadsheet would take s for a formula (see csv_field). */
bool csv_formula_like(const char *s);

/* Of `langs` (NULL-terminated language tags, e.g. {"zh-CN", "en"}), the one an Accept-Language header
 * prefers ("en-US,en;q=0.9,zh;q=0.8"): the highest q (ties: the earlier in the header) whose tag, or
 * its primary subtag, matches one of langs' primary subtags, case ignored; langs[0] when none does, when
 * the header is NULL or unreadable. */
const char *accept_language_pick(const char *header, const char *const *langs);

#endif
