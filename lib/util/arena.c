/* arena.c - see arena.h */
#include "arena.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define ALIGN _Alignof(max_align_t)

/* Headers padded so that what follows them is aligned for any type. */
struct arena_chunk {
	union {
		struct arena_chunk *next;
		max_align_t align_;
	} h;
	unsigned char data[ARENA_CHUNK_SIZE];
};

struct arena_large {
	union {
		struct {
			struct arena_large *next, *prev;
			size_t size;
		} s;
		max_align_t align_;
	} h;
	/* the block's bytes follow */
};

static size_t round_up(size_t n)
{
	return (n + ALIGN - 1) & ~(ALIGN - 1);
}

void arena_init(struct arena *a, size_t cap)
{
	memset(a, 0, sizeof(*a));
	a->cap = cap;
}

void arena_release(struct arena *a)
{
	size_t cap = a->cap;

	while (a->chunks) {
		struct arena_chunk *next = a->chunks->h.next;

		free(a->chunks);
		a->chunks = next;
	}
	while (a->large) {
		struct arena_large *next = a->large->h.s.next;

		free(a->large);
		a->large = next;
	}
	arena_init(a, cap);
}

/* 1 when n more bytes stay within the cap. */
static int fits(const struct arena *a, size_t n)
{
	if (a->cap == 0)
		return n <= SIZE_MAX - a->total;
	return a->total <= a->cap && n <= a->cap - a->total;
}

static void *large_data(struct arena_large *l)
{
	return (unsigned char *)l + sizeof(*l);
}

static struct arena_large *large_of(void *p)
{
	return (struct arena_large *)(void *)((unsigned char *)p - sizeof(struct arena_large));
}

static void *alloc_large(struct arena *a, size_t size)
{
	struct arena_large *l;
	size_t n;

	if (size > SIZE_MAX - sizeof(*l))
		return NULL;
	n = sizeof(*l) + size;
	if (!fits(a, n) || !(l = malloc(n)))
		return NULL;
	a->total += n;
	l->h.s.size = size;
	l->h.s.prev = NULL;
	l->h.s.next = a->large;
	if (a->large)
		a->large->h.s.prev = l;
	a->large = l;
	return large_data(l);
}

void *arena_alloc(struct arena *a, size_t size)
{
	struct arena_chunk *c;
	void *p;

	if (size > ARENA_LARGE_MIN)
		return alloc_large(a, size);
	size = round_up(size ? size : 1);
	if (!a->chunks || ARENA_CHUNK_SIZE - a->chunk_used < size) {
		if (!fits(a, sizeof(*c)) || !(c = malloc(sizeof(*c))))
			return NULL;
		a->total += sizeof(*c);
		c->h.next = a->chunks;
		a->chunks = c;
		a->chunk_used = 0;
	}
	p = a->chunks->data + a->chunk_used;
	a->chunk_used += size;
	return p;
}

void *arena_zalloc(struct arena *a, size_t size)
{
	void *p = arena_alloc(a, size);

	if (p)
		memset(p, 0, size);
	return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t len)
{
	char *p;

	if (len == SIZE_MAX || !(p = arena_alloc(a, len + 1)))
		return NULL;
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

void *arena_grow(struct arena *a, void *p, size_t old_size, size_t new_size)
{
	struct arena_large *l, *nl;
	void *q;

	if (!p || old_size <= ARENA_LARGE_MIN) {
		q = arena_alloc(a, new_size);
		if (q && p && old_size)
			memcpy(q, p, old_size);
		return q;
	}
	/* A large block: realloc it and mend the list around it. */
	l = large_of(p);
	if (new_size <= l->h.s.size)
		return p;
	if (new_size > SIZE_MAX - sizeof(*l) || !fits(a, new_size - l->h.s.size))
		return NULL;
	nl = realloc(l, sizeof(*l) + new_size);
	if (!nl)
		return NULL;
	a->total += new_size - nl->h.s.size;
	nl->h.s.size = new_size;
	if (nl->h.s.prev)
		nl->h.s.prev->h.s.next = nl;
	else
		a->large = nl;
	if (nl->h.s.next)
		nl->h.s.next->h.s.prev = nl;
	return large_data(nl);
}

size_t arena_used(const struct arena *a)
{
	return a->total;
}
