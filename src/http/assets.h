/* The web UI compiled into the binary by tools/embed.c (build/web_assets.c). */
#ifndef LIAISON_HTTP_ASSETS_H
#define LIAISON_HTTP_ASSETS_H
#include <stddef.h>

typedef struct web_asset {
	const char *path;          /* relative to web/, e.g. "app.js" */
	const char *content_type;
	const unsigned char *data;
	size_t len;
	const char *etag;          /* quoted content hash */
} web_asset;

extern const web_asset web_assets[];
extern const size_t web_assets_count;

#endif
