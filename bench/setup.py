"""Benchmark set-up: signs in, creates an API token and N requests; prints the token.

Of the N requests the newest 10 stay drafts and the 10 before them are submitted (so My work holds 20);
the rest are submitted and cancelled (history, not work)."""
import json, sys, urllib.request, http.cookiejar

base, login, password, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
jar = http.cookiejar.CookieJar()
op = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

def call(method, path, body=None, headers=None):
    req = urllib.request.Request(base + path, method=method, data=json.dumps(body).encode() if body is not None else None,
                                 headers={"Content-Type": "application/json", **(headers or {})})
    with op.open(req) as r:
        return json.loads(r.read() or b"null")

csrf = call("POST", "/api/v1/session", {"login": login, "password": password})["csrf_token"]
h = {"X-CSRF-Token": csrf}
token = call("POST", "/api/v1/tokens", {"name": "bench"}, h)["token"]
depts = {d["name"]: d["id"] for d in call("GET", "/api/v1/departments?limit=1000")["items"]}
for i in range(n):
    rq = call("POST", "/api/v1/requests", {
        "title": f"压测需求 {i}", "background": "背景" * 20, "goal": "目标" * 10,
        "success_criteria": ["按期完成", "质量达标"], "due_date": "2099-12-31",
        "involved_department_ids": [depts["平台部"], depts["财务部"]]}, h)
    if i < n - 10:
        call("POST", f"/api/v1/requests/{rq['id']}/submit", None, h)
    if i < n - 20:
        call("POST", f"/api/v1/requests/{rq['id']}/cancel", {"reason": "压测"}, h)
print(token)
