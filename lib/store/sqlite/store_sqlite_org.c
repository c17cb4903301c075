/*
 * store_sqlite_org.c - organisations and projects in SQLite (store_org.h).
 *
 * One table holds every organisation: the city bureau and its offices, the
 * 14 district units (DOMAIN.md section 4), construction and supervision
 * companies and training institutions.  Each row names the district unit
 * whose data scope it falls in (a district unit names itself), so a
 * district officer's scope is one equality.  The bureau, its offices and
 * the districts are seeded by the migration itself: `opcert init` creates
 * them.
 */
#include "store_org.h"

#include <string.h>

#include "date.h"
#include "org_codes.h"
#include "store_sqlite_int.h"

/* clang-format off */
const char store_sqlite_schema_org[] =
    "CREATE TABLE org ("
    " id INTEGER PRIMARY KEY,"
    " kind TEXT NOT NULL CHECK (kind IN"
    "  ('city', 'office', 'district', 'builder', 'supervisor', 'institution')),"
    " name TEXT NOT NULL,"
    " uscc TEXT UNIQUE,"
    " district INTEGER REFERENCES org (id),"
    " contact TEXT NOT NULL DEFAULT '',"
    " phone TEXT NOT NULL DEFAULT '',"
    " closed_at INTEGER,"
    " created_at INTEGER NOT NULL,"
    " updated_at INTEGER NOT NULL,"
    " CHECK ((kind IN ('builder', 'supervisor')) = (uscc IS NOT NULL)));"
    "CREATE UNIQUE INDEX org_by_name ON org (kind, name) WHERE uscc IS NULL;"
    "CREATE INDEX org_by_district ON org (district);"
    "CREATE TABLE project ("
    " id INTEGER PRIMARY KEY,"
    " name TEXT NOT NULL,"
    " district INTEGER NOT NULL REFERENCES org (id),"
    " address TEXT NOT NULL DEFAULT '',"
    " builder INTEGER NOT NULL REFERENCES org (id),"
    " supervisor INTEGER REFERENCES org (id),"
    " start_on INTEGER,"
    " end_on INTEGER,"
    " state TEXT NOT NULL DEFAULT 'active' CHECK (state IN"
    "  ('planned', 'active', 'suspended', 'completed', 'closed')),"
    " created_at INTEGER NOT NULL,"
    " updated_at INTEGER NOT NULL,"
    " UNIQUE (builder, name));"
    "CREATE INDEX project_by_district ON project (district);"
    "CREATE INDEX project_by_supervisor ON project (supervisor);"
    "INSERT INTO org (kind, name, created_at, updated_at) VALUES"
    " ('city', '市住建局', unixepoch(), unixepoch()),"
    " ('office', '建管处', unixepoch(), unixepoch()),"
    " ('office', '安监站', unixepoch(), unixepoch()),"
    " ('district', '云岩区', unixepoch(), unixepoch()),"
    " ('district', '南明区', unixepoch(), unixepoch()),"
    " ('district', '花溪区', unixepoch(), unixepoch()),"
    " ('district', '乌当区', unixepoch(), unixepoch()),"
    " ('district', '白云区', unixepoch(), unixepoch()),"
    " ('district', '观山湖区', unixepoch(), unixepoch()),"
    " ('district', '清镇市', unixepoch(), unixepoch()),"
    " ('district', '修文县', unixepoch(), unixepoch()),"
    " ('district', '息烽县', unixepoch(), unixepoch()),"
    " ('district', '开阳县', unixepoch(), unixepoch()),"
    " ('district', '高新技术开发区', unixepoch(), unixepoch()),"
    " ('district', '经济技术开发区', unixepoch(), unixepoch()),"
    " ('district', '贵州双龙航空港经济区', unixepoch(), unixepoch()),"
    " ('district', '综保区', unixepoch(), unixepoch());"
    "UPDATE org SET district = id WHERE kind = 'district';";
/* clang-format on */

#define ORG_COLUMNS                                                                                \
	"o.id, o.kind, o.name, o.uscc, o.district, d.name, o.contact, o.phone, o.closed_at,"       \
	" o.created_at, o.updated_at FROM org o LEFT JOIN org d ON d.id = o.district"

static const char sql_org_get[] = "SELECT " ORG_COLUMNS " WHERE o.id = ?1";
static const char sql_org_by_uscc[] = "SELECT " ORG_COLUMNS " WHERE o.uscc = ?1";
static const char sql_org_by_name[] =
    "SELECT " ORG_COLUMNS " WHERE o.kind = ?1 AND o.name = ?2 AND o.uscc IS NULL";
static const char sql_org_each[] = "SELECT " ORG_COLUMNS " WHERE (?1 = 0 OR o.district = ?1)"
                                   " AND (?2 OR o.closed_at IS NULL) ORDER BY o.id";
static const char sql_org_insert[] =
    "INSERT INTO org (kind, name, uscc, district, contact, phone, closed_at, created_at,"
    " updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
static const char sql_org_update[] =
    "UPDATE org SET name = ?2, uscc = ?3, district = ?4, contact = ?5, phone = ?6,"
    " closed_at = ?7, updated_at = ?8 WHERE id = ?1";

#define PROJECT_COLUMNS                                                                            \
	"p.id, p.name, p.district, d.name, p.address, p.builder, b.uscc, b.name, p.supervisor,"    \
	" s.uscc, s.name, p.start_on, p.end_on, p.state, p.created_at, p.updated_at"               \
	" FROM project p JOIN org d ON d.id = p.district JOIN org b ON b.id = p.builder"           \
	" LEFT JOIN org s ON s.id = p.supervisor"

static const char sql_project_get[] = "SELECT " PROJECT_COLUMNS " WHERE p.id = ?1";
static const char sql_project_by_name[] =
    "SELECT " PROJECT_COLUMNS " WHERE p.builder = ?1 AND p.name = ?2";
static const char sql_project_each[] =
    "SELECT " PROJECT_COLUMNS " WHERE (?1 = 0 OR p.district = ?1)"
    " AND (?2 = 0 OR p.builder = ?2 OR p.supervisor = ?2)"
    " AND (?3 OR p.state <> 'closed') ORDER BY p.id";
static const char sql_project_insert[] =
    "INSERT INTO project (name, district, address, builder, supervisor, start_on, end_on, state,"
    " created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";
static const char sql_project_update[] =
    "UPDATE project SET name = ?2, district = ?3, address = ?4, builder = ?5, supervisor = ?6,"
    " start_on = ?7, end_on = ?8, state = ?9, updated_at = ?10 WHERE id = ?1";

static void bind_text(sqlite3_stmt *q, int col, const char *s)
{
	sqlite3_bind_text(q, col, s, -1, SQLITE_STATIC);
}

/* NULL for 0 (no id, not closed). */
static void bind_id(sqlite3_stmt *q, int col, int64_t v)
{
	if (v)
		sqlite3_bind_int64(q, col, v);
	else
		sqlite3_bind_null(q, col);
}

static void bind_date(sqlite3_stmt *q, int col, int32_t day)
{
	if (day == DATE_NONE)
		sqlite3_bind_null(q, col);
	else
		sqlite3_bind_int(q, col, day);
}

static void read_org(sqlite3_stmt *q, struct org *o)
{
	char kind[16];
	int k;

	memset(o, 0, sizeof(*o));
	o->id = sqlite3_column_int64(q, 0);
	store_sqlite_text(q, 1, kind, sizeof(kind));
	k = org_kind_from_code(kind);
	o->kind = k < 0 ? ORG_OFFICE : (enum org_kind)k;
	store_sqlite_text(q, 2, o->name, sizeof(o->name));
	store_sqlite_text(q, 3, o->uscc, sizeof(o->uscc));
	o->district = sqlite3_column_int64(q, 4);
	store_sqlite_text(q, 5, o->district_name, sizeof(o->district_name));
	store_sqlite_text(q, 6, o->contact, sizeof(o->contact));
	store_sqlite_text(q, 7, o->phone, sizeof(o->phone));
	o->closed_at = sqlite3_column_int64(q, 8);
	o->created_at = sqlite3_column_int64(q, 9);
	o->updated_at = sqlite3_column_int64(q, 10);
}

static int32_t column_date(sqlite3_stmt *q, int col)
{
	if (sqlite3_column_type(q, col) == SQLITE_NULL)
		return DATE_NONE;
	return (int32_t)sqlite3_column_int(q, col);
}

static void read_project(sqlite3_stmt *q, struct project *p)
{
	char state[16];
	int s;

	memset(p, 0, sizeof(*p));
	p->id = sqlite3_column_int64(q, 0);
	store_sqlite_text(q, 1, p->name, sizeof(p->name));
	p->district = sqlite3_column_int64(q, 2);
	store_sqlite_text(q, 3, p->district_name, sizeof(p->district_name));
	store_sqlite_text(q, 4, p->address, sizeof(p->address));
	p->builder = sqlite3_column_int64(q, 5);
	store_sqlite_text(q, 6, p->builder_uscc, sizeof(p->builder_uscc));
	store_sqlite_text(q, 7, p->builder_name, sizeof(p->builder_name));
	p->supervisor = sqlite3_column_int64(q, 8);
	store_sqlite_text(q, 9, p->supervisor_uscc, sizeof(p->supervisor_uscc));
	store_sqlite_text(q, 10, p->supervisor_name, sizeof(p->supervisor_name));
	p->start_on = column_date(q, 11);
	p->end_on = column_date(q, 12);
	store_sqlite_text(q, 13, state, sizeof(state));
	s = project_state_from_code(state);
	p->state = s < 0 ? PROJECT_CLOSED : (enum project_state)s;
	p->created_at = sqlite3_column_int64(q, 14);
	p->updated_at = sqlite3_column_int64(q, 15);
}

/* Step a one-row query: 1 and the row read, 0 none, -1 error. */
static int one_org(struct store *st, sqlite3_stmt *q, struct org *out, struct err *err)
{
	int rc = sqlite3_step(q);

	if (rc == SQLITE_ROW) {
		read_org(q, out);
		sqlite3_reset(q);
		return 1;
	}
	if (rc == SQLITE_DONE) {
		sqlite3_reset(q);
		return 0;
	}
	store_sqlite_error(st, err, "读取单位");
	sqlite3_reset(q);
	return -1;
}

static int one_project(struct store *st, sqlite3_stmt *q, struct project *out, struct err *err)
{
	int rc = sqlite3_step(q);

	if (rc == SQLITE_ROW) {
		read_project(q, out);
		sqlite3_reset(q);
		return 1;
	}
	if (rc == SQLITE_DONE) {
		sqlite3_reset(q);
		return 0;
	}
	store_sqlite_error(st, err, "读取项目");
	sqlite3_reset(q);
	return -1;
}

/* Step a statement that returns no row. */
static int run(struct store *st, sqlite3_stmt *q, const char *what, struct err *err)
{
	int rc = sqlite3_step(q);

	if (rc != SQLITE_DONE) {
		store_sqlite_error(st, err, what);
		sqlite3_reset(q);
		return -1;
	}
	sqlite3_reset(q);
	return 0;
}

static int sq_org_get(struct store *st, int64_t id, struct org *out, struct err *err)
{
	sqlite3_stmt *q = store_sqlite_prepare(st, sql_org_get, err);

	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, id);
	return one_org(st, q, out, err);
}

static int sq_org_by_uscc(struct store *st, const char *uscc, struct org *out, struct err *err)
{
	sqlite3_stmt *q = store_sqlite_prepare(st, sql_org_by_uscc, err);

	if (!q)
		return -1;
	bind_text(q, 1, uscc);
	return one_org(st, q, out, err);
}

static int sq_org_by_name(struct store *st, enum org_kind kind, const char *name, struct org *out,
                          struct err *err)
{
	sqlite3_stmt *q = store_sqlite_prepare(st, sql_org_by_name, err);

	if (!q)
		return -1;
	bind_text(q, 1, org_kind_code(kind));
	bind_text(q, 2, name);
	return one_org(st, q, out, err);
}

static void bind_org(sqlite3_stmt *q, const struct org *o)
{
	if (o->uscc[0])
		bind_text(q, 3, o->uscc);
	else
		sqlite3_bind_null(q, 3);
	bind_id(q, 4, o->district);
	bind_text(q, 5, o->contact);
	bind_text(q, 6, o->phone);
	bind_id(q, 7, o->closed_at);
}

static int sq_org_insert(struct store *st, struct org *o, struct err *err)
{
	sqlite3_stmt *q = store_sqlite_prepare(st, sql_org_insert, err);

	if (!q)
		return -1;
	bind_text(q, 1, org_kind_code(o->kind));
	bind_text(q, 2, o->name);
	bind_org(q, o);
	sqlite3_bind_int64(q, 8, o->created_at);
	sqlite3_bind_int64(q, 9, o->updated_at);
	if (run(st, q, "保存单位", err) < 0)
		return -1;
	o->id = sqlite3_last_insert_rowid(store_sqlite_db(st));
	return 0;
}

static int sq_org_update(struct store *st, const struct org *o, struct err *err)
{
	sqlite3_stmt *q = store_sqlite_prepare(st, sql_org_update, err);

	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, o->id);
	bind_text(q, 2, o->name);
	bind_org(q, o);
	sqlite3_bind_int64(q, 8, o->updated_at);
	if (run(st, q, "保存单位", err) < 0)
		return -1;
	if (sqlite3_changes(store_sqlite_db(st)) != 1)
		return err_system(err, "保存单位: 编号 %lld 不存在", (long long)o->id);
	return 0;
}

static int sq_org_each(struct store *st, const struct org_filter *f, org_fn fn, void *arg,
                       struct err *err)
{
	sqlite3_stmt *q = store_sqlite_prepare(st, sql_org_each, err);
	struct org o;
	int rc;

	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, f ? f->district : 0);
	sqlite3_bind_int(q, 2, f ? f->include_closed : 1);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		read_org(q, &o);
		if (f && f->kinds && !(f->kinds & (1u << o.kind)))
			continue;
		rc = fn(arg, &o);
		if (rc) {
			sqlite3_reset(q);
			return rc;
		}
	}
	if (rc != SQLITE_DONE) {
		store_sqlite_error(st, err, "读取单位");
		sqlite3_reset(q);
		return -1;
	}
	sqlite3_reset(q);
	return 0;
}

static int sq_project_get(struct store *st, int64_t id, struct project *out, struct err *err)
{
	sqlite3_stmt *q = store_sqlite_prepare(st, sql_project_get, err);

	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, id);
	return one_project(st, q, out, err);
}

static int sq_project_by_name(struct store *st, int64_t builder, const char *name,
                              struct project *out, struct err *err)
{
	sqlite3_stmt *q = store_sqlite_prepare(st, sql_project_by_name, err);

	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, builder);
	bind_text(q, 2, name);
	return one_project(st, q, out, err);
}

/* Columns 1..9 of insert and 2..10 of update, shifted by off. */
static void bind_project(sqlite3_stmt *q, int off, const struct project *p)
{
	bind_text(q, off + 1, p->name);
	sqlite3_bind_int64(q, off + 2, p->district);
	bind_text(q, off + 3, p->address);
	sqlite3_bind_int64(q, off + 4, p->builder);
	bind_id(q, off + 5, p->supervisor);
	bind_date(q, off + 6, p->start_on);
	bind_date(q, off + 7, p->end_on);
	bind_text(q, off + 8, project_state_code(p->state));
}

static int sq_project_insert(struct store *st, struct project *p, struct err *err)
{
	sqlite3_stmt *q = store_sqlite_prepare(st, sql_project_insert, err);

	if (!q)
		return -1;
	bind_project(q, 0, p);
	sqlite3_bind_int64(q, 9, p->created_at);
	sqlite3_bind_int64(q, 10, p->updated_at);
	if (run(st, q, "保存项目", err) < 0)
		return -1;
	p->id = sqlite3_last_insert_rowid(store_sqlite_db(st));
	return 0;
}

static int sq_project_update(struct store *st, const struct project *p, struct err *err)
{
	sqlite3_stmt *q = store_sqlite_prepare(st, sql_project_update, err);

	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, p->id);
	bind_project(q, 1, p);
	sqlite3_bind_int64(q, 10, p->updated_at);
	if (run(st, q, "保存项目", err) < 0)
		return -1;
	if (sqlite3_changes(store_sqlite_db(st)) != 1)
		return err_system(err, "保存项目: 编号 %lld 不存在", (long long)p->id);
	return 0;
}

static int sq_project_each(struct store *st, const struct project_filter *f, project_fn fn,
                           void *arg, struct err *err)
{
	sqlite3_stmt *q = store_sqlite_prepare(st, sql_project_each, err);
	struct project p;
	int rc;

	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, f ? f->district : 0);
	sqlite3_bind_int64(q, 2, f ? f->company : 0);
	sqlite3_bind_int(q, 3, f ? f->include_closed : 1);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		read_project(q, &p);
		rc = fn(arg, &p);
		if (rc) {
			sqlite3_reset(q);
			return rc;
		}
	}
	if (rc != SQLITE_DONE) {
		store_sqlite_error(st, err, "读取项目");
		sqlite3_reset(q);
		return -1;
	}
	sqlite3_reset(q);
	return 0;
}

const struct store_org_backend store_sqlite_org = {
    .org_get = sq_org_get,
    .org_by_uscc = sq_org_by_uscc,
    .org_by_name = sq_org_by_name,
    .org_insert = sq_org_insert,
    .org_update = sq_org_update,
    .org_each = sq_org_each,
    .project_get = sq_project_get,
    .project_by_name = sq_project_by_name,
    .project_insert = sq_project_insert,
    .project_update = sq_project_update,
    .project_each = sq_project_each,
};
