/*
 * fuzz_trail_anchor.c - libFuzzer target for ledger_trail_parse, the
 * detail of an audit-trail anchor in the transparency log.  Beyond not
 * crashing on arbitrary bytes, an anchor that parses must format back to
 * exactly the same text (one anchor, one encoding).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ledger.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char text[256], again[LEDGER_TRAIL_DETAIL_SIZE];
	uint8_t hash[32];
	int64_t seq;

	if (size >= sizeof(text))
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (ledger_trail_parse(text, &seq, hash) != 0)
		return 0;
	if (seq < 1)
		abort();
	ledger_trail_detail(seq, hash, again);
	if (strcmp(again, text) != 0)
		abort();
	return 0;
}
