/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the kernel's arm-smmu-v3-vmcoredd.h takes from <linux/types.h>, for
 * the host build of layout-test.c: fixed-width types of the same sizes.
 * Byte order is not checked here; the header says every field is
 * little-endian and the extension's reader assumes nothing else.
 */
#ifndef LAYOUT_SHIM_LINUX_TYPES_H
#define LAYOUT_SHIM_LINUX_TYPES_H

#include <stdint.h>

typedef uint8_t		u8;
typedef uint16_t	u16;
typedef uint32_t	u32;
typedef uint64_t	u64;
typedef uint16_t	__le16;
typedef uint32_t	__le32;
typedef uint64_t	__le64;

#define BIT(nr)		(1UL << (nr))

#endif
