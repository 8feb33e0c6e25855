/* Unit tests for log_escape: nothing logged can start a line, drive a terminal or leave bytes that are not UTF-8. */
#include <criterion/criterion.h>
#include <string.h>

#include "util/log.h"
#include "util/str.h"

static const char *esc(const char *in, size_t n)
{
	static char out[1024];
	size_t len = log_escape(in, n, out, sizeof out);
	cr_assert_eq(len, strlen(out));
	return out;
}
#define ESC(lit) esc(lit, sizeof lit - 1)

Test(log_escape, plain_text_and_chinese_unchanged)
{
	cr_assert_str_eq(ESC("GET /api/v1/me 200 1.2ms user=3"), "GET /api/v1/me 200 1.2ms user=3");
	cr_assert_str_eq(ESC("登录失败 王芳 😀"), "登录失败 王芳 😀");
}

Test(log_escape, newline_cannot_start_a_line)
{
	const char *s = ESC("/x\n2026-01-01T00:00:00.000Z info forged");
	cr_assert_str_eq(s, "/x\\n2026-01-01T00:00:00.000Z info forged");
	cr_assert_null(strchr(s, '\n'));
}

Test(log_escape, controls_and_backslash)
{
	cr_assert_str_eq(ESC("a\rb\tc\x1b[31md\x7f"
	                     "e\x01"),
	                 "a\\x0db\\x09c\\x1b[31md\\x7f"
	                 "e\\x01");
	cr_assert_str_eq(ESC("a\\nb"), "a\\\\nb"); /* a literal backslash-n cannot pass for an escaped newline */
	cr_assert_str_eq(esc("a\0b", 3), "a\\x00b");
}

Test(log_escape, c1_controls_and_line_separators)
{
	cr_assert_str_eq(ESC("a\xc2\x9b"
	                     "31mb"),
	                 "a\\xc2\\x9b31mb"); /* U+009B CSI */
	cr_assert_str_eq(ESC("a\xe2\x80\xa8"
	                     "b\xe2\x80\xa9"),
	                 "a\\xe2\\x80\\xa8b\\xe2\\x80\\xa9");
	cr_assert_str_eq(ESC("\xc2\xa0\xe2\x80\xa6"), "\xc2\xa0\xe2\x80\xa6"); /* U+00A0, U+2026 are kept */
}

Test(log_escape, bytes_that_are_not_utf8)
{
	cr_assert_str_eq(ESC("a\xff\xfe"
	                     "b"),
	                 "a\\xff\\xfeb");
	cr_assert_str_eq(ESC("\xC0\xAF"), "\\xc0\\xaf");                   /* overlong */
	cr_assert_str_eq(ESC("\xED\xA0\x80"), "\\xed\\xa0\\x80");          /* surrogate */
	cr_assert_str_eq(ESC("x\xE8\xB7"), "x\\xe8\\xb7");                 /* cut character */
	cr_assert_str_eq(ESC("\xC4\xE3\xBA\xC3"), "\\xc4\\xe3\\xba\\xc3"); /* GBK */
}

Test(log_escape, output_is_always_utf8_without_controls)
{
	/* Every byte value, alone and in pairs: the result is UTF-8 with no control character. */
	char in[3], out[64];
	for (int a = 0; a < 256; a++)
		for (int b = 0; b < 256; b += 7) {
			in[0] = (char)a, in[1] = (char)b, in[2] = (char)0x80;
			size_t n = log_escape(in, 3, out, sizeof out);
			cr_assert(utf8_valid(out, n), "%02x %02x", a, b);
			for (size_t i = 0; i < n; i++)
				cr_assert((unsigned char)out[i] >= 0x20 && out[i] != 0x7f, "%02x %02x", a, b);
		}
}

Test(log_escape, truncates_between_escapes_and_characters)
{
	char out[8];
	cr_assert_eq(log_escape("abc\n", 4, out, 5), 3); /* "abc" + "\\n" would need 6 with the NUL */
	cr_assert_str_eq(out, "abc");
	cr_assert_eq(log_escape("a王", 4, out, 4), 1); /* the 3-byte character does not fit */
	cr_assert_str_eq(out, "a");
	cr_assert_eq(log_escape("abc", 3, out, 1), 0);
	cr_assert_str_eq(out, "");
}
