/* strmap.c - see strmap.h.  FNV-1a hashing with a 64-bit finaliser; the
 * table stays at most half full. */
#include "strmap.h"

#include <stdlib.h>
#include <string.h>

#define CHUNK_SIZE (64 * 1024)

struct strmap_chunk {
	struct strmap_chunk *next;
	size_t used;
	size_t size;
	char data[];
};

static uint64_t hash_bytes(const char *p, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)p[i];
		h *= 0x100000001b3ULL;
	}
	/* FNV only carries differences upwards; the table indexes by the low
	 * bits, so finish with a full avalanche (MurmurHash3's fmix64). */
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h;
}

void strmap_init(struct strmap *m)
{
	memset(m, 0, sizeof(*m));
}

void strmap_release(struct strmap *m)
{
	struct strmap_chunk *c, *next;

	if (!m)
		return;
	for (c = m->chunks; c; c = next) {
		next = c->next;
		free(c);
	}
	free(m->slots);
	strmap_init(m);
}

static char *arena_copy(struct strmap *m, const char *key, size_t len)
{
	struct strmap_chunk *c = m->chunks;
	char *p;

	if (!c || c->size - c->used < len + 1) {
		size_t size = len + 1 > CHUNK_SIZE ? len + 1 : CHUNK_SIZE;

		c = malloc(sizeof(*c) + size);
		if (!c)
			return NULL;
		c->size = size;
		c->used = 0;
		c->next = m->chunks;
		m->chunks = c;
	}
	p = c->data + c->used;
	memcpy(p, key, len);
	p[len] = '\0';
	c->used += len + 1;
	return p;
}

static struct strmap_entry *find_slot(struct strmap_entry *slots, size_t cap, const char *key,
                                      size_t len, uint64_t h)
{
	size_t i = (size_t)h & (cap - 1);

	for (;;) {
		struct strmap_entry *e = &slots[i];

		if (!e->key || (e->hash == h && e->len == len && memcmp(e->key, key, len) == 0))
			return e;
		i = (i + 1) & (cap - 1);
	}
}

static int grow(struct strmap *m)
{
	size_t cap = m->cap ? m->cap * 2 : 1024, i;
	struct strmap_entry *slots = calloc(cap, sizeof(*slots));

	if (!slots)
		return -1;
	for (i = 0; i < m->cap; i++) {
		struct strmap_entry *e = &m->slots[i];

		if (e->key)
			*find_slot(slots, cap, e->key, e->len, e->hash) = *e;
	}
	free(m->slots);
	m->slots = slots;
	m->cap = cap;
	return 0;
}

struct strmap_entry *strmap_put(struct strmap *m, const char *key, size_t len, int *created)
{
	uint64_t h = hash_bytes(key, len);
	struct strmap_entry *e;

	*created = 0;
	if ((m->count + 1) * 2 > m->cap && grow(m) < 0)
		return NULL;
	e = find_slot(m->slots, m->cap, key, len, h);
	if (e->key)
		return e;
	e->key = arena_copy(m, key, len);
	if (!e->key)
		return NULL;
	e->len = len;
	e->hash = h;
	m->count++;
	*created = 1;
	return e;
}

struct strmap_entry *strmap_get(const struct strmap *m, const char *key, size_t len)
{
	struct strmap_entry *e;

	if (!m->cap)
		return NULL;
	e = find_slot(m->slots, m->cap, key, len, hash_bytes(key, len));
	return e->key ? e : NULL;
}
