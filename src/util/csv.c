/* CSV fields for spreadsheets, and Accept-Language (see csv.h). */
#include "util/csv.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

bool csv_formula_like(const char *s)
{
	return s && (*s == '=' || *s == '+' || *s == '-' || *s == '@' || *s == '\t' || *s == '\r');
}

void csv_field(sbuf *b, const char *s, bool first)
{
	if (!first)
		sbuf_add(b, ",", 1);
	if (!s)
		return;
	bool formula = csv_formula_like(s);
	bool quote = formula || strpbrk(s, ",\"\r\n") != NULL;
	if (!quote) {
		sbuf_adds(b, s);
		return;
	}
	sbuf_add(b, "\"", 1);
	if (formula)
		sbuf_add(b, "'", 1);
	for (const char *p = s; *p; p++) {
		if (*p == '"')
			sbuf_add(b, "\"", 1);
		sbuf_add(b, p, 1);
	}
	sbuf_add(b, "\"", 1);
}

void csv_end(sbuf *b)
{
	sbuf_add(b, "\r\n", 2);
}

/* The primary subtag of [tag, tag + n) matches lang's ("zh-TW" and "zh" match "zh-CN"). */
static bool same_language(const char *tag, size_t n, const char *lang)
{
	size_t a = strcspn(lang, "-");
	size_t b = 0;
	while (b < n && tag[b] != '-')
		b++;
	return a == b && strncasecmp(tag, lang, a) == 0;
}

const char *accept_language_pick(const char *header, const char *const *langs)
{
	const char *best = langs[0];
	double best_q = 0;
	for (const char *p = header; p && *p;) {
		size_t len = strcspn(p, ",");
		/* one item: tag [; q=x] */
		const char *tag = p;
		while (tag < p + len && (*tag == ' ' || *tag == '\t'))
			tag++;
		size_t tlen = 0;
		while (tag + tlen < p + len && tag[tlen] != ';' && tag[tlen] != ' ' && tag[tlen] != '\t')
			tlen++;
		double q = 1;
		const char *semi = memchr(tag, ';', (size_t)(p + len - tag));
		if (semi) {
			const char *v = semi + 1;
			while (v < p + len && (*v == ' ' || *v == '\t'))
				v++;
			if (p + len - v >= 2 && (v[0] == 'q' || v[0] == 'Q') && v[1] == '=') {
				char num[8] = {0};
				size_t k = 0;
				for (v += 2;
				     v < p + len && k < sizeof num - 1 && ((*v >= '0' && *v <= '9') || *v == '.'); v++)
					num[k++] = *v;
				q = k ? strtod(num, NULL) : 0;
				if (q > 1)
					q = 1;
			}
		}
		for (size_t i = 0; tlen && q > best_q && langs[i]; i++)
			if (same_language(tag, tlen, langs[i])) {
				best = langs[i];
				best_q = q;
				break;
			}
		p += len + (p[len] == ',');
	}
	return best;
}
