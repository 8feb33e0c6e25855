/* Names shared inside the HTTP layer and with the session routes. */
#ifndef LIAISON_HTTP_INTERNAL_H
#define LIAISON_HTTP_INTERNAL_H

#define SESSION_COOKIE "liaison_session"

#include <microhttpd.h>
#include <stdbool.h>

/* The connection guard (src/http/guard.c): closes connections that send no complete request head
 * within header_timeout_s of opening (or of their last answer). */
void guard_start(unsigned header_timeout_s);
void guard_stop(void);
/* From the connection notification: started, or closed. */
void guard_connection(struct MHD_Connection *conn, void **socket_ctx, bool started);
/* A request head is complete (first call of the access handler); its answer is done. */
void guard_request_begins(struct MHD_Connection *conn);
void guard_request_ends(struct MHD_Connection *conn);

#endif
