/* The in-app inbox, "My work" and the live event stream. */
#include <string.h>

#include "api/handlers.h"
#include "domain/request.h"
#include "store/request.h"
#include "util/jsonv.h"

void h_inbox_list(req *r)
{
	int limit;
	int64_t before, next;
	if (!req_page(r, &limit, &before))
		return;
	const char *unread = req_query(r, "unread");
	json_t *items = inbox_list(r->db, &r->who, unread && strcmp(unread, "0") != 0, before, limit, &next);
	json_t *o = json_pack("{s:o, s:o, s:I}", "items", items, "next_cursor",
			      next ? json_sprintf("%lld", (long long)next) : json_null(), "unread_count",
			      (json_int_t)inbox_unread(r->db, &r->who));
	reply_json(r, 200, o);
}

static void push_unread(db *d, int64_t uid)
{
	principal p;
	if (!principal_of(d, uid, &p))
		return;
	char data[64];
	snprintf(data, sizeof data, "{\"unread_count\":%lld}", (long long)inbox_unread(d, &p));
	events_send(uid, "inbox", data);
}

void h_inbox_read(req *r)
{
	if (!inbox_mark_read(r->db, r->who.user_id, r->id[0]))
		return reply_problem(r, 404, "not_found", NULL, "notification %lld does not exist", (long long)r->id[0]);
	push_unread(r->db, r->who.user_id);
	reply_json(r, 200, json_pack("{s:I}", "unread_count", (json_int_t)inbox_unread(r->db, &r->who)));
}

void h_inbox_read_all(req *r)
{
	inbox_mark_read(r->db, r->who.user_id, 0);
	push_unread(r->db, r->who.user_id);
	reply_json(r, 200, json_pack("{s:i}", "unread_count", 0));
}

/* Requests in one status that the caller may see (at most 1000) and that pass `f`, decorated for the caller. */
static json_t *requests_where(req *r, rq_filter f)
{
	int64_t next;
	json_t *items = rq_list(r->db, &r->who, &f, 0, 1000, &next);
	size_t i;
	json_t *x;
	json_array_foreach(items, i, x) request_decorate(r->db, &r->who, x, true);
	return items;
}

static bool has_action(json_t *rq, const char *action)
{
	size_t i;
	json_t *x;
	json_array_foreach(json_object_get(rq, "allowed_actions"), i, x) if (strcmp(json_string_value(x), action) == 0) return true;
	return false;
}

void h_me_work(req *r)
{
	json_t *reviews = json_array(), *assess = json_array(), *decide = json_array(), *drafts = json_array(),
	       *mine = json_array();
	size_t i, k;
	json_t *x;
	/* The SQL narrows to candidates (a reviewer heads the initiating department or one above it; an
	 * assessor is liaison or head of an involved one); allowed_actions then decides. */
	json_t *submitted = requests_where(r, (rq_filter){.status = "submitted", .under_my_headship = true});
	json_array_foreach(submitted, i, x) if (has_action(x, "review")) json_array_append(reviews, x);
	json_t *assessing = requests_where(r, (rq_filter){.status = "assessing", .under_my_headship = !r->who.is_coordinator,
							  .my_departments = false});
	json_t *to_assess = requests_where(r, (rq_filter){.status = "assessing", .my_departments = true});
	json_array_foreach(to_assess, i, x) {
		/* Waiting on one of my departments: an assessment to write. */
		json_t *pending = json_object_get(json_object_get(x, "assessment_progress"), "pending_department_ids");
		json_t *d;
		bool todo = false;
		json_array_foreach(json_object_get(x, "my_department_ids"), k, d) {
			size_t j;
			json_t *p;
			json_array_foreach(pending, j, p) todo |= json_integer_value(p) == json_integer_value(d);
		}
		if (todo && has_action(x, "assess"))
			json_array_append(assess, x);
	}
	json_array_foreach(assessing, i, x) if (has_action(x, "decide")) json_array_append(decide, x);
	int64_t me = r->who.user_id;
	json_t *own[] = {requests_where(r, (rq_filter){.status = "draft", .initiator_id = me}),
			 requests_where(r, (rq_filter){.status = "returned", .initiator_id = me}),
			 requests_where(r, (rq_filter){.status = "submitted", .initiator_id = me}),
			 requests_where(r, (rq_filter){.status = "assessing", .initiator_id = me})};
	for (k = 0; k < 4; k++) {
		json_array_foreach(own[k], i, x) json_array_append(k < 2 ? drafts : mine, x);
		json_decref(own[k]);
	}
	json_decref(submitted);
	json_decref(assessing);
	json_decref(to_assess);
	reply_json(r, 200, json_pack("{s:o, s:o, s:o, s:o, s:o}", "reviews", reviews, "assessments", assess,
				     "decisions", decide, "drafts", drafts, "in_progress", mine));
}

void h_events(req *r)
{
	char data[64];
	snprintf(data, sizeof data, "{\"unread_count\":%lld}", (long long)inbox_unread(r->db, &r->who));
	events_open(r, "inbox", data);
}

/* Installed by the server: live pushes after a commit. */
void inbox_live_init(void)
{
	notify_live_hook = push_unread;
}
