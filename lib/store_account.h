/*
 * store_account.h - storage of accounts, sessions and API tokens
 * (account.h is the domain module on top).  Filled by the accounts work.
 */
#ifndef OPCERT_STORE_ACCOUNT_H
#define OPCERT_STORE_ACCOUNT_H

#include "store.h"

struct store_account_backend {
	int reserved; /* placeholder until the first function */
};

#endif
