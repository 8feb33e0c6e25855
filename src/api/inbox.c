/* The in-app inbox, "My work" and the live event stream — routes and handlers. */
#include <string.h>

#include "api/api.h"
#include "ops/request.h"
#include "jobs/jobs.h"
#include "store/inbox.h"

typedef struct inbox_query {
	unsigned set;
	bool unread;
} inbox_query;

static const jfield inbox_query_fields[] = {
	{"unread", JF_BOOL, 0, 0, 0, AT(inbox_query, unread), .bit = 1, .doc = "1: unread only"},
};

static void inbox_list_h(req *r)
{
	const inbox_query *q = r->q;
	int64_t next;
	json_t *items = inbox_list(r->db, &r->who, q->unread, r->cursor, r->limit, &next);
	json_t *o = json_pack("{s:o, s:o, s:I}", "items", items, "next_cursor",
			      next ? json_sprintf("%lld", (long long)next) : json_null(), "unread_count",
			      (json_int_t)inbox_unread(r->db, &r->who));
	reply_json(r, 200, o);
}

static void push_unread(db *d, int64_t uid)
{
	principal p;
	if (!principal_of(d, NULL, uid, &p))
		return;
	char data[64];
	snprintf(data, sizeof data, "{\"unread_count\":%lld}", (long long)inbox_unread(d, &p));
	events_send(uid, "inbox", data);
}

/* On a store with several servers (db_has_events), what a commit changed reaches every server's open pages
 * through the store's events (api_event, on the listener's connection), this one's included: the hooks
 * below then push nothing themselves. */
void api_delivered(db *d, const int64_t *users, size_t n)
{
	for (size_t i = 0; !db_has_events(d) && i < n; i++)
		push_unread(d, users[i]);
}

/* After a commit that told someone or moved their count: deliver the outbox now, on this thread (so
 * whoever was told finds it at once), and push the new unread counts; what fails here the worker
 * delivers later. */
static void after_commit(db *d, const int64_t *users, size_t n)
{
	if (jobs_deliver_outbox(d, api_delivered) < 0)
		jobs_kick();
	/* Those whose items the change made done, without telling them anything. */
	for (size_t i = 0; !db_has_events(d) && i < n; i++)
		push_unread(d, users[i]);
}

/* Each open page whose user may see a changed entity hears `event: change` with {"entity","id"}, and
 * reloads what it shows of it.  Who may not see it hears nothing, not even that it exists. */
static void tell_pages(db *d, const op_notice *changed, size_t n)
{
	arena *a = arena_new();
	int64_t *uids;
	size_t nu = events_users(a, &uids);
	for (size_t k = 0; k < n; k++)
		for (size_t i = 0; i < nu; i++)
			if (op_user_may_see(d, uids[i], changed[k].kind, changed[k].entity_id)) {
				char data[96];
				snprintf(data, sizeof data, "{\"entity\":\"%s\",\"id\":%lld}", changed[k].kind,
					 (long long)changed[k].entity_id);
				events_send(uids[i], "change", data);
			}
	arena_free(a);
}

static void after_change(db *d, const op_notice *changed, size_t n)
{
	if (!db_has_events(d))
		tell_pages(d, changed, n);
}

void api_event(db *d, const char *payload)
{
	json_t *ev = json_loads(payload, 0, NULL), *items = json_object_get(ev, "x"), *it;
	size_t i;
	arena *a = arena_new();
	int64_t *uids;
	size_t nu = events_users(a, &uids); /* only what someone here has open is worth a query */
	op_notice *changed = arena_alloc(a, (json_array_size(items) + 1) * sizeof *changed);
	size_t nc = 0;
	json_array_foreach(items, i, it)
	{
		const char *what = json_string_value(json_array_get(it, 0));
		if (what && strcmp(what, "u") == 0) {
			int64_t uid = json_integer_value(json_array_get(it, 1));
			for (size_t k = 0; k < nu; k++)
				if (uids[k] == uid) {
					push_unread(d, uid);
					break;
				}
		} else if (what && strcmp(what, "c") == 0 && json_is_string(json_array_get(it, 1))) {
			changed[nc++] = (op_notice){0, json_integer_value(json_array_get(it, 2)),
						    arena_strdup(a, json_string_value(json_array_get(it, 1)))};
		}
	}
	if (nc && nu)
		tell_pages(d, changed, nc);
	json_decref(ev);
	arena_free(a);
}

void api_live_init(void)
{
	op_after_commit = after_commit;
	op_after_change = after_change;
}

static void mark_read(req *r, int64_t id)
{
	int64_t unread = 0;
	lerr e = {0};
	if (op_inbox_read(api_ctx(r), id, &unread, &e))
		return reply_err(r, &e);
	if (!db_has_events(r->db)) /* else the store's event does (op_inbox_read recounts) */
		push_unread(r->db, r->who.user_id);
	reply_json(r, 200, json_pack("{s:I}", "unread_count", (json_int_t)unread));
}

static void inbox_read(req *r)
{
	mark_read(r, r->id[0]);
}

static void inbox_read_all(req *r)
{
	mark_read(r, 0);
}

typedef struct work_query {
	unsigned set;
	int list;
} work_query;

static const jfield work_query_fields[] = {
	{"list", JF_ENUM, 0, 0, 0, AT(work_query, list), .bit = 1, .values = work_list_names,
	 .doc = "one list, paged with limit and cursor"},
};

/* Without `list`: every list's first page, and in next_cursors the lists that have more (paged with
 * list=NAME&cursor=...).  With `list`: that list's page as {"items","next_cursor"}. */
static void me_work(req *r)
{
	const work_query *q = r->q;
	lerr e = {0};
	if (q->set & 1) {
		work_list l;
		if (op_my_work_list(api_ctx(r), q->list, r->cursor, r->limit, &l, &e))
			return reply_err(r, &e);
		return reply_records(r, &request_view_desc, l.items, l.n, sizeof *l.items, RV_FULL, l.next);
	}
	my_work w;
	if (op_my_work(api_ctx(r), r->limit, &w, &e))
		return reply_err(r, &e);
	sbuf b;
	sbuf_init(&b);
	sbuf_adds(&b, "{");
	for (int k = 0; k < WORK_ALL_LISTS; k++) {
		sbuf_printf(&b, "%s\"%s\":[", k ? "," : "", work_list_names[k]);
		for (size_t i = 0; i < w.lists[k].n; i++) {
			if (i)
				sbuf_adds(&b, ",");
			rec_write(&b, &request_view_desc, &w.lists[k].items[i], RV_FULL);
		}
		sbuf_adds(&b, "]");
	}
	sbuf_adds(&b, ",\"next_cursors\":{");
	for (int k = 0, first = 1; k < WORK_ALL_LISTS; k++)
		if (w.lists[k].next) {
			sbuf_printf(&b, "%s\"%s\":\"%lld\"", first ? "" : ",", work_list_names[k], (long long)w.lists[k].next);
			first = 0;
		}
	sbuf_adds(&b, "}}");
	reply_bytes(r, 200, "application/json", b.p, b.len, true);
	sbuf_release(&b);
}

static void events(req *r)
{
	char data[64];
	snprintf(data, sizeof data, "{\"unread_count\":%lld}", (long long)inbox_unread(r->db, &r->who));
	events_open(r, "inbox", data);
}

#define INBOX_SCHEMA                                                                                              \
	"{\"type\":\"object\",\"properties\":{\"items\":{\"type\":\"array\",\"items\":{\"$ref\":\"#/components/schemas/Notification\"}}," \
	"\"next_cursor\":{\"type\":[\"string\",\"null\"]},\"unread_count\":{\"type\":\"integer\"}},"              \
	"\"required\":[\"items\",\"next_cursor\",\"unread_count\"]}"
#define UNREAD_SCHEMA "{\"type\":\"object\",\"properties\":{\"unread_count\":{\"type\":\"integer\"}},\"required\":[\"unread_count\"]}"
#define WORK_LIST "{\"type\":\"array\",\"items\":{\"$ref\":\"#/components/schemas/Request\"}}"
#define WORK_SCHEMA                                                                                          \
	"{\"type\":\"object\",\"properties\":{\"reviews\":" WORK_LIST ",\"assessments\":" WORK_LIST             \
	",\"decisions\":" WORK_LIST ",\"drafts\":" WORK_LIST ",\"in_progress\":" WORK_LIST ","               \
	"\"delegated\":" WORK_LIST ","                                                                     \
	"\"next_cursors\":{\"type\":\"object\",\"additionalProperties\":{\"type\":\"string\"},"            \
	"\"description\":\"the lists that have more, with the cursor of their next page\"}},"                \
	"\"required\":[\"reviews\",\"assessments\",\"decisions\",\"drafts\",\"in_progress\",\"delegated\"]}"

const route inbox_routes[] = {
	{"GET", "/api/v1/inbox", inbox_list_h, "inbox_list", AUTH_USER,
	 "The caller's notifications, newest first, with unread_count; unread=1 for unread only",
	 QUERY(inbox_query_fields, inbox_query), .paged = true, .response_schema = INBOX_SCHEMA},
	{"POST", "/api/v1/inbox/{id}/read", inbox_read, "inbox_read", AUTH_USER, "Mark one notification as read",
	 .response_schema = UNREAD_SCHEMA},
	{"POST", "/api/v1/inbox/read-all", inbox_read_all, "inbox_read_all", AUTH_USER,
	 "Mark every notification of the caller as read", .response_schema = UNREAD_SCHEMA},
	{"GET", "/api/v1/me/work", me_work, "me_work", AUTH_USER,
	 "What waits for the caller: reviews, assessments, decisions, drafts and returned requests; list=NAME pages one",
	 QUERY(work_query_fields, work_query), .paged = true, .response_schema = WORK_SCHEMA},
	{"GET", "/api/v1/events", events, "events", AUTH_USER,
	 "Server-sent events: the unread count whenever the caller is notified",
	 .response_schema = "{\"type\":\"string\",\"description\":\"text/event-stream\"}"},
};
const size_t inbox_routes_n = API_ROUTES_N(inbox_routes);
