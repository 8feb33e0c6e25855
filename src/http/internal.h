/* Names shared inside the HTTP layer and with the session routes. */
#ifndef LIAISON_HTTP_INTERNAL_H
#define LIAISON_HTTP_INTERNAL_H

#define SESSION_COOKIE "liaison_session"
#define SESSION_TTL_MS (14LL * 24 * 3600 * 1000) /* a session lasts two weeks */

#endif
