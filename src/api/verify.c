/*
 * verify.c - the checks of `opcert serve`: GET /api/v1/verify (one
 * certificate by number and name, public), POST /api/v1/verify/credential
 * (what a QR code holds, public) and POST /api/v1/verify/roster (a whole
 * roster, signed in).  They parse what serve.c read, call the core library
 * and format its answer (JSON via jansson, the busiest route via jsonw).
 *
 * Threat model: every argument and body comes from a hostile client on the
 * Internet.  serve.c has bounded them (sizes, counts) before a handler
 * runs; handlers check content (UTF-8, lengths, formats) and answer bad
 * input with a 4xx, never a crash.  The public answers follow DOMAIN.md
 * section 6: no full ID number ever, and "no such certificate" and "the
 * name does not match" give byte-identical answers, so the verify route
 * cannot tell anyone which numbers exist or whose name goes with one.
 */
#include "api_int.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "certno.h"
#include "date.h"
#include "idnum.h"
#include "jsonw.h"
#include "roster.h"
#include "scan.h"
#include "trade.h"
#include "verify.h"
#include "vout.h"

#define VERIFY_ARG_MAX 64          /* bytes of number and name */
#define ROSTER_OUT_MAX (48u << 20) /* bytes of a roster's results */

/* The public answer for "no such certificate" and for "the name does not match". */
#define NOT_FOUND_MESSAGE "查无此证或信息不符"

/* ------------------------------------------------------------------ */
/* GET /api/v1/verify?number=&name= */

/* A required text argument of at most max bytes, trimmed; NULL after a 400. */
static const char *text_arg(struct http_request *req, const char *key, const char *label,
                            size_t max)
{
	size_t len;
	const char *v = http_arg(req, key, &len), *s;
	char *copy;

	if (!v) {
		http_error(req, HTTP_BAD_REQUEST, "missing_parameter", "缺少参数 %s（%s）", key,
		           label);
		return NULL;
	}
	if (len > max) {
		http_error(req, HTTP_BAD_REQUEST, "parameter_too_long",
		           "参数 %s（%s）过长：最多 %zu 字节", key, label, max);
		return NULL;
	}
	if (!http_printable(v, len)) {
		http_error(req, HTTP_BAD_REQUEST, "bad_parameter",
		           "参数 %s（%s）不是有效的 UTF-8 文本或含有控制字符", key, label);
		return NULL;
	}
	s = v;
	text_trim(&s, &len);
	if (len == 0) {
		http_error(req, HTTP_BAD_REQUEST, "missing_parameter", "参数 %s（%s）为空", key,
		           label);
		return NULL;
	}
	copy = arena_strndup(&req->arena, s, len);
	if (!copy)
		http_error(req, HTTP_INTERNAL_ERROR, "internal", "服务器内存不足");
	return copy;
}

static json_t *verdict_object(enum verdict v, const char *message)
{
	return json_pack("{s:s,s:s,s:s}", "verdict", verdict_code(v), "label", verdict_label(v),
	                 "message", message);
}

/* The register's record as the public may see it. */
static json_t *certificate_object(const struct cert *c)
{
	const struct trade *t = trade_by_code(c->system, c->trade);
	char number[CERTNO_SIZE], id[IDNUM_SIZE], d1[DATE_TEXT_MAX], d2[DATE_TEXT_MAX];
	json_t *o;

	certno_mask(c->number, number);
	idnum_mask(c->id_number, id);
	o = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "number", number, "name", c->name, "trade",
	              c->trade, "trade_name", t ? t->name : "", "issuer", c->issuer, "issued_on",
	              date_format(c->issued_on, d1), "valid_until",
	              date_format(c->valid_until, d2));
	if (o && c->review_due != DATE_NONE)
		json_object_set_new(o, "review_due", json_string(date_format(c->review_due, d1)));
	if (o)
		json_object_set_new(o, "id_masked", json_string(id));
	return o;
}

/*
 * The answer written straight into its buffer, byte for byte what
 * http_json makes of verdict_object (with certificate_object when c is
 * given) but without building a tree: this is the busiest route.  1 when
 * the reply is set; 0 when a string is not UTF-8 or memory ran out, and
 * the caller builds the answer with jansson after all (which decides what
 * that gives).
 */
static int verify_answer(struct http_request *req, enum verdict v, const char *message,
                         const struct cert *c)
{
	char number[CERTNO_SIZE], id[IDNUM_SIZE], d[DATE_TEXT_MAX], *body;
	const struct trade *t;
	struct jsonw w;
	size_t len;

	jsonw_init(&w, 512);
	jsonw_lit(&w, "{\"verdict\":");
	jsonw_string(&w, verdict_code(v));
	jsonw_lit(&w, ",\"label\":");
	jsonw_string(&w, verdict_label(v));
	jsonw_lit(&w, ",\"message\":");
	jsonw_string(&w, message);
	if (c) {
		t = trade_by_code(c->system, c->trade);
		certno_mask(c->number, number);
		idnum_mask(c->id_number, id);
		jsonw_lit(&w, ",\"certificate\":{\"number\":");
		jsonw_string(&w, number);
		jsonw_lit(&w, ",\"name\":");
		jsonw_string(&w, c->name);
		jsonw_lit(&w, ",\"trade\":");
		jsonw_string(&w, c->trade);
		jsonw_lit(&w, ",\"trade_name\":");
		jsonw_string(&w, t ? t->name : "");
		jsonw_lit(&w, ",\"issuer\":");
		jsonw_string(&w, c->issuer);
		jsonw_lit(&w, ",\"issued_on\":");
		jsonw_string(&w, date_format(c->issued_on, d));
		jsonw_lit(&w, ",\"valid_until\":");
		jsonw_string(&w, date_format(c->valid_until, d));
		if (c->review_due != DATE_NONE) {
			jsonw_lit(&w, ",\"review_due\":");
			jsonw_string(&w, date_format(c->review_due, d));
		}
		jsonw_lit(&w, ",\"id_masked\":");
		jsonw_string(&w, id);
		jsonw_lit(&w, "}");
	}
	jsonw_lit(&w, "}");
	body = jsonw_finish(&w, &len);
	if (!body)
		return 0;
	http_take(req, HTTP_OK, JSON_TYPE, body, len);
	return 1;
}

/*
 * What the public is told about a number the register does not hold
 * under this name: exactly what it would be told about an absent number,
 * so the two cannot be told apart.  A construction number with a prefix
 * this register holds is not_found; any other (an emergency-management T
 * number above all, which embeds an ID number) is external, with the
 * message the library gives an absent one.
 */
static int absent_answer(struct http_request *req, struct verifier *v, const char *number)
{
	struct certno no;
	struct vresult *r;
	size_t i;
	int held = 0;

	if (certno_parse(number, strlen(number), &no) == 0 && no.system == SYS_CONSTRUCTION)
		for (i = 0; i < v->nprefixes; i++)
			held |= strcmp(v->prefixes[i], no.prefix) == 0;
	if (held) {
		if (verify_answer(req, V_NOT_FOUND, NOT_FOUND_MESSAGE, NULL))
			return 0;
		return http_json(req, HTTP_OK, verdict_object(V_NOT_FOUND, NOT_FOUND_MESSAGE));
	}
	r = arena_zalloc(&req->arena, sizeof(*r));
	if (!r)
		return http_error(req, HTTP_INTERNAL_ERROR, "internal", "服务器内存不足");
	snprintf(r->number, sizeof(r->number), "%s", no.text);
	verify_add_finding(v, r, V_EXTERNAL);
	if (verify_answer(req, r->verdict, r->message, NULL))
		return 0;
	return http_json(req, HTTP_OK, verdict_object(r->verdict, r->message));
}

int api_verify(struct http_request *req)
{
	struct thread_state *w;
	struct claim c;
	struct vresult *r;
	struct err err;
	const char *number, *name;
	json_t *o;
	int rc;

	if (!(number = text_arg(req, "number", "证书编号", VERIFY_ARG_MAX)) ||
	    !(name = text_arg(req, "name", "姓名", VERIFY_ARG_MAX)))
		return 0;
	err_clear(&err);
	r = arena_zalloc(&req->arena, sizeof(*r));
	if (!r)
		return http_error(req, HTTP_INTERNAL_ERROR, "internal", "服务器内存不足");
	if (!(w = api_thread_state(req->api, &err)))
		return http_internal(req, &err);
	memset(&c, 0, sizeof(c));
	c.number = number;
	c.name = name;
	c.gender = GENDER_NONE;
	c.valid_until = DATE_NONE;
	/* One read transaction for the row and the log entry that recorded
	 * it: a reader's locks are taken once, not for each statement (its
	 * BEGIN and ROLLBACK are prepared once per connection). */
	if (store_begin(w->st, STORE_TXN_READ, &err) < 0)
		return http_internal(req, &err);
	rc = verify_claim(&w->v, &c, r, &err);
	store_rollback(w->st);
	if (rc < 0)
		return http_internal(req, &err);
	/* An emergency-management number holds an ID number: whether the
	 * register has it says whether that ID number is right. */
	if ((number[0] == 'T' || number[0] == 't') &&
	    (rc = api_probe_number(req, w->st, r->number, !r->found || (r->mismatched & FIELD_NAME),
	                           &err)) != 0)
		return rc < 0 ? http_internal(req, &err) : 0;

	/* An absent number takes the same way as a present one asked with
	 * another name, so that the two cost the same here too (verify.h). */
	if ((r->found && (r->mismatched & FIELD_NAME)) ||
	    (!r->found && (r->findings & (VMASK(V_NOT_FOUND) | VMASK(V_EXTERNAL)))))
		return absent_answer(req, &w->v, r->number);
	/* The record of a row that no longer matches the log is not shown as the register's. */
	if (verify_answer(req, r->verdict, r->message,
	                  r->found && r->verdict != V_TAMPERED ? &r->cert : NULL))
		return 0;
	o = verdict_object(r->verdict, r->message);
	/* The record of a row that no longer matches the log is not shown as the register's. */
	if (o && r->found && r->verdict != V_TAMPERED)
		json_object_set_new(o, "certificate", certificate_object(&r->cert));
	return http_json(req, HTTP_OK, o);
}

/* ------------------------------------------------------------------ */
/* POST /api/v1/verify/credential {"payload": "..."} */

static void hex_of(const uint8_t *p, size_t n, char *out, size_t size)
{
	sodium_bin2hex(out, size, p, n);
}

static json_t *scan_object(const struct scan_result *r, const struct trust_list *tl)
{
	json_t *o = json_object(), *findings = json_array();
	char hex[65], d[DATE_TEXT_MAX];
	int v;

	if (!o || !findings) {
		json_decref(o);
		json_decref(findings);
		return NULL;
	}
	json_object_set_new(o, "verdict", json_string(verdict_code(r->verdict)));
	json_object_set_new(o, "label", json_string(verdict_label(r->verdict)));
	for (v = V_COUNT; (v = verdict_next(r->findings, v)) >= 0;)
		json_array_append_new(findings, json_string(verdict_code((enum verdict)v)));
	json_object_set_new(o, "findings", findings);
	json_object_set_new(o, "message", json_string(r->message));
	if (r->link.kind == CRED_LINK_UNOFFICIAL)
		json_object_set_new(o, "host", json_string(r->link.host));
	if (r->check.have_kid) {
		hex_of(r->check.kid, KID_LEN, hex, sizeof(hex));
		json_object_set_new(o, "kid", json_string(hex));
	}
	if (r->check.have_claims) {
		/* The signed fields: the number is masked when it embeds an ID, the ID always. */
		const struct cred_claims *c = &r->check.claims;
		const char *issuer = trust_issuer_name(tl, c->issuer_code);
		const struct trade *t = trade_find(SYS_NONE, c->trade, strlen(c->trade));
		json_t *cl = json_object();

		json_object_set_new(cl, "number", json_string(c->number));
		json_object_set_new(cl, "name", json_string(c->name));
		json_object_set_new(cl, "gender", json_string(gender_label(c->gender)));
		json_object_set_new(cl, "id_masked", json_string(c->id_masked));
		json_object_set_new(cl, "trade", json_string(c->trade));
		if (t)
			json_object_set_new(cl, "trade_name", json_string(t->name));
		json_object_set_new(cl, "issuer_code", json_string(c->issuer_code));
		if (issuer)
			json_object_set_new(cl, "issuer", json_string(issuer));
		json_object_set_new(cl, "issued_on", json_string(date_format(c->issued_on, d)));
		json_object_set_new(cl, "valid_until", json_string(date_format(c->valid_until, d)));
		if (c->review_due != DATE_NONE)
			json_object_set_new(cl, "review_due",
			                    json_string(date_format(c->review_due, d)));
		if (c->has_photo) {
			hex_of(c->photo_hash, CRED_HASH_LEN, hex, sizeof(hex));
			json_object_set_new(cl, "photo_hash", json_string(hex));
		}
		json_object_set_new(cl, "status_index", json_integer(c->status_index));
		json_object_set_new(cl, "iat", json_integer(c->iat));
		json_object_set_new(o, "claims", cl);
	}
	return o;
}

/* 1 when the request's Content-Type is media (parameters such as charset allowed). */
static int media_is(const struct http_request *req, const char *media)
{
	size_t n = strlen(media);
	const char *t = req->content_type;

	return t && strncasecmp(t, media, n) == 0 && (t[n] == '\0' || t[n] == ';' || t[n] == ' ');
}

int api_verify_credential(struct http_request *req)
{
	struct scan_options o;
	struct scan_result *r = NULL;
	struct trust_snap *s = NULL;
	struct thread_state *w;
	struct err err;
	json_error_t jerr;
	json_t *body, *payload;
	char host[CRED_HOST_MAX + 1];
	const char *text;
	size_t len;
	int rc;

	if (!media_is(req, "application/json"))
		return http_error(req, HTTP_UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
		                  "请求体应为 JSON（Content-Type: application/json）");
	body = json_loadb(req->body ? req->body : "", req->body_len, JSON_REJECT_DUPLICATES, &jerr);
	payload = json_object_get(body, "payload");
	if (!body || !json_is_object(body) || !json_is_string(payload)) {
		json_decref(body);
		return http_error(req, HTTP_BAD_REQUEST, "bad_json",
		                  "请求体应为 {\"payload\": \"二维码内容或网址\"}");
	}
	text = json_string_value(payload);
	len = json_string_length(payload);
	if (len == 0 || len > CRED_SCAN_MAX || strlen(text) != len) {
		json_decref(body);
		return http_error(req, HTTP_BAD_REQUEST, "bad_payload",
		                  "payload 应为 1 至 %d 字节的二维码内容或网址", CRED_SCAN_MAX);
	}
	err_clear(&err);
	if (!(w = api_thread_state(req->api, &err))) {
		rc = http_internal(req, &err);
		goto out;
	}
	rc = store_config_get(w->st, "official-host", host, sizeof(host), &err);
	if (rc <= 0) {
		if (rc == 0)
			rc = http_error(
			    req, HTTP_SERVICE_UNAVAILABLE, "not_configured",
			    "服务器尚未设置官方核验网址（opcert config set official-host）");
		else
			rc = http_internal(req, &err);
		goto out;
	}
	rc = api_trust_acquire(req->api, w, &s, &err);
	if (rc <= 0) {
		rc = rc == 0 ? api_keys_unavailable(req) : http_internal(req, &err);
		goto out;
	}
	r = malloc(sizeof(*r));
	if (!r) {
		rc = http_error(req, HTTP_INTERNAL_ERROR, "internal", "服务器内存不足");
		goto out;
	}
	memset(&o, 0, sizeof(o));
	o.trust = &s->tl;
	o.official_host = host;
	o.store = w->st;
	o.status_max_age = SCAN_STATUS_MAX_AGE_DEFAULT;
	o.now = date_now_seconds();
	o.today = w->v.today;
	if (store_begin(w->st, STORE_TXN_READ, &err) < 0) {
		rc = http_internal(req, &err);
		goto out;
	}
	rc = scan_verify(text, len, &o, r, &err);
	store_rollback(w->st);
	if (rc < 0)
		rc = http_fail(req, HTTP_BAD_REQUEST, "bad_payload", &err);
	else
		rc = http_json(req, HTTP_OK, scan_object(r, &s->tl));
out:
	free(r);
	api_trust_release(req->api, s);
	json_decref(body);
	return rc;
}

/* ------------------------------------------------------------------ */
/* POST /api/v1/verify/roster */

struct roster_out {
	FILE *f;
	long rows;
	struct probe_set probes; /* what the rows tried (probe.h): keyed hashes only */
	const struct pii_key *pii;
	int32_t today;
};

static int roster_row(const struct roster_result *r, void *arg, struct err *err)
{
	struct roster_out *out = arg;

	if ((out->rows++ && fputc(',', out->f) == EOF) || vout_jsonl(out->f, &r->v, r->row) < 0)
		return err_system(err, "内存不足");
	if (probe_set_add(&out->probes, out->pii, &r->v, r->claim->id_number, out->today, r->row,
	                  !r->v.found, err) < 0)
		return -1;
	if (ftell(out->f) > (long)ROSTER_OUT_MAX)
		return err_input(err, "花名册行数过多：结果超过 %u MB，请分批上传",
		                 ROSTER_OUT_MAX >> 20);
	return 0;
}

int api_verify_roster(struct http_request *req)
{
	struct roster_summary sum;
	struct roster_out out;
	struct thread_state *w;
	struct err err;
	char subject[PROBE_SUBJECT_SIZE], *buf = NULL;
	size_t size = 0;
	int rc;

	if (req->body_len == 0)
		return http_error(req, HTTP_BAD_REQUEST, "empty_body",
		                  "请上传花名册文件（CSV，UTF-8、GBK 或 UTF-16 均可）");
	err_clear(&err);
	if (!(w = api_thread_state(req->api, &err)))
		return http_internal(req, &err);
	memset(&out, 0, sizeof(out));
	probe_set_init(&out.probes);
	out.pii = store_pii_key(w->st);
	out.today = w->v.today;
	out.f = open_memstream(&buf, &size);
	if (!out.f)
		return http_error(req, HTTP_INTERNAL_ERROR, "internal", "服务器内存不足");
	/* The results as they come, one object a row: the same objects as
	 * `verify-roster --format jsonl`, in a JSON array. */
	fputc('[', out.f);
	rc = roster_verify_memory(req->body, req->body_len, &w->v, roster_row, &out, &sum, &err);
	if (rc == 0 && (fputc(']', out.f) == EOF || fflush(out.f) != 0))
		rc = err_system(&err, "内存不足");
	if (fclose(out.f) != 0 && rc == 0)
		rc = err_system(&err, "内存不足");
	if (rc < 0) {
		probe_set_release(&out.probes);
		free(buf);
		return http_fail(req, HTTP_UNPROCESSABLE, "invalid_roster", &err);
	}
	/* Nothing leaves before the probe limit has had its say (probe.h). */
	api_probe_subject(req, subject);
	rc = api_probe_gate(req, w->st, subject, &out.probes, 1, &err);
	probe_set_release(&out.probes);
	if (rc != 0) {
		free(buf);
		return rc < 0 ? http_internal(req, &err) : 0;
	}
	return http_take(req, HTTP_OK, JSON_TYPE, buf, size);
}
