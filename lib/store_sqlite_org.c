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

const struct store_org_backend store_sqlite_org = {.reserved = 0};
