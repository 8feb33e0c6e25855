/* Rules of the organisation: names, logins, clearances, the department tree, passwords, throttling. */
#include "domain/org.h"

#include "util/clock.h"

#include <stddef.h>
#include <string.h>

#include "util/str.h"

const char *const clearance_names[] = {"public", "internal", "confidential", "secret", NULL};

int clearance_parse(const char *s)
{
	for (int i = 0; s && i < 4; i++)
		if (strcmp(s, clearance_names[i]) == 0)
			return i;
	return -1;
}

const char *clearance_name(int level)
{
	return level >= 0 && level < 4 ? clearance_names[level] : "internal";
}

int org_check_name(const char *s, size_t max, const char *field, lerr *e)
{
	if (!s || !*s)
		return lerr_set(e, LERR_INVALID, "required", field, "%s must not be empty", field);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return lerr_set(e, LERR_INVALID, "invalid_value", field,
					"%s must not contain control characters", field);
	size_t n = utf8_count(s);
	if (n > max)
		return lerr_set(e, LERR_INVALID, "too_long", field, "%s is %zu characters long; at most %zu are allowed",
				field, n, max);
	if (s[0] == ' ' || s[strlen(s) - 1] == ' ')
		return lerr_set(e, LERR_INVALID, "invalid_value", field, "%s must not start or end with a space",
				field);
	return 0;
}

int org_check_login(const char *s, lerr *e)
{
	if (!s || !*s)
		return lerr_set(e, LERR_INVALID, "required", "login", "login must not be empty");
	size_t n = strlen(s);
	if (n > USER_LOGIN_MAX)
		return lerr_set(e, LERR_INVALID, "too_long", "login", "login is %zu characters long; at most %d are allowed",
				n, USER_LOGIN_MAX);
	if (n < USER_LOGIN_MIN)
		return lerr_set(e, LERR_INVALID, "invalid_value", "login", "login needs at least %d characters",
				USER_LOGIN_MIN);
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
		if (!alnum && (i == 0 || (c != '.' && c != '_' && c != '-')))
			return lerr_set(e, LERR_INVALID, "invalid_value", "login",
					"login may hold only a-z, 0-9, '.', '_' and '-', and must start with a letter or digit");
	}
	return 0;
}

int org_check_email(const char *s, lerr *e)
{
	if (!s || !*s)
		return 0;
	size_t n = strlen(s);
	if (n > USER_EMAIL_MAX)
		return lerr_set(e, LERR_INVALID, "too_long", "email", "email is longer than %d characters", USER_EMAIL_MAX);
	const char *at = strchr(s, '@');
	bool ok = at && at != s && strchr(at + 1, '@') == NULL && strchr(at + 1, '.') && at[1] != '.' &&
		  s[n - 1] != '.';
	for (const unsigned char *p = (const unsigned char *)s; ok && *p; p++)
		if (*p <= ' ' || *p == 0x7f)
			ok = false;
	if (!ok)
		return lerr_set(e, LERR_INVALID, "invalid_value", "email", "email is not an address like name@example.com");
	return 0;
}

int org_check_password(const char *s, lerr *e)
{
	if (!s || !*s)
		return lerr_set(e, LERR_INVALID, "required", "password", "password must not be empty");
	size_t n = utf8_count(s);
	if (n < PASSWORD_MIN)
		return lerr_set(e, LERR_INVALID, "weak_password", "password", "password needs at least %d characters",
				PASSWORD_MIN);
	if (n > PASSWORD_MAX)
		return lerr_set(e, LERR_INVALID, "too_long", "password", "password is longer than %d characters",
				PASSWORD_MAX);
	return 0;
}

int org_check_parent(int64_t dept, int64_t new_parent, const int64_t *chain, size_t n, lerr *e)
{
	if (new_parent <= 0)
		return 0;
	if (new_parent == dept)
		return lerr_set(e, LERR_INVALID, "cycle", "parent_id", "a department cannot be its own parent");
	for (size_t i = 0; i < n; i++)
		if (chain[i] == dept)
			return lerr_set(e, LERR_INVALID, "cycle", "parent_id",
					"department %lld is below department %lld: moving it there would make a cycle",
					(long long)new_parent, (long long)dept);
	return 0;
}

bool throttle_allows(int64_t count, int64_t first_at, int64_t now, int64_t limit, int64_t window_ms,
		     int *retry_after_s)
{
	if (count < limit || now - first_at >= window_ms)
		return true;
	if (retry_after_s) {
		int64_t left = first_at + window_ms - now;
		*retry_after_s = (int)((left + 999) / 1000);
		if (*retry_after_s < 1)
			*retry_after_s = 1;
	}
	return false;
}

int64_t throttle_delay_ms(int64_t failures)
{
	if (failures < THROTTLE_FREE_FAILURES)
		return 0;
	int64_t d = THROTTLE_DELAY_FIRST_MS;
	for (int64_t n = THROTTLE_FREE_FAILURES; n < failures && d < THROTTLE_DELAY_MAX_MS; n++)
		d *= 2;
	return d < THROTTLE_DELAY_MAX_MS ? d : THROTTLE_DELAY_MAX_MS;
}

bool throttle_pair_allows(int64_t failures, int64_t last_at, int64_t now, int *retry_after_s)
{
	if (last_at > now) /* the clock went back: wait no longer than the delay itself */
		last_at = now;
	if (now - last_at >= THROTTLE_FORGET_MS)
		return true;
	int64_t left = last_at + throttle_delay_ms(failures) - now;
	if (left <= 0)
		return true;
	if (retry_after_s)
		*retry_after_s = (int)((left + 999) / 1000);
	return false;
}

int64_t throttle_pair_failures(int64_t failures, int64_t last_at, int64_t now)
{
	return now - last_at >= THROTTLE_FORGET_MS ? 0 : failures;
}
/* ------------------------------------------------------------------ records as data */

#define F(T, m) .off = offsetof(T, m)
#define N(T, m) .count_off = offsetof(T, m)

static const rfield department_fields[] = {
	{"id", RK_INT, F(department, id)},
	{"name", RK_STR, F(department, name)},
	{"parent_id", RK_ID, F(department, parent_id), .doc = "null for the top of the tree"},
	{"head_user_id", RK_ID, F(department, head_user_id), .doc = "部门负责人"},
	{"version", RK_INT, F(department, version)},
	{"created_at", RK_TIME, F(department, created_at)},
	{"updated_at", RK_TIME, F(department, updated_at)},
	{"liaison_user_ids", RK_IDS, F(department, liaisons), N(department, nliaisons), .doc = "部门联络人"},
};
const rdesc department_desc = RDESC("Department", department_fields, "A department of the organisation");

static const rfield user_fields[] = {
	{"id", RK_INT, F(user, id)},
	{"login", RK_STR, F(user, login)},
	{"name", RK_STR, F(user, name)},
	{"email", RK_STR, F(user, email)},
	{"department_id", RK_ID, F(user, department_id)},
	{"is_admin", RK_BOOL, F(user, is_admin)},
	{"is_coordinator", RK_BOOL, F(user, is_coordinator), .doc = "a designated coordinator (协调人)"},
	{"clearance", RK_ENUM, F(user, clearance), .names = clearance_names},
	{"active", RK_BOOL, F(user, active)},
	{"version", RK_INT, F(user, version)},
	{"created_at", RK_TIME, F(user, created_at)},
	{"updated_at", RK_TIME, F(user, updated_at)},
	{"password_changed", RK_BOOL, F(user, password_changed), .flags = RF_AUDIT | RF_OMIT_FALSE},
};
const rdesc user_desc = RDESC("User", user_fields, "A person of the organisation");

static const rfield delegation_fields[] = {
	{"user_id", RK_INT, F(delegation, user_id), .doc = "who is away"},
	{"deputy_id", RK_INT, F(delegation, deputy_id), .doc = "who acts for them meanwhile"},
	{"deputy_name", RK_STR, F(delegation, deputy_name), .flags = RF_NO_AUDIT},
	{"from", RK_DATE, F(delegation, from), .doc = "first day, inclusive (YYYY-MM-DD)"},
	{"to", RK_DATE, F(delegation, to), .doc = "last day, inclusive (YYYY-MM-DD)"},
	{"active", RK_BOOL, F(delegation, active), .flags = RF_NO_AUDIT, .doc = "today is within from..to"},
};
const rdesc delegation_desc = RDESC("Delegation", delegation_fields, "A deputy while away (代理人)");

int dlg_check_dates(const char *from, const char *to, int64_t today, lerr *e)
{
	int64_t f, t;
	if (!date_valid(from, &f))
		return lerr_set(e, LERR_INVALID, "invalid_date", "from", "from must be a date YYYY-MM-DD");
	if (!date_valid(to, &t))
		return lerr_set(e, LERR_INVALID, "invalid_date", "to", "to must be a date YYYY-MM-DD");
	if (t < f)
		return lerr_set(e, LERR_INVALID, "invalid_value", "to", "to must not be before from");
	if (t < today)
		return lerr_set(e, LERR_INVALID, "date_in_past", "to", "the delegation would already be over");
	if (t - f > 366)
		return lerr_set(e, LERR_INVALID, "invalid_value", "to", "a delegation lasts at most a year");
	return 0;
}

static const rfield setting_fields[] = {
	{"key", RK_STR, F(setting, key)},
	{"value", RK_STR, F(setting, value)},
};
const rdesc setting_desc = RDESC("Setting", setting_fields, "An organisation-wide setting");
