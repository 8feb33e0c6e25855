/* Secrets: password hashes (argon2id), random tokens and their stored hashes, constant-time compare. */
#ifndef LIAISON_UTIL_CRYPTO_H
#define LIAISON_UTIL_CRYPTO_H
#include <stdbool.h>
#include <stddef.h>

int crypto_init(void);
/* Cost of new password hashes: "min" (tests), "interactive" (default) or "moderate"; from $LIAISON_PWHASH. */
void crypto_set_cost(const char *name);
/* Hashes a password into out (>= 128 bytes).  0 or -1 (out of memory). */
int password_hash(const char *password, char *out, size_t n);
bool password_verify(const char *hash, const char *password);
/* Burns the same time as a verification, so unknown logins cannot be told apart by timing. */
void password_verify_dummy(const char *password);
/* A random URL-safe token of 43 characters into out (>= 44 bytes). */
void token_random(char *out, size_t n);
/* Hex BLAKE2b-256 of a token into out (>= 65 bytes): what the store keeps. */
void token_hash(const char *token, char *out, size_t n);
bool const_eq(const char *a, const char *b);

#endif
