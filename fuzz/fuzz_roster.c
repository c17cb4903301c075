/*
 * fuzz_roster.c - whole-roster verification over arbitrary files, against
 * a small register in an in-memory SQLite database: decoding, header
 * search, row parsing, duplicate detection, every verification rule and
 * the JSON output.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "pii.h"
#include "roster.h"
#include "store.h"
#include "verify.h"
#include "vout.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct store *store;

static void setup(void)
{
	struct err err;

	if (store_open(":memory:", STORE_CREATE, &store, &err) < 0)
		abort();
	{
		uint8_t bytes[PII_KEY_LEN];
		struct pii_key *k;

		memset(bytes, 0x5a, sizeof(bytes)); /* a fixed data key */
		k = pii_key_new(bytes, &err);
		if (!k || store_set_pii(store, k, &err) < 0)
			abort();
		pii_key_free(k);
	}
	{
		struct cert c;

		memset(&c, 0, sizeof(c));
		strcpy(c.number, "黔A012025000001");
		c.system = SYS_CONSTRUCTION;
		strcpy(c.name, "张三");
		c.gender = GENDER_FEMALE;
		strcpy(c.id_number, "11010519491231002X");
		strcpy(c.trade, "01");
		strcpy(c.issuer, "贵阳市住房和城乡建设局");
		c.issued_on = date_from_ymd(2025, 1, 1);
		c.valid_until = date_from_ymd(2026, 12, 31);
		c.review_due = DATE_NONE;
		if (store_cert_insert(store, &c, &err) != 0 ||
		    store_prefix_add(store, "黔A", &err) != 0)
			abort();
	}
}

static int check(const struct roster_result *r, void *arg, struct err *err)
{
	json_t *o = vout_json(&r->v, r->row);
	char *s = json_dumps(o, JSON_COMPACT);

	(void)arg;
	(void)err;
	if (!s || r->row < 1 || (r->v.findings == 0) != (r->v.verdict == V_VALID))
		__builtin_trap();
	free(s);
	json_decref(o);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct verifier v;
	struct roster_summary sum;
	struct err err;

	if (!store)
		setup();
	if (verifier_init(&v, store, date_from_ymd(2026, 6, 30), &err) < 0)
		abort();
	roster_verify_memory((const char *)data, size, &v, check, NULL, &sum, &err);
	return 0;
}
