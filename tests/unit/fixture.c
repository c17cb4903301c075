/*
 * fixture.c - the unit tests' shared set-up and clean-up (fixture.h).
 */
#include "fixture.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "err.h"
#include "testkey.h"

int fixture_dir_make(struct fixture_dir *d, const char *name)
{
	const char *tmp = getenv("TMPDIR");
	int n;

	memset(d, 0, sizeof(*d));
	n = snprintf(d->path, sizeof(d->path), "%s/opcert-%s-XXXXXX", tmp && *tmp ? tmp : "/tmp",
	             name);
	if (n < 0 || (size_t)n >= sizeof(d->path)) {
		fprintf(stderr, "fixture: temporary directory name too long\n");
		return -1;
	}
	if (!mkdtemp(d->path)) {
		fprintf(stderr, "fixture: mkdtemp %s: %s\n", d->path, strerror(errno));
		d->path[0] = '\0';
		return -1;
	}
	return fixture_dir_file(d, "opcert.db", d->db, sizeof(d->db));
}

int fixture_dir_file(const struct fixture_dir *d, const char *name, char *out, size_t size)
{
	int n = snprintf(out, size, "%s/%s", d->path, name);

	if (n < 0 || (size_t)n >= size) {
		fprintf(stderr, "fixture: path %s/%s too long\n", d->path, name);
		return -1;
	}
	return 0;
}

/* Everything in the directory path, which is open as dir. */
static int remove_entries(const char *path, DIR *dir)
{
	char sub[4096];
	struct dirent *de;
	int rc = 0;

	while ((de = readdir(dir)) != NULL) {
		int n;

		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		n = snprintf(sub, sizeof(sub), "%s/%s", path, de->d_name);
		if (n < 0 || (size_t)n >= sizeof(sub)) {
			fprintf(stderr, "fixture: path %s/%s too long\n", path, de->d_name);
			rc = -1;
			continue;
		}
		if (fixture_remove(sub) != 0)
			rc = -1;
	}
	return rc;
}

static int empty_dir(const char *path)
{
	DIR *dir;
	int rc;

	if (chmod(path, 0700) != 0 || !(dir = opendir(path))) {
		fprintf(stderr, "fixture: cannot read %s: %s\n", path, strerror(errno));
		return -1;
	}
	rc = remove_entries(path, dir);
	closedir(dir);
	return rc;
}

int fixture_remove(const char *path)
{
	struct stat st;

	if (lstat(path, &st) != 0)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISDIR(st.st_mode)) {
		if (unlink(path) != 0) {
			fprintf(stderr, "fixture: cannot remove %s: %s\n", path, strerror(errno));
			return -1;
		}
		return 0;
	}
	if (empty_dir(path) != 0)
		return -1;
	if (rmdir(path) != 0) {
		fprintf(stderr, "fixture: cannot remove %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

int fixture_dir_empty(const struct fixture_dir *d)
{
	return d->path[0] ? empty_dir(d->path) : 0;
}

int fixture_dir_remove(const struct fixture_dir *d)
{
	return d->path[0] ? fixture_remove(d->path) : 0;
}

int fixture_store(const char *location, struct store **st)
{
	struct err err;

	err_clear(&err);
	*st = NULL;
	if (store_open(location, STORE_CREATE, st, &err) < 0) {
		fprintf(stderr, "fixture: store_open %s: %s\n", location, err.msg);
		return -1;
	}
	if (testkey_attach(*st, &err) < 0) {
		fprintf(stderr, "fixture: data key: %s\n", err.msg);
		store_close(*st);
		*st = NULL;
		return -1;
	}
	return 0;
}

const char *fixture_data_dir(void)
{
	static char dir[4096];
	const char *env = getenv("OPCERT_TESTDATA");
	const char *slash = strrchr(__FILE__, '/');

	if (env && *env)
		return env;
	/* tests/unit/fixture.c -> tests/unit/../data */
	snprintf(dir, sizeof(dir), "%.*s/../data", slash ? (int)(slash - __FILE__) : 1,
	         slash ? __FILE__ : ".");
	return dir;
}
