/*
 * fixture.h - what the unit tests share to set up and clean up: a private
 * temporary directory with the path of a database in it, a fresh store with
 * the test data key attached (testkey.h), recursive removal, and the
 * directory of tests/data.  Linked into every unit test (CMakeLists.txt:
 * the fixture*.c files of tests/unit/).
 *
 * Functions return 0, or -1 with the reason printed on stderr, so a cmocka
 * setup can return their result and a test can assert it.
 */
#ifndef OPCERT_FIXTURE_H
#define OPCERT_FIXTURE_H

#include <stddef.h>

#include "store.h"

#define FIXTURE_PATH_SIZE 256
#define FIXTURE_FILE_SIZE (FIXTURE_PATH_SIZE + 64) /* a file in the directory */

/* A test's private directory. */
struct fixture_dir {
	char path[FIXTURE_PATH_SIZE]; /* $TMPDIR/opcert-NAME-XXXXXX (/tmp without TMPDIR) */
	char db[FIXTURE_FILE_SIZE];   /* PATH/opcert.db, not created */
};

/* Make a new private directory for the test NAME (mode 0700). */
int fixture_dir_make(struct fixture_dir *d, const char *name);
/* out = PATH/NAME; -1 when it does not fit in size bytes. */
int fixture_dir_file(const struct fixture_dir *d, const char *name, char *out, size_t size);
/* Remove everything in the directory, at any depth, and keep it. */
int fixture_dir_empty(const struct fixture_dir *d);
/* Remove the directory and everything in it. */
int fixture_dir_remove(const struct fixture_dir *d);

/*
 * Remove path: a file, a symbolic link (not what it points to) or a
 * directory with everything in it, at any depth.  A directory a test made
 * unreadable is given its owner's permissions back first.  A path that
 * does not exist is not an error.
 */
int fixture_remove(const char *path);

/* Create a store at location (a file, or ":memory:") with the test data
 * key attached: 0 and *st, or -1. */
int fixture_store(const char *location, struct store **st);

/* The directory of tests/data: $OPCERT_TESTDATA (ctest sets it), else the
 * one beside tests/unit/, found from this file's path. */
const char *fixture_data_dir(void);

#endif
