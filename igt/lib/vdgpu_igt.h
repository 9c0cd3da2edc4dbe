/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Minimal IGT-compatible test harness for vdgpu.
 *
 * A test program is a plain table of subtests handed to igt_run().  The
 * harness implements the command line and output protocol of IGT tests
 * (see igt/README.md), so igt_runner can enumerate, run and parse our
 * binaries exactly like upstream IGT tests.
 *
 * Every subtest runs in a forked child: it starts from a fresh process
 * state, and a failed assertion, a skip or even a crash ends only that
 * subtest.  The igt_assert*() and igt_require*() macros may only be used
 * from code running inside a subtest.
 */
#ifndef VDGPU_IGT_H
#define VDGPU_IGT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "vdgpu_dev.h"

/* Exit codes, identical to IGT's lib/igt_core.h. */
#define IGT_EXIT_SUCCESS	0
#define IGT_EXIT_SKIP		77
#define IGT_EXIT_INVALID	79
#define IGT_EXIT_FAILURE	98
#define IGT_EXIT_ABORT		112

#define __igt_printf(a, b)	__attribute__((format(printf, a, b)))
#define __igt_noreturn		__attribute__((noreturn))

struct igt_subtest {
	const char *name;	/* [a-zA-Z0-9_-]+, kebab-case by convention */
	void (*func)(void);
	const char *desc;	/* one sentence, shown by --describe */
};

/**
 * igt_run - parse the command line and run the selected subtests
 * @argc: from main()
 * @argv: from main()
 * @description: what the whole test program covers (--help-description)
 * @subtests: subtest table, run in table order
 * @count: ARRAY_SIZE(@subtests)
 *
 * Returns the process exit code: IGT_EXIT_SUCCESS if at least one subtest
 * passed and none failed, IGT_EXIT_SKIP if all of them skipped, the code
 * of the first failure otherwise (IGT_EXIT_FAILURE, or 128 + signal for
 * a crash), IGT_EXIT_INVALID for bad options or an unknown subtest.
 */
int igt_run(int argc, char **argv, const char *description,
	    const struct igt_subtest *subtests, size_t count);

/* Name of the running subtest, NULL outside of one. */
const char *igt_subtest_name(void);

/* Name of the test binary (basename of argv[0]). */
const char *igt_test_name(void);

/*
 * Logging.  Info goes to stdout unadorned, debug (only with --debug or
 * IGT_LOG_LEVEL=debug) to stdout, warnings and errors to stderr with a
 * "(binary:pid) LEVEL: " prefix.  Note that igt_runner turns a passing
 * subtest that writes to stderr into "warn": use igt_warn() exactly for
 * that purpose.
 */
enum igt_log_level {
	IGT_LOG_DEBUG,
	IGT_LOG_INFO,
	IGT_LOG_WARN,
	IGT_LOG_CRITICAL,
};

void igt_log(enum igt_log_level level, const char *fmt, ...) __igt_printf(2, 3);
#define igt_debug(...)		igt_log(IGT_LOG_DEBUG, __VA_ARGS__)
#define igt_info(...)		igt_log(IGT_LOG_INFO, __VA_ARGS__)
#define igt_warn(...)		igt_log(IGT_LOG_WARN, __VA_ARGS__)
#define igt_critical(...)	igt_log(IGT_LOG_CRITICAL, __VA_ARGS__)

/*
 * Declare kernel messages the running subtest expects, so that igt_runner
 * does not turn them into dmesg-warn/dmesg-fail.  This is IGT's own
 * mechanism (lib/igt_core.c igt_emit_ignore_dmesg_regex(), read back by
 * runner/resultgen.c): a line "add ignored dmesg regex: REGEX" in the
 * kernel log makes the runner skip later messages of the same subtest that
 * match REGEX, a GLib (PCRE) regular expression searched in the message
 * text without its level and timestamp.  Each call replaces the previous
 * regex; the runner forgets it when the next subtest starts.  Keep @regex
 * to the common subset of PCRE and POSIX ERE: it is checked with regcomp()
 * and the subtest fails if it does not compile, has a newline or does not
 * fit in one kernel log record.  Call it before the expected messages.
 */
void igt_emit_ignore_dmesg_regex(const char *regex);

/* "EINVAL" for 22 (or -22); "E?" for unknown values. */
const char *igt_errno_name(int err);

/*
 * Subtest cleanup.  Handlers run in LIFO order when the subtest ends,
 * whatever its result, so state changed outside the process (sysfs,
 * module state) is restored even after a failed assertion.  They also run,
 * best effort, when the subtest is killed by a crash signal or by
 * SIGQUIT/SIGTERM/SIGINT/SIGHUP (igt_runner's timeout).  igt_cleanup_pop()
 * removes the last handler, running it first if @run is true.
 */
void igt_cleanup_push(void (*fn)(void *data), void *data);
void igt_cleanup_pop(bool run);

/* Implementation of the macros below; not to be called directly. */
__igt_noreturn void __igt_fail_assert(const char *file, int line,
				      const char *func, const char *expr,
				      const char *fmt, ...) __igt_printf(5, 6);
__igt_noreturn void __igt_skip_check(const char *file, int line,
				     const char *func, const char *expr,
				     const char *fmt, ...) __igt_printf(5, 6);

/* End the current subtest as SKIP, @fmt explaining why. */
__igt_noreturn void igt_skip(const char *fmt, ...) __igt_printf(1, 2);

/* End the current subtest as FAIL (assertion with its own message). */
#define igt_fail(...) \
	__igt_fail_assert(__FILE__, __LINE__, __func__, "igt_fail()", __VA_ARGS__)

#define igt_assert(expr) do {						\
	if (!(expr))							\
		__igt_fail_assert(__FILE__, __LINE__, __func__, #expr,	\
				  "%s", "");				\
} while (0)

#define igt_assert_f(expr, ...) do {					\
	if (!(expr))							\
		__igt_fail_assert(__FILE__, __LINE__, __func__, #expr,	\
				  __VA_ARGS__);				\
} while (0)

#define igt_require(expr) do {						\
	if (!(expr))							\
		__igt_skip_check(__FILE__, __LINE__, __func__, #expr,	\
				 "%s", "");				\
} while (0)

#define igt_require_f(expr, ...) do {					\
	if (!(expr))							\
		__igt_skip_check(__FILE__, __LINE__, __func__, #expr,	\
				 __VA_ARGS__);				\
} while (0)

/* Comparisons that print both values on failure. */
#define __igt_assert_cmp(T, fmt, a, op, b) do {				\
	T __a = (a), __b = (b);						\
	if (!(__a op __b))						\
		__igt_fail_assert(__FILE__, __LINE__, __func__,		\
				  #a " " #op " " #b,			\
				  "error: " fmt " " #op " " fmt " is false\n", \
				  __a, __b);				\
} while (0)

#define igt_assert_eq(a, b)	__igt_assert_cmp(long long, "%lld", a, ==, b)
#define igt_assert_neq(a, b)	__igt_assert_cmp(long long, "%lld", a, !=, b)
#define igt_assert_lt(a, b)	__igt_assert_cmp(long long, "%lld", a, <, b)
#define igt_assert_lte(a, b)	__igt_assert_cmp(long long, "%lld", a, <=, b)
#define igt_assert_gt(a, b)	__igt_assert_cmp(long long, "%lld", a, >, b)
#define igt_assert_gte(a, b)	__igt_assert_cmp(long long, "%lld", a, >=, b)

#define igt_assert_eq_u64(a, b)	 __igt_assert_cmp(unsigned long long, "%llu", a, ==, b)
#define igt_assert_lt_u64(a, b)	 __igt_assert_cmp(unsigned long long, "%llu", a, <, b)
#define igt_assert_lte_u64(a, b) __igt_assert_cmp(unsigned long long, "%llu", a, <=, b)
#define igt_assert_gt_u64(a, b)	 __igt_assert_cmp(unsigned long long, "%llu", a, >, b)

#define igt_assert_eq_str(a, b) do {					\
	const char *__a = (a), *__b = (b);				\
	if (!__a || !__b || strcmp(__a, __b))				\
		__igt_fail_assert(__FILE__, __LINE__, __func__,		\
				  #a " == " #b,				\
				  "error: \"%s\" != \"%s\"\n",		\
				  __a ? __a : "(null)",			\
				  __b ? __b : "(null)");		\
} while (0)

/*
 * @expr returns 0 or a negative errno (as the __drm_ioctl() style
 * wrappers do); assert it returned exactly @err (0 or -Exxx).
 */
#define igt_assert_err(expr, err) do {					\
	int __r = (expr), __e = (err);					\
	if (__r != __e)							\
		__igt_fail_assert(__FILE__, __LINE__, __func__,		\
				  #expr " == " #err,			\
				  "error: expected %d (%s), got %d (%s)\n", \
				  __e, igt_errno_name(__e),		\
				  __r, igt_errno_name(__r));		\
} while (0)

/*
 * DRM helpers for tests.
 */

/*
 * ioctl() restarted on EINTR/EAGAIN like drmIoctl(); returns 0 or
 * -errno so results can be checked with igt_assert_err().
 */
int __drm_ioctl(int fd, unsigned long request, void *arg);

/* DRM_IOCTL_GET_CAP: 0 and *value, or a negative errno. */
int __drm_get_cap(int fd, uint64_t capability, uint64_t *value);

/* Name of the DRM driver under test: "vdgpu" or $IGT_FORCE_DRIVER. */
const char *vdgpu_driver_name(void);

/*
 * Open the vdgpu primary / render node, skipping the subtest with a
 * reason if there is none.  @path (optional) receives the node path.
 */
int vdgpu_open(enum vdgpu_node_type type, char *path, size_t path_len);
#define vdgpu_open_primary()	vdgpu_open(VDGPU_NODE_PRIMARY, NULL, 0)
#define vdgpu_open_render()	vdgpu_open(VDGPU_NODE_RENDER, NULL, 0)

/*
 * Open vgem's primary node, loading the module if need be; skips the
 * subtest without vgem.
 */
int vdgpu_open_vgem(void);

/*
 * A fence userspace controls: vgem attaches one to an object of its own,
 * and it leaves as the sync_file of that object's dma-buf.  vgem signals
 * it when told, or by itself after 10 s at the latest.
 */
struct vdgpu_vgem_fence {
	int vgem;		/* vgem's primary node */
	uint32_t fence;		/* vgem's id of the fence */
	int sync_file;		/* of the pending fence */
};

/* Make a pending fence; skips without vgem or sync_file export. */
void vdgpu_vgem_fence_hold(struct vdgpu_vgem_fence *vf);

/* Tell vgem to signal the fence: 0 or a negative errno. */
int vdgpu_vgem_fence_signal(const struct vdgpu_vgem_fence *vf);

/* Read a vdgpu module parameter, skipping if it does not exist. */
uint64_t vdgpu_require_param_u64(const char *name);

/*
 * Read the debugfs regions file of the device behind @fd, skipping if
 * debugfs or the file is not available and failing if it is malformed.
 * Returns the number of regions.
 */
int vdgpu_require_regions(int fd, struct vdgpu_region *regions, int max);

#endif /* VDGPU_IGT_H */
