/*
 * store_trail.h - storage of the audit trail (trail.h is the domain module
 * on top).  Filled by the audit-trail work.
 */
#ifndef OPCERT_STORE_TRAIL_H
#define OPCERT_STORE_TRAIL_H

#include "store.h"

struct store_trail_backend {
	int reserved; /* placeholder until the first function */
};

#endif
