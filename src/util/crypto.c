/* Secrets with libsodium: argon2id password hashes, random tokens, token hashes, constant-time compare. */
#include "util/crypto.h"

#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

static unsigned long long ops = crypto_pwhash_OPSLIMIT_INTERACTIVE;
static size_t mem = crypto_pwhash_MEMLIMIT_INTERACTIVE;

void crypto_set_cost(const char *name)
{
	if (name && strcmp(name, "min") == 0) {
		ops = crypto_pwhash_OPSLIMIT_MIN;
		mem = crypto_pwhash_MEMLIMIT_MIN;
	} else if (name && strcmp(name, "moderate") == 0) {
		ops = crypto_pwhash_OPSLIMIT_MODERATE;
		mem = crypto_pwhash_MEMLIMIT_MODERATE;
	} else {
		ops = crypto_pwhash_OPSLIMIT_INTERACTIVE;
		mem = crypto_pwhash_MEMLIMIT_INTERACTIVE;
	}
}

int crypto_init(void)
{
	if (sodium_init() < 0)
		return -1;
	crypto_set_cost(getenv("LIAISON_PWHASH"));
	return 0;
}

int password_hash(const char *password, char *out, size_t n)
{
	if (n < crypto_pwhash_STRBYTES)
		return -1;
	return crypto_pwhash_str(out, password, strlen(password), ops, mem);
}

bool password_verify(const char *hash, const char *password)
{
	if (!hash || !*hash)
		return false;
	return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

static char dummy_hash[crypto_pwhash_STRBYTES];

static void dummy_init(void)
{
	if (crypto_pwhash_str(dummy_hash, "not a password", 14, ops, mem) != 0)
		dummy_hash[0] = 0;
}

void password_verify_dummy(const char *password)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, dummy_init);
	volatile int r = crypto_pwhash_str_verify(dummy_hash, password, strlen(password));
	(void)r;
}

void token_random(char *out, size_t n)
{
	unsigned char raw[32];
	randombytes_buf(raw, sizeof raw);
	sodium_bin2base64(out, n, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

void token_hash(const char *token, char *out, size_t n)
{
	unsigned char h[32];
	crypto_generichash(h, sizeof h, (const unsigned char *)token, strlen(token), NULL, 0);
	sodium_bin2hex(out, n, h, sizeof h);
}

bool const_eq(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la != lb)
		return false;
	return sodium_memcmp(a, b, la) == 0;
}
