/* http.c - replies and request helpers of the server's handlers; see http.h */
#include "http.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "text.h"

#define JSON_TYPE "application/json; charset=utf-8"

/* What every failure to build a reply falls back to: a constant body. */
static const char oom_body[] = "{\"error\":{\"code\":\"internal\",\"message\":\"服务器内存不足\"}}";

/* Cut s at its first byte that is not valid UTF-8 (a message cut short mid-character). */
static void utf8_cut(char *s)
{
	size_t bad;

	if (!utf8_valid(s, strlen(s), &bad))
		s[bad] = '\0';
}

const char *http_arg(const struct http_request *r, const char *key, size_t *len)
{
	size_t i;

	for (i = 0; i < r->nargs; i++)
		if (strcmp(r->args[i].key, key) == 0) {
			if (len)
				*len = r->args[i].len;
			return r->args[i].value;
		}
	return NULL;
}

const char *http_client_addr(struct http_request *r)
{
	if (!r->addr_done) {
		r->addr[0] = '\0';
		if (r->addr_fill)
			r->addr_fill(r);
		r->addr_done = 1;
	}
	return r->addr;
}

const char *http_param(const struct http_request *r, size_t i)
{
	return i < r->nparams ? r->params[i] : NULL;
}

static void set_reply(struct http_request *r, unsigned status, const char *type, char *body,
                      size_t len)
{
	free(r->reply.body);
	r->reply.status = status;
	r->reply.content_type = type;
	r->reply.body = body;
	r->reply.len = len;
}

static int out_of_memory(struct http_request *r)
{
	char *copy = malloc(sizeof(oom_body));

	if (copy)
		memcpy(copy, oom_body, sizeof(oom_body));
	set_reply(r, HTTP_INTERNAL_ERROR, JSON_TYPE, copy, copy ? sizeof(oom_body) - 1 : 0);
	return 0;
}

int http_take(struct http_request *r, unsigned status, const char *content_type, char *body,
              size_t len)
{
	set_reply(r, status, content_type, body, len);
	return 0;
}

int http_text(struct http_request *r, unsigned status, const char *content_type, const char *text,
              size_t len)
{
	char *copy = malloc(len + 1);

	if (!copy)
		return out_of_memory(r);
	memcpy(copy, text, len);
	copy[len] = '\0';
	return http_take(r, status, content_type, copy, len);
}

int http_redirect(struct http_request *r, const char *location)
{
	static const char body[] = "{\"redirect\":true}";

	r->reply.location = arena_strndup(&r->arena, location, strlen(location));
	if (!r->reply.location)
		return out_of_memory(r);
	return http_text(r, HTTP_SEE_OTHER, JSON_TYPE, body, sizeof(body) - 1);
}

int http_json(struct http_request *r, unsigned status, json_t *o)
{
	char buf[4096], *s = NULL;
	size_t n = o ? json_dumpb(o, buf, sizeof(buf), JSON_COMPACT | JSON_PRESERVE_ORDER) : 0;

	/* Most answers fit the buffer: one allocation instead of a growing string. */
	if (n > 0 && n <= sizeof(buf)) {
		s = malloc(n + 1);
		if (s) {
			memcpy(s, buf, n);
			s[n] = '\0';
		}
	} else if (n > sizeof(buf)) {
		s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
		n = s ? strlen(s) : 0;
	}
	json_decref(o);
	if (!s)
		return out_of_memory(r);
	return http_take(r, status, JSON_TYPE, s, n);
}

int http_error(struct http_request *r, unsigned status, const char *code, const char *fmt, ...)
{
	char msg[512];
	json_t *o, *e;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	utf8_cut(msg);
	e = json_pack("{s:s,s:s}", "code", code, "message", msg);
	o = e ? json_pack("{s:o}", "error", e) : NULL;
	return http_json(r, status, o);
}

int http_fail(struct http_request *r, unsigned input_status, const char *code,
              const struct err *err)
{
	char msg[1024];

	if (err->kind == ERR_INPUT)
		return http_error(r, input_status, code, "%s",
		                  err_format(err, NULL, msg, sizeof(msg)));
	/* System errors name files and database details: they go to the log, not to clients. */
	return http_internal(r, err);
}

int http_internal(struct http_request *r, const struct err *err)
{
	char msg[1024];

	http_log("error", "%s", err_format(err, NULL, msg, sizeof(msg)));
	return http_error(r, HTTP_INTERNAL_ERROR, "internal", "服务器内部错误，请稍后再试");
}

int http_printable(const char *s, size_t len)
{
	size_t i;

	if (!utf8_valid(s, len, NULL))
		return 0;
	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return 0;
	return 1;
}

void http_time_iso(char out[32])
{
	/* Every request's log line asks: the date and time of day are made
	 * once a second (a thread), only the milliseconds every time. */
	static _Thread_local time_t second = -1;
	static _Thread_local char text[32];
	static _Thread_local size_t n;
	struct timespec ts;
	struct tm tm;
	int ms;

	clock_gettime(CLOCK_REALTIME, &ts);
	if (ts.tv_sec != second) {
		gmtime_r(&ts.tv_sec, &tm);
		n = strftime(text, 26, "%Y-%m-%dT%H:%M:%S", &tm);
		second = ts.tv_sec;
	}
	ms = (int)(ts.tv_nsec / 1000000) % 1000;
	memcpy(out, text, n);
	out[n] = '.';
	out[n + 1] = (char)('0' + ms / 100);
	out[n + 2] = (char)('0' + ms / 10 % 10);
	out[n + 3] = (char)('0' + ms % 10);
	out[n + 4] = 'Z';
	out[n + 5] = '\0';
}

void http_log(const char *level, const char *fmt, ...)
{
	char msg[1024], when[32], *line;
	json_t *o;
	va_list ap;
	size_t len;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	utf8_cut(msg);
	http_time_iso(when);
	o = json_pack("{s:s,s:s,s:s}", "time", when, "level", level, "message", msg);
	line = o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	json_decref(o);
	if (!line)
		return;
	len = strlen(line);
	line[len] = '\n'; /* over the NUL: the line is written by length */
	if (write(STDERR_FILENO, line, len + 1) < 0) {
		/* nowhere left to say so */
	}
	free(line);
}
