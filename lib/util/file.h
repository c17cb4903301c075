/*
 * file.h - a whole file read into memory, with a size cap: the one loader
 * behind the files users hand in (text.h converts what it reads), photos
 * and scanned images, checkpoints kept elsewhere and the web pages.
 *
 * Key and passphrase files are not read here: keys.c opens them with
 * O_NOFOLLOW into guarded memory and wipes them after use, and the
 * server's TLS key is wiped the same way (serve.c).
 */
#ifndef OPCERT_FILE_H
#define OPCERT_FILE_H

#include <stddef.h>

#include "err.h"

/*
 * Read path whole into a malloc'd *data, NUL-terminated (*len without the
 * NUL; the bytes may hold NULs of their own), at most max bytes.  A regular
 * file costs one allocation; a pipe or a device is read in chunks.  A file
 * the name does not lead to (missing, no access, a directory) or one over
 * max is an input error (文件“photo.jpg”过大（超过2 MB）), a failing read a
 * system error; every message names the file.  On error *data is NULL.
 */
int file_load(const char *path, size_t max, char **data, size_t *len, struct err *err);

#endif
