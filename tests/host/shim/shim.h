/* SPDX-License-Identifier: GPL-2.0 */
/* What the host tests read and steer in the stand-ins of shim.c */
#ifndef _KDUMP_SHIM_CTL_H
#define _KDUMP_SHIM_CTL_H

#include <stdbool.h>

/* kmalloc() and friends: objects alive, allocations attempted */
extern long shim_live_allocs;
extern unsigned long shim_nr_allocs;
/* Kernel bugs seen by the stand-ins (a WARN_ON, a bad ida_free) */
extern unsigned int shim_nr_bugs;
/* Log messages of the driver */
extern unsigned int shim_nr_msgs;

/* Make the @nth allocation from now on fail (0: none fails) */
void shim_alloc_fail_at(unsigned long nth);
bool shim_alloc_should_fail(void);
void shim_bug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

struct ida;
bool shim_ida_allocated(struct ida *ida, unsigned int id);

/*
 * A command that the driver issued on the SMMU's command queue, decoded
 * (see shim.c): the fields of CFGI_STE, and whether a CMD_SYNC followed
 */
struct shim_cmd {
	unsigned int	opcode;
	unsigned int	sid;
	bool		leaf;
	bool		sync;
};

struct arm_smmu_device;
/*
 * Called for each command; what the tests that issue commands define. What
 * it returns for a command with a CMD_SYNC is what the driver's call returns.
 */
int shim_issue_cmd(struct arm_smmu_device *smmu, const struct shim_cmd *cmd);

#endif
