/*
 * authhdr.h - the credentials of an HTTP request, read out of its headers:
 * the session cookie from "Cookie: a=1; opcert_session=TOKEN" and an API
 * token from "Authorization: Bearer TOKEN".  Only well-formed tokens come
 * out (URL-safe Base64 text shorter than ACCOUNT_TOKEN_SIZE, as account.h
 * hands them out); anything else is as good as no credentials.
 */
#ifndef OPCERT_AUTHHDR_H
#define OPCERT_AUTHHDR_H

#include "account.h"

/* 1 and out filled when the Cookie header holds cookie name with a
 * well-formed token; 0 otherwise (header may be NULL). */
int authhdr_cookie(const char *header, const char *name, char out[ACCOUNT_TOKEN_SIZE]);
/* 1 and out filled for "Bearer TOKEN" (scheme in any case); 0 otherwise. */
int authhdr_bearer(const char *header, char out[ACCOUNT_TOKEN_SIZE]);

#endif
