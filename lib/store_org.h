/*
 * store_org.h - storage of organisations and projects (org.h is the
 * domain module on top).  Filled by the organisations work.
 */
#ifndef OPCERT_STORE_ORG_H
#define OPCERT_STORE_ORG_H

#include "store.h"

struct store_org_backend {
	int reserved; /* placeholder until the first function */
};

#endif
