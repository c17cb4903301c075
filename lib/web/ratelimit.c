/* ratelimit.c - see ratelimit.h */
#include "ratelimit.h"

#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#define UNIT      60000 /* units of one token */
#define NSHARDS   64
#define MAX_RATE  1000000u
#define MAX_BURST 1000000u
#define MAX_TOTAL (1u << 24) /* clients */

struct bucket {
	uint64_t hash;
	int64_t units; /* tokens * UNIT */
	int64_t last_ms;
	uint8_t key[RATELIMIT_KEY_MAX];
	uint8_t len; /* 0: an empty slot */
};

struct shard {
	pthread_mutex_t lock;
	struct bucket *slot;
	size_t mask;  /* table size - 1 (a power of two) */
	size_t count; /* buckets in use */
};

struct ratelimit {
	int64_t rate; /* units gained a millisecond (= per_minute) */
	int64_t cap;  /* burst * UNIT */
	size_t per_shard;
	unsigned char hkey[crypto_shorthash_KEYBYTES];
	struct shard shard[NSHARDS];
};

struct ratelimit *ratelimit_new(unsigned per_minute, unsigned burst, size_t max_clients)
{
	struct ratelimit *rl;
	size_t size, i;

	if (per_minute < 1 || per_minute > MAX_RATE || burst < 1 || burst > MAX_BURST ||
	    max_clients < NSHARDS || max_clients > MAX_TOTAL)
		return NULL;
	if (sodium_init() < 0)
		return NULL;
	rl = calloc(1, sizeof(*rl));
	if (!rl)
		return NULL;
	rl->rate = per_minute;
	rl->cap = (int64_t)burst * UNIT;
	rl->per_shard = (max_clients + NSHARDS - 1) / NSHARDS;
	crypto_shorthash_keygen(rl->hkey);
	/* At most three quarters full: probes stay short. */
	for (size = 8; size < rl->per_shard + rl->per_shard / 3 + 1; size *= 2)
		;
	for (i = 0; i < NSHARDS; i++) {
		struct shard *s = &rl->shard[i];

		s->slot = calloc(size, sizeof(*s->slot));
		if (!s->slot || pthread_mutex_init(&s->lock, NULL) != 0) {
			free(s->slot);
			s->slot = NULL;
			ratelimit_free(rl);
			return NULL;
		}
		s->mask = size - 1;
	}
	return rl;
}

void ratelimit_free(struct ratelimit *rl)
{
	size_t i;

	if (!rl)
		return;
	for (i = 0; i < NSHARDS; i++) {
		if (!rl->shard[i].slot)
			break;
		pthread_mutex_destroy(&rl->shard[i].lock);
		free(rl->shard[i].slot);
	}
	sodium_memzero(rl->hkey, sizeof(rl->hkey));
	free(rl);
}

static uint64_t hash_key(const struct ratelimit *rl, const void *key, size_t len)
{
	unsigned char out[crypto_shorthash_BYTES];
	uint64_t h;

	crypto_shorthash(out, key, len, rl->hkey);
	memcpy(&h, out, sizeof(h));
	return h;
}

/* 1 when the bucket has refilled by now: a new client would be the same. */
static int idle(const struct ratelimit *rl, const struct bucket *b, int64_t now_ms)
{
	int64_t elapsed = now_ms - b->last_ms;

	if (elapsed <= 0)
		return b->units >= rl->cap;
	return elapsed >= (rl->cap - b->units + rl->rate - 1) / rl->rate;
}

/* Remove slot i, moving later members of its cluster back (no tombstones). */
static void remove_at(struct shard *s, size_t i)
{
	size_t j = i, home;

	for (;;) {
		j = (j + 1) & s->mask;
		if (!s->slot[j].len)
			break;
		home = (size_t)s->slot[j].hash & s->mask;
		/* The entry at j stays when its home lies cyclically in (i, j]. */
		if (i <= j ? (i < home && home <= j) : (i < home || home <= j))
			continue;
		s->slot[i] = s->slot[j];
		i = j;
	}
	s->slot[i].len = 0;
	s->count--;
}

/* Make room for one more client in a full shard. */
static void evict(const struct ratelimit *rl, struct shard *s, int64_t now_ms)
{
	size_t i = 0, oldest = SIZE_MAX, removed = 0;

	while (i <= s->mask) {
		if (s->slot[i].len && idle(rl, &s->slot[i], now_ms)) {
			/* Slot i now holds what moved back into it: look again. */
			remove_at(s, i);
			removed++;
			continue;
		}
		i++;
	}
	if (removed)
		return;
	for (i = 0; i <= s->mask; i++)
		if (s->slot[i].len &&
		    (oldest == SIZE_MAX || s->slot[i].last_ms < s->slot[oldest].last_ms))
			oldest = i;
	if (oldest != SIZE_MAX)
		remove_at(s, oldest);
}

int ratelimit_take(struct ratelimit *rl, const void *key, size_t len, int64_t now_ms,
                   unsigned *retry_after)
{
	uint64_t h;
	struct shard *s;
	struct bucket *b;
	size_t i;
	int64_t elapsed, need, wait_ms;
	int ok;

	if (len < 1 || len > RATELIMIT_KEY_MAX)
		len = len < 1 ? 0 : RATELIMIT_KEY_MAX;
	h = hash_key(rl, key, len);
	s = &rl->shard[h >> 58]; /* the top six bits: NSHARDS = 64 */
	pthread_mutex_lock(&s->lock);
	for (;;) {
		for (i = (size_t)h & s->mask; s->slot[i].len; i = (i + 1) & s->mask)
			if (s->slot[i].hash == h && s->slot[i].len == len + 1 &&
			    memcmp(s->slot[i].key, key, len) == 0)
				break;
		if (s->slot[i].len || s->count < rl->per_shard)
			break;
		evict(rl, s, now_ms);
	}
	b = &s->slot[i];
	if (!b->len) {
		/* A new client starts with a full bucket. */
		b->hash = h;
		memcpy(b->key, key, len);
		b->len = (uint8_t)(len + 1);
		b->units = rl->cap;
		b->last_ms = now_ms;
		s->count++;
	}
	elapsed = now_ms - b->last_ms;
	if (elapsed > 0) {
		if (elapsed >= (rl->cap - b->units) / rl->rate + 1)
			b->units = rl->cap;
		else
			b->units += elapsed * rl->rate;
		b->last_ms = now_ms;
	}
	ok = b->units >= UNIT;
	if (ok) {
		b->units -= UNIT;
	} else if (retry_after) {
		need = UNIT - b->units;
		wait_ms = (need + rl->rate - 1) / rl->rate;
		*retry_after = (unsigned)((wait_ms + 999) / 1000);
		if (*retry_after < 1)
			*retry_after = 1;
	}
	pthread_mutex_unlock(&s->lock);
	return ok;
}

size_t ratelimit_clients(struct ratelimit *rl)
{
	size_t i, n = 0;

	for (i = 0; i < NSHARDS; i++) {
		pthread_mutex_lock(&rl->shard[i].lock);
		n += rl->shard[i].count;
		pthread_mutex_unlock(&rl->shard[i].lock);
	}
	return n;
}

size_t ratelimit_capacity(const struct ratelimit *rl)
{
	return rl->per_shard * NSHARDS;
}
