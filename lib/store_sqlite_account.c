/*
 * store_sqlite_account.c - accounts, sessions and API tokens in SQLite
 * (store_account.h).
 */
#include "store_account.h"
#include "store_sqlite_int.h"

const char store_sqlite_schema_account[] = "SELECT 1;";

const struct store_account_backend store_sqlite_account = {.reserved = 0};
