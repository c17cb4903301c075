/*
 * bench_cred.c - the signed-credential benchmark of docs/BENCHMARKS.md
 * ("Signed credentials"), run by `make bench` (bench/run.sh).
 *
 * In one process, on this machine, each timing the median of --rounds
 * rounds (default 3) measured with CLOCK_MONOTONIC:
 *   1. verification of --count credentials (default 100,000): (a) libsodium's
 *      crypto_sign_verify_detached over their signatures and the exact bytes
 *      signed (the COSE Sig_structure, taken out of the payloads before the
 *      timed loop) against (b) scan_verify offline with a status list, the
 *      path of `opcert cred verify --batch --offline` for each payload text
 *      (Base45, zlib, COSE, signature, claims, dates, status).  Target:
 *      b >= 80% of a;
 *   2. issuance: raw signatures over the claim bytes (keys_signer_sign, the
 *      issuing key's signer) against cred_sign of the same claims with the
 *      same signer, and issue_credential (status slot,
 *      issuer code, signature, transparency log, credential table, one
 *      transaction each) for --issue certificates (default 10,000) of a demo
 *      register imported into a fresh SQLite database;
 *   3. the transparency log: --log ledger events (default 1,000,000) appended
 *      to a fresh store in one transaction, then the inclusion and
 *      consistency proofs at that size over the leaf hashes in memory.
 *
 * Each comparison alternates its two sides in blocks of 1,000 credentials,
 * so that the load of a shared machine falls on both alike; its ratio is
 * the median of the rounds' ratios.  The signing comparison signs every
 * credential once: round r takes the r-th share of them.
 *
 * With --write-payloads FILE --trust-out T --status-out S --keys DIR it also
 * writes the --count payloads it signed (one per line), the trust list
 * signed by the root (keys_trust_export) and the signed status list, for
 * timing `opcert cred verify --batch FILE --offline --trust T --status S
 * --keys DIR` on the same payloads; the key store is made in DIR (kept) so
 * that the command line pins its root.  --write-only stops there.
 * --raw-verify FILE --keys DIR times libsodium alone over the first
 * --count payloads of such a file, around each timing of the command line.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "b45.h"
#include "cert.h"
#include "cose.h"
#include "cred.h"
#include "date.h"
#include "demo.h"
#include "err.h"
#include "import.h"
#include "issue.h"
#include "keys.h"
#include "ledger.h"
#include "pii.h"
#include "scan.h"
#include "statuslist.h"
#include "store.h"
#include "tlog.h"
#include "trust.h"
#include "verdict.h"

#define MAX_ROUNDS    9
#define OFFICIAL_HOST "opcert.example.cn"
#define DEMO_SEED     7
#define PHOTO_EVERY   5    /* every fifth credential carries a photo hash */
#define BLOCK         1000 /* the two sides of a comparison alternate in blocks of this many */

struct options {
	long count;      /* credentials verified and signed */
	long issue;      /* credentials issued through the store */
	long log;        /* ledger events appended */
	int rounds;      /* timings are the median of this many */
	const char *tmp; /* parent of the temporary directory */
	const char *write_payloads, *trust_out, *status_out, *keys_dir;
	int write_only;         /* write the files and measure nothing */
	const char *raw_verify; /* only the raw rate over this payload file */
};

/* The credentials of parts 1 and 2. */
struct credset {
	size_t n;
	struct cred_claims *claims;
	uint8_t **cbor; /* the claims as signed */
	size_t *cbor_len;
	char **payload; /* "OC1:..." */
	struct statuslist sl;
	struct trust_issuer issuers[TRUST_MAX_ISSUERS];
	size_t nissuers;
};

/* The signed bytes and signatures of part 1a, decoded out of the payloads. */
struct sigset {
	uint8_t *tbs; /* every Sig_structure, one after the other */
	size_t *off, *len;
	uint8_t (*sig)[crypto_sign_BYTES];
};

/* Figures for the table. */
struct results {
	double verify_raw[MAX_ROUNDS], verify_scan[MAX_ROUNDS];
	double sign_raw[MAX_ROUNDS], sign_cred[MAX_ROUNDS];
	double issue[MAX_ROUNDS];
	double log_append[MAX_ROUNDS], log_commit[MAX_ROUNDS];
	double leaves_load;
	double incl[3][MAX_ROUNDS];
	uint64_t incl_m[3];
	size_t incl_hashes[3], incl_text[3];
	double cons[MAX_ROUNDS];
	size_t cons_hashes, cons_text;
	double log_db_bytes;
	unsigned long verdicts[V_COUNT];
	size_t payload_min, payload_max;
	double payload_mean;
};

static void die(const char *what, const struct err *e);

/* Open a new database with a data key attached, as the command line does. */
static struct store *open_store(const char *db)
{
	uint8_t bytes[PII_KEY_LEN];
	struct pii_key *k;
	struct store *st = NULL;
	struct err e;

	memset(&e, 0, sizeof(e));
	randombytes_buf(bytes, sizeof(bytes));
	if (store_open(db, STORE_CREATE, &st, &e) < 0)
		die("store_open", &e);
	k = pii_key_new(bytes, &e);
	if (!k || store_set_pii(st, k, &e) < 0)
		die("store_set_pii", &e);
	pii_key_free(k);
	sodium_memzero(bytes, sizeof(bytes));
	return st;
}

static void die(const char *what, const struct err *e)
{
	fprintf(stderr, "bench_cred: %s: %s\n", what, e ? e->msg : strerror(errno));
	exit(1);
}

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p) {
		fprintf(stderr, "bench_cred: out of memory\n");
		exit(1);
	}
	return p;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* CPU time of this process, for the comparison with the command line's user + system time. */
static double cpu_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(const double *v, int n)
{
	double s[MAX_ROUNDS];

	memcpy(s, v, (size_t)n * sizeof(*s));
	qsort(s, (size_t)n, sizeof(*s), cmp_double);
	return n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

static void print_rounds(const char *label, const double *v, int n)
{
	int i;

	printf("bench_cred: rounds of %s:", label);
	for (i = 0; i < n; i++)
		printf(" %.3f", v[i]);
	printf(" s\n");
}

/* ---- the machine ---------------------------------------------------------- */

static void first_line_after(const char *path, const char *key, char *out, size_t size)
{
	char line[512];
	FILE *f = fopen(path, "r");

	snprintf(out, size, "?");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *colon;

		if (strncmp(line, key, strlen(key)) != 0 || !(colon = strchr(line, ':')))
			continue;
		colon++;
		while (*colon == ' ' || *colon == '\t')
			colon++;
		colon[strcspn(colon, "\n")] = '\0';
		snprintf(out, size, "%s", colon);
		break;
	}
	fclose(f);
}

static void load_average(char *out, size_t size)
{
	FILE *f = fopen("/proc/loadavg", "r");
	double a = 0, b = 0, c = 0;

	if (!f || fscanf(f, "%lf %lf %lf", &a, &b, &c) != 3)
		snprintf(out, size, "?");
	else
		snprintf(out, size, "%.2f %.2f %.2f", a, b, c);
	if (f)
		fclose(f);
}

static void print_machine(void)
{
	char model[256], mem[64], load[64];

	first_line_after("/proc/cpuinfo", "model name", model, sizeof(model));
	first_line_after("/proc/meminfo", "MemTotal", mem, sizeof(mem));
	load_average(load, sizeof(load));
	printf("bench_cred: machine: %ld cores, %.0f GiB, %s\n", sysconf(_SC_NPROCESSORS_ONLN),
	       strtod(mem, NULL) / 1048576.0, model);
	printf("bench_cred: libsodium %s, SQLite %s, zlib %s; load average %s\n",
	       sodium_version_string(), sqlite3_libversion(), zlibVersion(), load);
}

/* ---- files ---------------------------------------------------------------- */

/* out = a followed by b; paths too long for the buffer are refused. */
static void path_cat(char *out, size_t size, const char *a, const char *b)
{
	int n = snprintf(out, size, "%s%s", a, b);

	if (n < 0 || (size_t)n >= size) {
		fprintf(stderr, "bench_cred: path too long: %s%s\n", a, b);
		exit(1);
	}
}

/* Remove path and, when it is a directory, everything below it. */
static void remove_tree(const char *path)
{
	struct stat sb;
	DIR *d;
	struct dirent *de;
	char sub[4096];

	if (lstat(path, &sb) != 0)
		return;
	if (!S_ISDIR(sb.st_mode)) {
		unlink(path);
		return;
	}
	d = opendir(path);
	while (d && (de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		path_cat(sub, sizeof(sub), path, "/");
		path_cat(sub + strlen(sub), sizeof(sub) - strlen(sub), de->d_name, "");
		remove_tree(sub);
	}
	if (d)
		closedir(d);
	rmdir(path);
}

static void remove_db(const char *path)
{
	char p[4200];

	unlink(path);
	path_cat(p, sizeof(p), path, "-wal");
	unlink(p);
	path_cat(p, sizeof(p), path, "-shm");
	unlink(p);
}

static double file_size(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0 ? (double)sb.st_size : 0;
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (!f || fputs(text, f) == EOF || fclose(f) != 0)
		die(path, NULL);
}

/* ---- credentials ---------------------------------------------------------- */

/* The short code of an issuer, assigned in order of first use as the store does. */
static const char *issuer_code(struct credset *cs, const char *name)
{
	size_t i;

	for (i = 0; i < cs->nissuers; i++)
		if (strcmp(cs->issuers[i].name, name) == 0)
			return cs->issuers[i].code;
	if (cs->nissuers == TRUST_MAX_ISSUERS) {
		fprintf(stderr, "bench_cred: too many issuers\n");
		exit(1);
	}
	snprintf(cs->issuers[i].code, sizeof(cs->issuers[i].code), "I%u", (unsigned)(i + 1) % 100u);
	snprintf(cs->issuers[i].name, sizeof(cs->issuers[i].name), "%s", name);
	cs->nissuers++;
	return cs->issuers[i].code;
}

/*
 * n claims from the demo register (Chinese names, construction and T
 * numbers, every status, some with review dates and photo hashes), each
 * at its own random status-list slot, the status list set from the
 * register's statuses.
 */
static void make_claims(struct credset *cs, size_t n, int32_t today, int64_t now)
{
	struct demo_options o = {(long)n, 0, DEMO_SEED, today};
	uint8_t *taken;
	struct err e;
	size_t i;

	if (n < DEMO_MIN_CERTIFICATES)
		o.certificates = DEMO_MIN_CERTIFICATES;
	cs->n = n;
	cs->claims = xcalloc(n, sizeof(*cs->claims));
	cs->cbor = xcalloc(n, sizeof(*cs->cbor));
	cs->cbor_len = xcalloc(n, sizeof(*cs->cbor_len));
	cs->payload = xcalloc(n, sizeof(*cs->payload));
	err_clear(&e);
	if (statuslist_init(&cs->sl, statuslist_size_for(n), now, &e) < 0)
		die("statuslist_init", &e);
	taken = xcalloc(cs->sl.size / 8 + 1, 1);
	for (i = 0; i < n; i++) {
		struct cert rec;
		uint32_t slot;

		demo_cert(&o, (long)i, &rec, NULL);
		do
			slot = randombytes_uniform(cs->sl.size);
		while (taken[slot / 8] & (1u << (slot % 8)));
		taken[slot / 8] |= (uint8_t)(1u << (slot % 8));
		statuslist_set(&cs->sl, slot, rec.status);
		if (cred_claims_from_cert(&cs->claims[i], &rec, issuer_code(cs, rec.issuer), slot,
		                          now, NULL, &e) < 0)
			die("cred_claims_from_cert", &e);
		if (i % PHOTO_EVERY == 0) {
			cs->claims[i].has_photo = 1;
			randombytes_buf(cs->claims[i].photo_hash, CRED_HASH_LEN);
		}
		if (cred_claims_encode(&cs->claims[i], &cs->cbor[i], &cs->cbor_len[i], &e) < 0)
			die("cred_claims_encode", &e);
	}
	free(taken);
}

static void free_credset(struct credset *cs)
{
	size_t i;

	for (i = 0; i < cs->n; i++) {
		free(cs->cbor[i]);
		free(cs->payload[i]);
	}
	free(cs->claims);
	free(cs->cbor);
	free(cs->cbor_len);
	free(cs->payload);
	statuslist_release(&cs->sl);
}

/* cred_sign of credentials [from, to), the payloads kept. */
static double encode_range(struct credset *cs, size_t from, size_t to, struct keys_signer *sg)
{
	struct err e;
	double t0 = now_s();
	size_t i;

	err_clear(&e);
	for (i = from; i < to; i++)
		if (cred_sign(&cs->claims[i], sg, &cs->payload[i], &e) < 0)
			die("cred_sign", &e);
	return now_s() - t0;
}

/* keys_signer_sign over the claim bytes of [from, to). */
static double sign_range(const struct credset *cs, size_t from, size_t to, struct keys_signer *sg)
{
	uint8_t sig[KEYS_SIG_LEN];
	struct err e;
	double t0 = now_s();
	size_t i;

	err_clear(&e);
	for (i = from; i < to; i++)
		if (keys_signer_sign(sg, cs->cbor[i], cs->cbor_len[i], sig, NULL, &e) < 0)
			die("keys_signer_sign", &e);
	return now_s() - t0;
}

/*
 * One signing round over [from, to): both sides alternate in blocks of
 * BLOCK credentials (which goes first alternates too), so a change of load
 * on the shared machine falls on both alike.
 */
static void sign_round(struct credset *cs, size_t from, size_t to, struct keys_signer *sg,
                       double *t_raw, double *t_cred)
{
	size_t b, e;

	*t_raw = *t_cred = 0;
	for (b = from; b < to; b = e) {
		e = b + BLOCK < to ? b + BLOCK : to;
		if ((b / BLOCK) % 2) {
			*t_cred += encode_range(cs, b, e, sg);
			*t_raw += sign_range(cs, b, e, sg);
		} else {
			*t_raw += sign_range(cs, b, e, sg);
			*t_cred += encode_range(cs, b, e, sg);
		}
	}
}

/* The Sig_structure and signature of every payload, decoded once. */
static void decode_signed(const struct credset *cs, struct sigset *ss)
{
	uint8_t z[CRED_TEXT_MAX], cose[CRED_COSE_MAX];
	size_t cap = cs->n * 256, used = 0, i;
	struct err e;

	ss->tbs = xcalloc(cap, 1);
	ss->off = xcalloc(cs->n, sizeof(*ss->off));
	ss->len = xcalloc(cs->n, sizeof(*ss->len));
	ss->sig = xcalloc(cs->n, sizeof(*ss->sig));
	for (i = 0; i < cs->n; i++) {
		const char *p = cs->payload[i] + strlen(CRED_PREFIX);
		struct cose_sign1 m;
		uLongf clen = sizeof(cose);
		size_t zlen;

		if (b45_decode(p, strlen(p), z, sizeof(z), &zlen) < 0 ||
		    uncompress(cose, &clen, z, zlen) != Z_OK ||
		    cose_sign1_decode(cose, clen, &m, &e) < 0 ||
		    m.signature_len != crypto_sign_BYTES) {
			fprintf(stderr, "bench_cred: payload %zu does not decode\n", i);
			exit(1);
		}
		while (used + m.tbs_len > cap) {
			uint8_t *bigger = realloc(ss->tbs, cap * 2);

			if (!bigger)
				die("realloc", NULL);
			ss->tbs = bigger;
			cap *= 2;
		}
		memcpy(ss->tbs + used, m.tbs, m.tbs_len);
		ss->off[i] = used;
		ss->len[i] = m.tbs_len;
		used += m.tbs_len;
		memcpy(ss->sig[i], m.signature, crypto_sign_BYTES);
		cose_sign1_free(&m);
	}
}

static void free_sigset(struct sigset *ss)
{
	free(ss->tbs);
	free(ss->off);
	free(ss->len);
	free(ss->sig);
}

static double verify_range(const struct sigset *ss, size_t from, size_t to, const uint8_t pk[32])
{
	double t0 = now_s(), t;
	size_t i, bad = 0;

	for (i = from; i < to; i++)
		bad += crypto_sign_verify_detached(ss->sig[i], ss->tbs + ss->off[i], ss->len[i],
		                                   pk) != 0;
	t = now_s() - t0;
	if (bad) {
		fprintf(stderr, "bench_cred: %zu raw signatures did not verify\n", bad);
		exit(1);
	}
	return t;
}

static double scan_range(const struct credset *cs, size_t from, size_t to,
                         const struct scan_options *so, struct scan_result *r,
                         unsigned long verdicts[V_COUNT])
{
	struct err e;
	double t0, t;
	size_t i;

	err_clear(&e);
	t0 = now_s();
	for (i = from; i < to; i++) {
		if (scan_verify(cs->payload[i], strlen(cs->payload[i]), so, r, &e) < 0)
			die("scan_verify", &e);
		verdicts[r->verdict]++;
	}
	t = now_s() - t0;
	return t;
}

/* One verification round over every credential, interleaved as sign_round. */
static void verify_round(const struct credset *cs, const struct sigset *ss, const uint8_t pk[32],
                         const struct scan_options *so, unsigned long verdicts[V_COUNT],
                         double *t_raw, double *t_scan)
{
	struct scan_result *r = xcalloc(1, sizeof(*r));
	size_t b, e;

	*t_raw = *t_scan = 0;
	for (b = 0; b < cs->n; b = e) {
		e = b + BLOCK < cs->n ? b + BLOCK : cs->n;
		if ((b / BLOCK) % 2) {
			*t_scan += scan_range(cs, b, e, so, r, verdicts);
			*t_raw += verify_range(ss, b, e, pk);
		} else {
			*t_raw += verify_range(ss, b, e, pk);
			*t_scan += scan_range(cs, b, e, so, r, verdicts);
		}
	}
	free(r);
}

/* ---- key store ------------------------------------------------------------ */

struct signer {
	struct keys *ks;
	struct keys_signer *issuing; /* wiped by signer_close (or at exit) */
	struct trust_list *tl;
};

static struct keys_signer *live_signer; /* the signer in use, for wipe_at_exit */

static void wipe_at_exit(void)
{
	keys_signer_close(live_signer);
	live_signer = NULL;
}

static void signer_open(struct signer *s, const char *dir, int64_t now)
{
	struct err e;

	memset(s, 0, sizeof(*s));
	err_clear(&e);
	if (keys_init(dir, NULL, NULL, now, &e) < 0)
		die("keys_init", &e);
	s->ks = keys_open(dir, NULL, NULL, &e);
	if (!s->ks)
		die("keys_open", &e);
	s->issuing = keys_signer_open(s->ks, KEYS_ISSUING, &e);
	if (!s->issuing)
		die("keys_signer_open", &e);
	live_signer = s->issuing;
	atexit(wipe_at_exit);
	s->tl = xcalloc(1, sizeof(*s->tl));
}

static void signer_trust(struct signer *s, const struct credset *cs, int64_t now)
{
	struct err e;

	err_clear(&e);
	if (keys_trust_list(s->ks, cs->issuers, cs->nissuers, now, s->tl, &e) < 0)
		die("keys_trust_list", &e);
}

static void signer_close(struct signer *s)
{
	keys_signer_close(s->issuing);
	live_signer = NULL;
	keys_close(s->ks);
	free(s->tl);
	memset(s, 0, sizeof(*s));
}

/* The status list as a verifier holds it: exported, then parsed and checked. */
static void status_roundtrip(const struct credset *cs, const struct signer *s,
                             struct statuslist *out, char **json_out)
{
	struct err e;
	char *json = NULL;

	err_clear(&e);
	if (statuslist_export(&cs->sl, s->issuing, &json, &e) < 0)
		die("statuslist_export", &e);
	if (statuslist_parse(json, strlen(json), s->tl, out, &e) < 0)
		die("statuslist_parse", &e);
	if (json_out)
		*json_out = json;
	else
		free(json);
}

/* ---- --write-payloads ------------------------------------------------------ */

/* The payloads, one a line, the trust list signed by the root and the status list. */
static void write_payloads(const struct options *o, const struct credset *cs, struct signer *s,
                           const char *status_json, int64_t now)
{
	struct err e;
	char *trust;
	FILE *f;
	size_t i;

	write_file(o->status_out, status_json);
	err_clear(&e);
	trust = keys_trust_export(s->ks, cs->issuers, cs->nissuers, now, &e);
	if (!trust)
		die("keys_trust_export", &e);
	write_file(o->trust_out, trust);
	free(trust);
	f = fopen(o->write_payloads, "w");
	if (!f)
		die(o->write_payloads, NULL);
	for (i = 0; i < cs->n; i++)
		fprintf(f, "%s\n", cs->payload[i]);
	if (fclose(f) != 0)
		die(o->write_payloads, NULL);
	printf("bench_cred: wrote %zu payloads to %s, trust list %s, status list %s (keys in "
	       "%s)\n",
	       cs->n, o->write_payloads, o->trust_out, o->status_out, o->keys_dir);
}

/* ---- --raw-verify ---------------------------------------------------------- */

/*
 * The raw libsodium rate over the first --count payloads of a file that
 * --write-payloads wrote, with the current issuing key of --keys DIR: run
 * before and after each timing of the command line, so that the two are
 * compared under nearly the same load.  Prints "raw_verify COUNT SECONDS
 * CPU_SECONDS" (wall clock, then the process's CPU time).
 */
static int raw_verify_file(const struct options *o)
{
	struct credset cs;
	struct sigset ss;
	struct keys *ks;
	const struct keys_info *k;
	struct err e;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	double t, cpu0, cpu;
	FILE *f = fopen(o->raw_verify, "r");

	if (!f)
		die(o->raw_verify, NULL);
	memset(&cs, 0, sizeof(cs));
	cs.payload = xcalloc((size_t)o->count, sizeof(*cs.payload));
	while (cs.n < (size_t)o->count && (len = getline(&line, &cap, f)) > 0) {
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (len == 0)
			continue;
		cs.payload[cs.n] = strdup(line);
		if (!cs.payload[cs.n++])
			die("strdup", NULL);
	}
	free(line);
	fclose(f);
	if (cs.n == 0) {
		fprintf(stderr, "bench_cred: no payloads in %s\n", o->raw_verify);
		return 1;
	}
	err_clear(&e);
	ks = keys_open(o->keys_dir, NULL, NULL, &e);
	if (!ks)
		die("keys_open", &e);
	k = keys_get(ks, KEYS_ISSUING);
	if (!k)
		die("no issuing key", NULL);
	decode_signed(&cs, &ss);
	cpu0 = cpu_s();
	t = verify_range(&ss, 0, cs.n, k->pk);
	cpu = cpu_s() - cpu0;
	printf("raw_verify %zu %.3f %.3f\n", cs.n, t, cpu);
	keys_close(ks);
	free_sigset(&ss);
	for (size_t i = 0; i < cs.n; i++)
		free(cs.payload[i]);
	free(cs.payload);
	return 0;
}

/* ---- part 2c: issuance through the store ----------------------------------- */

static void bench_issue(const struct options *o, const char *dir, struct signer *s, int64_t now,
                        int32_t today, struct results *res)
{
	struct demo_options d = {o->issue + o->issue / 4 + DEMO_MIN_CERTIFICATES, 0, DEMO_SEED + 1,
	                         today};
	struct import_options io;
	struct import_stats stats;
	char regdir[4096], csv[4200], db[4200];
	char(*numbers)[CERTNO_SIZE] = xcalloc((size_t)o->issue, sizeof(*numbers));
	struct issue_result ir;
	struct err e;
	long i, n = 0;
	int r;

	err_clear(&e);
	path_cat(regdir, sizeof(regdir), dir, "/register");
	if (demo_write(&d, regdir, NULL, NULL, &e) < 0)
		die("demo_write", &e);
	path_cat(csv, sizeof(csv), regdir, "/register.csv");
	for (i = 0; i < d.certificates && n < o->issue; i++) {
		struct cert c;

		demo_cert(&d, i, &c, NULL);
		if (c.status != CERT_REVOKED)
			snprintf(numbers[n++], CERTNO_SIZE, "%s", c.number);
	}
	if (n < o->issue) {
		fprintf(stderr, "bench_cred: only %ld certificates to issue\n", n);
		exit(1);
	}
	path_cat(db, sizeof(db), dir, "/issue.db");
	for (r = 0; r < o->rounds; r++) {
		struct store *st;
		double t0;

		remove_db(db);
		st = open_store(db);
		memset(&io, 0, sizeof(io));
		io.today = today;
		io.now = now;
		io.source = "register.csv";
		if (import_register(st, csv, &io, &stats, &e) < 0)
			die("import_register", &e);
		t0 = now_s();
		for (i = 0; i < n; i++) {
			if (issue_credential(st, s->ks, numbers[i], now, &ir, &e) < 0)
				die("issue_credential", &e);
			issue_result_release(&ir);
		}
		res->issue[r] = now_s() - t0;
		store_close(st);
		fprintf(stderr, "bench_cred: issuance round %d/%d: %ld credentials in %.3f s\n",
		        r + 1, o->rounds, n, res->issue[r]);
	}
	remove_db(db);
	remove_tree(regdir);
	free(numbers);
}

/* ---- part 3: the transparency log ------------------------------------------ */

struct leaves {
	uint8_t (*hash)[TLOG_HASH_LEN];
	uint64_t n, cap;
};

static int leaf_at(void *ctx, uint64_t index, uint8_t out[TLOG_HASH_LEN])
{
	const struct leaves *l = ctx;

	if (index >= l->n)
		return 1;
	memcpy(out, l->hash[index], TLOG_HASH_LEN);
	return 0;
}

static int collect_leaf(void *arg, const struct store_log_entry *e)
{
	struct leaves *l = arg;

	if (l->n == l->cap || e->index != (int64_t)l->n)
		return 1;
	memcpy(l->hash[l->n++], e->leaf, TLOG_HASH_LEN);
	return 0;
}

static void bench_log(const struct options *o, const char *dir, int64_t now, int32_t today,
                      struct results *res)
{
	struct demo_options d = {o->log, 0, DEMO_SEED, today};
	char(*numbers)[CERTNO_SIZE] = xcalloc((size_t)o->log, sizeof(*numbers));
	uint8_t(*rows)[32] = xcalloc((size_t)o->log, sizeof(*rows));
	uint8_t root_db[TLOG_HASH_LEN], root_mem[TLOG_HASH_LEN], old_root[TLOG_HASH_LEN];
	struct tlog_proof *proof = xcalloc(1, sizeof(*proof));
	char *text = xcalloc(TLOG_PROOF_TEXT_MAX + 1, 1);
	struct leaves lv = {NULL, 0, 0};
	uint64_t n = (uint64_t)o->log;
	struct store *st = NULL;
	char db[4200];
	struct err e;
	long i;
	int r, k;

	err_clear(&e);
	if (d.certificates < DEMO_MIN_CERTIFICATES)
		d.certificates = DEMO_MIN_CERTIFICATES;
	/* What an import records: each row's number and canonical row hash. */
	for (i = 0; i < o->log; i++) {
		struct cert c;

		demo_cert(&d, i % d.certificates, &c, NULL);
		snprintf(numbers[i], CERTNO_SIZE, "%s", c.number);
		ledger_row_hash(&c, rows[i]);
	}
	path_cat(db, sizeof(db), dir, "/log.db");
	for (r = 0; r < o->rounds; r++) {
		struct ledger l;
		struct ledger_event ev;
		double t0, t1;

		if (st)
			store_close(st);
		remove_db(db);
		st = open_store(db);
		t0 = now_s();
		if (store_begin(st, STORE_TXN_BULK, &e) < 0 || ledger_open(&l, st, &e) < 0)
			die("store_begin", &e);
		for (i = 0; i < o->log; i++) {
			memset(&ev, 0, sizeof(ev));
			ev.kind = LEDGER_IMPORT;
			ev.time = now;
			ev.number = numbers[i];
			ev.has_row = 1;
			memcpy(ev.row_hash, rows[i], 32);
			if (ledger_append(&l, &ev, NULL, &e) < 0)
				die("ledger_append", &e);
		}
		if (ledger_save(&l, &e) < 0)
			die("ledger_save", &e);
		t1 = now_s();
		if (store_commit(st, &e) < 0)
			die("store_commit", &e);
		res->log_append[r] = now_s() - t0;
		res->log_commit[r] = now_s() - t1;
		ledger_root(&l, root_db);
		fprintf(stderr,
		        "bench_cred: log round %d/%d: %ld events in %.3f s (commit %.3f s)\n",
		        r + 1, o->rounds, o->log, res->log_append[r], res->log_commit[r]);
	}
	res->log_db_bytes = file_size(db);
	{
		char wal[4300];

		path_cat(wal, sizeof(wal), db, "-wal");
		res->log_db_bytes += file_size(wal);
	}
	free(numbers);
	free(rows);

	/* The leaf hashes in memory, then the proofs over them. */
	lv.cap = n;
	lv.hash = xcalloc((size_t)n, sizeof(*lv.hash));
	{
		double t0 = now_s();

		if (store_log_each(st, 0, collect_leaf, &lv, &e) != 0 || lv.n != n) {
			fprintf(stderr, "bench_cred: reading the log back failed\n");
			exit(1);
		}
		res->leaves_load = now_s() - t0;
	}
	store_close(st);
	remove_db(db);
	if (tlog_root(n, leaf_at, &lv, root_mem, &e) < 0)
		die("tlog_root", &e);
	if (memcmp(root_mem, root_db, TLOG_HASH_LEN) != 0) {
		fprintf(stderr, "bench_cred: the root over the stored leaves differs from the "
		                "ledger's\n");
		exit(1);
	}
	res->incl_m[0] = 0;
	res->incl_m[1] = n / 2;
	res->incl_m[2] = n - 1;
	for (k = 0; k < 3; k++) {
		for (r = 0; r < o->rounds; r++) {
			double t0 = now_s();

			if (tlog_prove_inclusion(res->incl_m[k], n, leaf_at, &lv, proof, &e) < 0)
				die("tlog_prove_inclusion", &e);
			res->incl[k][r] = now_s() - t0;
		}
		if (!tlog_verify_inclusion(lv.hash[res->incl_m[k]], res->incl_m[k], n, proof,
		                           root_mem) ||
		    tlog_proof_format(proof, text, TLOG_PROOF_TEXT_MAX + 1, &res->incl_text[k],
		                      &e) < 0) {
			fprintf(stderr, "bench_cred: inclusion proof does not verify\n");
			exit(1);
		}
		res->incl_hashes[k] = proof->len;
	}
	if (tlog_root(n / 2, leaf_at, &lv, old_root, &e) < 0)
		die("tlog_root", &e);
	for (r = 0; r < o->rounds; r++) {
		double t0 = now_s();

		if (tlog_prove_consistency(n / 2, n, leaf_at, &lv, proof, &e) < 0)
			die("tlog_prove_consistency", &e);
		res->cons[r] = now_s() - t0;
	}
	if (!tlog_verify_consistency(n / 2, n, old_root, root_mem, proof) ||
	    tlog_proof_format(proof, text, TLOG_PROOF_TEXT_MAX + 1, &res->cons_text, &e) < 0) {
		fprintf(stderr, "bench_cred: consistency proof does not verify\n");
		exit(1);
	}
	res->cons_hashes = proof->len;
	free(lv.hash);
	free(proof);
	free(text);
}

/* ---- the table ------------------------------------------------------------- */

static void row(const char *label, double count, double seconds, const char *unit)
{
	printf("%-58s %9.0f %9.3f %11.0f %s\n", label, count, seconds, count / seconds, unit);
}

static void print_table(const struct options *o, const struct results *res)
{
	double ratio_v[MAX_ROUNDS], ratio_s[MAX_ROUNDS], rv, rs;
	double n = (double)o->count, share = n / o->rounds;
	char label[160];
	int k, v, r;

	for (r = 0; r < o->rounds; r++) {
		ratio_v[r] = res->verify_raw[r] / res->verify_scan[r];
		ratio_s[r] = res->sign_raw[r] / res->sign_cred[r];
	}
	rv = median(ratio_v, o->rounds);
	rs = median(ratio_s, o->rounds);
	printf("\nresult: signed credentials, median of %d rounds\n", o->rounds);
	printf("%-58s %9s %9s %11s\n", "measure", "count", "seconds", "per second");
	row("1a raw crypto_sign_verify_detached (Sig_structure)", n,
	    median(res->verify_raw, o->rounds), "verifications");
	row("1b scan_verify offline + status list (cred verify path)", n,
	    median(res->verify_scan, o->rounds), "verifications");
	row("2a raw keys_signer_sign over the claim bytes", share, median(res->sign_raw, o->rounds),
	    "signatures");
	row("2b cred_sign (CBOR, COSE_Sign1, zlib, Base45)", share,
	    median(res->sign_cred, o->rounds), "credentials");
	row("2c issue_credential (slot, log, credential; SQLite)", (double)o->issue,
	    median(res->issue, o->rounds), "credentials");
	snprintf(label, sizeof(label), "3a ledger append, one transaction, to %ld entries", o->log);
	row(label, (double)o->log, median(res->log_append, o->rounds), "events");
	printf("%-58s %9s %9.3f\n", "   of which the commit", "",
	       median(res->log_commit, o->rounds));
	row("3b leaf hashes read back from the store", (double)o->log, res->leaves_load, "leaves");
	for (k = 0; k < 3; k++) {
		snprintf(label, sizeof(label), "3c inclusion proof of entry %llu of %ld",
		         (unsigned long long)res->incl_m[k], o->log);
		printf("%-58s %9s %9.3f   %zu hashes, %zu bytes (%zu as text)\n", label, "",
		       median(res->incl[k], o->rounds), res->incl_hashes[k],
		       res->incl_hashes[k] * TLOG_HASH_LEN, res->incl_text[k]);
	}
	snprintf(label, sizeof(label), "3d consistency proof %ld -> %ld", o->log / 2, o->log);
	printf("%-58s %9s %9.3f   %zu hashes, %zu bytes (%zu as text)\n", label, "",
	       median(res->cons, o->rounds), res->cons_hashes, res->cons_hashes * TLOG_HASH_LEN,
	       res->cons_text);
	printf("\nverify ratio scan_verify/raw: %.3f (target >= 0.80: decoding costs under 20%%) "
	       "%s\n",
	       rv, rv >= 0.80 ? "MET" : "MISSED");
	printf("sign ratio cred_sign/raw: %.3f\n", rs);
	printf("log database after %ld events: %.1f MB (%.0f bytes per entry)\n", o->log,
	       res->log_db_bytes / 1e6, res->log_db_bytes / (double)o->log);
	printf("payloads: %zu to %zu characters, mean %.0f; verdicts of one round:",
	       res->payload_min, res->payload_max, res->payload_mean);
	for (v = 0; v < V_COUNT; v++)
		if (res->verdicts[v])
			printf(" %s %lu", verdict_code((enum verdict)v), res->verdicts[v]);
	printf("\n");
	printf("bench_cred: ratios of the rounds: verify");
	for (r = 0; r < o->rounds; r++)
		printf(" %.3f", ratio_v[r]);
	printf(", sign");
	for (r = 0; r < o->rounds; r++)
		printf(" %.3f", ratio_s[r]);
	printf("\n");
}

/* ---- main ------------------------------------------------------------------ */

static void usage(void)
{
	fprintf(stderr,
	        "usage: bench_cred [--count N] [--issue N] [--log N] [--rounds R] [--tmp DIR]\n"
	        "                  [--write-payloads FILE --trust-out FILE --status-out FILE\n"
	        "                   --keys DIR [--write-only]]\n"
	        "       bench_cred --raw-verify FILE --keys DIR [--count N]\n");
	exit(2);
}

static long arg_long(const char *s, long min, long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max)
		usage();
	return v;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {{"count", required_argument, NULL, 'c'},
	                                         {"issue", required_argument, NULL, 'i'},
	                                         {"log", required_argument, NULL, 'l'},
	                                         {"rounds", required_argument, NULL, 'r'},
	                                         {"tmp", required_argument, NULL, 't'},
	                                         {"write-payloads", required_argument, NULL, 'w'},
	                                         {"trust-out", required_argument, NULL, 'T'},
	                                         {"status-out", required_argument, NULL, 'S'},
	                                         {"keys", required_argument, NULL, 'k'},
	                                         {"write-only", no_argument, NULL, 'W'},
	                                         {"raw-verify", required_argument, NULL, 'R'},
	                                         {NULL, 0, NULL, 0}};
	struct options o = {100000, 10000, 1000000, 3, NULL, NULL, NULL, NULL, NULL, 0, NULL};
	struct results *res;
	struct credset cs;
	struct sigset ss;
	struct signer s;
	struct statuslist sl = {0};
	struct scan_options so;
	char dir[4096], keydir[4200], load[64], *status_json = NULL;
	int64_t now;
	int32_t today;
	double total = 0;
	size_t i;
	int opt, r;

	if (sodium_init() < 0) {
		fprintf(stderr, "bench_cred: sodium_init failed\n");
		return 1;
	}
	while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (opt) {
		case 'c':
			o.count = arg_long(optarg, 1, 10000000);
			break;
		case 'i':
			o.issue = arg_long(optarg, 1, 1000000);
			break;
		case 'l':
			o.log = arg_long(optarg, 2, 100000000);
			break;
		case 'r':
			o.rounds = (int)arg_long(optarg, 1, MAX_ROUNDS);
			break;
		case 't':
			o.tmp = optarg;
			break;
		case 'w':
			o.write_payloads = optarg;
			break;
		case 'T':
			o.trust_out = optarg;
			break;
		case 'S':
			o.status_out = optarg;
			break;
		case 'k':
			o.keys_dir = optarg;
			break;
		case 'W':
			o.write_only = 1;
			break;
		case 'R':
			o.raw_verify = optarg;
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();
	setvbuf(stdout, NULL, _IOLBF, 0); /* in order with the progress lines when piped */
	if (o.write_payloads && (!o.trust_out || !o.status_out || !o.keys_dir))
		usage();
	if (o.write_only && !o.write_payloads)
		usage();
	if (o.raw_verify) {
		if (!o.keys_dir)
			usage();
		return raw_verify_file(&o);
	}

	print_machine();
	path_cat(dir, sizeof(dir), o.tmp ? o.tmp : (getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp"),
	         "/opcert-bench-XXXXXX");
	if (!mkdtemp(dir))
		die(dir, NULL);
	if (o.keys_dir)
		path_cat(keydir, sizeof(keydir), o.keys_dir, "");
	else
		path_cat(keydir, sizeof(keydir), dir, "/keys");
	res = xcalloc(1, sizeof(*res));
	now = date_now_seconds();
	today = date_today_china();
	memset(&cs, 0, sizeof(cs));

	/* Parts 1 and 2a/2b: credentials signed by a fresh issuing key in clear. */
	signer_open(&s, keydir, now);
	fprintf(stderr, "bench_cred: making %ld claims\n", o.count);
	make_claims(&cs, (size_t)o.count, today, now);
	/* Every credential is signed once: round r takes the r-th share of them. */
	for (r = 0; r < o.rounds; r++) {
		size_t from = cs.n * (size_t)r / (size_t)o.rounds,
		       to = cs.n * (size_t)(r + 1) / (size_t)o.rounds;

		sign_round(&cs, from, to, s.issuing, &res->sign_raw[r], &res->sign_cred[r]);
		fprintf(stderr,
		        "bench_cred: signing round %d/%d: %zu credentials, raw %.3f s, cred_sign "
		        "%.3f s\n",
		        r + 1, o.rounds, to - from, res->sign_raw[r], res->sign_cred[r]);
	}
	res->payload_min = SIZE_MAX;
	for (i = 0; i < cs.n; i++) {
		size_t len = strlen(cs.payload[i]);

		res->payload_min = len < res->payload_min ? len : res->payload_min;
		res->payload_max = len > res->payload_max ? len : res->payload_max;
		total += (double)len;
	}
	res->payload_mean = total / (double)cs.n;
	signer_trust(&s, &cs, now);
	status_roundtrip(&cs, &s, &sl, &status_json);
	if (o.write_payloads)
		write_payloads(&o, &cs, &s, status_json, now);
	free(status_json);
	if (o.write_only) {
		statuslist_release(&sl);
		free_credset(&cs);
		signer_close(&s);
		remove_tree(dir);
		free(res);
		return 0;
	}
	decode_signed(&cs, &ss);
	memset(&so, 0, sizeof(so));
	so.trust = s.tl;
	so.official_host = OFFICIAL_HOST;
	so.status = &sl;
	so.status_max_age = SCAN_STATUS_MAX_AGE_DEFAULT;
	so.now = now;
	so.today = today;
	for (r = 0; r < o.rounds; r++) {
		unsigned long verdicts[V_COUNT] = {0};

		verify_round(&cs, &ss, trust_find(s.tl, keys_signer_info(s.issuing)->kid)->pk, &so,
		             verdicts, &res->verify_raw[r], &res->verify_scan[r]);
		if (r == 0)
			memcpy(res->verdicts, verdicts, sizeof(verdicts));
		fprintf(stderr,
		        "bench_cred: verification round %d/%d: raw %.3f s, scan_verify %.3f s\n",
		        r + 1, o.rounds, res->verify_raw[r], res->verify_scan[r]);
	}
	if (res->verdicts[V_FORGED] || res->verdicts[V_STATUS_UNKNOWN] ||
	    res->verdicts[V_VALID] == 0) {
		fprintf(stderr,
		        "bench_cred: unexpected verdicts (forged %lu, status_unknown %lu)\n",
		        res->verdicts[V_FORGED], res->verdicts[V_STATUS_UNKNOWN]);
		return 1;
	}
	free_sigset(&ss);
	statuslist_release(&sl);
	free_credset(&cs);

	/* Part 2c: issuance through the store, with the same key store. */
	bench_issue(&o, dir, &s, now, today, res);
	signer_close(&s);

	/* Part 3: the transparency log. */
	bench_log(&o, dir, now, today, res);
	remove_tree(dir);

	print_table(&o, res);
	load_average(load, sizeof(load));
	printf("bench_cred: load average at the end %s\n", load);
	print_rounds("1a raw verify", res->verify_raw, o.rounds);
	print_rounds("1b scan_verify", res->verify_scan, o.rounds);
	print_rounds("2a raw sign", res->sign_raw, o.rounds);
	print_rounds("2b cred_sign", res->sign_cred, o.rounds);
	print_rounds("2c issue_credential", res->issue, o.rounds);
	print_rounds("3a log append", res->log_append, o.rounds);
	free(res);
	return 0;
}
