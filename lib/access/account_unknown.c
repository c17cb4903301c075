/*
 * account_unknown.c - the failures of logins that name no account
 * (account.h, struct account_unknown).
 *
 * Threat model: someone who tries logins to learn which exist.  An account
 * locks after ACCOUNT_LOCK_FAILURES failures in a row; a login that names
 * none must lock after as many, for as long, or the difference names the
 * accounts.  The table is one fixed array, searched from end to end under
 * one lock: a sign-in has just spent an Argon2id hash (tens of
 * milliseconds), next to which a pass over a few thousand entries is
 * nothing, and a full table forgets the entry counted longest ago in the
 * same pass.  Whoever fills it with other logins can make it forget one,
 * but only at the per-client sign-in rate, one Argon2id hash each.
 *
 * What a caller typed as a login may be a password, so it is kept only as
 * a keyed BLAKE2b-128 hash under a random key made with the table, and the
 * table is wiped when freed.
 */
#include "account.h"

#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#define KEY_BYTES 16

struct unknown_entry {
	unsigned char key[KEY_BYTES];
	uint64_t counted;     /* when it was last counted, in the table's order; 0 = free */
	int64_t locked_until; /* unix seconds; 0 or past = not locked */
	int failures;         /* in a row, since the last lock */
};

struct account_unknown {
	pthread_mutex_t mu;
	unsigned char hash_key[crypto_generichash_KEYBYTES];
	uint64_t clock; /* the last `counted` handed out */
	size_t capacity, used;
	struct unknown_entry *entries;
};

struct account_unknown *account_unknown_new(size_t capacity)
{
	struct account_unknown *u;

	if (capacity == 0 || capacity > SIZE_MAX / sizeof(struct unknown_entry) ||
	    sodium_init() < 0)
		return NULL;
	u = calloc(1, sizeof(*u));
	if (!u)
		return NULL;
	u->entries = calloc(capacity, sizeof(*u->entries));
	if (!u->entries || pthread_mutex_init(&u->mu, NULL) != 0) {
		free(u->entries);
		free(u);
		return NULL;
	}
	u->capacity = capacity;
	crypto_generichash_keygen(u->hash_key);
	return u;
}

void account_unknown_free(struct account_unknown *u)
{
	if (!u)
		return;
	pthread_mutex_destroy(&u->mu);
	sodium_memzero(u->entries, u->capacity * sizeof(*u->entries));
	sodium_memzero(u->hash_key, sizeof(u->hash_key));
	free(u->entries);
	free(u);
}

/* The entry of key, or the one to reuse for it (a free one, else the one
 * counted longest ago, cleared). */
static struct unknown_entry *find(struct account_unknown *u, const unsigned char *key)
{
	struct unknown_entry *e, *oldest = &u->entries[0];
	size_t i;

	for (i = 0; i < u->capacity; i++) {
		e = &u->entries[i];
		if (e->counted && sodium_memcmp(e->key, key, KEY_BYTES) == 0)
			return e;
		if (e->counted < oldest->counted)
			oldest = e;
	}
	if (oldest->counted)
		u->used--;
	memset(oldest, 0, sizeof(*oldest));
	memcpy(oldest->key, key, KEY_BYTES);
	u->used++;
	return oldest;
}

enum account_login_result account_unknown_fail(struct account_unknown *u, const char *login,
                                               int64_t now, int64_t *retry_after)
{
	enum account_login_result r = ACCOUNT_LOGIN_BAD;
	unsigned char key[KEY_BYTES];
	struct unknown_entry *e;

	*retry_after = 0;
	if (!login)
		login = "";
	crypto_generichash(key, sizeof(key), (const unsigned char *)login, strlen(login),
	                   u->hash_key, sizeof(u->hash_key));
	pthread_mutex_lock(&u->mu);
	e = find(u, key);
	e->counted = ++u->clock;
	if (e->locked_until > now) {
		/* As for an account: a failure while locked is not counted. */
		r = ACCOUNT_LOGIN_LOCKED;
		*retry_after = e->locked_until - now;
	} else if (++e->failures >= ACCOUNT_LOCK_FAILURES) {
		e->failures = 0;
		e->locked_until = now + ACCOUNT_LOCK_SECONDS;
		r = ACCOUNT_LOGIN_LOCKED;
		*retry_after = ACCOUNT_LOCK_SECONDS;
	}
	pthread_mutex_unlock(&u->mu);
	sodium_memzero(key, sizeof(key));
	return r;
}

size_t account_unknown_count(struct account_unknown *u)
{
	size_t n;

	pthread_mutex_lock(&u->mu);
	n = u->used;
	pthread_mutex_unlock(&u->mu);
	return n;
}
