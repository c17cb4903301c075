/*
 * certno.h - certificate numbers.
 *
 * Construction: 14 characters, e.g. 黔A012018000123 = province
 * abbreviation (黔) · city letter (A) · 2-digit trade code (01..99, not 00) ·
 * 4-digit issue year (1990..2099) · 6-digit serial (000001..999999).
 * Emergency management: "T" + the holder's 18-character ID number (a valid
 * one: province, calendar date and check character).  Anything else is
 * invalid.  Lowercase letters and surrounding spaces are normalised.
 */
#ifndef OPCERT_CERTNO_H
#define OPCERT_CERTNO_H

#include <stddef.h>

#include "idnum.h"
#include "trade.h"

#define CERTNO_SIZE 32 /* longest normalised number + NUL, with room */

struct certno {
	enum cert_system system; /* SYS_NONE when invalid */
	char text[CERTNO_SIZE];  /* normalised number */
	/* construction only */
	char prefix[8];   /* province + city, "黔A" (UTF-8) */
	char province[4]; /* "黔" (UTF-8) */
	char city;        /* 'A' */
	char trade[3];    /* "01" */
	int year;
	long serial;
	/* emergency management only */
	char id[IDNUM_SIZE];
};

/* Returns 0 and fills out, or -1 (out->system = SYS_NONE) when s is no
 * certificate number.  s need not be NUL-terminated. */
int certno_parse(const char *s, size_t len, struct certno *out);

/* Public mask: construction numbers are shown as they are; an emergency
 * number hides its ID digits like idnum_mask ("T520102********123X"). */
void certno_mask(const char *number, char out[CERTNO_SIZE]);

#endif
