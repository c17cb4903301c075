/*
 * cert.c - labels and parsing of a register record's status and a holder's
 * gender (see cert.h).  Registers and rosters come from many sources, so
 * parsing accepts the Chinese words and the English codes alike.
 */
#include "cert.h"

#include <string.h>

/* Strip ASCII white space and U+3000 from both ends of s[0..*len). */
static void trim(const char **s, size_t *len)
{
	const unsigned char *p = (const unsigned char *)*s;
	size_t n = *len;

	for (;;) {
		if (n >= 1 && (p[0] == ' ' || (p[0] >= '\t' && p[0] <= '\r'))) {
			p++;
			n--;
		} else if (n >= 3 && p[0] == 0xe3 && p[1] == 0x80 && p[2] == 0x80) {
			p += 3;
			n -= 3;
		} else {
			break;
		}
	}
	for (;;) {
		if (n >= 1 && (p[n - 1] == ' ' || (p[n - 1] >= '\t' && p[n - 1] <= '\r'))) {
			n--;
		} else if (n >= 3 && p[n - 3] == 0xe3 && p[n - 2] == 0x80 && p[n - 1] == 0x80) {
			n -= 3;
		} else {
			break;
		}
	}
	*s = (const char *)p;
	*len = n;
}

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
	trim(&s, &len);
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
	trim(&s, &len);
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (equals(s, len, words[i].word))
			return words[i].gender;
	return GENDER_NONE;
}
