/*
 * bench_timing.c - does the public check take as long for a number the
 * register holds, asked with a wrong name, as for a number it does not
 * hold?  (docs/BENCHMARKS.md, "Present and absent numbers"; driven by
 * bench/http-timing.sh, the last part of `make bench`.)
 *
 * Reads --targets FILE, one request a line: "GROUP<TAB>SIDE<TAB>NUMBER<TAB>NAME"
 * where SIDE is "present" or "absent" and GROUP names a comparison (the
 * construction numbers with a prefix the register holds, the T numbers).
 * Over one keep-alive connection to 127.0.0.1:--port it first sends
 * --warmup requests, then --samples pairs per group: each pair one present
 * and one absent target of that group, drawn at random, in random order,
 * the groups interleaved, so that the load of a shared machine falls on
 * both sides alike.  Each request is timed from the first byte sent to the
 * last byte of the answer (CLOCK_MONOTONIC).
 *
 * For each group it prints the median, p10 and p90 of each side, the
 * relative difference of the medians, and the median of the paired
 * differences (present minus absent, pair by pair).  The two answers of
 * every pair must be byte-identical (status and body): that is what the
 * public is promised, and a timing comparison of different answers would
 * mean nothing; exit 1 when one differs.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#define MAX_GROUPS 8
#define REPLY_MAX  (64 * 1024)

struct target {
	char path[512];
};

struct group {
	char name[32];
	struct target *side[2]; /* 0 present, 1 absent */
	size_t n[2], cap[2];
	double *us[2]; /* one latency per sample */
	double *diff;  /* present minus absent, per pair */
};

static struct group groups[MAX_GROUPS];
static size_t ngroups;
static int sock = -1;
static char reply[REPLY_MAX];

static void die(const char *what)
{
	fprintf(stderr, "bench_timing: %s\n", what);
	exit(2);
}

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

/* Percent-encode s after "name=" into out. */
static void enc(const char *s, char *out, size_t size)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = strlen(out);

	for (; *s && n + 4 < size; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
			out[n++] = (char)c;
		} else {
			out[n++] = '%';
			out[n++] = hex[c >> 4];
			out[n++] = hex[c & 15];
		}
	}
	out[n] = '\0';
}

static struct group *group_of(const char *name)
{
	size_t i;

	for (i = 0; i < ngroups; i++)
		if (strcmp(groups[i].name, name) == 0)
			return &groups[i];
	if (ngroups == MAX_GROUPS)
		die("too many groups");
	snprintf(groups[ngroups].name, sizeof(groups[ngroups].name), "%s", name);
	return &groups[ngroups++];
}

static void read_targets(const char *path)
{
	FILE *f = fopen(path, "r");
	char line[1024], *fields[4], *p;
	struct group *g;
	struct target *t;
	int side, k;

	if (!f)
		die("cannot open the targets file");
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\r\n")] = '\0';
		for (k = 0, p = line; k < 4; k++) {
			fields[k] = p;
			p = strchr(p, '\t');
			if (!p && k < 3)
				die("a targets line without four fields");
			if (p)
				*p++ = '\0';
		}
		side = strcmp(fields[1], "present") == 0  ? 0
		       : strcmp(fields[1], "absent") == 0 ? 1
		                                          : -1;
		if (side < 0)
			die("a side is neither present nor absent");
		g = group_of(fields[0]);
		if (g->n[side] == g->cap[side]) {
			g->cap[side] = g->cap[side] ? 2 * g->cap[side] : 256;
			g->side[side] = realloc(g->side[side], g->cap[side] * sizeof(*t));
			if (!g->side[side])
				die("out of memory");
		}
		t = &g->side[side][g->n[side]++];
		snprintf(t->path, sizeof(t->path), "/api/v1/verify?number=");
		enc(fields[2], t->path, sizeof(t->path));
		snprintf(t->path + strlen(t->path), sizeof(t->path) - strlen(t->path), "&name=");
		enc(fields[3], t->path, sizeof(t->path));
	}
	fclose(f);
}

static void connect_to(int port)
{
	struct sockaddr_in a;
	int one = 1;

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sock = socket(AF_INET, SOCK_STREAM, 0);
	if (sock < 0 || connect(sock, (struct sockaddr *)&a, sizeof(a)) != 0)
		die("cannot connect to the server");
	setsockopt(sock, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

/* One request; the answer (status line and body, headers but Date
 * dropped) in reply, its length returned; *us the time it took. */
static size_t ask(const struct target *t, double *us)
{
	char req[768];
	size_t have = 0, head, want;
	const char *end, *cl;
	double t0;
	ssize_t n;
	int len;

	len = snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\nHost: bench\r\n\r\n", t->path);
	t0 = now_us();
	if (send(sock, req, (size_t)len, 0) != len)
		die("send failed");
	for (;;) {
		n = recv(sock, reply + have, sizeof(reply) - 1 - have, 0);
		if (n <= 0)
			die("the server closed the connection");
		have += (size_t)n;
		reply[have] = '\0';
		end = strstr(reply, "\r\n\r\n");
		if (!end)
			continue;
		head = (size_t)(end - reply) + 4;
		cl = strstr(reply, "\r\nContent-Length:"); /* as libmicrohttpd writes it */
		if (!cl || cl > end)
			die("an answer without Content-Length");
		want = head + strtoul(cl + 17, NULL, 10);
		if (want >= sizeof(reply))
			die("an answer too long");
		if (have >= want)
			break;
	}
	*us = now_us() - t0;
	if (have != want)
		die("more bytes than the answer");
	/* What must be identical: the status line and the body. */
	end = strstr(reply, "\r\n");
	memmove(reply + (end - reply), reply + head, want - head);
	return (size_t)(end - reply) + (want - head);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double pct(double *v, size_t n, double p)
{
	size_t i = (size_t)(p * (double)(n - 1) + 0.5);

	return v[i < n ? i : n - 1];
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {{"port", required_argument, NULL, 'p'},
	                                     {"targets", required_argument, NULL, 't'},
	                                     {"samples", required_argument, NULL, 's'},
	                                     {"warmup", required_argument, NULL, 'w'},
	                                     {NULL, 0, NULL, 0}};
	static char first[REPLY_MAX];
	const char *targets = NULL;
	long samples = 20000, warmup = 2000, i;
	int port = 0, opt, bad = 0;
	size_t g, k, order[MAX_GROUPS], flen;
	double us[2];

	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (opt == 'p')
			port = atoi(optarg);
		else if (opt == 't')
			targets = optarg;
		else if (opt == 's')
			samples = atol(optarg);
		else if (opt == 'w')
			warmup = atol(optarg);
		else
			die("usage: bench_timing --port P --targets FILE [--samples N] [--warmup "
			    "N]");
	}
	if (!targets || port <= 0 || samples < 10 || warmup < 0)
		die("usage: bench_timing --port P --targets FILE [--samples N] [--warmup N]");
	if (sodium_init() < 0)
		die("libsodium");
	read_targets(targets);
	for (g = 0; g < ngroups; g++) {
		if (!groups[g].n[0] || !groups[g].n[1])
			die("a group without present or absent targets");
		for (k = 0; k < 2; k++)
			groups[g].us[k] = calloc((size_t)samples, sizeof(double));
		groups[g].diff = calloc((size_t)samples, sizeof(double));
		if (!groups[g].us[0] || !groups[g].us[1] || !groups[g].diff)
			die("out of memory");
	}
	connect_to(port);
	for (i = 0; i < warmup; i++) {
		struct group *w = &groups[(size_t)i % ngroups];

		ask(&w->side[i & 1][randombytes_uniform((uint32_t)w->n[i & 1])], &us[0]);
	}
	for (i = 0; i < samples; i++) {
		for (g = 0; g < ngroups; g++)
			order[g] = g;
		for (g = ngroups; g > 1; g--) {
			size_t j = randombytes_uniform((uint32_t)g), t = order[g - 1];

			order[g - 1] = order[j];
			order[j] = t;
		}
		for (g = 0; g < ngroups; g++) {
			struct group *w = &groups[order[g]];
			const struct target *p =
			    &w->side[0][randombytes_uniform((uint32_t)w->n[0])];
			const struct target *a =
			    &w->side[1][randombytes_uniform((uint32_t)w->n[1])];
			int absent_first = (int)randombytes_uniform(2);

			flen = ask(absent_first ? a : p, &us[absent_first]);
			memcpy(first, reply, flen);
			if (ask(absent_first ? p : a, &us[!absent_first]) != flen ||
			    memcmp(first, reply, flen) != 0) {
				if (!bad++)
					fprintf(
					    stderr,
					    "bench_timing: %s: the answers differ:\n  %s\n  %s\n",
					    w->name, p->path, a->path);
			}
			w->us[0][i] = us[0];
			w->us[1][i] = us[1];
			w->diff[i] = us[0] - us[1];
		}
	}
	close(sock);

	printf("%-14s %-8s %8s %9s %9s %9s\n", "group", "side", "samples", "p10 us", "median us",
	       "p90 us");
	for (g = 0; g < ngroups; g++) {
		struct group *w = &groups[g];
		double med[2];

		for (k = 0; k < 2; k++) {
			qsort(w->us[k], (size_t)samples, sizeof(double), cmp_double);
			med[k] = pct(w->us[k], (size_t)samples, 0.5);
			printf("%-14s %-8s %8ld %9.1f %9.1f %9.1f\n", w->name,
			       k ? "absent" : "present", samples,
			       pct(w->us[k], (size_t)samples, 0.1), med[k],
			       pct(w->us[k], (size_t)samples, 0.9));
		}
		qsort(w->diff, (size_t)samples, sizeof(double), cmp_double);
		printf("%-14s present/absent medians %+.1f%%, paired difference median %+.2f us "
		       "(p25 %+.2f, p75 %+.2f)\n",
		       w->name, 100.0 * (med[0] - med[1]) / med[1],
		       pct(w->diff, (size_t)samples, 0.5), pct(w->diff, (size_t)samples, 0.25),
		       pct(w->diff, (size_t)samples, 0.75));
	}
	if (bad) {
		fprintf(stderr, "bench_timing: %d pairs had different answers\n", bad);
		return 1;
	}
	return 0;
}
