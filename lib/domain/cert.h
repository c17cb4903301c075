/*
 * cert.h - one register record: a certificate as the issuer recorded it.
 *
 * Strings are UTF-8, NUL-terminated, normalised (trimmed; numbers and ID
 * numbers uppercased).  Dates are day numbers (date.h), DATE_NONE when
 * absent.  The full ID number is personal data: never shown in full to the
 * public, and stored only through pii.h.
 */
#ifndef OPCERT_CERT_H
#define OPCERT_CERT_H

#include <stdint.h>

#include "certno.h"
#include "idnum.h"
#include "trade.h"

#define CERT_NAME_SIZE 96  /* 姓名: up to 30 CJK characters */
#define CERT_TEXT_SIZE 256 /* 发证机关, 培训机构 */

enum cert_status {
	CERT_VALID = 0,     /* 有效 */
	CERT_SUSPENDED = 1, /* 暂扣 */
	CERT_REVOKED = 2,   /* 注销 / 吊销 */
};

enum gender {
	GENDER_NONE = 0,
	GENDER_MALE = 1,
	GENDER_FEMALE = 2,
};

struct cert {
	char number[CERTNO_SIZE];
	enum cert_system system;
	char name[CERT_NAME_SIZE];
	enum gender gender;
	char id_number[IDNUM_SIZE];
	char trade[8]; /* canonical trade code */
	char issuer[CERT_TEXT_SIZE];
	int32_t issued_on;
	int32_t valid_until;
	int32_t review_due; /* DATE_NONE when the register gives none */
	enum cert_status status;
	char training_institution[CERT_TEXT_SIZE];
	/* Storage only: the transparency-log entry that last recorded this
	 * row (-1 = none).  Not part of the record's content or its hash. */
	int64_t ledger_index;
};

const char *cert_status_label(enum cert_status s); /* 有效 / 暂扣 / 注销 */
const char *cert_status_code(enum cert_status s);  /* valid / suspended / revoked */
/* Accepts 有效/暂扣/注销/吊销/撤销 and valid/suspended/revoked; -1 if unknown. */
int cert_status_parse(const char *s, size_t len);

/* 1 when a and b record the same certificate content (ledger_index aside). */
int cert_same(const struct cert *a, const struct cert *b);

struct json_t;
/* The fields that differ from a to b as {"field": [before, after], ...},
 * ID numbers masked: the body of every change record.  NULL when out of
 * memory. */
struct json_t *cert_diff_json(const struct cert *a, const struct cert *b);

/* The whole record as {"number", "system", "name", "gender", "id_number",
 * "trade", "issuer", "issued_on", "valid_until", "review_due", "status",
 * "training_institution"}.  Unless full_id, the ID number and an
 * emergency-management number (which contains it) are masked.  NULL when
 * out of memory. */
struct json_t *cert_record_json(const struct cert *c, int full_id);

const char *gender_label(enum gender g); /* 男 / 女 / "" */
/* Accepts 男/女, 男性/女性, M/F, male/female (any case); GENDER_NONE if unknown. */
enum gender gender_parse(const char *s, size_t len);

#endif
