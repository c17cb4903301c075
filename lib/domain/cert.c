/*
 * cert.c - labels and parsing of a register record's status and a holder's
 * gender (see cert.h).  Registers and rosters come from many sources, so
 * parsing accepts the Chinese words and the English codes alike.
 */
#include "cert.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "date.h"
#include "text.h"

static int ascii_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

/* s[0..len) equals word, ignoring the case of ASCII letters. */
static int equals(const char *s, size_t len, const char *word)
{
	if (strlen(word) != len)
		return 0;
	for (size_t i = 0; i < len; i++)
		if (ascii_lower((unsigned char)s[i]) != ascii_lower((unsigned char)word[i]))
			return 0;
	return 1;
}

const char *cert_status_label(enum cert_status s)
{
	switch (s) {
	case CERT_VALID:
		return "有效";
	case CERT_SUSPENDED:
		return "暂扣";
	case CERT_REVOKED:
		return "注销";
	}
	return "";
}

const char *cert_status_code(enum cert_status s)
{
	switch (s) {
	case CERT_VALID:
		return "valid";
	case CERT_SUSPENDED:
		return "suspended";
	case CERT_REVOKED:
		return "revoked";
	}
	return "";
}

int cert_status_parse(const char *s, size_t len)
{
	static const struct {
		const char *word;
		enum cert_status status;
	} words[] = {
	    {"有效", CERT_VALID},          {"valid", CERT_VALID},     {"暂扣", CERT_SUSPENDED},
	    {"suspended", CERT_SUSPENDED}, {"注销", CERT_REVOKED},    {"吊销", CERT_REVOKED},
	    {"撤销", CERT_REVOKED},        {"revoked", CERT_REVOKED},
	};

	if (!s)
		return -1;
	text_trim(&s, &len);
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (equals(s, len, words[i].word))
			return (int)words[i].status;
	return -1;
}

const char *gender_label(enum gender g)
{
	switch (g) {
	case GENDER_MALE:
		return "男";
	case GENDER_FEMALE:
		return "女";
	case GENDER_NONE:
		break;
	}
	return "";
}

enum gender gender_parse(const char *s, size_t len)
{
	static const struct {
		const char *word;
		enum gender gender;
	} words[] = {
	    {"男", GENDER_MALE},   {"男性", GENDER_MALE},     {"m", GENDER_MALE},
	    {"male", GENDER_MALE}, {"女", GENDER_FEMALE},     {"女性", GENDER_FEMALE},
	    {"f", GENDER_FEMALE},  {"female", GENDER_FEMALE},
	};

	if (!s)
		return GENDER_NONE;
	text_trim(&s, &len);
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (equals(s, len, words[i].word))
			return words[i].gender;
	return GENDER_NONE;
}

int cert_same(const struct cert *a, const struct cert *b)
{
	return a->system == b->system && strcmp(a->name, b->name) == 0 && a->gender == b->gender &&
	       strcmp(a->id_number, b->id_number) == 0 && strcmp(a->trade, b->trade) == 0 &&
	       strcmp(a->issuer, b->issuer) == 0 && a->issued_on == b->issued_on &&
	       a->valid_until == b->valid_until && a->review_due == b->review_due &&
	       a->status == b->status &&
	       strcmp(a->training_institution, b->training_institution) == 0;
}

static json_t *date_json(int32_t day)
{
	char buf[DATE_TEXT_MAX];

	return day == DATE_NONE ? json_null() : json_string(date_format(day, buf));
}

static void diff_text(json_t *fields, const char *key, const char *a, const char *b)
{
	if (strcmp(a, b) != 0)
		json_object_set_new(fields, key, json_pack("[ss]", a, b));
}

static void diff_date(json_t *fields, const char *key, int32_t a, int32_t b)
{
	if (a != b)
		json_object_set_new(fields, key, json_pack("[oo]", date_json(a), date_json(b)));
}

json_t *cert_record_json(const struct cert *c, int full_id)
{
	char number[CERTNO_SIZE], id[IDNUM_SIZE];

	if (full_id) {
		snprintf(number, sizeof(number), "%s", c->number);
		snprintf(id, sizeof(id), "%s", c->id_number);
	} else {
		certno_mask(c->number, number);
		idnum_mask(c->id_number, id);
	}
	return json_pack(
	    "{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:s, s:s}", "number", number,
	    "system", c->system == SYS_EMERGENCY ? "emergency" : "construction", "name", c->name,
	    "gender", gender_label(c->gender), "id_number", id, "trade", c->trade, "issuer",
	    c->issuer, "issued_on", date_json(c->issued_on), "valid_until",
	    date_json(c->valid_until), "review_due", date_json(c->review_due), "status",
	    cert_status_code(c->status), "training_institution", c->training_institution);
}

json_t *cert_diff_json(const struct cert *a, const struct cert *b)
{
	json_t *fields = json_object();
	char ma[IDNUM_SIZE], mb[IDNUM_SIZE];

	if (!fields)
		return NULL;
	diff_text(fields, "name", a->name, b->name);
	diff_text(fields, "gender", gender_label(a->gender), gender_label(b->gender));
	if (strcmp(a->id_number, b->id_number) != 0) {
		idnum_mask(a->id_number, ma);
		idnum_mask(b->id_number, mb);
		json_object_set_new(fields, "id_number", json_pack("[ss]", ma, mb));
	}
	diff_text(fields, "trade", a->trade, b->trade);
	diff_text(fields, "issuer", a->issuer, b->issuer);
	diff_date(fields, "issued_on", a->issued_on, b->issued_on);
	diff_date(fields, "valid_until", a->valid_until, b->valid_until);
	diff_date(fields, "review_due", a->review_due, b->review_due);
	diff_text(fields, "status", cert_status_code(a->status), cert_status_code(b->status));
	diff_text(fields, "training_institution", a->training_institution, b->training_institution);
	return fields;
}
