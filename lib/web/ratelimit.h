/*
 * ratelimit.h - per-client token buckets, for the server's public routes.
 *
 * Each client (a key the caller forms from its address: the IPv4 address,
 * or the /64 of an IPv6 one, which is what one subscriber gets) has a
 * bucket of `burst` tokens that refills at `per_minute` tokens a minute.
 * A request takes a token, or is refused with the whole seconds until one
 * is back (the Retry-After of a 429).
 *
 * Threat model: clients on the Internet who want to read the register one
 * number at a time, or to exhaust the server's memory with many addresses.
 * Memory is therefore fixed when the limiter is made (about 64 bytes for
 * each of max_clients), split into shards with a lock each so that threads
 * rarely wait on one another.  A full shard first forgets the clients whose
 * bucket has refilled (an idle client is the same as a new one), and when
 * none has, the client seen longest ago.  Keys are hashed with a random
 * SipHash key, so nobody can aim many addresses at one shard.
 *
 * Tokens are counted exactly in integers: 1 token = 60000 units and a
 * bucket gains per_minute units a millisecond.  Times are milliseconds of
 * a monotonic clock, from the caller (tests pass their own).
 */
#ifndef OPCERT_RATELIMIT_H
#define OPCERT_RATELIMIT_H

#include <stddef.h>
#include <stdint.h>

#define RATELIMIT_KEY_MAX 16 /* an IPv6 address */

struct ratelimit;

/*
 * A limiter of per_minute requests a minute with bursts of burst (both at
 * least 1) for at most max_clients clients at a time (at least 64).  NULL
 * when out of memory or the arguments are out of range.
 */
struct ratelimit *ratelimit_new(unsigned per_minute, unsigned burst, size_t max_clients);
void ratelimit_free(struct ratelimit *rl);

/*
 * Take a token for the client key[0..len) (len <= RATELIMIT_KEY_MAX) at
 * now_ms.  Returns 1 when the request may go on, 0 when it is refused,
 * with *retry_after (may be NULL) set to the whole seconds, at least 1,
 * after which a token will be there.  Thread-safe.
 */
int ratelimit_take(struct ratelimit *rl, const void *key, size_t len, int64_t now_ms,
                   unsigned *retry_after);

/* Clients tracked now (for tests and statistics). */
size_t ratelimit_clients(struct ratelimit *rl);
/* The most clients it will ever track (max_clients rounded to its shards). */
size_t ratelimit_capacity(const struct ratelimit *rl);

#endif
