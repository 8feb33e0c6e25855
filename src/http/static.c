/* Static files: web/ embedded at build time, or read from --web-dir while developing; the single-page
 * app's index.html for every other GET outside /api/. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/assets.h"
#include "http/http.h"

static const char *CSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
			 "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

static const char *type_of(const char *path)
{
	const char *dot = strrchr(path, '.');
	static const struct { const char *ext, *type; } types[] = {
		{".html", "text/html; charset=utf-8"},  {".js", "text/javascript; charset=utf-8"},
		{".css", "text/css; charset=utf-8"},    {".json", "application/json; charset=utf-8"},
		{".svg", "image/svg+xml"},              {".png", "image/png"},
		{".ico", "image/x-icon"},               {".woff2", "font/woff2"},
		{".txt", "text/plain; charset=utf-8"},
	};
	for (size_t i = 0; dot && i < sizeof types / sizeof types[0]; i++)
		if (strcmp(dot, types[i].ext) == 0)
			return types[i].type;
	return "application/octet-stream";
}

static bool safe_rel(const char *rel)
{
	return *rel && !strstr(rel, "..") && rel[0] != '/' && !strchr(rel, '\\');
}

static void serve_from_disk(req *r, const char *dir, const char *rel)
{
	char path[1024];
	snprintf(path, sizeof path, "%s/%s", dir, rel);
	FILE *f = fopen(path, "rb");
	if (!f) {
		reply_problem(r, 404, "not_found", NULL, "there is nothing at %s", r->path);
		return;
	}
	sbuf b;
	sbuf_init(&b);
	char buf[16384];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		sbuf_add(&b, buf, n);
	fclose(f);
	reply_bytes(r, 200, type_of(rel), b.p ? b.p : "", b.len, true);
	sbuf_release(&b);
	reply_header(r, "Cache-Control", "no-cache");
}

static const web_asset *find_asset(const char *rel)
{
	for (size_t i = 0; i < web_assets_count; i++)
		if (strcmp(web_assets[i].path, rel) == 0)
			return &web_assets[i];
	return NULL;
}

void static_serve(req *r, const char *web_dir)
{
	const char *rel = "index.html";
	if (str_starts_with(r->path, "/static/")) {
		rel = r->path + 8;
		if (!safe_rel(rel)) {
			reply_problem(r, 404, "not_found", NULL, "there is nothing at %s", r->path);
			return;
		}
	} else if (r->path[0] != '/' || strchr(strrchr(r->path, '/'), '.')) {
		/* /favicon.ico and other file-like paths outside /static/ are not pages */
		reply_problem(r, 404, "not_found", NULL, "there is nothing at %s", r->path);
		return;
	}
	if (web_dir) {
		serve_from_disk(r, web_dir, rel);
	} else {
		const web_asset *a = find_asset(rel);
		if (!a) {
			reply_problem(r, 404, "not_found", NULL, "there is nothing at %s", r->path);
			return;
		}
		const char *inm = req_header(r, "If-None-Match");
		if (inm && strcmp(inm, a->etag) == 0) {
			reply_empty(r, 304);
		} else {
			reply_bytes(r, 200, a->content_type, a->data, a->len, false);
		}
		reply_header(r, "ETag", a->etag);
		reply_header(r, "Cache-Control", "no-cache");
	}
	if (strcmp(rel, "index.html") == 0 || str_starts_with(type_of(rel), "text/html")) {
		reply_header(r, "Content-Security-Policy", CSP);
		reply_header(r, "X-Frame-Options", "DENY");
	}
}
