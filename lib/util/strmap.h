/*
 * strmap.h - a string-keyed hash table (open addressing, linear probing)
 * for the in-memory bookkeeping of imports and rosters: which numbers a
 * file already used and on which line, who claims which certificate.
 *
 * Keys are copied into the map's own arena; entries stay valid until the
 * next strmap_put (the table may grow) or strmap_release.
 */
#ifndef OPCERT_STRMAP_H
#define OPCERT_STRMAP_H

#include <stddef.h>
#include <stdint.h>

struct strmap_entry {
	const char *key; /* NULL = empty slot */
	size_t len;
	uint64_t hash;
	long value;   /* caller's: a line number, a count */
	char aux[24]; /* caller's: a short key such as an ID number */
	int flags;    /* caller's */
};

struct strmap_chunk;

struct strmap {
	struct strmap_entry *slots;
	size_t cap; /* power of two */
	size_t count;
	struct strmap_chunk *chunks;
};

void strmap_init(struct strmap *m);
void strmap_release(struct strmap *m);
/* The entry for key, inserted zeroed (but for the key) when absent, with
 * *created set accordingly.  NULL when out of memory. */
struct strmap_entry *strmap_put(struct strmap *m, const char *key, size_t len, int *created);
/* The entry for key or NULL. */
struct strmap_entry *strmap_get(const struct strmap *m, const char *key, size_t len);

#endif
