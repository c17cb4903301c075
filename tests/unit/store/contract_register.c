/*
 * contract_register.c - the storage contract of the register area
 * (store.h): certificates (insert, get, update, count, each), issuer
 * prefixes, settings, issuer codes, status-list slots, issued credentials,
 * photos and the transparency log with its state and checkpoints.  Found,
 * absent and refused results, values read back field by field, through a
 * second connection too.
 */
#include "contract.h"

#include <stdlib.h>

/* ---- certificates --------------------------------------------------------- */

struct cert_walk {
	struct cert seen[4];
	size_t n;
	int stop; /* returned by the callback (0: go on) */
};

static int walk_cert(void *arg, const struct cert *c)
{
	struct cert_walk *w = arg;

	if (w->n < COUNT(w->seen))
		w->seen[w->n] = *c;
	w->n++;
	return w->stop;
}

static const struct cert *seen_cert(const struct cert_walk *w, const char *number)
{
	for (size_t i = 0; i < w->n && i < COUNT(w->seen); i++)
		if (strcmp(w->seen[i].number, number) == 0)
			return &w->seen[i];
	fail_msg("the walk did not visit %s", number);
	return NULL;
}

static void test_cert_round_trip(void **state)
{
	struct contract *c = *state;
	struct cert in[2] = {contract_construction("黔A012018000001"), contract_emergency()}, out;
	struct cert_walk walk = {.n = 0};
	struct store *other;
	struct err err;
	long n = -1;

	in[0].ledger_index = -1;
	CHECK(0, store_cert_count(c->st, &n, clr(&err)));
	assert_int_equal(n, 0);
	for (size_t i = 0; i < COUNT(in); i++)
		CHECK(0, store_cert_insert(c->st, &in[i], clr(&err)));

	/* every field back, on this connection and on another */
	other = contract_open_keyed(c, 0);
	for (size_t i = 0; i < COUNT(in); i++) {
		memset(&out, 0x5a, sizeof(out));
		CHECK(1, store_cert_get(c->st, in[i].number, &out, clr(&err)));
		contract_assert_cert(&out, &in[i]);
		memset(&out, 0x5a, sizeof(out));
		CHECK(1, store_cert_get(other, in[i].number, &out, clr(&err)));
		contract_assert_cert(&out, &in[i]);
	}
	CHECK(0, store_cert_count(other, &n, clr(&err)));
	assert_int_equal(n, 2);
	store_close(other);

	/* absent: a neighbour, another personal number, nothing */
	CHECK(0, store_cert_get(c->st, "黔A012018000002", &out, clr(&err)));
	CHECK(0, store_cert_get(c->st, "T520102198503129999", &out, clr(&err)));
	CHECK(0, store_cert_get(c->st, "", &out, clr(&err)));

	/* each visits every row with every field */
	CHECK(0, store_cert_each(c->st, walk_cert, &walk, clr(&err)));
	assert_int_equal(walk.n, 2);
	for (size_t i = 0; i < COUNT(in); i++)
		contract_assert_cert(seen_cert(&walk, in[i].number), &in[i]);
	/* and a callback's non-zero answer stops it and is returned */
	memset(&walk, 0, sizeof(walk));
	walk.stop = 7;
	CHECK(7, store_cert_each(c->st, walk_cert, &walk, clr(&err)));
	assert_int_equal(walk.n, 1);
}

static void test_cert_duplicate(void **state)
{
	struct contract *c = *state;
	struct cert first = contract_construction("黔A012018000001"), again,
	            e = contract_emergency();
	struct cert out;
	struct err err;
	long n = -1;

	CHECK(0, store_cert_insert(c->st, &first, clr(&err)));
	CHECK(0, store_cert_insert(c->st, &e, clr(&err)));
	again = first;
	snprintf(again.name, sizeof(again.name), "李四");
	CHECK(1, store_cert_insert(c->st, &again, clr(&err)));
	CHECK(1, store_cert_insert(c->st, &first, clr(&err)));
	again = e;
	snprintf(again.name, sizeof(again.name), "王五");
	CHECK(1, store_cert_insert(c->st, &again, clr(&err)));
	/* nothing was written: the first rows stand */
	CHECK(0, store_cert_count(c->st, &n, clr(&err)));
	assert_int_equal(n, 2);
	CHECK(1, store_cert_get(c->st, first.number, &out, clr(&err)));
	contract_assert_cert(&out, &first);
	CHECK(1, store_cert_get(c->st, e.number, &out, clr(&err)));
	contract_assert_cert(&out, &e);
}

static void test_cert_update(void **state)
{
	struct contract *c = *state;
	struct cert before = contract_construction("黔A012018000001"), after, out;
	struct cert e = contract_emergency(), e2, ghost = contract_construction("黔A012018000009");
	struct err err;
	long n = -1;

	CHECK(0, store_cert_insert(c->st, &before, clr(&err)));
	CHECK(0, store_cert_insert(c->st, &e, clr(&err)));
	after = before;
	snprintf(after.name, sizeof(after.name), "张叁");
	snprintf(after.id_number, sizeof(after.id_number), "520103199001010030");
	after.gender = GENDER_FEMALE;
	snprintf(after.trade, sizeof(after.trade), "02");
	snprintf(after.issuer, sizeof(after.issuer), "贵州省住房和城乡建设厅");
	after.issued_on = D(2019, 1, 2);
	after.valid_until = D(2022, 8, 8);
	after.review_due = DATE_NONE;
	after.status = CERT_VALID;
	after.training_institution[0] = '\0';
	after.ledger_index = 12;
	CHECK(0, store_cert_update(c->st, &before, &after,
	                           "{\"fields\":{\"name\":[\"张三\",\"张叁\"]}}", clr(&err)));
	CHECK(1, store_cert_get(c->st, before.number, &out, clr(&err)));
	contract_assert_cert(&out, &after);

	/* only the ledger index moves: nothing to record */
	before = after;
	after.ledger_index = 13;
	CHECK(0, store_cert_update(c->st, &before, &after, NULL, clr(&err)));
	CHECK(1, store_cert_get(c->st, before.number, &out, clr(&err)));
	contract_assert_cert(&out, &after);

	/* a personal number's row: its ID number re-sealed, its number unchanged */
	e2 = e;
	e2.status = CERT_VALID;
	snprintf(e2.id_number, sizeof(e2.id_number), "52010219850312002X");
	CHECK(0, store_cert_update(c->st, &e, &e2, "{}", clr(&err)));
	CHECK(1, store_cert_get(c->st, e.number, &out, clr(&err)));
	contract_assert_cert(&out, &e2);

	/* a row that is not there is not made up, and nothing is recorded */
	REFUSED(ERR_SYSTEM, store_cert_update(c->st, &ghost, &ghost, "{}", clr(&err)));
	CHECK(0, store_cert_get(c->st, ghost.number, &out, clr(&err)));
	CHECK(0, store_cert_count(c->st, &n, clr(&err)));
	assert_int_equal(n, 2);
}

static void test_cert_count(void **state)
{
	struct contract *c = *state;
	struct cert one = contract_construction("黔A012018000001");
	struct err err;
	long n = -1, walked = 0;

	for (int i = 1; i <= 30; i++) {
		snprintf(one.number, sizeof(one.number), "黔A012018%06d", i);
		CHECK(0, store_cert_insert(c->st, &one, clr(&err)));
		CHECK(0, store_cert_count(c->st, &n, clr(&err)));
		assert_int_equal(n, i);
	}
	CHECK(0, store_cert_each(c->st, contract_count_cert, &walked, clr(&err)));
	assert_int_equal(walked, 30);
}

/* ---- prefixes, settings, issuer codes ------------------------------------ */

static int has_prefix(char (*list)[STORE_PREFIX_SIZE], size_t n, const char *prefix)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(list[i], prefix) == 0)
			return 1;
	return 0;
}

static void test_prefixes(void **state)
{
	struct contract *c = *state;
	char list[8][STORE_PREFIX_SIZE];
	struct store *other;
	struct err err;
	size_t n = 99;

	CHECK(0, store_prefix_list(c->st, list, COUNT(list), &n, clr(&err)));
	assert_int_equal(n, 0);
	/* adding one twice is no error and keeps one */
	CHECK(0, store_prefix_add(c->st, "黔A", clr(&err)));
	CHECK(0, store_prefix_add(c->st, "黔A", clr(&err)));
	CHECK(0, store_prefix_add(c->st, "黔B", clr(&err)));
	other = contract_open_keyed(c, 0);
	CHECK(0, store_prefix_list(other, list, COUNT(list), &n, clr(&err)));
	store_close(other);
	assert_int_equal(n, 2);
	assert_true(has_prefix(list, n, "黔A"));
	assert_true(has_prefix(list, n, "黔B"));
	/* a short array is not overrun */
	memset(list, 0, sizeof(list));
	CHECK(0, store_prefix_list(c->st, list, 1, &n, clr(&err)));
	assert_int_equal(n, 1);
	assert_true(strcmp(list[0], "黔A") == 0 || strcmp(list[0], "黔B") == 0);
	assert_string_equal(list[1], "");
}

static void test_config(void **state)
{
	struct contract *c = *state;
	char value[64], small[4];
	struct err err;

	strcpy(value, "untouched");
	CHECK(0, store_config_get(c->st, "official-host", value, sizeof(value), clr(&err)));
	CHECK(0, store_config_set(c->st, "official-host", "zjj.guiyang.gov.cn", clr(&err)));
	CHECK(0, store_config_set(c->st, "slot-count", "12", clr(&err)));
	CHECK(1, store_config_get(c->st, "official-host", value, sizeof(value), clr(&err)));
	assert_string_equal(value, "zjj.guiyang.gov.cn");
	/* setting again replaces; the other key keeps its value */
	CHECK(0, store_config_set(c->st, "official-host", "cert.gyzj.cn", clr(&err)));
	CHECK(1, store_config_get(c->st, "official-host", value, sizeof(value), clr(&err)));
	assert_string_equal(value, "cert.gyzj.cn");
	CHECK(1, store_config_get(c->st, "slot-count", value, sizeof(value), clr(&err)));
	assert_string_equal(value, "12");
	/* a value longer than the buffer is cut, never written past it */
	memset(small, 'x', sizeof(small));
	CHECK(1, store_config_get(c->st, "official-host", small, sizeof(small), clr(&err)));
	assert_string_equal(small, "cer");
	/* an empty value is a value */
	CHECK(0, store_config_set(c->st, "empty", "", clr(&err)));
	CHECK(1, store_config_get(c->st, "empty", value, sizeof(value), clr(&err)));
	assert_string_equal(value, "");
}

static void test_issuers(void **state)
{
	struct contract *c = *state;
	struct trust_issuer list[4];
	char code[16];
	struct err err;
	size_t n = 99;

	/* absent, and looking does not create */
	CHECK(0, store_issuer_code(c->st, "贵阳市住房和城乡建设局", 0, code, clr(&err)));
	CHECK(0, store_issuer_list(c->st, list, COUNT(list), &n, clr(&err)));
	assert_int_equal(n, 0);
	/* assigned in order, the same code every time after */
	CHECK(1, store_issuer_code(c->st, "贵阳市住房和城乡建设局", 1, code, clr(&err)));
	assert_string_equal(code, "I1");
	CHECK(1, store_issuer_code(c->st, "贵阳市应急管理局", 1, code, clr(&err)));
	assert_string_equal(code, "I2");
	CHECK(1, store_issuer_code(c->st, "贵阳市住房和城乡建设局", 1, code, clr(&err)));
	assert_string_equal(code, "I1");
	CHECK(1, store_issuer_code(c->st, "贵阳市应急管理局", 0, code, clr(&err)));
	assert_string_equal(code, "I2");
	CHECK(0, store_issuer_list(c->st, list, COUNT(list), &n, clr(&err)));
	assert_int_equal(n, 2);
	for (size_t i = 0; i < n; i++) {
		if (strcmp(list[i].code, "I1") == 0)
			assert_string_equal(list[i].name, "贵阳市住房和城乡建设局");
		else if (strcmp(list[i].code, "I2") == 0)
			assert_string_equal(list[i].name, "贵阳市应急管理局");
		else
			fail_msg("unexpected issuer code %s", list[i].code);
	}
	assert_string_not_equal(list[0].code, list[1].code);
	/* a short array is not overrun */
	memset(list, 0, sizeof(list));
	CHECK(0, store_issuer_list(c->st, list, 1, &n, clr(&err)));
	assert_int_equal(n, 1);
	assert_string_equal(list[1].code, "");
}

/* ---- status-list slots ---------------------------------------------------- */

struct slot_seen {
	uint32_t slot[8];
	char number[8][CERTNO_SIZE];
	int64_t issue[8];
	size_t n;
};

static int walk_slot_record(void *arg, uint32_t slot, const char *number, int64_t issue_index)
{
	struct slot_seen *s = arg;

	if (s->n < COUNT(s->slot)) {
		s->slot[s->n] = slot;
		snprintf(s->number[s->n], CERTNO_SIZE, "%s", number);
		s->issue[s->n] = issue_index;
	}
	s->n++;
	return 0;
}

static size_t slot_index(const struct slot_seen *s, uint32_t slot)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->slot[i] == slot)
			return i;
	fail_msg("slot %u not visited", slot);
	return 0;
}

static void test_slots(void **state)
{
	struct contract *c = *state;
	struct cert a = contract_construction("黔A012018000001"), e = contract_emergency();
	struct cert b = contract_construction("黔A012018000002");
	struct store_cred cred;
	struct slot_seen seen;
	uint32_t slot = 99;
	struct err err;
	size_t i;

	b.status = CERT_VALID;
	CHECK(0, store_cert_insert(c->st, &a, clr(&err)));
	CHECK(0, store_cert_insert(c->st, &b, clr(&err)));
	CHECK(0, store_cert_insert(c->st, &e, clr(&err)));

	CHECK(0, store_slot_get(c->st, a.number, &slot, clr(&err)));
	CHECK(0, store_slot_add(c->st, a.number, 17, clr(&err)));
	CHECK(1, store_slot_get(c->st, a.number, &slot, clr(&err)));
	assert_int_equal(slot, 17);
	/* a slot already taken: 1, and nothing written */
	CHECK(1, store_slot_add(c->st, b.number, 17, clr(&err)));
	CHECK(0, store_slot_get(c->st, b.number, &slot, clr(&err)));
	/* a certificate has one slot: a second is a constraint the store refuses */
	REFUSED(ERR_INPUT, store_slot_add(c->st, a.number, 18, clr(&err)));
	CHECK(1, store_slot_get(c->st, a.number, &slot, clr(&err)));
	assert_int_equal(slot, 17);
	/* the largest slot and a personal number */
	CHECK(0, store_slot_add(c->st, b.number, UINT32_MAX, clr(&err)));
	CHECK(0, store_slot_add(c->st, e.number, 0, clr(&err)));
	CHECK(1, store_slot_get(c->st, b.number, &slot, clr(&err)));
	assert_int_equal(slot, UINT32_MAX);
	CHECK(1, store_slot_get(c->st, e.number, &slot, clr(&err)));
	assert_int_equal(slot, 0);

	/* records: each slot's number and its newest issuance (-1: none) */
	memset(&cred, 0, sizeof(cred));
	snprintf(cred.number, sizeof(cred.number), "%s", e.number);
	cred.iat = NOW;
	for (int64_t log_index = 4; log_index <= 6; log_index += 2) {
		contract_bytes(cred.hash, (uint8_t)log_index);
		cred.log_index = log_index;
		CHECK(0, store_cred_add(c->st, &cred, clr(&err)));
	}
	memset(&seen, 0, sizeof(seen));
	CHECK(0, store_slot_records(c->st, walk_slot_record, &seen, clr(&err)));
	assert_int_equal(seen.n, 3);
	i = slot_index(&seen, 17);
	assert_string_equal(seen.number[i], a.number);
	assert_int_equal(seen.issue[i], -1);
	i = slot_index(&seen, 0);
	assert_string_equal(seen.number[i], e.number);
	assert_int_equal(seen.issue[i], 6);
	i = slot_index(&seen, UINT32_MAX);
	assert_string_equal(seen.number[i], b.number);
	assert_int_equal(seen.issue[i], -1);
}

/* ---- issued credentials --------------------------------------------------- */

struct cred_seen {
	struct store_cred c[4];
	size_t n;
};

static int walk_cred(void *arg, const struct store_cred *cred)
{
	struct cred_seen *s = arg;

	if (s->n < COUNT(s->c))
		s->c[s->n] = *cred;
	s->n++;
	return 0;
}

static void assert_cred(const struct store_cred *got, const struct store_cred *want)
{
	assert_string_equal(got->number, want->number);
	assert_memory_equal(got->kid, want->kid, KID_LEN);
	assert_int_equal(got->iat, want->iat);
	assert_memory_equal(got->hash, want->hash, 32);
	assert_int_equal(got->log_index, want->log_index);
}

static void test_credentials(void **state)
{
	struct contract *c = *state;
	struct store_cred in[3], out, dup;
	struct cred_seen seen = {.n = 0};
	uint8_t hash[32];
	struct err err;

	memset(in, 0, sizeof(in));
	for (size_t i = 0; i < COUNT(in); i++) {
		snprintf(in[i].number, sizeof(in[i].number), "%s",
		         i < 2 ? "黔A012018000001" : "T520102198503120028");
		for (size_t j = 0; j < KID_LEN; j++)
			in[i].kid[j] = (uint8_t)(0x10 * i + j);
		in[i].iat = NOW + (int64_t)i;
		contract_bytes(in[i].hash, (uint8_t)(0xa0 + i));
		in[i].log_index = 3 * (int64_t)i + 1;
	}
	contract_bytes(hash, 0xa0);
	CHECK(0, store_cred_find(c->st, hash, &out, clr(&err)));
	for (size_t i = 0; i < COUNT(in); i++)
		CHECK(0, store_cred_add(c->st, &in[i], clr(&err)));
	for (size_t i = 0; i < COUNT(in); i++) {
		memset(&out, 0x5a, sizeof(out));
		CHECK(1, store_cred_find(c->st, in[i].hash, &out, clr(&err)));
		assert_cred(&out, &in[i]);
	}
	contract_bytes(hash, 0xa3);
	CHECK(0, store_cred_find(c->st, hash, &out, clr(&err)));

	/* one hash, one issuance */
	dup = in[2];
	dup.log_index = 99;
	snprintf(dup.number, sizeof(dup.number), "黔A012018000002");
	REFUSED(ERR_INPUT, store_cred_add(c->st, &dup, clr(&err)));
	CHECK(1, store_cred_find(c->st, in[2].hash, &out, clr(&err)));
	assert_cred(&out, &in[2]);

	CHECK(0, store_cred_each(c->st, walk_cred, &seen, clr(&err)));
	assert_int_equal(seen.n, 3);
	for (size_t i = 0; i < COUNT(in); i++) {
		size_t j;

		for (j = 0; j < seen.n; j++)
			if (memcmp(seen.c[j].hash, in[i].hash, 32) == 0)
				break;
		assert_true(j < seen.n);
		assert_cred(&seen.c[j], &in[i]);
	}
}

/* ---- photos --------------------------------------------------------------- */

static void test_photos(void **state)
{
	struct contract *c = *state;
	static const uint8_t jpeg[] = {0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 'J',  'F',
	                               'I',  'F',  0x00, 0x01, 0x02, 0x00, 0xff, 0xd9};
	uint8_t png[300], hash[32], hash2[32];
	struct store_photo out;
	struct err err;

	for (size_t i = 0; i < sizeof(png); i++)
		png[i] = (uint8_t)(i * 31);
	contract_bytes(hash, 0x11);
	contract_bytes(hash2, 0x22);
	CHECK(0, store_photo_get(c->st, "黔A012018000001", &out, clr(&err)));
	CHECK(0, store_photo_set(c->st, "黔A012018000001", "image/jpeg", jpeg, sizeof(jpeg), hash,
	                         clr(&err)));
	CHECK(1, store_photo_get(c->st, "黔A012018000001", &out, clr(&err)));
	assert_string_equal(out.mime, "image/jpeg");
	assert_int_equal(out.len, sizeof(jpeg));
	assert_memory_equal(out.data, jpeg, sizeof(jpeg));
	assert_memory_equal(out.hash, hash, 32);
	free(out.data);

	/* setting again replaces the photo */
	CHECK(0, store_photo_set(c->st, "黔A012018000001", "image/png", png, sizeof(png), hash2,
	                         clr(&err)));
	CHECK(1, store_photo_get(c->st, "黔A012018000001", &out, clr(&err)));
	assert_string_equal(out.mime, "image/png");
	assert_int_equal(out.len, sizeof(png));
	assert_memory_equal(out.data, png, sizeof(png));
	assert_memory_equal(out.hash, hash2, 32);
	free(out.data);

	/* a personal number's photo */
	CHECK(0, store_photo_get(c->st, "T520102198503120028", &out, clr(&err)));
	CHECK(0, store_photo_set(c->st, "T520102198503120028", "image/jpeg", jpeg, sizeof(jpeg),
	                         hash, clr(&err)));
	CHECK(1, store_photo_get(c->st, "T520102198503120028", &out, clr(&err)));
	assert_int_equal(out.len, sizeof(jpeg));
	assert_memory_equal(out.data, jpeg, sizeof(jpeg));
	free(out.data);
	CHECK(0, store_photo_get(c->st, "黔A012018000002", &out, clr(&err)));
}

/* ---- the transparency log ------------------------------------------------- */

static struct store_log_entry *log_entry(int64_t index, const char *number, const char *data)
{
	struct store_log_entry *e = calloc(1, sizeof(*e));

	assert_non_null(e);
	e->index = index;
	snprintf(e->number, sizeof(e->number), "%s", number);
	contract_bytes(e->leaf, (uint8_t)(0x40 + index));
	e->len = strlen(data);
	memcpy(e->data, data, e->len);
	return e;
}

static void assert_log_entry(const struct store_log_entry *got, const struct store_log_entry *want)
{
	assert_int_equal(got->index, want->index);
	assert_string_equal(got->number, want->number);
	assert_memory_equal(got->leaf, want->leaf, 32);
	assert_int_equal(got->len, want->len);
	assert_memory_equal(got->data, want->data, want->len);
}

struct log_walk {
	int64_t index[8];
	size_t n;
	int stop_after; /* stop (returning 5) after this many; 0: never */
	const struct store_log_entry *const *want;
};

static int walk_log(void *arg, const struct store_log_entry *e)
{
	struct log_walk *w = arg;

	if (w->n < COUNT(w->index))
		w->index[w->n] = e->index;
	if (w->want)
		assert_log_entry(e, w->want[e->index]);
	w->n++;
	return w->stop_after && (int)w->n == w->stop_after ? 5 : 0;
}

static void test_log_entries(void **state)
{
	struct contract *c = *state;
	struct store_log_entry *in[3], *out = calloc(1, sizeof(*out)), *dup;
	struct log_walk walk = {.n = 0};
	struct err err;

	assert_non_null(out);
	in[0] = log_entry(0, "", "{\"kind\":\"trust\"}");
	in[1] =
	    log_entry(1, "黔A012018000001", "{\"kind\":\"issue\",\"number\":\"黔A012018000001\"}");
	in[2] = log_entry(2, "T520102198503120028",
	                  "{\"kind\":\"revoke\",\"number\":\"T520102198503120028\"}");
	CHECK(0, store_log_get(c->st, 0, out, clr(&err)));
	CHECK(0, store_log_each(c->st, 0, walk_log, &walk, clr(&err)));
	assert_int_equal(walk.n, 0);
	for (size_t i = 0; i < COUNT(in); i++)
		CHECK(0, store_log_append(c->st, in[i], clr(&err)));
	for (size_t i = 0; i < COUNT(in); i++) {
		memset(out, 0x5a, sizeof(*out));
		CHECK(1, store_log_get(c->st, (int64_t)i, out, clr(&err)));
		assert_log_entry(out, in[i]);
	}
	CHECK(0, store_log_get(c->st, 3, out, clr(&err)));
	CHECK(0, store_log_get(c->st, -1, out, clr(&err)));

	/* an index is written once */
	dup = log_entry(1, "黔A012018000002", "{\"kind\":\"other\"}");
	REFUSED(ERR_INPUT, store_log_append(c->st, dup, clr(&err)));
	CHECK(1, store_log_get(c->st, 1, out, clr(&err)));
	assert_log_entry(out, in[1]);

	/* each: from an index on, in order, every field */
	walk.want = (const struct store_log_entry *const *)in;
	CHECK(0, store_log_each(c->st, 1, walk_log, &walk, clr(&err)));
	assert_int_equal(walk.n, 2);
	assert_int_equal(walk.index[0], 1);
	assert_int_equal(walk.index[1], 2);
	memset(&walk, 0, sizeof(walk));
	CHECK(0, store_log_each(c->st, 0, walk_log, &walk, clr(&err)));
	assert_int_equal(walk.n, 3);
	for (size_t i = 0; i < 3; i++)
		assert_int_equal(walk.index[i], (int64_t)i);
	memset(&walk, 0, sizeof(walk));
	walk.stop_after = 2;
	CHECK(5, store_log_each(c->st, 0, walk_log, &walk, clr(&err)));
	assert_int_equal(walk.n, 2);
	memset(&walk, 0, sizeof(walk));
	CHECK(0, store_log_each(c->st, 3, walk_log, &walk, clr(&err)));
	assert_int_equal(walk.n, 0);

	for (size_t i = 0; i < COUNT(in); i++)
		free(in[i]);
	free(dup);
	free(out);
}

static void test_log_state_and_checkpoints(void **state)
{
	struct contract *c = *state;
	uint8_t frontier[96], got[128];
	char note[256], small[8];
	int64_t size = -1;
	size_t len = 99;
	struct err err;

	for (size_t i = 0; i < sizeof(frontier); i++)
		frontier[i] = (uint8_t)(i ^ 0x6b);
	/* an empty log */
	CHECK(0, store_log_state_get(c->st, &size, got, sizeof(got), &len, clr(&err)));
	assert_int_equal(size, 0);
	assert_int_equal(len, 0);
	CHECK(0, store_checkpoint_latest(c->st, &size, note, sizeof(note), clr(&err)));

	CHECK(0, store_log_state_set(c->st, 3, frontier, 64, clr(&err)));
	CHECK(1, store_log_state_get(c->st, &size, got, sizeof(got), &len, clr(&err)));
	assert_int_equal(size, 3);
	assert_int_equal(len, 64);
	assert_memory_equal(got, frontier, 64);
	/* set again: replaced, longer */
	CHECK(0, store_log_state_set(c->st, 4, frontier, sizeof(frontier), clr(&err)));
	CHECK(1, store_log_state_get(c->st, &size, got, sizeof(got), &len, clr(&err)));
	assert_int_equal(size, 4);
	assert_int_equal(len, sizeof(frontier));
	assert_memory_equal(got, frontier, sizeof(frontier));

	CHECK(0, store_checkpoint_add(c->st, 3, "opcert.example/log\n3\nAAAA\n", NOW, clr(&err)));
	CHECK(1, store_checkpoint_latest(c->st, &size, note, sizeof(note), clr(&err)));
	assert_int_equal(size, 3);
	assert_string_equal(note, "opcert.example/log\n3\nAAAA\n");
	CHECK(0,
	      store_checkpoint_add(c->st, 4, "opcert.example/log\n4\nBBBB\n", NOW + 60, clr(&err)));
	CHECK(1, store_checkpoint_latest(c->st, &size, note, sizeof(note), clr(&err)));
	assert_int_equal(size, 4);
	assert_string_equal(note, "opcert.example/log\n4\nBBBB\n");
	/* a note longer than the buffer is cut, never written past it */
	memset(small, 'x', sizeof(small));
	CHECK(1, store_checkpoint_latest(c->st, &size, small, sizeof(small), clr(&err)));
	assert_string_equal(small, "opcert.");
}

static const struct CMUnitTest tests[] = {
    CONTRACT_CASE(test_cert_round_trip), CONTRACT_CASE(test_cert_duplicate),
    CONTRACT_CASE(test_cert_update),     CONTRACT_CASE(test_cert_count),
    CONTRACT_CASE(test_prefixes),        CONTRACT_CASE(test_config),
    CONTRACT_CASE(test_issuers),         CONTRACT_CASE(test_slots),
    CONTRACT_CASE(test_credentials),     CONTRACT_CASE(test_photos),
    CONTRACT_CASE(test_log_entries),     CONTRACT_CASE(test_log_state_and_checkpoints),
};

int contract_run_register(void)
{
	return cmocka_run_group_tests_name("register", tests, NULL, NULL);
}
