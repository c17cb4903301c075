/*
 * worker.h - the special-operation workers a company registers on its
 * projects (DOMAIN.md section 4: a construction company registers "its
 * projects and their special-operation posts and workers").
 *
 * A worker is registered with what their card and ID card say: the
 * certificate number (none for a worker without one), name, ID number and
 * the post (特种作业岗位/工种).  Registration checks the card against the
 * register (verify.h) and keeps the verdict and its date; a certificate
 * already on another running project adds duplicate_use (疑似转借/冒用).
 * The ID number is sealed like the register's (pii.h).  Nothing is
 * deleted: a worker who leaves the project is marked off (worker_remove)
 * and the row stays.
 *
 * The registration is also what entitles a district officer to see the
 * full ID number of the workers on the projects of their district, and a
 * company user those of the workers on the projects it builds
 * (worker_sees_full_id).  It counts only while the worker is on a project
 * that is not completed or closed, and only when the ID number presented at
 * registration is the one the register holds: registering a card never
 * reveals an ID number the registrant did not give.
 *
 * Reading a register record at all (masked) follows the same idea
 * (worker_sees_record): a company reads the records of the holders it has
 * registered, with the register's own ID number, on a project it builds or
 * supervises that is not closed, and only while they are on it; a training
 * institution the records that name it as where the holder trained.  So
 * numbers are not walked one by one: registering a number with any other ID
 * number opens nothing.
 *
 * Callers pass text as typed; a wrong value is an input error naming the
 * field.  Functions follow err.h; look-ups return 1 found, 0 not found.
 */
#ifndef OPCERT_WORKER_H
#define OPCERT_WORKER_H

#include <stddef.h>
#include <stdint.h>

#include "cert.h"
#include "certno.h"
#include "err.h"
#include "idnum.h"
#include "probe.h"
#include "store.h"
#include "trail.h"
#include "verdict.h"

#define WORKER_POST_SIZE 128 /* 特种作业岗位/工种 */

struct worker {
	int64_t id;
	int64_t project;
	char number[CERTNO_SIZE]; /* normalised; "" = no certificate (无证) */
	char name[CERT_NAME_SIZE];
	char id_number[IDNUM_SIZE]; /* in full: mask it (idnum_mask) to show it */
	enum gender gender;
	char post[WORKER_POST_SIZE];
	verdict_mask findings; /* of the check at registration */
	enum verdict verdict;
	int32_t checked_on;
	int64_t added_at;
	int64_t removed_at; /* 0 = on the project */
};

typedef int (*worker_fn)(void *arg, const struct worker *w);

/* A worker as typed (command-line options, form fields). */
struct worker_input {
	const char *number; /* 证书编号; NULL or "" = none */
	const char *name;
	const char *id_number;
	const char *gender; /* optional; checked against the ID number */
	const char *post;
};

/*
 * Register a worker on an open project (not completed or closed), in its
 * own transaction, recorded in the audit trail with the ID number masked.
 * The name and a valid ID number are required; a number of no known format
 * is refused (a typing error, not a finding).  The same person with the same
 * number already on the project is an input error.
 *
 * guard (NULL, or a NULL subject: exempt, the command line) holds the
 * registration to the probe limit (probe.h) in the same transaction: past
 * the limit nothing is registered, the refusal alone is recorded, the
 * answer is an input error and guard->refusal says why; otherwise an ID
 * number that is not the register's counts as a miss (and the
 * registration is made as before).
 */
int worker_add(struct store *st, const struct actor *who, int64_t project,
               const struct worker_input *in, int32_t today, int64_t now, struct probe_guard *guard,
               struct worker *out, struct err *err);

struct worker_import_stats {
	long rows;      /* data rows read */
	long inserted;  /* new registrations */
	long unchanged; /* already on the project */
	long by_verdict[V_COUNT];
};

/*
 * Register the rows of a site roster file (the columns roster.h reads:
 * 姓名, 性别, 身份证号码, 工种, 证书编号, 项目名称, ...), all or nothing: a
 * bad row imports nothing and the error names the line and column.  With
 * project 0 each row goes to the running project its 项目名称 names (a name
 * two builders use is refused); otherwise to that project, and a row naming
 * another project is an error.  A row already on its project counts as
 * unchanged; the same person and number twice in the file is an error.
 */
int worker_import(struct store *st, const struct actor *who, int64_t project, const char *path,
                  int32_t today, int64_t now, struct worker_import_stats *stats, struct err *err);
/* The same from a file's bytes (an upload); name is what the trail calls
 * its source.  guard as for worker_add, with the roster rule too: a
 * certificate with more than PROBE_ROSTER_IDS ID numbers in the file
 * refuses the whole file (probe.h). */
int worker_import_memory(struct store *st, const struct actor *who, int64_t project,
                         const char *name, const char *data, size_t len, int32_t today, int64_t now,
                         struct probe_guard *guard, struct worker_import_stats *stats,
                         struct err *err);

/* Mark a registration off its project (the row stays). */
int worker_remove(struct store *st, const struct actor *who, int64_t id, int64_t now,
                  struct worker *out, struct err *err);

int worker_get(struct store *st, int64_t id, struct worker *out, struct err *err);
/* A project's workers, oldest first; the removed ones too when asked. */
int worker_each(struct store *st, int64_t project, int include_removed, worker_fn fn, void *arg,
                struct err *err);

struct principal;
/* May p see the full ID number behind certificate `number`?  The city
 * roles always; a district officer or a company user when a registration
 * vouches for it (above); nobody else.  1 yes, 0 no, -1 error. */
int worker_sees_full_id(struct store *st, const struct principal *p, const char *number,
                        struct err *err);

/* May p read the register record of certificate `number` (masked)?  The
 * city roles, district officers and auditors read every record; a company
 * user the records of the holders working for its company (above); a
 * training user the records whose training institution is its
 * institution's registered name; nobody else.  1 yes, 0 no (also when
 * there is no such record, for the roles that read only some), -1 error.
 * A caller answers "no" exactly as it answers a missing number. */
int worker_sees_record(struct store *st, const struct principal *p, const char *number,
                       struct err *err);

struct json_t;
/* {"id", "project", "number", "name", "id_number" (masked), "gender",
 * "post", "verdict", "verdict_label", "findings", "checked_on",
 * "added_at", "removed_at"}; NULL when out of memory. */
struct json_t *worker_json(const struct worker *w);

#endif
