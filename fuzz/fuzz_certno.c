/*
 * fuzz_certno.c - libFuzzer target for certificate numbers.  Arbitrary
 * bytes must never crash or read past the given length; a number that
 * parses must re-parse from its normalised text to the same fields, and
 * its public mask must never show the ID digits of an emergency number.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "certno.h"
#include "date.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int same(const struct certno *a, const struct certno *b)
{
	return a->system == b->system && strcmp(a->text, b->text) == 0 &&
	       strcmp(a->prefix, b->prefix) == 0 && strcmp(a->province, b->province) == 0 &&
	       a->city == b->city && strcmp(a->trade, b->trade) == 0 && a->year == b->year &&
	       a->serial == b->serial && strcmp(a->id, b->id) == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct certno c, again;
	char copy[256], mask[CERTNO_SIZE];

	/* The mask takes a C string: exercise it on short inputs. */
	if (size < sizeof(copy)) {
		memcpy(copy, data, size);
		copy[size] = '\0';
		certno_mask(copy, mask);
		if (strlen(mask) >= CERTNO_SIZE)
			abort();
	}

	if (certno_parse((const char *)data, size, &c) != 0) {
		if (c.system != SYS_NONE)
			abort();
		return 0;
	}
	if (c.system != SYS_CONSTRUCTION && c.system != SYS_EMERGENCY)
		abort();
	if (certno_parse(c.text, strlen(c.text), &again) != 0 || !same(&c, &again))
		abort();

	certno_mask(c.text, mask);
	if (c.system == SYS_CONSTRUCTION) {
		if (strcmp(mask, c.text) != 0 || strlen(c.text) != 16 || c.serial < 1 ||
		    c.serial > 999999 || c.year < 1990 || c.year > 2099)
			abort();
	} else {
		if (strlen(mask) != 1 + IDNUM_LEN || mask[0] != 'T' ||
		    memcmp(mask + 7, "********", 8) != 0 || strcmp(c.text + 1, c.id) != 0 ||
		    idnum_check(c.id, IDNUM_LEN, DATE_NONE, NULL) != IDNUM_OK)
			abort();
	}
	return 0;
}
