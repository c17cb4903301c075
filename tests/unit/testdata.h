/*
 * testdata.h - records the unit tests build their fixtures from: a register
 * row with every field given, and a unified social credit code completed
 * with its check character by the tests' own implementation of GB 32100
 * (not the library's, which is what some of them test).
 */
#ifndef OPCERT_TESTDATA_H
#define OPCERT_TESTDATA_H

#include <stdio.h>
#include <string.h>

#include "cert.h"
#include "uscc.h"

static inline struct cert test_cert(const char *number, enum cert_system sys, const char *name,
                                    enum gender g, const char *id, const char *trade,
                                    const char *issuer, int32_t issued, int32_t valid_until,
                                    int32_t review_due, enum cert_status status)
{
	struct cert c;

	memset(&c, 0, sizeof(c));
	snprintf(c.number, sizeof(c.number), "%s", number);
	c.system = sys;
	snprintf(c.name, sizeof(c.name), "%s", name);
	c.gender = g;
	snprintf(c.id_number, sizeof(c.id_number), "%s", id);
	snprintf(c.trade, sizeof(c.trade), "%s", trade);
	snprintf(c.issuer, sizeof(c.issuer), "%s", issuer);
	c.issued_on = issued;
	c.valid_until = valid_until;
	c.review_due = review_due;
	c.status = status;
	return c;
}

/* first17 and its check character (GB 32100-2015, DOMAIN.md section 3). */
static inline void test_uscc(const char *first17, char out[USCC_SIZE])
{
	static const char alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
	static const int w[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
	int sum = 0, v;

	for (int i = 0; i < 17; i++)
		sum += (int)(strchr(alphabet, first17[i]) - alphabet) * w[i];
	v = 31 - sum % 31;
	memcpy(out, first17, 17);
	out[17] = alphabet[v == 31 ? 0 : v];
	out[18] = '\0';
}

#endif
