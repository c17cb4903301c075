/*
 * tally.c - the counting rules of DOMAIN.md section 5 (tally.h).
 */
#include "tally.h"

#include <jansson.h>
#include <math.h>

static const char *const codes[TALLY_CLASS_COUNT] = {
    [TALLY_CERTIFIED] = "certified",
    [TALLY_FAKE] = "fake",
    [TALLY_LENT] = "lent",
    [TALLY_LAPSED] = "lapsed",
    [TALLY_UNCERTIFIED] = "uncertified",
    [TALLY_PENDING] = "pending",
};

static const char *const labels[TALLY_CLASS_COUNT] = {
    [TALLY_CERTIFIED] = "持证上岗", [TALLY_FAKE] = "其中假证",        [TALLY_LENT] = "转借/冒用",
    [TALLY_LAPSED] = "证书失效",    [TALLY_UNCERTIFIED] = "无证上岗", [TALLY_PENDING] = "待核实",
};

const char *tally_class_code(enum tally_class c)
{
	return (unsigned)c < TALLY_CLASS_COUNT ? codes[c] : "";
}

const char *tally_class_label(enum tally_class c)
{
	return (unsigned)c < TALLY_CLASS_COUNT ? labels[c] : "";
}

enum tally_class tally_classify(const struct tally_row *r)
{
	switch (r->verdict) {
	case V_VALID:
		return r->post_mismatch ? TALLY_UNCERTIFIED : TALLY_CERTIFIED;
	case V_EXTERNAL:
		switch (r->manual) {
		case TALLY_MANUAL_MATCH:
			return r->post_mismatch ? TALLY_UNCERTIFIED : TALLY_CERTIFIED;
		case TALLY_MANUAL_NOT_FOUND:
		case TALLY_MANUAL_DIFFERS:
			return TALLY_FAKE;
		default:
			return TALLY_PENDING;
		}
	case V_UNOFFICIAL_LINK:
	case V_FORGED:
	case V_MISMATCH:
	case V_NOT_FOUND:
	case V_INVALID_NUMBER:
		return TALLY_FAKE;
	case V_DUPLICATE_USE:
		return TALLY_LENT;
	case V_EXPIRED:
	case V_REVIEW_OVERDUE:
	case V_REVOKED:
	case V_SUSPENDED:
		return TALLY_LAPSED;
	case V_UNCERTIFIED:
		return TALLY_UNCERTIFIED;
	case V_STATUS_UNKNOWN:
	case V_TAMPERED:
	case V_INVALID_ID:
	default:
		return TALLY_PENDING;
	}
}

void tally_add(struct tally *t, const struct tally_row *r)
{
	t->workers++;
	/* every row but one without a certificate number presents one */
	if (r->verdict != V_UNCERTIFIED)
		t->checked++;
	switch (tally_classify(r)) {
	case TALLY_CERTIFIED:
		t->certified++;
		break;
	case TALLY_FAKE:
		t->fake++;
		t->with_fake++;
		break;
	case TALLY_LENT:
		t->lent++;
		t->with_fake++;
		break;
	case TALLY_LAPSED:
		t->lapsed++;
		break;
	case TALLY_UNCERTIFIED:
		t->uncertified++;
		break;
	default:
		t->pending++;
		break;
	}
}

double tally_lawful_rate(const struct tally *t)
{
	if (t->workers <= 0)
		return TALLY_RATE_NONE;
	return round(1000.0 * (double)t->certified / (double)t->workers) / 10.0;
}

struct json_t *tally_json(const struct tally *t)
{
	double rate = tally_lawful_rate(t);

	return json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:o}", "posts",
	                 (json_int_t)t->posts, "workers", (json_int_t)t->workers, "certified",
	                 (json_int_t)t->certified, "checked", (json_int_t)t->checked, "fake",
	                 (json_int_t)t->fake, "lent", (json_int_t)t->lent, "lapsed",
	                 (json_int_t)t->lapsed, "uncertified", (json_int_t)t->uncertified,
	                 "with_fake", (json_int_t)t->with_fake, "pending", (json_int_t)t->pending,
	                 "lawful_rate", rate < 0 ? json_null() : json_real(rate));
}
