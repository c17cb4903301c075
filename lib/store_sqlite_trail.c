/*
 * store_sqlite_trail.c - the audit trail in SQLite (store_trail.h).
 */
#include "store_trail.h"
#include "store_sqlite_int.h"

const char store_sqlite_schema_trail[] = "SELECT 1;";

const struct store_trail_backend store_sqlite_trail = {.reserved = 0};
