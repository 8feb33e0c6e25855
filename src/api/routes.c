/* The route table compiled from routes.def. */
#include "api/handlers.h"

#define ROUTE(method, pattern, handler, auth, help) {#method, pattern, h_##handler, #handler, auth, help},
const route routes[] = {
#include "api/routes.def"
};
#undef ROUTE

const int routes_count = (int)(sizeof routes / sizeof routes[0]);
