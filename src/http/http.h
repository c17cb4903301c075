/*
 * http.h - what the server's handlers see of HTTP: a request (its route,
 * query arguments, body and per-request arena) and the reply they fill in
 * (status, content type, a body or a file, the few headers a handler
 * decides).  serve.c reads requests off libmicrohttpd and turns replies
 * into responses carrying the security headers every response gets;
 * handlers never touch libmicrohttpd, so one can run on a job thread.
 *
 * Errors are JSON, always {"error": {"code": "...", "message": "..."}},
 * the message in Chinese for the person reading it.
 *
 * Ownership: everything a request points to (arguments, body, headers
 * copied from the connection) lives in its arena and dies with it; a
 * reply body is malloc'd and handed to the response, which frees it.
 */
#ifndef OPCERT_HTTP_H
#define OPCERT_HTTP_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "account.h"
#include "arena.h"
#include "err.h"

#define HTTP_ARGS_MAX   16
#define HTTP_PARAMS_MAX 4 /* "{name}" segments of a route's path */

/* Statuses used by name. */
enum {
	HTTP_OK = 200,
	HTTP_CREATED = 201,
	HTTP_SEE_OTHER = 303,
	HTTP_NOT_MODIFIED = 304,
	HTTP_BAD_REQUEST = 400,
	HTTP_UNAUTHORIZED = 401,
	HTTP_FORBIDDEN = 403,
	HTTP_NOT_FOUND = 404,
	HTTP_METHOD_NOT_ALLOWED = 405,
	HTTP_PAYLOAD_TOO_LARGE = 413,
	HTTP_UNSUPPORTED_MEDIA_TYPE = 415,
	HTTP_UNPROCESSABLE = 422,
	HTTP_TOO_MANY_REQUESTS = 429,
	HTTP_INTERNAL_ERROR = 500,
	HTTP_SERVICE_UNAVAILABLE = 503,
};

/* One query argument, percent-decoded.  value may hold any bytes: check it. */
struct http_arg {
	const char *key;
	const char *value; /* NUL-terminated copy */
	size_t len;
};

struct http_reply {
	unsigned status; /* 0 = no reply yet */
	const char *content_type;
	char *body; /* malloc'd; the response frees it */
	size_t len;
	int fd; /* a file to send instead of body (the response closes it), -1 = none */
	uint64_t fd_len;
	const char *cache_control; /* NULL: "no-store" */
	const char *allow;         /* Allow of a 405 */
	unsigned retry_after;      /* Retry-After of a 429 or 503, 0 = none */
	char etag[48];             /* "" = none */
	const char *location;      /* Location of a redirect (in the arena), or NULL */
	const char *set_cookie;    /* Set-Cookie (in the arena), or NULL */
	const char *sw_allowed;    /* Service-Worker-Allowed (a constant), or NULL */
};

struct api;
struct route;

struct http_request {
	struct arena arena;
	struct api *api;
	const struct route *route;
	const char *method; /* as sent */
	const char *path;   /* percent-decoded, without the query */
	struct http_arg args[HTTP_ARGS_MAX];
	size_t nargs;
	int args_bad;              /* too many, repeated, or an embedded NUL */
	const char *content_type;  /* the request's, or NULL */
	const char *if_none_match; /* or NULL */
	char *body;                /* the whole body (raw, or the file of a form), NUL-terminated */
	size_t body_len;
	const char *params[HTTP_PARAMS_MAX]; /* the path's "{name}" segments, in order */
	size_t nparams;

	/* Credentials and where the request comes from, as sent (serve.c).
	 * Never logged; addr goes only into the audit trail. */
	const char *cookie;        /* Cookie, or NULL */
	const char *authorization; /* Authorization, or NULL */
	const char *csrf_header;   /* X-CSRF-Token, or NULL */
	const char *origin;        /* Origin, or NULL */
	const char *host;          /* Host, or NULL */
	char addr[64];             /* read it with http_client_addr(), never directly */
	int addr_done;             /* addr is written */
	void (*addr_fill)(struct http_request *r); /* serve.c: writes addr */
	int tls;                                   /* the connection is HTTPS */

	/* Who is asking (api_authenticate): signed_in 0 for the public. */
	int signed_in;
	int by_token; /* by an API token, not a session cookie */
	struct principal who;
	char session[ACCOUNT_TOKEN_SIZE]; /* the session token ("" for an API token); wiped */
	char csrf[ACCOUNT_CSRF_SIZE];     /* the session's CSRF token; wiped */
	int64_t session_seen;             /* the session's last recorded use */

	struct http_reply reply;
};

/* The argument named key (its length in *len, may be NULL), or NULL. */
const char *http_arg(const struct http_request *r, const char *key, size_t *len);

/* The client's address as text, for the audit trail: made on first use
 * (most requests never write to the trail), "" when unknown. */
const char *http_client_addr(struct http_request *r);

/* Path parameter i ("{name}" segments of the route, in order), or NULL. */
const char *http_param(const struct http_request *r, size_t i);

/*
 * Replies.  Each returns 0, so a handler can `return http_error(...)`.
 * Out of memory while building one becomes a plain 500.
 */
/* o as compact JSON (key order kept); takes the reference to o. */
int http_json(struct http_request *r, unsigned status, json_t *o);
/* The error object with a Chinese message. */
int http_error(struct http_request *r, unsigned status, const char *code, const char *fmt, ...)
    ERR_PRINTF(4, 5);
/* An error from the library: input errors as status, system errors as 500. */
int http_fail(struct http_request *r, unsigned input_status, const char *code,
              const struct err *err);
/* A failure of the server itself (database, memory): logged, a plain 500 to the client. */
int http_internal(struct http_request *r, const struct err *err);
/* A copy of text[0..len). */
int http_text(struct http_request *r, unsigned status, const char *content_type, const char *text,
              size_t len);
/* A redirect (303) to location, a path on this server; copied into the arena. */
int http_redirect(struct http_request *r, const char *location);
/* Takes body (malloc'd). */
int http_take(struct http_request *r, unsigned status, const char *content_type, char *body,
              size_t len);

/*
 * A line of the server's log on stderr, as JSON like the access log:
 * {"time": ISO 8601 UTC, "level": "error"|"warning"|"info", "message":
 * "..."}.  One write, so lines from different threads never mix.  Never
 * personal data.
 */
void http_log(const char *level, const char *fmt, ...) ERR_PRINTF(2, 3);
/* The time now as "2026-06-30T08:00:00.123Z" into out. */
void http_time_iso(char out[32]);

/* 1 when s[0..len) is UTF-8 without control characters (printable text), else 0. */
int http_printable(const char *s, size_t len);

#endif
