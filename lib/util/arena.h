/*
 * arena.h - a per-request memory arena with a byte cap.
 *
 * What a request allocates dies with it (after h2o's h2o_mem_pool_t):
 * small allocations are carved out of chunks, large ones get a block of
 * their own that can grow in place (arena_grow), so a request body read in
 * pieces costs its size rather than the sum of its doublings.  Every byte
 * taken from malloc counts against the cap given to arena_init: past it an
 * allocation fails with NULL (the server answers 413 or 500), so no
 * request can make the process grow without bound.  Nothing is freed
 * before arena_release, which frees everything and leaves the arena empty
 * and usable again.
 *
 * Not thread-safe: one arena serves one request on one thread at a time.
 * Pointers are aligned for any type.
 */
#ifndef OPCERT_ARENA_H
#define OPCERT_ARENA_H

#include <stddef.h>

/* Bytes of a chunk; an allocation over a quarter of it gets its own block. */
#define ARENA_CHUNK_SIZE 4096
#define ARENA_LARGE_MIN  (ARENA_CHUNK_SIZE / 4)

struct arena_chunk;
struct arena_large;

struct arena {
	struct arena_chunk *chunks; /* the current chunk first */
	size_t chunk_used;          /* bytes used of the current chunk */
	struct arena_large *large;  /* large blocks, newest first */
	size_t total;               /* bytes taken from malloc, headers included */
	size_t cap;                 /* at most this many */
};

/* An empty arena that will take at most cap bytes from malloc (0: no cap). */
void arena_init(struct arena *a, size_t cap);
/* Free everything; the arena is empty again (same cap). */
void arena_release(struct arena *a);

/* size bytes (size 0 gives a valid unique pointer), or NULL past the cap or out of memory. */
void *arena_alloc(struct arena *a, size_t size);
/* The same, zeroed. */
void *arena_zalloc(struct arena *a, size_t size);
/* A NUL-terminated copy of s[0..len), or NULL. */
char *arena_strndup(struct arena *a, const char *s, size_t len);
/*
 * Grow p (from this arena, old_size bytes as asked for; NULL with
 * old_size 0 allocates) to new_size >= old_size, keeping its contents.
 * A large block is reallocated in place; a small one is copied.  Returns
 * the new pointer, or NULL (p is then still valid and unchanged).
 */
void *arena_grow(struct arena *a, void *p, size_t old_size, size_t new_size);

/* Bytes taken from malloc so far. */
size_t arena_used(const struct arena *a);

#endif
