/*
 * test_contract.c - the storage contract test: what every storage backend
 * must do, judged through the public store_* interface alone (contract.h),
 * so the same cases run against SQLite today and PostgreSQL later.
 *
 *   test_store_contract [BASE]
 *
 * BASE (else $OPCERT_STORE_TEST_DB) is where the cases' databases go: each
 * case opens BASE with its name in place of "{case}", or appended when
 * there is none, creates it and first checks that it is empty.  Without
 * either, a private temporary directory of SQLite files, removed at the
 * end.  Examples: /var/tmp/contract/ (an empty directory: SQLite files
 * test_cert_round_trip, ...), "postgresql://localhost/{case}" (one empty
 * database per case, once that backend exists).
 */
#include "contract.h"

#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	const char *base = argc > 1 ? argv[1] : getenv("OPCERT_STORE_TEST_DB");
	int failed = 0;

	if (contract_init(base) < 0)
		return 2;
	failed += contract_run_store();
	failed += contract_run_register();
	failed += contract_run_org();
	failed += contract_run_account();
	failed += contract_run_trail();
	failed += contract_run_worker();
	failed += contract_run_probe();
	contract_done();
	return failed ? 1 : 0;
}
