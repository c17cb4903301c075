/*
 * certno.c - recognising certificate numbers of both systems.  A number
 * that fits neither format is itself a finding (invalid_number), and a
 * well-formed one tells us which register to look in, so this parser is
 * deliberately strict about the structure while forgiving what spreadsheet
 * users routinely do to it: surrounding spaces (ASCII or full-width) and
 * lowercase letters.  Emergency-management numbers embed the holder's ID
 * number, so they are validated with the ID rules and masked like one.
 */
#include "certno.h"

#include <string.h>

#include "date.h"
#include "text.h"

/* The 31 mainland provincial abbreviations, each one 3-byte UTF-8 character. */
static const char PROVINCES[] = "京津冀晋蒙辽吉黑沪苏浙皖闽赣鲁豫鄂湘粤桂琼渝川黔滇藏陕甘青宁新";

#define PROVINCE_BYTES 3
/* province + city letter + trade 2 + year 4 + serial 6 */
#define CONSTRUCTION_BYTES (PROVINCE_BYTES + 1 + 2 + 4 + 6)

static int province_known(const unsigned char *p)
{
	size_t i;

	for (i = 0; i + PROVINCE_BYTES <= sizeof(PROVINCES) - 1; i += PROVINCE_BYTES)
		if (memcmp(p, PROVINCES + i, PROVINCE_BYTES) == 0)
			return 1;
	return 0;
}

static int all_digits(const unsigned char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] < '0' || p[i] > '9')
			return 0;
	return 1;
}

static long digits_value(const unsigned char *p, size_t n)
{
	long v = 0;
	size_t i;

	for (i = 0; i < n; i++)
		v = v * 10 + (p[i] - '0');
	return v;
}

static int parse_construction(const unsigned char *p, size_t len, struct certno *out)
{
	const unsigned char *city = p + PROVINCE_BYTES;
	const unsigned char *trade = city + 1;
	const unsigned char *year = trade + 2;
	const unsigned char *serial = year + 4;
	unsigned char c;
	int y;
	long n;

	if (len != CONSTRUCTION_BYTES || !province_known(p))
		return -1;
	c = *city;
	if (c >= 'a' && c <= 'z')
		c = (unsigned char)(c - 'a' + 'A');
	if (c < 'A' || c > 'Z')
		return -1;
	if (!all_digits(trade, 2 + 4 + 6))
		return -1;
	if (trade[0] == '0' && trade[1] == '0')
		return -1;
	y = (int)digits_value(year, 4);
	if (y < 1990 || y > 2099)
		return -1;
	n = digits_value(serial, 6);
	if (n == 0)
		return -1;

	out->system = SYS_CONSTRUCTION;
	memcpy(out->text, p, CONSTRUCTION_BYTES);
	out->text[PROVINCE_BYTES] = (char)c;
	out->text[CONSTRUCTION_BYTES] = '\0';
	memcpy(out->province, p, PROVINCE_BYTES);
	out->province[PROVINCE_BYTES] = '\0';
	memcpy(out->prefix, p, PROVINCE_BYTES);
	out->prefix[PROVINCE_BYTES] = (char)c;
	out->prefix[PROVINCE_BYTES + 1] = '\0';
	out->city = (char)c;
	out->trade[0] = (char)trade[0];
	out->trade[1] = (char)trade[1];
	out->trade[2] = '\0';
	out->year = y;
	out->serial = n;
	return 0;
}

static int parse_emergency(const unsigned char *p, size_t len, struct certno *out)
{
	char id[IDNUM_SIZE];

	/*
	 * Exactly "T" + 18: idnum_check would forgive inner spaces.  No "today"
	 * here: whether the holder is born yet is not a property of the number.
	 */
	if (len != 1 + IDNUM_LEN || (p[0] != 'T' && p[0] != 't'))
		return -1;
	if (idnum_check((const char *)p + 1, IDNUM_LEN, DATE_NONE, id) != IDNUM_OK)
		return -1;
	out->system = SYS_EMERGENCY;
	out->text[0] = 'T';
	memcpy(out->text + 1, id, IDNUM_SIZE);
	memcpy(out->id, id, IDNUM_SIZE);
	return 0;
}

int certno_parse(const char *s, size_t len, struct certno *out)
{
	const unsigned char *p;

	memset(out, 0, sizeof(*out));
	out->system = SYS_NONE;
	if (!s)
		return -1;
	text_trim(&s, &len);
	p = (const unsigned char *)s;
	if (len == 0)
		return -1;
	if (parse_emergency(p, len, out) == 0 || parse_construction(p, len, out) == 0)
		return 0;
	memset(out, 0, sizeof(*out));
	out->system = SYS_NONE;
	return -1;
}

/* Copy at most outsize - 1 bytes without cutting a UTF-8 character. */
static void copy_utf8(char *out, size_t outsize, const char *s, size_t len)
{
	if (len >= outsize) {
		len = outsize - 1;
		while (len > 0 && ((unsigned char)s[len] & 0xc0) == 0x80)
			len--;
	}
	memcpy(out, s, len);
	out[len] = '\0';
}

void certno_mask(const char *number, char out[CERTNO_SIZE])
{
	char id[IDNUM_SIZE];
	const char *s = number;
	size_t len;

	if (!s) {
		out[0] = '\0';
		return;
	}
	len = strlen(s);
	text_trim(&s, &len);
	/*
	 * Mask anything shaped like "T" + 18 characters, valid or not: an ID
	 * number with a typo in it still identifies its holder.
	 */
	if (len == 1 + IDNUM_LEN && (s[0] == 'T' || s[0] == 't')) {
		memcpy(id, s + 1, IDNUM_LEN);
		id[IDNUM_LEN] = '\0';
		out[0] = 'T';
		idnum_mask(id, out + 1);
		return;
	}
	copy_utf8(out, CERTNO_SIZE, s, len);
}
