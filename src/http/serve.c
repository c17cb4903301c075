/*
 * serve.c - `opcert serve`: the HTTP server in front of the core, on
 * libmicrohttpd (epoll, a thread pool sized to the cores).  It reads each
 * request off the connection, bounds it, finds its route (routes.c), runs
 * its handler (src/api/) inline or on a job thread, and sends the reply with
 * the security headers every response carries; one JSON access-log line a
 * request goes to stderr.
 *
 * Threat model: hostile clients on the Internet, one or many addresses,
 * that send malformed, oversized, slow or endless requests, read the
 * register one number at a time, or try to read files outside the web
 * root.  What stops them:
 *  - every request is bounded before a handler sees it: the connection's
 *    memory (request line and headers), the number and size of query
 *    arguments, the body per route (413 as soon as Content-Length says so,
 *    a closed connection when a body without one runs far past the cap),
 *    and a per-request arena with a byte cap for what it allocates;
 *  - a connection idle for --timeout seconds is closed, and so is one that
 *    has not sent a whole request --request-timeout seconds after it was
 *    accepted or answered (slow-loris: libmicrohttpd has only the idle
 *    timeout, which a byte now and then resets; a watchdog thread shuts
 *    such connections down); a client address may hold at most
 *    PER_IP_CONNECTIONS connections and the server CONNECTIONS_MAX in all;
 *  - per-client token buckets on the routes that read the register (429
 *    with Retry-After), with bounded memory (ratelimit.h), and a much
 *    stricter bucket of their own on the routes that check a password
 *    (--sign-in-rate; the accounts library also locks an account after
 *    failures in a row); behind a reverse
 *    proxy on loopback (--trust-proxy) the client is the last address of
 *    its X-Forwarded-For, never a header from anyone else;
 *  - long work (a roster, signing, proofs) runs on a bounded job queue, so
 *    the threads that read requests never wait for it (503 when full);
 *  - no server version in any header; a Content-Security-Policy without
 *    inline script; files only from below the web root (files.c);
 *  - who may use a route is decided from the route table before its
 *    handler runs and before its body is read (routes.h: roles, the
 *    one-time password gate, CSRF, scope);
 *  - the access log holds the route, never the query string, an address,
 *    a cookie, a token, a password or anything personal.
 * SIGTERM / SIGINT stop accepting connections, let the requests in flight
 * finish (up to GRACE_SECONDS) and exit 0.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "api.h"
#include "cli.h"
#include "cmd.h"
#include "date.h"
#include "http.h"
#include "ratelimit.h"
#include "routes.h"

#define DEFAULT_LISTEN     "127.0.0.1:8080"
#define DEFAULT_RATE       60 /* requests a minute per client */
#define DEFAULT_BURST      20
#define DEFAULT_TIMEOUT    15 /* seconds a connection may stay idle */
#define DEFAULT_SIGN_IN    10 /* password checks a minute per client */
#define SIGN_IN_BURST      5
#define RATE_CLIENTS       65536
#define CONNECTION_MEMORY  (16 * 1024) /* request line, headers and read buffer */
#define CONNECTIONS_MAX    1024
#define PER_IP_CONNECTIONS 128
#define JOBS_MAX           64
#define GRACE_SECONDS      30
#define ARENA_SLACK        (64 * 1024) /* what a request may allocate beyond its body */
#define FORM_BUFFER        (16 * 1024)
#define TLS_FILE_MAX       (1 << 20)
#define DISCARD_FACTOR     4 /* a body this many times over its cap closes the connection */
#define FORWARDED_MAX      256

/* The request deadline (struct watchdog): seconds to send a whole request,
 * and the routes whose body it covers (every public one). */
#define DEFAULT_REQUEST 10
#define SMALL_BODY      (64 * 1024)

#define JSON_TYPE "application/json; charset=utf-8"

static const char *const security_headers[][2] = {
    {"Content-Security-Policy",
     "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
     "media-src 'self' blob:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
     "form-action 'self'"},
    {"X-Content-Type-Options", "nosniff"},
    {"Referrer-Policy", "no-referrer"},
    {"X-Frame-Options", "DENY"},
    {"Permissions-Policy",
     "camera=(self), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"},
    {"Cross-Origin-Opener-Policy", "same-origin"},
    {"Cross-Origin-Resource-Policy", "same-origin"},
};

struct conn;

struct jobs {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct conn *head, *tail;
	size_t count;
	int stop;
	pthread_t *threads;
	size_t nthreads;
};

/*
 * The request deadline.  libmicrohttpd 0.9 closes a connection only after
 * --timeout seconds of silence, so a client that sends a byte now and then
 * holds its connection for ever, and PER_IP_CONNECTIONS of them shut out
 * everyone behind the same address.  Every accepted connection is listed
 * here (MHD_OPTION_NOTIFY_CONNECTION) with its socket and the time since
 * which it owes a request: from its accept, and again from the end of each
 * answer on a kept-alive connection.  The clock stops once the request has
 * been read in full, or, for a route whose body may be large (a roster, for
 * a signed-in user), once its headers were read and admitted; an upload is
 * then held to --timeout and its cap only.  A thread looks at the list a
 * few times a deadline and shuts down (shutdown(2), never close: the
 * socket is libmicrohttpd's) those past it; libmicrohttpd then sees the
 * connection end and closes it as any other.  A connection leaves the list
 * in its CLOSED notification, which comes before libmicrohttpd closes the
 * socket, under the list's lock: the thread never touches a socket number
 * that may have been given to another connection.
 */
struct tracked {
	MHD_socket fd;
	atomic_llong since; /* CLOCK_MONOTONIC ms since a request is owed; 0: none now */
	int cut;            /* shut down already */
	struct tracked *prev, *next;
};

struct watchdog {
	pthread_mutex_t mu;
	pthread_cond_t cv; /* on CLOCK_MONOTONIC */
	struct tracked *head;
	int64_t deadline_ms;
	int stop;
	pthread_t thread;
};

struct server {
	struct api *api;
	struct ratelimit *rl;      /* NULL: no limit */
	struct ratelimit *sign_in; /* the routes that check a password; NULL: no limit */
	int trust_proxy;
	int tls;
	atomic_int in_flight;
	struct jobs jobs;
	struct watchdog watchdog;
};

enum conn_state {
	ST_READING = 0, /* headers seen, body (if any) coming */
	ST_RUNNING,     /* on the job queue or a job thread; the connection is suspended */
	ST_DONE,        /* the reply is ready to send */
	ST_SENT,        /* queued with libmicrohttpd */
};

/* One request on a connection: what the handler sees, and serve.c's own bookkeeping. */
struct conn {
	struct http_request req; /* first: handlers get &req */
	struct server *srv;
	struct MHD_Connection *mhd;
	struct MHD_PostProcessor *form;
	struct tracked *tracked; /* the connection's entry (struct watchdog), or NULL */
	struct timespec start;
	enum conn_state state;
	size_t body_cap;   /* bytes allocated for req.body */
	uint64_t received; /* body bytes received (stored or not) */
	int too_large;
	int form_bad;
	int got_file; /* a file field was seen */
	int in_file;  /* the form part being read is that file */
	const char *forwarded;
	const char *forwarded_proto; /* X-Forwarded-Proto, believed only as forwarded is */
	const char *content_length;
	char method[8]; /* for the log: a known method or "OTHER" */
	int begun;      /* the headers were read and request_begin ran: counted in flight */
	int path_nul;   /* the path held "%00" */
	struct sockaddr_storage peer; /* the client's address (family AF_UNSPEC: unknown) */
	unsigned sent_status;
	uint64_t sent_bytes;
	struct conn *next; /* on the job queue */
};

static int64_t elapsed_us(const struct timespec *from)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (int64_t)(now.tv_sec - from->tv_sec) * 1000000 +
	       (now.tv_nsec - from->tv_nsec) / 1000;
}

static int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ------------------------------------------------------------------ */
/* The request deadline (struct watchdog) */

static void on_connection(void *cls, struct MHD_Connection *mhd, void **socket_context,
                          enum MHD_ConnectionNotificationCode code)
{
	struct watchdog *w = cls;
	struct tracked *t = *socket_context;
	const union MHD_ConnectionInfo *ci;

	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		ci = MHD_get_connection_info(mhd, MHD_CONNECTION_INFO_CONNECTION_FD);
		t = ci ? calloc(1, sizeof(*t)) : NULL;
		if (!t)
			return; /* out of memory: only --timeout holds this one */
		t->fd = ci->connect_fd;
		atomic_init(&t->since, mono_ms());
		pthread_mutex_lock(&w->mu);
		t->next = w->head;
		if (w->head)
			w->head->prev = t;
		w->head = t;
		pthread_mutex_unlock(&w->mu);
		*socket_context = t;
		return;
	}
	if (!t)
		return;
	pthread_mutex_lock(&w->mu);
	if (t->prev)
		t->prev->next = t->next;
	else
		w->head = t->next;
	if (t->next)
		t->next->prev = t->prev;
	pthread_mutex_unlock(&w->mu);
	free(t);
	*socket_context = NULL;
}

/* The connection's entry, or NULL. */
static struct tracked *tracked_of(struct MHD_Connection *mhd)
{
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(mhd, MHD_CONNECTION_INFO_SOCKET_CONTEXT);

	return ci ? ci->socket_context : NULL;
}

static void *watchdog_main(void *arg)
{
	struct watchdog *w = arg;
	int64_t period = w->deadline_ms / 4, now, since;
	struct timespec at;
	struct tracked *t;
	int cut;

	if (period < 100)
		period = 100;
	if (period > 1000)
		period = 1000;
	pthread_mutex_lock(&w->mu);
	while (!w->stop) {
		clock_gettime(CLOCK_MONOTONIC, &at);
		at.tv_nsec += (long)(period % 1000) * 1000000;
		at.tv_sec += (time_t)(period / 1000) + at.tv_nsec / 1000000000;
		at.tv_nsec %= 1000000000;
		pthread_cond_timedwait(&w->cv, &w->mu, &at);
		if (w->stop)
			break;
		now = mono_ms();
		cut = 0;
		for (t = w->head; t; t = t->next) {
			since = atomic_load(&t->since);
			if (since && !t->cut && now - since >= w->deadline_ms) {
				shutdown(t->fd, SHUT_RDWR);
				t->cut = 1;
				cut++;
			}
		}
		if (cut) {
			pthread_mutex_unlock(&w->mu);
			http_log("warning", "关闭了 %d 个在 %lld 秒内没有发完请求的连接", cut,
			         (long long)(w->deadline_ms / 1000));
			pthread_mutex_lock(&w->mu);
		}
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

static int watchdog_init(struct watchdog *w, long seconds)
{
	pthread_condattr_t attr;

	memset(w, 0, sizeof(*w));
	w->deadline_ms = (int64_t)seconds * 1000;
	if (pthread_mutex_init(&w->mu, NULL) != 0)
		return -1;
	if (pthread_condattr_init(&attr) != 0 ||
	    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC) != 0 ||
	    pthread_cond_init(&w->cv, &attr) != 0) {
		pthread_mutex_destroy(&w->mu);
		return -1;
	}
	pthread_condattr_destroy(&attr);
	if (pthread_create(&w->thread, NULL, watchdog_main, w) != 0) {
		pthread_cond_destroy(&w->cv);
		pthread_mutex_destroy(&w->mu);
		return -1;
	}
	return 0;
}

/* End the thread; the list empties as libmicrohttpd closes its connections. */
static void watchdog_stop(struct watchdog *w)
{
	pthread_mutex_lock(&w->mu);
	w->stop = 1;
	pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->mu);
	pthread_join(w->thread, NULL);
}

/* After libmicrohttpd stopped: every connection has left the list. */
static void watchdog_free(struct watchdog *w)
{
	pthread_cond_destroy(&w->cv);
	pthread_mutex_destroy(&w->mu);
}

/* ------------------------------------------------------------------ */
/* Replies and the access log */

/* The reply turned into a response, with every header, and queued. */
static enum MHD_Result send_reply(struct conn *c)
{
	struct http_reply *r = &c->req.reply;
	struct MHD_Response *resp;
	enum MHD_Result ret;
	char num[24];
	size_t i;
	uint64_t len;

	if (r->status == 0)
		http_error(&c->req, HTTP_INTERNAL_ERROR, "internal", "服务器内部错误，请稍后再试");
	if (r->fd >= 0) {
		len = r->fd_len;
		resp = MHD_create_response_from_fd64(r->fd_len, r->fd);
		if (resp)
			r->fd = -1; /* the response closes it */
	} else if (r->body) {
		len = r->len;
		resp = MHD_create_response_from_buffer(r->len, r->body, MHD_RESPMEM_MUST_FREE);
		if (resp)
			r->body = NULL; /* the response frees it */
	} else {
		len = 0;
		resp = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
	}
	if (!resp)
		return MHD_NO;
	for (i = 0; i < sizeof(security_headers) / sizeof(security_headers[0]); i++)
		MHD_add_response_header(resp, security_headers[i][0], security_headers[i][1]);
	if (c->srv->tls)
		MHD_add_response_header(resp, "Strict-Transport-Security", "max-age=31536000");
	if (r->content_type)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, r->content_type);
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL,
	                        r->cache_control ? r->cache_control : "no-store");
	if (r->etag[0])
		MHD_add_response_header(resp, MHD_HTTP_HEADER_ETAG, r->etag);
	if (r->allow)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, r->allow);
	if (r->location)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_LOCATION, r->location);
	if (r->set_cookie)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_SET_COOKIE, r->set_cookie);
	if (r->sw_allowed)
		MHD_add_response_header(resp, "Service-Worker-Allowed", r->sw_allowed);
	if (r->retry_after) {
		snprintf(num, sizeof(num), "%u", r->retry_after);
		MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, num);
	}
	ret = MHD_queue_response(c->mhd, r->status, resp);
	MHD_destroy_response(resp);
	c->state = ST_SENT;
	c->sent_status = r->status;
	c->sent_bytes = strcmp(c->req.method, "HEAD") == 0 ? 0 : len;
	return ret;
}

/* How a request ended, when not by its reply being sent. */
static const char *termination(enum MHD_RequestTerminationCode toe)
{
	switch (toe) {
	case MHD_REQUEST_TERMINATED_COMPLETED_OK:
		return NULL;
	case MHD_REQUEST_TERMINATED_TIMEOUT_REACHED:
		return "timeout";
	case MHD_REQUEST_TERMINATED_DAEMON_SHUTDOWN:
		return "shutdown";
	case MHD_REQUEST_TERMINATED_CLIENT_ABORT:
		return "client_abort";
	case MHD_REQUEST_TERMINATED_READ_ERROR:
		return "read_error";
	default:
		return "error";
	}
}

/* One line a request: no query string, no address, nothing personal. */
static void access_log(const struct conn *c, enum MHD_RequestTerminationCode toe)
{
	char line[512], when[32], end[48] = "";
	const char *how = termination(toe);
	int64_t us = elapsed_us(&c->start);
	int n;

	http_time_iso(when);
	if (how)
		snprintf(end, sizeof(end), ",\"terminated\":\"%s\"", how);
	n = snprintf(line, sizeof(line),
	             "{\"time\":\"%s\",\"method\":\"%s\",\"route\":\"%s\",\"status\":%u,"
	             "\"ms\":%lld.%03lld,\"bytes\":%llu%s}\n",
	             when, c->method, c->req.route ? c->req.route->log_name : "-", c->sent_status,
	             (long long)(us / 1000), (long long)(us % 1000),
	             (unsigned long long)c->sent_bytes, end);
	if (n > 0 && (size_t)n < sizeof(line) && write(STDERR_FILENO, line, (size_t)n) < 0) {
		/* a full disk or a closed stderr must not stop the server */
	}
}

static void conn_free(struct conn *c)
{
	if (c->form)
		MHD_destroy_post_processor(c->form);
	free(c->req.reply.body);
	sodium_memzero(c->req.session, sizeof(c->req.session));
	sodium_memzero(c->req.csrf, sizeof(c->req.csrf));
	if (c->req.reply.fd >= 0)
		close(c->req.reply.fd);
	arena_release(&c->req.arena);
	free(c);
}

static void on_completed(void *cls, struct MHD_Connection *mhd, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
	struct server *srv = cls;
	struct conn *c = *con_cls;

	struct tracked *t = tracked_of(mhd);

	if (t)
		atomic_store(&t->since, mono_ms()); /* a kept-alive connection owes the next one */
	if (!c)
		return;
	if (c->begun) {
		access_log(c, toe);
		atomic_fetch_sub(&srv->in_flight, 1);
	}
	conn_free(c);
	*con_cls = NULL;
}

/*
 * Called with the raw request line's target, before anything is decoded:
 * the request's state starts here, so that what decoding hides (a NUL
 * written %00 cuts the path short) can still be refused.
 */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *mhd)
{
	struct conn *c = calloc(1, sizeof(*c));
	const char *p;

	if (!c)
		return NULL;
	c->srv = cls;
	c->mhd = mhd;
	c->req.reply.fd = -1;
	for (p = uri; *p && *p != '?'; p++)
		if (p[0] == '%' && p[1] == '0' && p[2] == '0')
			c->path_nul = 1;
	return c;
}

/* ------------------------------------------------------------------ */
/* Jobs: handlers that may take long, off the threads that read requests */

static void run_handler(struct conn *c)
{
	api_session_touch(&c->req);
	c->req.route->handler(&c->req);
	if (c->req.reply.status == 0)
		http_error(&c->req, HTTP_INTERNAL_ERROR, "internal", "服务器内部错误，请稍后再试");
}

static void *job_main(void *arg)
{
	struct jobs *j = arg;
	struct conn *c;

	for (;;) {
		pthread_mutex_lock(&j->mu);
		while (!j->head && !j->stop)
			pthread_cond_wait(&j->cv, &j->mu);
		c = j->head;
		if (c) {
			j->head = c->next;
			if (!j->head)
				j->tail = NULL;
			j->count--;
		}
		pthread_mutex_unlock(&j->mu);
		if (!c)
			break; /* stopping and nothing left */
		run_handler(c);
		c->state = ST_DONE;
		MHD_resume_connection(c->mhd);
	}
	return NULL;
}

/* Suspend the connection and queue its handler: 0, or -1 when the queue is full or stopping. */
static int jobs_push(struct jobs *j, struct conn *c)
{
	pthread_mutex_lock(&j->mu);
	if (j->stop || j->count >= JOBS_MAX) {
		pthread_mutex_unlock(&j->mu);
		return -1;
	}
	c->state = ST_RUNNING;
	MHD_suspend_connection(c->mhd);
	c->next = NULL;
	if (j->tail)
		j->tail->next = c;
	else
		j->head = c;
	j->tail = c;
	j->count++;
	pthread_cond_signal(&j->cv);
	pthread_mutex_unlock(&j->mu);
	return 0;
}

static int jobs_start(struct jobs *j, size_t n)
{
	memset(j, 0, sizeof(*j));
	pthread_mutex_init(&j->mu, NULL);
	pthread_cond_init(&j->cv, NULL);
	j->threads = calloc(n, sizeof(*j->threads));
	if (!j->threads)
		return -1;
	for (j->nthreads = 0; j->nthreads < n; j->nthreads++)
		if (pthread_create(&j->threads[j->nthreads], NULL, job_main, j) != 0)
			return -1;
	return 0;
}

/* Run what is queued, then end the threads. */
static void jobs_stop(struct jobs *j)
{
	size_t i;

	pthread_mutex_lock(&j->mu);
	j->stop = 1;
	pthread_cond_broadcast(&j->cv);
	pthread_mutex_unlock(&j->mu);
	for (i = 0; i < j->nthreads; i++)
		pthread_join(j->threads[i], NULL);
	free(j->threads);
	j->threads = NULL;
	pthread_cond_destroy(&j->cv);
	pthread_mutex_destroy(&j->mu);
}

/* ------------------------------------------------------------------ */
/* Reading a request */

static enum MHD_Result collect_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                                   size_t key_size, const char *value, size_t value_size)
{
	struct conn *c = cls;
	struct http_request *r = &c->req;
	struct http_arg *a;
	size_t i;

	(void)kind;
	if (r->args_bad)
		return MHD_NO;
	if (!value)
		value = "";
	if (r->nargs == HTTP_ARGS_MAX || strlen(key) != key_size) {
		r->args_bad = 1;
		return MHD_NO;
	}
	for (i = 0; i < r->nargs; i++)
		if (strcmp(r->args[i].key, key) == 0) {
			r->args_bad = 1; /* a repeated argument: which one would count? */
			return MHD_NO;
		}
	a = &r->args[r->nargs];
	a->key = arena_strndup(&r->arena, key, key_size);
	a->value = arena_strndup(&r->arena, value, value_size);
	a->len = value_size;
	if (!a->key || !a->value) {
		r->args_bad = 1;
		return MHD_NO;
	}
	r->nargs++;
	return MHD_YES;
}

static enum MHD_Result collect_header(void *cls, enum MHD_ValueKind kind, const char *key,
                                      const char *value)
{
	struct conn *c = cls;

	(void)kind;
	if (!value)
		return MHD_YES;
	if (strcasecmp(key, "Content-Type") == 0)
		c->req.content_type = value;
	else if (strcasecmp(key, "If-None-Match") == 0)
		c->req.if_none_match = value;
	else if (strcasecmp(key, "Content-Length") == 0)
		c->content_length = value;
	else if (strcasecmp(key, "X-Forwarded-For") == 0)
		c->forwarded = value; /* the last one: what the proxy added */
	else if (strcasecmp(key, "X-Forwarded-Proto") == 0)
		c->forwarded_proto = value;
	else if (strcasecmp(key, "Cookie") == 0)
		c->req.cookie = value;
	else if (strcasecmp(key, "Authorization") == 0)
		c->req.authorization = value;
	else if (strcasecmp(key, "X-CSRF-Token") == 0)
		c->req.csrf_header = value;
	else if (strcasecmp(key, "Origin") == 0)
		c->req.origin = value;
	else if (strcasecmp(key, "Host") == 0)
		c->req.host = value;
	return MHD_YES;
}

/*
 * The rate limiter's key for an address: IPv4 (also mapped into IPv6) by
 * its 4 bytes, IPv6 by its /64.  *loopback says whether it is this host.
 */
static size_t addr_key(const struct sockaddr *sa, unsigned char key[RATELIMIT_KEY_MAX],
                       int *loopback)
{
	*loopback = 0;
	if (sa && sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)(const void *)sa;

		memcpy(key, &in->sin_addr, 4);
		*loopback = key[0] == 127;
		return 4;
	}
	if (sa && sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)(const void *)sa;

		if (IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr)) {
			memcpy(key, in6->sin6_addr.s6_addr + 12, 4);
			*loopback = key[0] == 127;
			return 4;
		}
		*loopback = IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr);
		memcpy(key, in6->sin6_addr.s6_addr, 8);
		return 8;
	}
	return 0;
}

/* The last address of an X-Forwarded-For, as a rate-limiter key; 0 when there is none. */
static size_t forwarded_key(const char *xff, unsigned char key[RATELIMIT_KEY_MAX])
{
	const char *p = strrchr(xff, ','), *end;
	char addr[64];
	struct in_addr v4;
	struct in6_addr v6;
	size_t n;

	p = p ? p + 1 : xff;
	while (*p == ' ' || *p == '\t')
		p++;
	end = p + strlen(p);
	while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	n = (size_t)(end - p);
	if (n == 0 || n >= sizeof(addr))
		return 0;
	memcpy(addr, p, n);
	addr[n] = '\0';
	if (inet_pton(AF_INET, addr, &v4) == 1) {
		memcpy(key, &v4, 4);
		return 4;
	}
	if (inet_pton(AF_INET6, addr, &v6) == 1) {
		if (IN6_IS_ADDR_V4MAPPED(&v6)) {
			memcpy(key, v6.s6_addr + 12, 4);
			return 4;
		}
		memcpy(key, v6.s6_addr, 8);
		return 8;
	}
	return 0;
}

static size_t client_key(const struct conn *c, unsigned char key[RATELIMIT_KEY_MAX])
{
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(c->mhd, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	int loopback;
	size_t n = addr_key(ci ? ci->client_addr : NULL, key, &loopback), fn;

	/* Only a proxy on this host may say who the client is. */
	if (c->srv->trust_proxy && loopback && c->forwarded &&
	    strlen(c->forwarded) <= FORWARDED_MAX && (fn = forwarded_key(c->forwarded, key)) > 0)
		return fn;
	return n;
}

/*
 * Does the client reach us over HTTPS?  Directly, when we serve TLS; or
 * through the trusted proxy on this host that terminates it and says so
 * in X-Forwarded-Proto (the session cookie is then Secure).
 */
static int client_https(const struct conn *c)
{
	const union MHD_ConnectionInfo *ci;
	unsigned char key[RATELIMIT_KEY_MAX];
	int loopback = 0;

	if (c->srv->tls)
		return 1;
	if (!c->srv->trust_proxy || !c->forwarded_proto)
		return 0;
	ci = MHD_get_connection_info(c->mhd, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	addr_key(ci ? ci->client_addr : NULL, key, &loopback);
	return loopback && strcasecmp(c->forwarded_proto, "https") == 0;
}

/* The client's address kept with the request, for client_addr_text. */
static void client_addr_keep(struct conn *c)
{
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(c->mhd, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = ci ? ci->client_addr : NULL;

	if (sa && sa->sa_family == AF_INET)
		memcpy(&c->peer, sa, sizeof(struct sockaddr_in));
	else if (sa && sa->sa_family == AF_INET6)
		memcpy(&c->peer, sa, sizeof(struct sockaddr_in6));
	else
		c->peer.ss_family = AF_UNSPEC;
}

/* The client's address as text, for the audit trail (never the access
 * log): made only when a handler asks (http_client_addr), which may be on
 * a job thread, so from the copy client_addr_keep made. */
static void client_addr_text(const struct conn *c, char *out, size_t size)
{
	const struct sockaddr *sa =
	    c->peer.ss_family == AF_UNSPEC ? NULL : (const struct sockaddr *)(const void *)&c->peer;
	unsigned char key[RATELIMIT_KEY_MAX];
	int loopback = 0;

	out[0] = '\0';
	addr_key(sa, key, &loopback);
	if (c->srv->trust_proxy && loopback && c->forwarded &&
	    strlen(c->forwarded) <= FORWARDED_MAX && forwarded_key(c->forwarded, key) > 0) {
		const char *p = strrchr(c->forwarded, ',');

		p = p ? p + 1 : c->forwarded;
		while (*p == ' ' || *p == '\t')
			p++;
		snprintf(out, size, "%.*s", (int)strcspn(p, " \t"), p);
		return;
	}
	if (sa && sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out,
		          (socklen_t)size);
	else if (sa && sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr,
		          out, (socklen_t)size);
}

static void client_addr_fill(struct http_request *r)
{
	/* The request is the first member of its connection's state. */
	const struct conn *c = (const struct conn *)(const void *)r;

	client_addr_text(c, r->addr, sizeof(r->addr));
}

/* 1 when the request's media type (without parameters) is in list ('|'-separated). */
static int media_accepted(const char *list, const char *type)
{
	size_t tlen = 0, len;
	const char *p = list, *bar;

	if (type) {
		while (type[tlen] && type[tlen] != ';' && type[tlen] != ' ' && type[tlen] != '\t')
			tlen++;
	}
	for (;;) {
		bar = strchr(p, '|');
		len = bar ? (size_t)(bar - p) : strlen(p);
		if (len == tlen && (tlen == 0 || strncasecmp(p, type, tlen) == 0))
			return 1;
		if (!bar)
			return 0;
		p = bar + 1;
	}
}

static int is_multipart(const char *type)
{
	return type && strncasecmp(type, "multipart/form-data", 19) == 0;
}

static const char *method_name(const char *m)
{
	static const char *const known[] = {"GET",     "HEAD",  "POST",  "PUT",    "DELETE",
	                                    "OPTIONS", "PATCH", "TRACE", "CONNECT"};
	size_t i;

	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (strcmp(m, known[i]) == 0)
			return known[i];
	return "OTHER";
}

/* Bytes of the body kept so far, and room for more. */
static int body_reserve(struct conn *c, size_t more)
{
	size_t need = c->req.body_len + more + 1, cap;
	char *p;

	if (need <= c->body_cap)
		return 0;
	cap = c->body_cap ? c->body_cap : 16 * 1024;
	while (cap < need)
		cap *= 2;
	if (cap > c->req.route->max_body + 1)
		cap = c->req.route->max_body + 1;
	if (cap < need)
		return -1;
	p = arena_grow(&c->req.arena, c->req.body, c->body_cap, cap);
	if (!p)
		return -1;
	c->req.body = p;
	c->body_cap = cap;
	return 0;
}

static int body_append(struct conn *c, const char *data, size_t size)
{
	if (c->too_large)
		return 0;
	if (size > c->req.route->max_body - c->req.body_len || body_reserve(c, size) < 0) {
		c->too_large = 1;
		return 0;
	}
	memcpy(c->req.body + c->req.body_len, data, size);
	c->req.body_len += size;
	c->req.body[c->req.body_len] = '\0';
	return 0;
}

/* The form's parts: the first one that is a file becomes the body; the rest is ignored. */
static enum MHD_Result form_part(void *cls, enum MHD_ValueKind kind, const char *key,
                                 const char *filename, const char *content_type,
                                 const char *transfer_encoding, const char *data, uint64_t off,
                                 size_t size)
{
	struct conn *c = cls;

	(void)kind;
	(void)key;
	(void)content_type;
	(void)transfer_encoding;
	if (!filename)
		return MHD_YES;
	if (off == 0) {
		c->in_file = !c->got_file;
		c->got_file = 1;
	}
	if (c->in_file && size)
		body_append(c, data, size);
	return c->too_large ? MHD_NO : MHD_YES;
}

/*
 * First call for a request: route, limits, arguments.  Returns 1 when a
 * reply was decided already (sent at once: a 404, 405, 413, 415 or 429),
 * 0 to go on reading, -1 to drop the connection.
 */
static int request_begin(struct conn *c, const char *url)
{
	struct http_request *r = &c->req;
	const struct route *route;
	struct ratelimit *rl;
	struct err err;
	const char *allow;
	unsigned char key[RATELIMIT_KEY_MAX];
	unsigned retry;
	size_t keylen;
	char *end;
	unsigned long long clen;

	MHD_get_connection_values(c->mhd, MHD_HEADER_KIND, collect_header, c);
	route = route_find(r->method, url, &allow);
	r->route = route;
	arena_init(&r->arena, (route ? route->max_body : 0) + ARENA_SLACK);
	r->path = arena_strndup(&r->arena, url, strlen(url));
	if (!r->path)
		return -1;
	if (c->path_nul) {
		http_error(r, HTTP_BAD_REQUEST, "bad_path", "网址中不能含有空字符");
		return 1;
	}
	if (!route) {
		if (allow) {
			r->reply.allow = allow;
			http_error(r, HTTP_METHOD_NOT_ALLOWED, "method_not_allowed",
			           "此地址不支持 %s 请求（可用：%s）", c->method, allow);
		} else {
			http_error(r, HTTP_NOT_FOUND, "not_found", "没有这个页面或接口");
		}
		return 1;
	}
	r->tls = client_https(c);
	client_addr_keep(c);
	r->addr_fill = client_addr_fill;
	/* Password guesses are limited before anything else is looked at. */
	rl = route->rate == RATE_SIGN_IN ? c->srv->sign_in
	     : route->rate == RATE_QUERY ? c->srv->rl
	                                 : NULL;
	if (rl) {
		keylen = client_key(c, key);
		if (!ratelimit_take(rl, key, keylen, mono_ms(), &retry)) {
			r->reply.retry_after = retry;
			if (route->rate == RATE_SIGN_IN)
				http_error(r, HTTP_TOO_MANY_REQUESTS, "rate_limited",
				           "登录尝试过于频繁，请 %u 秒后再试", retry);
			else
				http_error(r, HTTP_TOO_MANY_REQUESTS, "rate_limited",
				           "请求过于频繁，请 %u 秒后再试", retry);
			return 1;
		}
	}
	err_clear(&err);
	/* Answers anyone may see (the public check, pages, static files) do
	 * not depend on who asks: no session or token is looked up for them,
	 * which keeps a signed-in browser's asset requests off the database. */
	if (route_bind(r) < 0 ||
	    (!(route_is_public(route) && (route->flags & ROUTE_PUBLIC_ANSWERS)) &&
	     api_authenticate(r, &err) < 0)) {
		if (err.kind == ERR_NONE)
			err_system(&err, "内存不足");
		http_internal(r, &err);
		return 1;
	}
	if (!route_allows(r))
		return 1;
	if (c->content_length) {
		errno = 0;
		clen = strtoull(c->content_length, &end, 10);
		if (errno || *end || end == c->content_length)
			clen = ULLONG_MAX;
		if (clen > route->max_body) {
			if (route->max_body == 0)
				http_error(r, HTTP_PAYLOAD_TOO_LARGE, "payload_too_large",
				           "此接口不接受请求体");
			else
				http_error(r, HTTP_PAYLOAD_TOO_LARGE, "payload_too_large",
				           "请求体过大：最多 %zu 字节", route->max_body);
			return 1;
		}
		if (clen > 0 && !is_multipart(r->content_type) && body_reserve(c, (size_t)clen) < 0)
			return -1;
	}
	if (route->accept) {
		if (!media_accepted(route->accept, r->content_type)) {
			http_error(r, HTTP_UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
			           "不支持的请求体类型“%.64s”",
			           r->content_type ? r->content_type : "");
			return 1;
		}
		if (is_multipart(r->content_type)) {
			c->form = MHD_create_post_processor(c->mhd, FORM_BUFFER, form_part, c);
			if (!c->form) {
				http_error(r, HTTP_BAD_REQUEST, "bad_form",
				           "表单格式无效（multipart/form-data 缺少 boundary）");
				return 1;
			}
		}
	}
	MHD_get_connection_values_n(c->mhd, MHD_GET_ARGUMENT_KIND, collect_arg, c);
	if (r->args_bad) {
		http_error(r, HTTP_BAD_REQUEST, "bad_query",
		           "查询参数无效：参数过多（最多 %d 个）、重复或含有空字符", HTTP_ARGS_MAX);
		return 1;
	}
	return 0;
}

/* A piece of the body.  MHD_NO drops the connection (a body far past its cap). */
static enum MHD_Result request_body(struct conn *c, const char *data, size_t size)
{
	const struct route *route = c->req.route;

	c->received += size;
	if (route->max_body == 0 ||
	    c->received > (uint64_t)route->max_body * DISCARD_FACTOR + FORM_BUFFER) {
		c->too_large = 1;
		if (c->received > (uint64_t)route->max_body * DISCARD_FACTOR + FORM_BUFFER)
			return MHD_NO;
		return MHD_YES;
	}
	if (c->form) {
		if (!c->form_bad && !c->too_large &&
		    MHD_post_process(c->form, data, size) != MHD_YES && !c->too_large)
			c->form_bad = 1;
		return MHD_YES;
	}
	body_append(c, data, size);
	return MHD_YES;
}

/* The body is complete: 0 to run the handler, 1 when a reply was decided. */
static int request_end(struct conn *c)
{
	struct http_request *r = &c->req;

	if (c->form) {
		if (MHD_destroy_post_processor(c->form) != MHD_YES && !c->too_large)
			c->form_bad = 1;
		c->form = NULL;
	}
	if (c->too_large) {
		if (r->route->max_body == 0)
			http_error(r, HTTP_PAYLOAD_TOO_LARGE, "payload_too_large",
			           "此接口不接受请求体");
		else
			http_error(r, HTTP_PAYLOAD_TOO_LARGE, "payload_too_large",
			           "请求体过大：最多 %zu 字节", r->route->max_body);
		return 1;
	}
	if (c->form_bad) {
		http_error(r, HTTP_BAD_REQUEST, "bad_form", "表单数据无效或不完整");
		return 1;
	}
	if (is_multipart(r->content_type) && r->route->accept && !c->got_file) {
		http_error(r, HTTP_BAD_REQUEST, "no_file", "表单中没有上传的文件");
		return 1;
	}
	if (r->route->max_body && body_reserve(c, 0) < 0)
		return -1;
	return 0;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *mhd, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_size, void **con_cls)
{
	struct server *srv = cls;
	struct conn *c = *con_cls;
	int rc;

	(void)version;
	if (!c)
		return MHD_NO; /* out of memory when the request started */
	if (!c->begun) {
		clock_gettime(CLOCK_MONOTONIC, &c->start);
		c->begun = 1;
		c->mhd = mhd;
		c->req.api = srv->api;
		c->req.method = method;
		snprintf(c->method, sizeof(c->method), "%s", method_name(method));
		atomic_fetch_add(&srv->in_flight, 1);
		c->tracked = tracked_of(mhd);
		rc = request_begin(c, url);
		if (rc < 0)
			return MHD_NO;
		if (rc > 0)
			return send_reply(c);
		/* an admitted upload that may be large takes its time (struct watchdog) */
		if (c->tracked && c->req.route->max_body > SMALL_BODY)
			atomic_store(&c->tracked->since, 0);
		return MHD_YES;
	}
	if (c->state == ST_SENT) {
		*upload_size = 0; /* a reply went out early: whatever follows is ignored */
		return MHD_YES;
	}
	if (*upload_size) {
		size_t size = *upload_size;

		*upload_size = 0;
		return request_body(c, upload_data, size);
	}
	if (c->tracked)
		atomic_store(&c->tracked->since, 0); /* the request is in */
	if (c->state == ST_RUNNING)
		return MHD_YES;
	if (c->state == ST_DONE)
		return send_reply(c);
	rc = request_end(c);
	if (rc < 0)
		return MHD_NO;
	if (rc > 0)
		return send_reply(c);
	if (c->req.route->offload) {
		if (jobs_push(&srv->jobs, c) == 0)
			return MHD_YES;
		c->req.reply.retry_after = 5;
		http_error(&c->req, HTTP_SERVICE_UNAVAILABLE, "busy", "服务器繁忙，请稍后再试");
		return send_reply(c);
	}
	run_handler(c);
	return send_reply(c);
}

/* Set while the daemon starts: its English messages then are not shown,
 * serve() says in Chinese what went wrong. */
static atomic_int mhd_starting;

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	char msg[512];
	size_t n;

	(void)cls;
	if (atomic_load(&mhd_starting))
		return;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	n = strlen(msg);
	while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == '\r'))
		msg[--n] = '\0';
	http_log("warning", "libmicrohttpd: %s", msg);
}

/* ------------------------------------------------------------------ */
/* The command */

/*
 * Bind the listening address once, as libmicrohttpd will (SO_REUSEADDR;
 * IPv6 alone on an IPv6 address), and let it go: 0 when it can be had,
 * else errno (EADDRINUSE for a busy port).
 */
static int bind_probe(const struct sockaddr_storage *addr, socklen_t len, int v6)
{
	int fd = socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1, en = 0;

	if (fd < 0)
		return errno;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (v6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	if (bind(fd, (const struct sockaddr *)addr, len) != 0)
		en = errno;
	close(fd);
	return en;
}

/* Why the address cannot be listened on, in Chinese, for errno en. */
static void say_bind_failed(const char *listen, const struct sockaddr_storage *addr, int en)
{
	unsigned port =
	    ntohs(addr->ss_family == AF_INET6 ? ((const struct sockaddr_in6 *)addr)->sin6_port
	                                      : ((const struct sockaddr_in *)addr)->sin_port);

	if (en == EADDRINUSE)
		fprintf(
		    stderr,
		    "opcert serve: 端口 %u 已被占用（%s），请用 --listen 换一个端口或先停止占用它的"
		    "程序\n",
		    port, listen);
	else if (en == EACCES && port < 1024)
		fprintf(stderr,
		        "opcert serve: 无权监听端口 %u（%s）：1024 以下的端口需要管理员权限，请用 "
		        "--listen 换一个端口\n",
		        port, listen);
	else
		fprintf(stderr, "opcert serve: 无法监听 %s：%s\n", listen, err_errno_text(en));
}

struct serve_options {
	const char *listen;
	const char *web;
	const char *tls_cert;
	const char *tls_key;
	int trust_proxy;
	long rate;
	long sign_in_rate;
	long timeout;
	long request_timeout;
	long threads;
	int today_given;
};

/* Parse "HOST:PORT", "[V6]:PORT" into a socket address. */
static int parse_listen(const char *s, struct sockaddr_storage *ss, socklen_t *len, int *v6)
{
	char host[64];
	const char *colon;
	char *end;
	long port;
	size_t hlen;

	memset(ss, 0, sizeof(*ss));
	if (s[0] == '[') {
		const char *close = strchr(s, ']');

		if (!close || close[1] != ':')
			return -1;
		hlen = (size_t)(close - s - 1);
		if (hlen == 0 || hlen >= sizeof(host))
			return -1;
		memcpy(host, s + 1, hlen);
		colon = close + 1;
	} else {
		colon = strrchr(s, ':');
		if (!colon)
			return -1;
		hlen = (size_t)(colon - s);
		if (hlen == 0 || hlen >= sizeof(host))
			return -1;
		memcpy(host, s, hlen);
	}
	host[hlen] = '\0';
	errno = 0;
	port = strtol(colon + 1, &end, 10);
	if (errno || *end || end == colon + 1 || port < 0 || port > 65535)
		return -1;
	if (strcmp(host, "localhost") == 0)
		snprintf(host, sizeof(host), "127.0.0.1");
	if (inet_pton(AF_INET, host, &((struct sockaddr_in *)ss)->sin_addr) == 1) {
		((struct sockaddr_in *)ss)->sin_family = AF_INET;
		((struct sockaddr_in *)ss)->sin_port = htons((uint16_t)port);
		*len = sizeof(struct sockaddr_in);
		*v6 = 0;
		return 0;
	}
	if (inet_pton(AF_INET6, host, &((struct sockaddr_in6 *)ss)->sin6_addr) == 1) {
		((struct sockaddr_in6 *)ss)->sin6_family = AF_INET6;
		((struct sockaddr_in6 *)ss)->sin6_port = htons((uint16_t)port);
		*len = sizeof(struct sockaddr_in6);
		*v6 = 1;
		return 0;
	}
	return -1;
}

static int parse_number(const char *s, long min, long max, long *out)
{
	char *end;

	errno = 0;
	*out = strtol(s, &end, 10);
	return errno || *end || end == s || *out < min || *out > max ? -1 : 0;
}

/* A PEM file for TLS, whole and NUL-terminated; NULL after printing why. */
static char *read_pem(const struct cli *cli, const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t n;

	if (!f) {
		cli_usage(cli, "无法打开 %s", path);
		return NULL;
	}
	buf = malloc(TLS_FILE_MAX + 1);
	if (buf) {
		n = fread(buf, 1, TLS_FILE_MAX + 1, f);
		if (ferror(f) || n == 0 || n > TLS_FILE_MAX) {
			cli_usage(cli, "%s 不是可用的 PEM 文件（空、过大或无法读取）", path);
			free(buf);
			buf = NULL;
		} else {
			buf[n] = '\0';
		}
	}
	fclose(f);
	return buf;
}

static void free_pem(char *pem)
{
	if (pem) {
		sodium_memzero(pem, strlen(pem));
		free(pem);
	}
}

/* A directory's real path, or NULL. */
static char *real_dir(const char *path)
{
	struct stat sb;
	char *real = realpath(path, NULL);

	if (real && (stat(real, &sb) != 0 || !S_ISDIR(sb.st_mode))) {
		free(real);
		real = NULL;
	}
	return real;
}

/* --web, else $OPCERT_WEB, else web/ of the source tree beside the executable. */
static int find_web_root(const struct cli *cli, const char *opt, char **out)
{
	static const char *const beside[] = {"/../web", "/web", "/../share/opcert/web"};
	const char *env = getenv("OPCERT_WEB");
	char exe[PATH_MAX], path[PATH_MAX + 32], *slash;
	ssize_t n;
	size_t i;

	*out = NULL;
	if (opt || (env && *env)) {
		*out = real_dir(opt ? opt : env);
		if (!*out) {
			cli_usage(cli, "网页目录 %s 不存在或不是目录", opt ? opt : env);
			return -1;
		}
		return 0;
	}
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		return 0;
	exe[n] = '\0';
	slash = strrchr(exe, '/');
	if (!slash)
		return 0;
	*slash = '\0';
	for (i = 0; i < sizeof(beside) / sizeof(beside[0]) && !*out; i++) {
		snprintf(path, sizeof(path), "%s%s", exe, beside[i]);
		*out = real_dir(path);
	}
	return 0;
}

static int serve_options(int argc, char **argv, struct cli *cli, struct serve_options *o)
{
	static const struct option longopts[] = {{"listen", required_argument, NULL, 'l'},
	                                         {"web", required_argument, NULL, 'w'},
	                                         {"tls-cert", required_argument, NULL, 'c'},
	                                         {"tls-key", required_argument, NULL, 'k'},
	                                         {"trust-proxy", no_argument, NULL, 'p'},
	                                         {"rate-limit", required_argument, NULL, 'r'},
	                                         {"sign-in-rate", required_argument, NULL, 's'},
	                                         {"timeout", required_argument, NULL, 't'},
	                                         {"request-timeout", required_argument, NULL, 'R'},
	                                         {"threads", required_argument, NULL, 'T'},
	                                         CLI_COMMON_LONG_OPTIONS,
	                                         {NULL, 0, NULL, 0}};
	int opt, rc;

	memset(o, 0, sizeof(*o));
	o->listen = DEFAULT_LISTEN;
	o->rate = DEFAULT_RATE;
	o->sign_in_rate = DEFAULT_SIGN_IN;
	o->timeout = DEFAULT_TIMEOUT;
	o->request_timeout = DEFAULT_REQUEST;
	o->threads = sysconf(_SC_NPROCESSORS_ONLN);
	if (o->threads < 1)
		o->threads = 1;
	if (o->threads > 64)
		o->threads = 64;
	while ((opt = cli_getopt(cli, argc, argv, longopts)) != -1) {
		switch (opt) {
		case 'l':
			o->listen = optarg;
			continue;
		case 'w':
			o->web = optarg;
			continue;
		case 'c':
			o->tls_cert = optarg;
			continue;
		case 'k':
			o->tls_key = optarg;
			continue;
		case 'p':
			o->trust_proxy = 1;
			continue;
		case 'r':
			if (parse_number(optarg, 0, 1000000, &o->rate) < 0)
				return cli_usage(cli, "--rate-limit 应为 0 到 1000000 "
				                      "之间的整数（每分钟请求数，0 表示不限制）");
			continue;
		case 's':
			if (parse_number(optarg, 0, 1000000, &o->sign_in_rate) < 0)
				return cli_usage(cli, "--sign-in-rate 应为 0 到 1000000 "
				                      "之间的整数（每分钟登录次数，0 表示不限制）");
			continue;
		case 't':
			if (parse_number(optarg, 1, 3600, &o->timeout) < 0)
				return cli_usage(cli, "--timeout 应为 1 到 3600 之间的秒数");
			continue;
		case 'R':
			if (parse_number(optarg, 1, 3600, &o->request_timeout) < 0)
				return cli_usage(cli,
				                 "--request-timeout 应为 1 到 3600 之间的秒数");
			continue;
		case 'T':
			if (parse_number(optarg, 1, 64, &o->threads) < 0)
				return cli_usage(cli, "--threads 应为 1 到 64 之间的整数");
			continue;
		case CLI_OPT_TODAY:
			o->today_given = 1;
			break;
		}
		rc = cli_common_option(cli, opt, optarg);
		if (rc >= 0)
			return rc;
		if (rc == -1)
			return cli_usage(cli, "未知选项");
	}
	if (optind < argc)
		return cli_usage(cli, "多余的参数“%s”", argv[optind]);
	if (!o->tls_cert != !o->tls_key)
		return cli_usage(cli, "--tls-cert 和 --tls-key 必须同时给出");
	return -1;
}

const char cmd_serve_help[] =
    "用法：opcert serve [--listen HOST:PORT] [--web DIR] [--tls-cert FILE --tls-key FILE]\n"
    "                   [--trust-proxy] [--rate-limit N] [--sign-in-rate N] [--timeout SECONDS]\n"
    "                   [--request-timeout SECONDS] [--threads N]\n"
    "                   [--db PATH] [--keys DIR] [--passphrase-file FILE]\n"
    "\n启动 HTTP 服务，提供证书查询、扫码核验、批量核验和如何识别官方查询的网页，\n"
    "以及 JSON 接口 /api/v1/（说明见 /api/v1/openapi.json）。启动后打印网址；\n"
    "收到 SIGTERM 或 Ctrl+C 时不再接受新连接，等进行中的请求完成后退出（退出状态 0）。\n"
    "公众查询只给出脱敏的身份证号码，“查无此证”和“姓名不符”的答复完全相同。\n"
    "\n  --listen HOST:PORT  监听地址（默认 127.0.0.1:8080；端口 0 表示任选空闲端口）\n"
    "  --web DIR           网页目录（默认：环境变量 OPCERT_WEB，否则源代码树中的 web/）\n"
    "  --tls-cert FILE     HTTPS 证书（PEM）；手机浏览器只在 HTTPS 页面开放摄像头\n"
    "  --tls-key FILE      HTTPS 私钥（PEM），与 --tls-cert 同时给出\n"
    "  --trust-proxy       前面有本机（127.0.0.1 或 ::1）上的反向代理：按其 X-Forwarded-For\n"
    "                      中的最后一个地址识别客户端；其 X-Forwarded-Proto 为 https 时，\n"
    "                      登录会话的 Cookie 带 Secure\n"
    "  --rate-limit N      每个客户端地址每分钟最多 N 次查询（默认 60，可连续 20 次；\n"
    "                      0 表示不限制，仅用于性能测试）\n"
    "  --sign-in-rate N    每个客户端地址每分钟最多 N 次登录或改密码（默认 10，可连续 5 次；\n"
    "                      0 表示不限制）；另外，同一账号连续输错密码 5 次即锁定 15 分钟\n"
    "  --timeout SECONDS   连接空闲多久即断开（默认 15 秒）\n"
    "  --request-timeout SECONDS\n"
    "                      连接建立（或上一个答复发完）后多少秒内须发完请求（请求行、请求头，\n"
    "                      以及请求体上限不超过 64 KB 的接口的请求体），否则断开（默认 10 秒）；\n"
    "                      上传花名册等大请求体只受 --timeout 限制。每个客户端地址最多同时\n"
    "                      保持 128 个连接（--trust-proxy 时不限，由反向代理限制）\n"
    "  --threads N         处理请求的线程数（默认为处理器核数）\n"
    "\n签名密钥（--keys，默认数据库旁的 keys/）用于签署信任列表、状态列表和日志检查点；\n"
    "没有密钥时服务照常运行，这些接口答复 503。访问日志（JSON，每个请求一行）写到标准错误，\n"
    "只记录接口路径，不记录查询参数、客户端地址、密码、令牌或个人信息。\n"
    "\n账号用 opcert user add 创建；登录后会话保存在 HttpOnly、SameSite=Strict 的 Cookie 中\n"
    "（HTTPS 时加 Secure），空闲 30 分钟或登录 12 小时后失效。程序调用可用\n"
    "Authorization: Bearer 接口令牌（opcert token new）。\n" CLI_COMMON_HELP;

int cmd_serve(int argc, char **argv, struct cli *cli)
{
	struct serve_options o;
	struct server srv;
	struct api_config cfg;
	struct sockaddr_storage addr;
	struct MHD_Daemon *d = NULL;
	const union MHD_DaemonInfo *info;
	struct err err, keys_err;
	sigset_t stop_signals;
	socklen_t addr_len;
	char *web = NULL, *cert = NULL, *key = NULL, host[INET6_ADDRSTRLEN];
	unsigned flags;
	unsigned port;
	int rc, v6, sig, en, jobs_started = 0, watchdog_made = 0;
	long burst;
	int64_t deadline;
	MHD_socket lfd;

	rc = serve_options(argc, argv, cli, &o);
	if (rc >= 0)
		return rc;
	if (parse_listen(o.listen, &addr, &addr_len, &v6) < 0)
		return cli_usage(
		    cli, "--listen“%s”无效：应为 地址:端口，如 127.0.0.1:8080 或 [::1]:8080",
		    o.listen);
	if (find_web_root(cli, o.web, &web) < 0)
		return EXIT_USAGE;
	rc = EXIT_USAGE;
	if (o.tls_cert &&
	    (!(cert = read_pem(cli, o.tls_cert)) || !(key = read_pem(cli, o.tls_key))))
		goto out;

	memset(&srv, 0, sizeof(srv));
	atomic_init(&srv.in_flight, 0);
	srv.trust_proxy = o.trust_proxy;
	srv.tls = cert != NULL;
	memset(&cfg, 0, sizeof(cfg));
	cfg.db = cli->db;
	cfg.keys_dir = cli_keys_dir(cli);
	cfg.passphrase_file = cli->passphrase_file;
	cfg.today = o.today_given ? cli->today : DATE_NONE;
	cfg.web_root = web;
	err_clear(&err);
	srv.api = api_new(&cfg, &keys_err, &err);
	if (!srv.api) {
		rc = cli_fail(cli, &err, NULL);
		goto out;
	}
	if (o.rate > 0) {
		burst = o.rate < DEFAULT_BURST ? o.rate : DEFAULT_BURST;
		srv.rl = ratelimit_new((unsigned)o.rate, (unsigned)burst, RATE_CLIENTS);
		if (!srv.rl) {
			fprintf(stderr, "opcert serve: 内存不足\n");
			rc = EXIT_SYSTEM;
			goto out;
		}
	}

	if (o.sign_in_rate > 0) {
		burst = o.sign_in_rate < SIGN_IN_BURST ? o.sign_in_rate : SIGN_IN_BURST;
		srv.sign_in =
		    ratelimit_new((unsigned)o.sign_in_rate, (unsigned)burst, RATE_CLIENTS);
		if (!srv.sign_in) {
			fprintf(stderr, "opcert serve: 内存不足\n");
			rc = EXIT_SYSTEM;
			goto stop;
		}
	}

	/* Signals are taken by sigwait in this thread only: every thread made from here on inherits
	 * the block. */
	sigemptyset(&stop_signals);
	sigaddset(&stop_signals, SIGTERM);
	sigaddset(&stop_signals, SIGINT);
	pthread_sigmask(SIG_BLOCK, &stop_signals, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (jobs_start(&srv.jobs, (size_t)(o.threads < 2 ? 2 : o.threads)) < 0) {
		fprintf(stderr, "opcert serve: 无法创建线程\n");
		rc = EXIT_SYSTEM;
		goto stop;
	}
	jobs_started = 1;
	if (watchdog_init(&srv.watchdog, o.request_timeout) < 0) {
		fprintf(stderr, "opcert serve: 无法创建线程\n");
		rc = EXIT_SYSTEM;
		goto stop;
	}
	watchdog_made = 1;
	en = bind_probe(&addr, addr_len, v6);
	if (en != 0) {
		say_bind_failed(o.listen, &addr, en);
		rc = EXIT_SYSTEM;
		goto stop;
	}
	flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC | MHD_ALLOW_SUSPEND_RESUME |
	        MHD_USE_ERROR_LOG | (v6 ? MHD_USE_IPv6 : 0) | (cert ? MHD_USE_TLS : 0);
	atomic_store(&mhd_starting, 1);
	d = MHD_start_daemon(
	    flags, 0, NULL, NULL, on_request, &srv, MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
	    MHD_OPTION_URI_LOG_CALLBACK, on_uri, &srv, MHD_OPTION_SOCK_ADDR,
	    (struct sockaddr *)&addr, MHD_OPTION_THREAD_POOL_SIZE, (unsigned)o.threads,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)o.timeout, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
	    (size_t)CONNECTION_MEMORY, MHD_OPTION_CONNECTION_LIMIT, (unsigned)CONNECTIONS_MAX,
	    MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)(o.trust_proxy ? 0 : PER_IP_CONNECTIONS),
	    MHD_OPTION_NOTIFY_COMPLETED, on_completed, &srv, MHD_OPTION_NOTIFY_CONNECTION,
	    on_connection, &srv.watchdog, MHD_OPTION_STRICT_FOR_CLIENT, (int)1,
	    cert ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, cert, MHD_OPTION_HTTPS_MEM_KEY, key,
	    MHD_OPTION_END);
	atomic_store(&mhd_starting, 0);
	if (!d) {
		en = errno;
		if (en == EADDRINUSE || en == EACCES || en == EADDRNOTAVAIL)
			say_bind_failed(o.listen, &addr, en);
		else
			fprintf(stderr, "opcert serve: 无法在 %s 上启动服务%s\n", o.listen,
			        cert ? "（请检查 HTTPS 证书和私钥是否匹配、有效）" : "");
		rc = EXIT_SYSTEM;
		goto stop;
	}
	info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	port = info ? info->port : 0;
	if (v6)
		inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&addr)->sin6_addr, host, sizeof(host));
	else
		inet_ntop(AF_INET, &((struct sockaddr_in *)&addr)->sin_addr, host, sizeof(host));
	if (keys_err.kind != ERR_NONE)
		http_log("warning",
		         "未能打开密钥库 %s（%s）：信任列表、状态列表、日志和凭证核验暂时答复 503",
		         cfg.keys_dir, keys_err.msg);
	if (!web)
		http_log("warning",
		         "没有找到网页目录（--web DIR 或环境变量 OPCERT_WEB）：网页答复 404");
	printf("opcert serve: 已启动 %s://%s%s%s:%u/（%ld 个线程，每个地址每分钟 %ld 次请求%s）\n",
	       cert ? "https" : "http", v6 ? "[" : "", host, v6 ? "]" : "", port, o.threads, o.rate,
	       o.rate ? "" : "：不限制");
	fflush(stdout);

	while (sigwait(&stop_signals, &sig) != 0)
		;
	printf("opcert serve: 收到信号 %d，不再接受新连接，等待进行中的请求完成\n", sig);
	fflush(stdout);
	lfd = MHD_quiesce_daemon(d);
	if (lfd != MHD_INVALID_SOCKET)
		close(lfd);
	deadline = mono_ms() + GRACE_SECONDS * 1000;
	while (atomic_load(&srv.in_flight) > 0 && mono_ms() < deadline) {
		struct timespec ts = {0, 20 * 1000 * 1000};

		nanosleep(&ts, NULL);
	}
	rc = EXIT_ALL_VALID;
stop:
	if (jobs_started)
		jobs_stop(&srv.jobs);
	if (watchdog_made)
		watchdog_stop(&srv.watchdog);
	if (d)
		MHD_stop_daemon(d);
	if (watchdog_made)
		watchdog_free(&srv.watchdog);
	if (rc == EXIT_ALL_VALID) {
		printf("opcert serve: 已停止\n");
		fflush(stdout);
	}
	ratelimit_free(srv.rl);
	ratelimit_free(srv.sign_in);
	api_free(srv.api);
out:
	free_pem(cert);
	free_pem(key);
	free(web);
	return rc;
}
