/*
 * demo.h - deterministic synthetic data: a register of a fictional Guiyang
 * issuer and the rosters of a fictional construction company, used by
 * `opcert demo`, `make run`, the tests and the benchmark.
 *
 * Everything is a pure function of (seed, today, index): the same options
 * always write the same bytes.  Names and companies are fictional; ID
 * numbers are valid by checksum and unique per certificate index.
 *
 * roster-violations.csv plants every verdict a roster can produce and says
 * which in its extra column 预期核验结果 ("mismatch:name,id_number"), which
 * the roster reader ignores; the tests compare it with what opcert finds.
 */
#ifndef OPCERT_DEMO_H
#define OPCERT_DEMO_H

#include <stdint.h>

#include "cert.h"
#include "err.h"

#define DEMO_MIN_CERTIFICATES 50

struct demo_options {
	long certificates; /* register rows, >= DEMO_MIN_CERTIFICATES */
	long roster_rows;  /* rows of roster-clean.csv, <= the valid certificates */
	uint64_t seed;
	int32_t today; /* dates are laid out around this day */
};

enum demo_kind {
	DEMO_VALID = 0,
	DEMO_EXPIRED,
	DEMO_SUSPENDED,
	DEMO_REVOKED,
	DEMO_REVIEW_OVERDUE,
};

/* Register certificate number index (0-based) as it is in register.csv. */
void demo_cert(const struct demo_options *o, long index, struct cert *out, enum demo_kind *kind);

/* Write register.csv, roster-clean.csv and roster-violations.csv into dir
 * (created if missing).  progress, when not NULL, is called now and then
 * with the rows written so far. */
int demo_write(const struct demo_options *o, const char *dir,
               void (*progress)(long done, long total, void *arg), void *arg, struct err *err);

/* Write companies.csv (fictional construction companies in several
 * districts and one supervision firm, credit codes valid by their check
 * character) and projects.csv (their projects, dated around o->today, the
 * roster's project names among them) into dir, which must exist.  They go
 * through `opcert company import` and `opcert project import`. */
int demo_write_orgs(const struct demo_options *o, const char *dir, struct err *err);

#endif
