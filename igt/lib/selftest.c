// SPDX-License-Identifier: GPL-2.0-only
/*
 * Self-test of the vdgpu IGT harness.  Needs no device: it exercises
 * every result kind (pass, fail, skip, crash), cleanup handlers, the
 * per-subtest fresh state and the file parsers of vdgpu_dev.c.  The
 * expected behaviour of each subtest is checked from the outside by
 * selftest.sh.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vdgpu_igt.h"

/* Incremented by the fresh-state subtests; every child starts at 0. */
static int fresh_counter;

static void pass(void)
{
	igt_info("pass: info line\n");
}

static void fail_assert(void)
{
	igt_assert_eq(1 + 1, 3);
}

static void fail_errno(void)
{
	int fd = open("/nonexistent/vdgpu-selftest", O_RDONLY);

	igt_assert_f(fd >= 0, "opening a missing file must fail here\n");
}

static void skip_require(void)
{
	igt_require_f(false, "skip reason: no such feature\n");
	igt_info("not reached\n");
}

static void crash(void)
{
	/* SIGUSR1 terminates without a core dump, unlike SIGSEGV. */
	raise(SIGUSR1);
	igt_info("not reached\n");
}

static void say(void *data)
{
	igt_info("%s\n", (const char *)data);
}

/*
 * Pushes a cleanup, tells selftest.sh it is ready (by creating the file
 * named by $SELFTEST_READY) and waits to be killed.
 */
static void killed(void)
{
	const char *ready = getenv("SELFTEST_READY");
	int fd;

	igt_require_f(ready, "SELFTEST_READY not set\n");
	igt_cleanup_push(say, "cleanup: killed");
	fd = open(ready, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	igt_assert(fd >= 0);
	close(fd);
	sleep(10);
	igt_info("not reached\n");
}

static void crash_cleanup(void)
{
	igt_cleanup_push(say, "cleanup: after the signal");
	raise(SIGTERM);
	igt_info("not reached\n");
}

static void cleanup_on_fail(void)
{
	igt_cleanup_push(say, "cleanup: first pushed");
	igt_cleanup_push(say, "cleanup: second pushed");
	igt_cleanup_push(say, "cleanup: popped");
	igt_cleanup_pop(true);
	igt_assert_f(false, "failing with two cleanups pending\n");
}

static void fresh_state(void)
{
	igt_assert_eq(fresh_counter, 0);
	fresh_counter++;
}

static void warn(void)
{
	igt_warn("warn: this goes to stderr\n");
}

static void errno_names(void)
{
	igt_assert_eq_str(igt_errno_name(-EINVAL), "EINVAL");
	igt_assert_eq_str(igt_errno_name(ENODEV), "ENODEV");
	igt_assert_eq_str(igt_errno_name(0), "success");
	igt_assert_err(-ENOENT, -ENOENT);
	igt_assert_err(0, 0);
}

static void regions_parse(void)
{
	static const char good[] =
		"name=vram0 type=vram total=268435456 visible=134217728\n"
		"name=gtt type=gtt total=536870912 visible=536870912 used=0\n"
		"\n"
		"name=system   type=system\ttotal=8589934592 visible=8589934592\n";
	static const char *const bad[] = {
		"name=vram0 type=vram total=1\n",		/* no visible */
		"name=vram0 type=vram total=x visible=1\n",	/* not a number */
		"name=vram0 type=vram total=-1 visible=1\n",	/* negative */
		"name=vram0 type=vram total=1 visible=1 total=2\n", /* dup */
		"name=vram0 type=vram total=1 visible=1 junk\n", /* no '=' */
		"name= type=vram total=1 visible=1\n",		/* empty value */
	};
	struct vdgpu_region r[VDGPU_MAX_REGIONS];
	const struct vdgpu_region *vram;
	size_t i;
	int n;

	n = vdgpu_regions_parse(good, r, ARRAY_SIZE(r));
	igt_assert_eq(n, 3);
	igt_assert_eq_str(r[0].name, "vram0");
	igt_assert_eq_str(r[0].type, "vram");
	igt_assert_eq_u64(r[0].total, 256 * VDGPU_MIB);
	igt_assert_eq_u64(r[0].visible, 128 * VDGPU_MIB);
	igt_assert_eq_str(r[1].name, "gtt");
	igt_assert_eq_u64(r[1].total, 512 * VDGPU_MIB);
	igt_assert_eq_str(r[2].type, "system");
	igt_assert_eq_u64(r[2].visible, 8192 * VDGPU_MIB);

	vram = vdgpu_region_find(r, n, "vram0");
	igt_assert(vram == &r[0]);
	igt_assert(!vdgpu_region_find(r, n, "vram1"));

	igt_assert_err(vdgpu_regions_parse(good, r, 2), -E2BIG);
	igt_assert_eq(vdgpu_regions_parse("", r, ARRAY_SIZE(r)), 0);
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		igt_assert_f(vdgpu_regions_parse(bad[i], r, ARRAY_SIZE(r)) == -EINVAL,
			     "accepted bad input #%zu: %s", i, bad[i]);
}

static void write_tmp(char *path, const char *text)
{
	int fd = mkstemp(path);

	igt_assert(fd >= 0);
	igt_assert_eq(write(fd, text, strlen(text)), (long long)strlen(text));
	close(fd);
}

static void unlink_path(void *path)
{
	unlink(path);
}

static void read_files(void)
{
	char num[] = "/tmp/vdgpu-selftest-XXXXXX";
	char junk[] = "/tmp/vdgpu-selftest-XXXXXX";
	char buf[8];
	uint64_t val;

	write_tmp(num, "256\n");
	igt_cleanup_push(unlink_path, num);
	write_tmp(junk, "12abc\n");
	igt_cleanup_push(unlink_path, junk);

	igt_assert_err(vdgpu_read_u64(num, &val), 0);
	igt_assert_eq_u64(val, 256);
	igt_assert_err(vdgpu_read_u64(junk, &val), -EINVAL);
	igt_assert_err(vdgpu_read_u64("/nonexistent/vdgpu", &val), -ENOENT);

	igt_assert_eq(vdgpu_read_file(num, buf, sizeof(buf)), 4);
	igt_assert_eq_str(buf, "256\n");
	igt_assert_err(vdgpu_read_file(junk, buf, 4), -EFBIG);
}

static void open_device(void)
{
	char path[64];
	int fd;

	igt_info("driver: %s\n", vdgpu_driver_name());
	fd = vdgpu_open(VDGPU_NODE_RENDER, path, sizeof(path));
	igt_info("opened %s\n", path);
	close(fd);
}

static const struct igt_subtest subtests[] = {
	{ "pass", pass, "Passes." },
	{ "fail-assert", fail_assert, "Fails an integer comparison." },
	{ "fail-errno", fail_errno, "Fails with errno set." },
	{ "skip-require", skip_require, "Skips through igt_require_f()." },
	{ "crash", crash, "Dies from a signal." },
	{ "cleanup-on-fail", cleanup_on_fail, "Fails with cleanups pending." },
	{ "cleanup-on-signal", crash_cleanup, "Killed with a cleanup pending." },
	{ "killed", killed, "Waits to be killed by selftest.sh." },
	{ "fresh-state-a", fresh_state, "Sees pristine globals." },
	{ "fresh-state-b", fresh_state, "Sees pristine globals too." },
	{ "warn", warn, "Passes with a warning on stderr." },
	{ "errno-names", errno_names, "Errno naming and igt_assert_err()." },
	{ "regions-parse", regions_parse, "Parser of the debugfs regions file." },
	{ "read-files", read_files, "sysfs style file readers." },
	{ "open-device", open_device, "Device filter and forced driver." },
};

int main(int argc, char **argv)
{
	return igt_run(argc, argv, "Self-test of the vdgpu IGT harness.",
		       subtests, ARRAY_SIZE(subtests));
}
