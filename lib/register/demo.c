/*
 * demo.c - deterministic synthetic data for demonstrations, tests and the
 * benchmark: the register of a fictional Guiyang issuer (register.csv) and
 * two rosters of the fictional company 贵阳示例建设工程有限公司（虚构）: one
 * where every row verifies as valid although it is written the many ways
 * Excel users write things (roster-clean.csv), and one that plants every
 * verdict a roster row can get and names it in an extra column
 * (roster-violations.csv).
 *
 * Every certificate is a pure function of (seed, today, index), so any row
 * can be recomputed without reading the files, and the same options always
 * give the same bytes.  Output goes through a private buffer rather than
 * per-row printf so a million-row register stays a matter of seconds.
 */
#include "demo.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "cert.h"
#include "date.h"
#include "idnum.h"
#include "status.h"
#include "trade.h"
#include "uscc.h"

/*
 * ID numbers: slot k in [0, ID_SPACE) names (region, birth day, sequence
 * pair).  Index i gets slot (ID_STEP * i + B) mod ID_SPACE; ID_STEP is
 * coprime to ID_SPACE = 2^8 * 3 * 5^7, so distinct indexes below ID_SPACE
 * get distinct slots and therefore distinct ID numbers.  Slots of indexes
 * past the register give fictional people who are certainly not in it.
 */
#define ID_REGIONS    10
#define ID_BIRTH_DAYS 12000
#define ID_SEQ_PAIRS  500
#define ID_SPACE      ((uint64_t)ID_REGIONS * ID_BIRTH_DAYS * ID_SEQ_PAIRS)
#define ID_STEP       37082039u

/* Serials are i / 11 + 1 and must stay within 6 digits; 999999 is kept free
 * for the planted not_found row. */
#define DEMO_MAX_CERTIFICATES 10000000L

#define TRADES_CONSTRUCTION 11
#define PROGRESS_EVERY      65536

#define ISSUER_CONSTRUCTION       "贵阳市住房和城乡建设局"
#define ISSUER_CONSTRUCTION_SHORT "贵阳市住建局"
#define ISSUER_EMERGENCY          "贵阳市应急管理局"
#define ISSUER_FOREIGN            "遵义市住房和城乡建设局"

#define BOM "\xEF\xBB\xBF"
#define REGISTER_HEADER                                                                            \
	"证书编号,姓名,性别,身份证号码,工种,发证机关,发证日期,有效期至,复审日期,状态,培训机构"
#define ROSTER_HEADER                                                                              \
	"序号,姓名,性别,身份证号码,特种作业岗位/工种,证书编号,发证机关,有效期至,项目名称,备注"
#define EXPECT_HEADER "预期核验结果"

/* Salts that keep the independent choices of one index uncorrelated. */
enum draw_salt {
	SALT_EM = 1,
	SALT_GENDER,
	SALT_NAME,
	SALT_AGE,
	SALT_TRADE,
	SALT_SCHOOL,
	SALT_ID_OFFSET,
	SALT_ROSTER,
	SALT_PERSON,
	SALT_RENAME,
};

static const char *const regions[ID_REGIONS] = {
    "520102", "520103", "520111", "520112", "520113",
    "520115", "520121", "520122", "520123", "520181",
};

static const char *const surnames[] = {
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马",
    "朱", "胡", "郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许",
    "韩", "冯", "邓", "曹", "彭", "曾", "肖", "田", "董", "袁", "潘", "蒋", "蔡",
    "余", "杜", "叶", "程", "苏", "魏", "吕", "丁", "任", "沈", "龙",
};

static const char *const given_male[] = {
    "伟", "强", "磊", "军", "勇", "杰", "涛", "明", "超", "刚", "平", "辉", "鹏",
    "华", "飞", "鑫", "波", "斌", "宇", "浩", "凯", "健", "俊", "帆", "旭", "宁",
    "龙", "阳", "志", "国", "建", "文", "成", "东", "海", "兵", "峰", "林",
};

static const char *const given_female[] = {
    "芳", "娜", "敏", "静", "丽", "艳", "娟", "霞", "燕", "玲", "丹", "萍", "红", "梅", "琳",
    "雪", "颖", "慧", "婷", "倩", "洁", "莉", "琴", "云", "兰", "凤", "英", "玉", "秀", "佳",
};

static const char *const schools[] = {
    "贵阳示例建设职业培训学校",
    "黔中示例安全技术培训中心",
    "筑城示例特种作业培训学校",
};

static const char *const projects[] = {
    "示例花园一期项目",       "观山湖示例商务中心项目", "花溪示例安置房项目",
    "南明示例学校改扩建项目", "云岩示例综合管廊项目",
};

static const char *const em_trades[] = {"1.1", "1.2", "2.1", "3.1", "3.2"};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static uint64_t splitmix64(uint64_t x)
{
	uint64_t z = x + 0x9E3779B97F4A7C15u;

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
	return z ^ (z >> 31);
}

static uint64_t draw(uint64_t h, enum draw_salt salt)
{
	return splitmix64(h ^ ((uint64_t)salt * 0xD1B54A32D192ED03u));
}

/* Zero-padded decimal of exactly width digits; returns the end. */
static char *put_digits(char *p, unsigned long v, int width)
{
	for (int i = width - 1; i >= 0; i--) {
		p[i] = (char)('0' + v % 10);
		v /= 10;
	}
	return p + width;
}

/* Decimal without padding; returns the end. */
static char *put_number(char *p, unsigned long v)
{
	char tmp[24];
	int n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		*p++ = tmp[--n];
	return p;
}

static char *put_str(char *p, const char *s)
{
	size_t n = strlen(s);

	memcpy(p, s, n);
	return p + n;
}

/* Copy s into out (size bytes), truncating. */
static void copy_str(char *out, size_t size, const char *s)
{
	size_t n = strlen(s);

	if (n >= size)
		n = size - 1;
	memcpy(out, s, n);
	out[n] = '\0';
}

static uint64_t id_slot(const struct demo_options *o, uint64_t index)
{
	uint64_t b = draw(o->seed, SALT_ID_OFFSET) % ID_SPACE;

	return ((uint64_t)ID_STEP * (index % ID_SPACE) + b) % ID_SPACE;
}

/*
 * The ID number of slot k: the sequence is 2 * pair + 1 for a man (odd) and
 * 2 * pair for a woman (even), so it stays within three digits (000..999)
 * and the pair, hence the slot, can be read back from it.
 */
static void id_build(uint64_t k, enum gender g, char out[IDNUM_SIZE])
{
	unsigned pair = (unsigned)(k % ID_SEQ_PAIRS);
	int32_t birth = date_from_ymd(1965, 1, 1) + (int32_t)((k / ID_SEQ_PAIRS) % ID_BIRTH_DAYS);
	unsigned seq = 2 * pair + (g == GENDER_MALE ? 1u : 0u);
	int y, m, d;
	char *p = out;

	date_to_ymd(birth, &y, &m, &d);
	p = put_str(p, regions[k / ((uint64_t)ID_BIRTH_DAYS * ID_SEQ_PAIRS)]);
	p = put_digits(p, (unsigned long)y, 4);
	p = put_digits(p, (unsigned long)m, 2);
	p = put_digits(p, (unsigned long)d, 2);
	p = put_digits(p, seq, 3);
	*p = '\0';
	out[17] = idnum_check_char(out);
	out[18] = '\0';
}

/* A fictional name: a common surname and one or two given characters. */
static void name_build(uint64_t h, enum gender g, char *out, size_t size)
{
	const char *const *given = g == GENDER_FEMALE ? given_female : given_male;
	size_t ngiven = g == GENDER_FEMALE ? COUNT(given_female) : COUNT(given_male);
	char buf[32];
	char *p = buf;

	p = put_str(p, surnames[h % COUNT(surnames)]);
	h /= COUNT(surnames);
	p = put_str(p, given[h % ngiven]);
	h /= ngiven;
	/* About two names in three have two given characters. */
	if (h % 3 != 0) {
		h /= 3;
		p = put_str(p, given[h % ngiven]);
	}
	*p = '\0';
	copy_str(out, size, buf);
}

static enum demo_kind kind_of(uint64_t h, long index)
{
	static const enum demo_kind fixed[] = {DEMO_EXPIRED, DEMO_SUSPENDED, DEMO_REVOKED,
	                                       DEMO_REVIEW_OVERDUE, DEMO_VALID};
	unsigned pm;

	if (index >= 0 && (size_t)index < COUNT(fixed))
		return fixed[index];
	pm = (unsigned)(h % 1000);
	if (pm < 30)
		return DEMO_EXPIRED;
	if (pm < 40)
		return DEMO_SUSPENDED;
	if (pm < 50)
		return DEMO_REVOKED;
	if (pm < 60)
		return DEMO_REVIEW_OVERDUE;
	return DEMO_VALID;
}

void demo_cert(const struct demo_options *o, long index, struct cert *out, enum demo_kind *kind)
{
	uint64_t h = splitmix64(o->seed ^ (uint64_t)index);
	enum demo_kind k = kind_of(h, index);
	uint64_t age = draw(h, SALT_AGE);
	int em;
	char *p;

	memset(out, 0, sizeof(*out));
	if (index == 4 || k == DEMO_REVIEW_OVERDUE)
		em = 1;
	else if (k == DEMO_VALID)
		em = draw(h, SALT_EM) % 100 < 15;
	else
		em = 0;

	out->gender = draw(h, SALT_GENDER) % 100 < 85 ? GENDER_MALE : GENDER_FEMALE;
	id_build(id_slot(o, (uint64_t)index), out->gender, out->id_number);
	name_build(draw(h, SALT_NAME), out->gender, out->name, sizeof(out->name));
	copy_str(out->training_institution, sizeof(out->training_institution),
	         schools[draw(h, SALT_SCHOOL) % COUNT(schools)]);

	/* Dates are laid out so that the kind is what the status rules find on
	 * o->today: see the comments of each branch. */
	out->review_due = DATE_NONE;
	if (em) {
		if (k == DEMO_REVIEW_OVERDUE) {
			/* 3-year review about 100..700 days ago, validity years ahead */
			out->issued_on = o->today - 1200 - (int32_t)(age % 601);
		} else {
			/* the 3-year review is at least 190 days ahead */
			out->issued_on = o->today - 30 - (int32_t)(age % 871);
		}
		out->valid_until = date_add_years(out->issued_on, STATUS_EMERGENCY_YEARS) - 1;
		out->review_due = date_add_years(out->issued_on, STATUS_EMERGENCY_REVIEW_YEARS) - 1;
	} else {
		if (k == DEMO_EXPIRED) {
			/* ended 70..770 days ago */
			out->issued_on = o->today - 800 - (int32_t)(age % 701);
		} else {
			/* ends in 40..700 days */
			out->issued_on = o->today - 30 - (int32_t)(age % 661);
		}
		out->valid_until = date_add_years(out->issued_on, STATUS_CONSTRUCTION_YEARS) - 1;
	}

	if (em) {
		out->system = SYS_EMERGENCY;
		copy_str(out->trade, sizeof(out->trade),
		         em_trades[draw(h, SALT_TRADE) % COUNT(em_trades)]);
		copy_str(out->issuer, sizeof(out->issuer), ISSUER_EMERGENCY);
		out->number[0] = 'T';
		memcpy(out->number + 1, out->id_number, IDNUM_SIZE);
	} else {
		int y, m, d;

		out->system = SYS_CONSTRUCTION;
		put_digits(out->trade, (unsigned long)(index % TRADES_CONSTRUCTION + 1), 2);
		out->trade[2] = '\0';
		copy_str(out->issuer, sizeof(out->issuer), ISSUER_CONSTRUCTION);
		date_to_ymd(out->issued_on, &y, &m, &d);
		p = put_str(out->number, "黔A");
		p = put_str(p, out->trade);
		p = put_digits(p, (unsigned long)y, 4);
		p = put_digits(p, (unsigned long)(index / TRADES_CONSTRUCTION + 1), 6);
		*p = '\0';
	}

	if (k == DEMO_SUSPENDED)
		out->status = CERT_SUSPENDED;
	else if (k == DEMO_REVOKED)
		out->status = CERT_REVOKED;
	else
		out->status = CERT_VALID;
	if (kind)
		*kind = k;
}

/* ---- output ---------------------------------------------------------- */

#define OUT_BUF_SIZE (1 << 16)

/* One file being written: buffered, to a temporary name, with the first
 * write error remembered so the hot loops need not check every call. */
struct out {
	FILE *f;
	const char *path; /* temporary path, for messages */
	char *buf;
	size_t n;
	int failed; /* errno of the first failure, 0 = none */
};

/* Remember the first failure; errno is cleared first so a stale value
 * from earlier is never reported as the cause. */
static void out_write(struct out *w, const char *s, size_t len)
{
	if (w->failed || len == 0)
		return;
	errno = 0;
	if (fwrite(s, 1, len, w->f) != len)
		w->failed = errno ? errno : EIO;
}

static void out_flush(struct out *w)
{
	out_write(w, w->buf, w->n);
	w->n = 0;
}

static void out_bytes(struct out *w, const char *s, size_t len)
{
	if (w->n + len > OUT_BUF_SIZE) {
		out_flush(w);
		if (len > OUT_BUF_SIZE) {
			out_write(w, s, len);
			return;
		}
	}
	memcpy(w->buf + w->n, s, len);
	w->n += len;
}

static void out_str(struct out *w, const char *s)
{
	out_bytes(w, s, strlen(s));
}

/* A CSV field: quoted only when it holds a separator, quote or line end. */
static void out_field(struct out *w, const char *s)
{
	const char *q;

	if (!strpbrk(s, ",\"\r\n")) {
		out_str(w, s);
		return;
	}
	out_bytes(w, "\"", 1);
	while ((q = strchr(s, '"')) != NULL) {
		out_bytes(w, s, (size_t)(q - s) + 1);
		out_bytes(w, "\"", 1);
		s = q + 1;
	}
	out_str(w, s);
	out_bytes(w, "\"", 1);
}

/* Fields separated by commas, then CRLF. */
static void out_row(struct out *w, const char *const *fields, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (i)
			out_bytes(w, ",", 1);
		out_field(w, fields[i]);
	}
	out_bytes(w, "\r\n", 2);
}

static int out_open(struct out *w, const char *path, struct err *err)
{
	w->path = path;
	w->n = 0;
	w->failed = 0;
	w->f = fopen(path, "wb");
	if (!w->f)
		return err_system(err, "无法创建文件 %s: %s", path, err_errno_text(errno));
	return 0;
}

static int out_close(struct out *w, struct err *err)
{
	int rc = 0;

	if (!w->f)
		return 0;
	out_flush(w);
	errno = 0;
	if (!w->failed && fflush(w->f) != 0)
		w->failed = errno ? errno : EIO;
	errno = 0;
	if (fclose(w->f) != 0 && !w->failed)
		w->failed = errno ? errno : EIO;
	w->f = NULL;
	if (w->failed)
		rc = err_system(err, "写入文件 %s 失败: %s", w->path, err_errno_text(w->failed));
	return rc;
}

/* ---- presentation ------------------------------------------------------ */

enum date_style {
	DATE_ISO = 0, /* 2018-08-09 */
	DATE_SLASH,   /* 2018/8/9 */
	DATE_DOT,     /* 2018.8.9 */
	DATE_CHINESE, /* 2018年8月9日 */
};

static char *date_text(int32_t day, enum date_style style, char *out)
{
	int y, m, d;
	char *p = out;

	date_to_ymd(day, &y, &m, &d);
	p = put_digits(p, (unsigned long)y, 4);
	switch (style) {
	case DATE_ISO:
		*p++ = '-';
		p = put_digits(p, (unsigned long)m, 2);
		*p++ = '-';
		p = put_digits(p, (unsigned long)d, 2);
		break;
	case DATE_SLASH:
	case DATE_DOT:
		*p++ = style == DATE_SLASH ? '/' : '.';
		p = put_number(p, (unsigned long)m);
		*p++ = style == DATE_SLASH ? '/' : '.';
		p = put_number(p, (unsigned long)d);
		break;
	case DATE_CHINESE:
		p = put_str(p, "年");
		p = put_number(p, (unsigned long)m);
		p = put_str(p, "月");
		p = put_number(p, (unsigned long)d);
		p = put_str(p, "日");
		break;
	}
	*p = '\0';
	return out;
}

/* A certificate as a roster row presents it. */
struct presented {
	char name[CERT_NAME_SIZE + 2];
	char gender[16];
	char id[IDNUM_SIZE + 2];
	char trade[CERT_TEXT_SIZE];
	char number[CERTNO_SIZE + 2];
	char issuer[CERT_TEXT_SIZE + 2];
	char valid_until[32];
	const char *project;
	char expect[64];
};

/* Exactly as registered, in the canonical forms. */
static void present_exact(const struct cert *c, struct presented *r)
{
	memset(r, 0, sizeof(*r));
	copy_str(r->name, sizeof(r->name), c->name);
	copy_str(r->gender, sizeof(r->gender), gender_label(c->gender));
	copy_str(r->id, sizeof(r->id), c->id_number);
	copy_str(r->trade, sizeof(r->trade), c->trade);
	copy_str(r->number, sizeof(r->number), c->number);
	copy_str(r->issuer, sizeof(r->issuer), c->issuer);
	date_text(c->valid_until, DATE_ISO, r->valid_until);
	r->project = projects[0];
}

/* Surround a field with one space on each side (a roster cell typed with
 * stray spaces); the field's buffer is always large enough. */
static void pad(char *s, size_t size)
{
	size_t n = strlen(s);

	if (n == 0 || n + 3 > size)
		return;
	memmove(s + 1, s, n);
	s[0] = ' ';
	s[n + 1] = ' ';
	s[n + 2] = '\0';
}

/*
 * The same facts written the ways Excel users write them, chosen by v:
 * date style, gender words, a lowercase x, trade by code, short code or
 * name, the short issuer name, empty optional cells and stray spaces.
 * Every variant still verifies as valid.
 */
static void present_varied(const struct cert *c, uint64_t v, struct presented *r)
{
	static const char *const genders[3][2] = {{"男", "女"}, {"男性", "女性"}, {"M", "F"}};
	const struct trade *t;
	unsigned choice;

	present_exact(c, r);
	copy_str(r->gender, sizeof(r->gender),
	         genders[(v >> 2) % 3][c->gender == GENDER_FEMALE ? 1 : 0]);
	if ((v >> 4) & 1 && r->id[IDNUM_LEN - 1] == 'X')
		r->id[IDNUM_LEN - 1] = 'x';

	choice = (unsigned)((v >> 5) % 3);
	if (choice == 1 && c->trade[0] == '0' && c->trade[1] != '\0') {
		copy_str(r->trade, sizeof(r->trade), c->trade + 1);
	} else if (choice == 2) {
		t = trade_by_code(c->system, c->trade);
		if (t)
			copy_str(r->trade, sizeof(r->trade), t->name);
	}

	choice = (unsigned)((v >> 8) % 10);
	if (choice == 0)
		r->issuer[0] = '\0';
	else if (choice <= 3 && c->system == SYS_CONSTRUCTION)
		copy_str(r->issuer, sizeof(r->issuer), ISSUER_CONSTRUCTION_SHORT);

	if ((v >> 12) % 10 == 0)
		r->valid_until[0] = '\0';
	else
		date_text(c->valid_until, (enum date_style)(v & 3), r->valid_until);

	if ((v >> 16) % 4 == 0) {
		unsigned bits = (unsigned)(v >> 20);

		if (bits & 1)
			pad(r->name, sizeof(r->name));
		if (bits & 2)
			pad(r->id, sizeof(r->id));
		if (bits & 4)
			pad(r->trade, sizeof(r->trade));
		if (bits & 8)
			pad(r->number, sizeof(r->number));
		if (bits & 16)
			pad(r->issuer, sizeof(r->issuer));
	}
	r->project = projects[(v >> 32) % COUNT(projects)];
}

static void write_roster_row(struct out *w, long seq, const struct presented *r, int with_expect)
{
	char seqtext[24];
	const char *fields[11];

	*put_number(seqtext, (unsigned long)seq) = '\0';
	fields[0] = seqtext;
	fields[1] = r->name;
	fields[2] = r->gender;
	fields[3] = r->id;
	fields[4] = r->trade;
	fields[5] = r->number;
	fields[6] = r->issuer;
	fields[7] = r->valid_until;
	fields[8] = r->project;
	fields[9] = "";
	fields[10] = r->expect;
	out_row(w, fields, with_expect ? 11 : 10);
}

/* ---- the three files ------------------------------------------------- */

struct progress {
	void (*fn)(long done, long total, void *arg);
	void *arg;
	long done;
	long total;
};

static void progress_step(struct progress *p)
{
	p->done++;
	if (p->fn && p->done % PROGRESS_EVERY == 0)
		p->fn(p->done, p->total, p->arg);
}

static void write_register_row(struct out *w, const struct cert *c)
{
	char issued[DATE_TEXT_MAX], until[DATE_TEXT_MAX], review[DATE_TEXT_MAX];
	const char *fields[11];

	date_text(c->issued_on, DATE_ISO, issued);
	date_text(c->valid_until, DATE_ISO, until);
	review[0] = '\0';
	if (c->review_due != DATE_NONE)
		date_text(c->review_due, DATE_ISO, review);
	fields[0] = c->number;
	fields[1] = c->name;
	fields[2] = gender_label(c->gender);
	fields[3] = c->id_number;
	fields[4] = c->trade;
	fields[5] = c->issuer;
	fields[6] = issued;
	fields[7] = until;
	fields[8] = review;
	fields[9] = cert_status_label(c->status);
	fields[10] = c->training_institution;
	out_row(w, fields, 11);
}

/* Writes every certificate; *nvalid gets the number of VALID ones. */
static void write_register(const struct demo_options *o, struct out *w, struct progress *pr,
                           long *nvalid)
{
	struct cert c;
	enum demo_kind kind;

	*nvalid = 0;
	out_str(w, BOM REGISTER_HEADER "\r\n");
	for (long i = 0; i < o->certificates; i++) {
		demo_cert(o, i, &c, &kind);
		write_register_row(w, &c);
		if (kind == DEMO_VALID)
			(*nvalid)++;
		progress_step(pr);
	}
}

static uint64_t roster_variant(const struct demo_options *o, long index)
{
	return draw(splitmix64(o->seed ^ (uint64_t)index), SALT_ROSTER);
}

static void write_clean(const struct demo_options *o, struct out *w, struct progress *pr)
{
	struct cert c;
	struct presented r;
	enum demo_kind kind;
	long rows = 0;

	out_str(w, BOM ROSTER_HEADER "\r\n");
	for (long i = 0; i < o->certificates && rows < o->roster_rows; i++) {
		demo_cert(o, i, &c, &kind);
		if (kind != DEMO_VALID)
			continue;
		present_varied(&c, roster_variant(o, i), &r);
		write_roster_row(w, ++rows, &r, 0);
		progress_step(pr);
	}
}

/* A fictional person who holds no certificate in the register. */
struct person {
	char name[CERT_NAME_SIZE];
	enum gender gender;
	char id[IDNUM_SIZE];
};

/*
 * Person number t: the ID of the slot of index certificates + t, which no
 * register index reaches, and a name that differs from avoid (when given),
 * so a planted mismatch is really one.
 */
static void person_make(const struct demo_options *o, long t, enum gender g, const char *avoid,
                        struct person *p)
{
	uint64_t index = (uint64_t)o->certificates + (uint64_t)t;
	uint64_t h = draw(splitmix64(o->seed ^ index), SALT_PERSON);

	p->gender = g;
	id_build(id_slot(o, index), g, p->id);
	do {
		name_build(h, g, p->name, sizeof(p->name));
		h = splitmix64(h);
	} while (avoid && strcmp(p->name, avoid) == 0);
}

/* Another fictional name of the same gender for certificate index. */
static void rename_holder(const struct demo_options *o, long index, const struct cert *c, char *out,
                          size_t size)
{
	uint64_t h = draw(splitmix64(o->seed ^ (uint64_t)index), SALT_RENAME);

	do {
		name_build(h, c->gender, out, size);
		h = splitmix64(h);
	} while (strcmp(out, c->name) == 0);
}

/* Construction trade code other than code ("01" -> "02", "11" -> "01"). */
static void other_trade(const char *code, char *out, size_t size)
{
	char buf[3];
	unsigned n = (unsigned)atoi(code);

	put_digits(buf, n % TRADES_CONSTRUCTION + 1, 2);
	buf[2] = '\0';
	copy_str(out, size, buf);
}

#define VIOL_CONSTRUCTION 13 /* VALID construction certificates the plan uses */
#define VIOL_EMERGENCY    2  /* VALID emergency ones (the second is optional) */
#define VIOL_MAX_ROWS     40 /* room for the fixed plan below (29 rows) */

/* The plan being built: rows so far and the certificate of the last one. */
struct plan {
	const struct demo_options *o;
	struct presented *rows;
	size_t n;
	struct cert c;
};

static struct presented *plan_row(struct plan *pl, const char *expect)
{
	struct presented *r = &pl->rows[pl->n++];

	memset(r, 0, sizeof(*r));
	r->project = projects[0];
	copy_str(r->expect, sizeof(r->expect), expect);
	return r;
}

/* Certificate index exactly as registered; pl->c is left holding it. */
static struct presented *plan_exact(struct plan *pl, long index, const char *expect)
{
	struct presented *r = &pl->rows[pl->n++];

	demo_cert(pl->o, index, &pl->c, NULL);
	present_exact(&pl->c, r);
	copy_str(r->expect, sizeof(r->expect), expect);
	return r;
}

/* Certificate index written the Excel ways, expected valid. */
static void plan_valid(struct plan *pl, long index)
{
	struct presented *r = &pl->rows[pl->n++];

	demo_cert(pl->o, index, &pl->c, NULL);
	present_varied(&pl->c, roster_variant(pl->o, index), r);
	copy_str(r->expect, sizeof(r->expect), "valid");
}

/* A person with no certificate in the register, on a construction post. */
static struct presented *plan_person(struct plan *pl, const struct person *p, const char *number,
                                     const char *expect)
{
	struct presented *r = plan_row(pl, expect);

	copy_str(r->name, sizeof(r->name), p->name);
	copy_str(r->gender, sizeof(r->gender), gender_label(p->gender));
	copy_str(r->id, sizeof(r->id), p->id);
	copy_str(r->trade, sizeof(r->trade), "01");
	copy_str(r->number, sizeof(r->number), number);
	return r;
}

/*
 * The planted rows of roster-violations.csv, each with the verdict the
 * verifier must reach.  VALID certificates are taken from the end of the
 * register (the last suitable indexes) so they are not the ones
 * roster-clean.csv takes from its start: a verifier that remembers
 * certificates in use on other projects would otherwise see each twice.
 * The expired, suspended, revoked and review-overdue rows are the fixed
 * indexes 0..3.  Every row is built so that nothing more serious than its
 * expectation applies: stated genders agree with the presented IDs, and
 * each certificate appears once except the planted duplicate.
 */
static int plan_violations(const struct demo_options *o, struct presented *rows, size_t *nrows,
                           struct err *err)
{
	long con[VIOL_CONSTRUCTION], em[VIOL_EMERGENCY];
	size_t ncon = 0, nem = 0, next = 0;
	long person = 0, dup;
	struct plan pl;
	struct cert c;
	struct person p, q;
	struct presented *r;
	enum demo_kind kind;
	char number[CERTNO_SIZE];
	int y, m, d;
	char *s;

	for (long i = o->certificates - 1; i >= 0; i--) {
		if (ncon == VIOL_CONSTRUCTION && nem == VIOL_EMERGENCY)
			break;
		demo_cert(o, i, &c, &kind);
		if (kind != DEMO_VALID)
			continue;
		if (c.system == SYS_CONSTRUCTION && ncon < VIOL_CONSTRUCTION)
			con[ncon++] = i;
		else if (c.system == SYS_EMERGENCY && nem < VIOL_EMERGENCY)
			em[nem++] = i;
	}
	if (ncon < VIOL_CONSTRUCTION || nem < 1)
		return err_input(err, "示例登记册中的有效证书太少，请增加证书数量");

	pl.o = o;
	pl.rows = rows;
	pl.n = 0;
	date_to_ymd(o->today, &y, &m, &d);

	plan_valid(&pl, con[next++]);

	/* 无证上岗: a person on a post, no certificate number */
	person_make(o, person++, GENDER_MALE, NULL, &p);
	plan_person(&pl, &p, "", "uncertified");

	/* a well-formed 黔A number whose serial no register row reaches */
	s = put_str(number, "黔A01");
	s = put_digits(s, (unsigned long)y, 4);
	s = put_str(s, "999999");
	*s = '\0';
	person_make(o, person++, GENDER_MALE, NULL, &p);
	r = plan_person(&pl, &p, number, "not_found");
	copy_str(r->issuer, sizeof(r->issuer), ISSUER_CONSTRUCTION);
	date_text(date_add_years(o->today, 1), DATE_ISO, r->valid_until);

	r = plan_exact(&pl, con[next], "mismatch:name");
	rename_holder(o, con[next++], &pl.c, r->name, sizeof(r->name));

	plan_valid(&pl, con[next++]);

	r = plan_exact(&pl, con[next++], "mismatch:id_number");
	person_make(o, person++, pl.c.gender, NULL, &p);
	copy_str(r->id, sizeof(r->id), p.id);

	r = plan_exact(&pl, con[next++], "mismatch:trade");
	other_trade(pl.c.trade, r->trade, sizeof(r->trade));

	r = plan_exact(&pl, con[next++], "mismatch:valid_until");
	date_text(date_add_years(pl.c.valid_until, 1), DATE_ISO, r->valid_until);

	plan_valid(&pl, con[next++]);

	r = plan_exact(&pl, con[next++], "mismatch:issuer");
	copy_str(r->issuer, sizeof(r->issuer), ISSUER_FOREIGN);

	r = plan_exact(&pl, con[next], "mismatch:name,trade");
	rename_holder(o, con[next++], &pl.c, r->name, sizeof(r->name));
	other_trade(pl.c.trade, r->trade, sizeof(r->trade));

	/* an emergency certificate presented with someone else's ID */
	r = plan_exact(&pl, em[0], "mismatch:id_number");
	person_make(o, person++, pl.c.gender, NULL, &p);
	copy_str(r->id, sizeof(r->id), p.id);

	/* a T number outside the register that embeds another person's ID */
	person_make(o, person++, GENDER_MALE, NULL, &p);
	person_make(o, person++, GENDER_MALE, p.name, &q);
	number[0] = 'T';
	memcpy(number + 1, p.id, IDNUM_SIZE);
	r = plan_person(&pl, &q, number, "mismatch:id_number");
	copy_str(r->trade, sizeof(r->trade), "2.1");
	copy_str(r->issuer, sizeof(r->issuer), ISSUER_EMERGENCY);
	date_text(date_add_years(o->today, 3), DATE_ISO, r->valid_until);

	plan_valid(&pl, con[next++]);

	plan_exact(&pl, 0, "expired");
	plan_exact(&pl, 1, "suspended");
	plan_exact(&pl, 2, "revoked");
	plan_exact(&pl, 3, "review_overdue");

	/* a wrong check character, never '0' so the number cannot pass for
	 * one Excel rounded (18 digits ending in 000); the number is another
	 * province's, which alone would only need an external check */
	person_make(o, person++, GENDER_MALE, NULL, &p);
	r = plan_person(&pl, &p, "川A012019000123", "invalid_id");
	s = &r->id[IDNUM_LEN - 1];
	*s = *s == 'X' ? '1' : *s == '9' ? 'X' : (char)(*s + 1);

	/* a valid ID whose sequence digit says the other gender */
	person_make(o, person++, GENDER_MALE, NULL, &p);
	r = plan_person(&pl, &p, "滇A012019000456", "invalid_id");
	copy_str(r->gender, sizeof(r->gender), gender_label(GENDER_FEMALE));

	plan_valid(&pl, con[next++]);

	/* 13 characters: a serial digit short; and no known format at all */
	person_make(o, person++, GENDER_MALE, NULL, &p);
	plan_person(&pl, &p, "黔A01201800012", "invalid_number");
	person_make(o, person++, GENDER_FEMALE, NULL, &p);
	plan_person(&pl, &p, "ABC-123", "invalid_number");

	/* one certificate presented twice: by its holder, and by someone else,
	 * whose row is a mismatch before it is a duplicate */
	dup = con[next++];
	plan_exact(&pl, dup, "duplicate_use");
	plan_valid(&pl, con[next++]);
	r = plan_exact(&pl, dup, "mismatch:name,id_number");
	person_make(o, person++, pl.c.gender, pl.c.name, &p);
	copy_str(r->name, sizeof(r->name), p.name);
	copy_str(r->id, sizeof(r->id), p.id);

	/* another province's construction number */
	person_make(o, person++, GENDER_MALE, NULL, &p);
	plan_person(&pl, &p, "川A012019000001", "external");

	/* a T number outside the register, presented by the person it names */
	person_make(o, person++, GENDER_FEMALE, NULL, &p);
	number[0] = 'T';
	memcpy(number + 1, p.id, IDNUM_SIZE);
	r = plan_person(&pl, &p, number, "external");
	copy_str(r->trade, sizeof(r->trade), "1.2");

	if (nem > 1)
		plan_valid(&pl, em[1]);

	*nrows = pl.n;
	return 0;
}

static void write_violations(struct out *w, const struct presented *rows, size_t n,
                             struct progress *pr)
{
	out_str(w, BOM ROSTER_HEADER "," EXPECT_HEADER "\r\n");
	for (size_t i = 0; i < n; i++) {
		write_roster_row(w, (long)i + 1, &rows[i], 1);
		progress_step(pr);
	}
}

/* mkdir -p: every missing component of dir. */
static int make_dirs(const char *dir, struct err *err)
{
	char *path = strdup(dir);
	int rc = -1;

	if (!path)
		return err_system(err, "内存不足");
	for (char *s = path + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(path, 0777) != 0 && errno != EEXIST) {
			err_system(err, "无法创建目录 %s: %s", path, err_errno_text(errno));
			goto out;
		}
		*s = '/';
	}
	if (mkdir(path, 0777) != 0 && errno != EEXIST) {
		err_system(err, "无法创建目录 %s: %s", path, err_errno_text(errno));
		goto out;
	}
	rc = 0;
out:
	free(path);
	return rc;
}

static char *join_path(const char *dir, const char *name, const char *suffix)
{
	size_t a = strlen(dir), b = strlen(name), c = strlen(suffix);
	char *p = malloc(a + 1 + b + c + 1);

	if (!p)
		return NULL;
	memcpy(p, dir, a);
	p[a] = '/';
	memcpy(p + a + 1, name, b);
	memcpy(p + a + 1 + b, suffix, c + 1);
	return p;
}

enum demo_file { FILE_REGISTER, FILE_CLEAN, FILE_VIOLATIONS, FILE_COUNT };

static const char *const file_names[FILE_COUNT] = {
    "register.csv",
    "roster-clean.csv",
    "roster-violations.csv",
};

int demo_write(const struct demo_options *o, const char *dir,
               void (*progress)(long done, long total, void *arg), void *arg, struct err *err)
{
	char *tmp[FILE_COUNT] = {NULL}, *final[FILE_COUNT] = {NULL};
	int created[FILE_COUNT] = {0};
	struct out w = {0};
	struct presented *rows = NULL;
	struct progress pr;
	size_t nrows = 0;
	long nvalid = 0;
	int rc = -1;

	err_clear(err);
	if (o->certificates < DEMO_MIN_CERTIFICATES || o->certificates > DEMO_MAX_CERTIFICATES)
		return err_input(err, "证书数量须在 %d 到 %ld 之间", DEMO_MIN_CERTIFICATES,
		                 DEMO_MAX_CERTIFICATES);
	if (o->roster_rows < 0)
		return err_input(err, "花名册行数不能为负数");
	/* Certificate numbers carry the issue year (1990..2099) and IDs a
	 * birth date up to 1997: keep both valid. */
	if (o->today < date_from_ymd(2000, 1, 1) || o->today > date_from_ymd(2099, 12, 31))
		return err_input(err, "示例数据的基准日期须在 2000-01-01 到 2099-12-31 之间");

	rows = calloc(VIOL_MAX_ROWS, sizeof(*rows));
	w.buf = malloc(OUT_BUF_SIZE);
	if (!rows || !w.buf) {
		err_system(err, "内存不足");
		goto out;
	}
	/* Planned first: it needs no file and can refuse a register too small. */
	if (plan_violations(o, rows, &nrows, err) != 0)
		goto out;
	if (make_dirs(dir, err) != 0)
		goto out;
	for (int f = 0; f < FILE_COUNT; f++) {
		tmp[f] = join_path(dir, file_names[f], ".tmp");
		final[f] = join_path(dir, file_names[f], "");
		if (!tmp[f] || !final[f]) {
			err_system(err, "内存不足");
			goto out;
		}
	}

	pr.fn = progress;
	pr.arg = arg;
	pr.done = 0;
	pr.total = o->certificates + o->roster_rows + (long)nrows;

	if (out_open(&w, tmp[FILE_REGISTER], err) != 0)
		goto out;
	created[FILE_REGISTER] = 1;
	write_register(o, &w, &pr, &nvalid);
	if (out_close(&w, err) != 0)
		goto out;
	if (o->roster_rows > nvalid) {
		err_input(err, "花名册行数 %ld 超过有效证书数 %ld", o->roster_rows, nvalid);
		goto out;
	}

	if (out_open(&w, tmp[FILE_CLEAN], err) != 0)
		goto out;
	created[FILE_CLEAN] = 1;
	write_clean(o, &w, &pr);
	if (out_close(&w, err) != 0)
		goto out;

	if (out_open(&w, tmp[FILE_VIOLATIONS], err) != 0)
		goto out;
	created[FILE_VIOLATIONS] = 1;
	write_violations(&w, rows, nrows, &pr);
	if (out_close(&w, err) != 0)
		goto out;

	for (int f = 0; f < FILE_COUNT; f++) {
		if (rename(tmp[f], final[f]) != 0) {
			err_system(err, "无法将 %s 改名为 %s: %s", tmp[f], final[f],
			           err_errno_text(errno));
			goto out;
		}
		created[f] = 0;
	}
	if (progress)
		progress(pr.done, pr.total, arg);
	rc = 0;
out:
	if (w.f) {
		struct err ignored;

		out_close(&w, &ignored);
	}
	for (int f = 0; f < FILE_COUNT; f++) {
		if (created[f])
			remove(tmp[f]);
		free(tmp[f]);
		free(final[f]);
	}
	free(w.buf);
	free(rows);
	return rc;
}

/* ---- organisations ------------------------------------------------------ */

/* Fictional companies: 9 (unified credit code for a company) + the region
 * code of their district + a made-up organisation code; the check
 * character is computed when written. */
static const struct demo_company {
	const char *first17;
	const char *name;
	const char *kind;
	const char *district;
	const char *contact;
	const char *phone;
} demo_companies[] = {
    {"91520103MA6EXA001", "贵阳示例建设工程有限公司", "施工", "云岩区", "王建国", "0851-86000001"},
    {"91520102MA6EXA002", "南明示例建筑安装有限公司", "施工", "南明区", "李红梅", "0851-86000002"},
    {"91520111MA6EXA003", "花溪示例市政工程有限公司", "施工", "花溪区", "张卫东", "13800000003"},
    {"91520115MA6EXA004", "观山湖示例建设集团有限公司", "施工", "观山湖区", "刘志强", ""},
    {"91520181MA6EXA005", "清镇示例路桥工程有限公司", "施工", "清镇市", "", ""},
    {"91520115MA6EXA006", "筑城示例工程监理有限公司", "监理", "观山湖区", "陈静", "0851-86000006"},
};

/* Projects: the roster's five (all built by the first company) and two more. */
static const struct demo_project {
	const char *name;
	const char *district;
	const char *address;
	int builder;    /* index into demo_companies */
	int supervisor; /* index, -1 = none */
	int start, end; /* days from January 1st of today's year */
} demo_projects[] = {
    {"示例花园一期项目", "白云区", "白云区示例路1号", 0, 5, -400, 600},
    {"观山湖示例商务中心项目", "观山湖区", "观山湖区示例大道88号", 0, 5, -200, 700},
    {"花溪示例安置房项目", "花溪区", "花溪区示例街道", 0, 5, -100, 800},
    {"南明示例学校改扩建项目", "南明区", "南明区示例路12号", 0, -1, -60, 400},
    {"云岩示例综合管廊项目", "云岩区", "云岩区示例路", 0, 5, -30, 900},
    {"南明示例住宅小区项目", "南明区", "南明区示例巷6号", 1, 5, -300, 500},
    {"清镇示例道路改造工程", "清镇市", "清镇市示例大道", 4, -1, 400, 1000},
};

static void company_code(const struct demo_company *c, char out[USCC_SIZE])
{
	memcpy(out, c->first17, 17);
	out[17] = uscc_check_char(c->first17);
	out[18] = '\0';
}

static void write_companies(struct out *w)
{
	out_str(w, BOM "统一社会信用代码,单位名称,单位类型,所在区,联系人,联系电话\r\n");
	for (size_t i = 0; i < COUNT(demo_companies); i++) {
		const struct demo_company *c = &demo_companies[i];
		char code[USCC_SIZE];
		const char *fields[6];

		company_code(c, code);
		fields[0] = code;
		fields[1] = c->name;
		fields[2] = c->kind;
		fields[3] = c->district;
		fields[4] = c->contact;
		fields[5] = c->phone;
		out_row(w, fields, 6);
	}
}

/* Dates hang on January 1st of today's year, not on today, so that running
 * the demo again within the year finds the projects unchanged. */
static void write_projects(const struct demo_options *o, struct out *w)
{
	int y, m, d;
	int32_t base;

	date_to_ymd(o->today, &y, &m, &d);
	base = date_from_ymd(y, 1, 1);
	out_str(w,
	        BOM "项目名称,所在区,地址,施工单位信用代码,监理单位信用代码,开工日期,竣工日期\r\n");
	for (size_t i = 0; i < COUNT(demo_projects); i++) {
		const struct demo_project *p = &demo_projects[i];
		char builder[USCC_SIZE], supervisor[USCC_SIZE] = "";
		char start[DATE_TEXT_MAX], end[DATE_TEXT_MAX];
		const char *fields[7];

		company_code(&demo_companies[p->builder], builder);
		if (p->supervisor >= 0)
			company_code(&demo_companies[p->supervisor], supervisor);
		fields[0] = p->name;
		fields[1] = p->district;
		fields[2] = p->address;
		fields[3] = builder;
		fields[4] = supervisor;
		fields[5] = date_format(base + p->start, start);
		fields[6] = date_format(base + p->end, end);
		out_row(w, fields, 7);
	}
}

int demo_write_orgs(const struct demo_options *o, const char *dir, struct err *err)
{
	static const char *const names[2] = {"companies.csv", "projects.csv"};
	char *tmp[2] = {NULL}, *final[2] = {NULL};
	int created[2] = {0};
	struct out w = {0};
	int rc = -1;

	err_clear(err);
	w.buf = malloc(OUT_BUF_SIZE);
	if (!w.buf) {
		err_system(err, "内存不足");
		goto out;
	}
	for (int f = 0; f < 2; f++) {
		tmp[f] = join_path(dir, names[f], ".tmp");
		final[f] = join_path(dir, names[f], "");
		if (!tmp[f] || !final[f]) {
			err_system(err, "内存不足");
			goto out;
		}
	}
	if (out_open(&w, tmp[0], err) != 0)
		goto out;
	created[0] = 1;
	write_companies(&w);
	if (out_close(&w, err) != 0)
		goto out;
	if (out_open(&w, tmp[1], err) != 0)
		goto out;
	created[1] = 1;
	write_projects(o, &w);
	if (out_close(&w, err) != 0)
		goto out;
	for (int f = 0; f < 2; f++) {
		if (rename(tmp[f], final[f]) != 0) {
			err_system(err, "无法将 %s 改名为 %s: %s", tmp[f], final[f],
			           err_errno_text(errno));
			goto out;
		}
		created[f] = 0;
	}
	rc = 0;
out:
	if (w.f) {
		struct err ignored;

		out_close(&w, &ignored);
	}
	for (int f = 0; f < 2; f++) {
		if (created[f])
			remove(tmp[f]);
		free(tmp[f]);
		free(final[f]);
	}
	free(w.buf);
	return rc;
}
