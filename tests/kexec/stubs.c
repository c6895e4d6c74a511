// SPDX-License-Identifier: GPL-2.0
/*
 * What the rest of kexec-tools (kexec/kexec.c) provides to the code under
 * test, for the test programs that do not link kexec.c itself.
 */

#include <stdio.h>
#include <stdlib.h>

#include "kexec.h"

int kexec_debug;

void *xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);

	if (!p) {
		perror("xmalloc");
		exit(2);
	}
	return p;
}

void *xrealloc(void *ptr, size_t size)
{
	void *p = realloc(ptr, size ? size : 1);

	if (!p) {
		perror("xrealloc");
		exit(2);
	}
	return p;
}
