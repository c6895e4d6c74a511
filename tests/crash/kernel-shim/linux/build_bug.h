/* SPDX-License-Identifier: GPL-2.0 */
/* The kernel's one-argument static_assert(), for layout-test.c. */
#ifndef LAYOUT_SHIM_LINUX_BUILD_BUG_H
#define LAYOUT_SHIM_LINUX_BUILD_BUG_H

#define static_assert(expr, ...) __static_assert(expr, ##__VA_ARGS__, #expr)
#define __static_assert(expr, msg, ...) _Static_assert(expr, msg)

#endif
