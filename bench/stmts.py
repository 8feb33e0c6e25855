"""Prints the store statements and the answered requests of one route so far, from GET /metrics:
"STATEMENTS REQUESTS".  Usage: stmts.py BASE_URL 'GET /api/v1/requests/{id}'"""
import os, re, sys, urllib.request

base, route = sys.argv[1], sys.argv[2]
# The bench server runs with $LIAISON_METRICS_TOKEN set (bench/run.sh): /metrics is not public.
req = urllib.request.Request(base + "/metrics", headers={"Authorization": "Bearer " + os.environ["LIAISON_METRICS_TOKEN"]})
text = urllib.request.urlopen(req).read().decode()
label = re.escape(route)
st = sum(int(m) for m in re.findall(r'^liaison_db_statements_total\{route="%s"\} (\d+)$' % label, text, re.M))
rq = sum(int(m) for m in re.findall(r'^liaison_http_requests_total\{route="%s",status="\d+"\} (\d+)$' % label, text, re.M))
print(st, rq)
