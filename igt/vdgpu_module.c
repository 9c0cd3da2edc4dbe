// SPDX-License-Identifier: GPL-2.0-only
/*
 * vdgpu_module: loading and unloading the vdgpu module.  Unloading takes
 * the device and its DRM nodes away and loading brings them back, again and
 * again, without leaking kernel memory; invalid parameters are refused with
 * -EINVAL and leave nothing behind; the parameters shape the device; and a
 * module with an open file cannot be unloaded.
 *
 * Every subtest changes global state: it unloads the module the machine
 * was set up with.  Each one therefore starts with vdgpu_kmod_prepare(),
 * which records the parameters the module is loaded with and registers a
 * cleanup handler that, whatever the outcome, closes the DRM files the
 * subtest holds and loads the module again with exactly those parameters.
 * The VM lane runs this binary last.
 *
 * The module is loaded with finit_module(2) from the file modules.dep
 * names for "vdgpu", through the helpers of lib/vdgpu_kmod.h, so that the
 * kernel's answer reaches the test unchanged; its dependencies (drm,
 * ttm...) stay loaded while vdgpu is out.  Needs root (CAP_SYS_MODULE).
 */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <xf86drm.h>

#include "vdgpu_igt.h"
#include "vdgpu_kmod.h"

static bool path_exists(const char *path)
{
	struct stat st;

	return !lstat(path, &st);
}

/*
 * Kernel log
 */

/* A /dev/kmsg reader positioned after everything logged so far. */
static int kmsg_open_at_end(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	igt_assert_f(fd >= 0, "cannot open /dev/kmsg: %s\n", strerror(errno));
	igt_assert(lseek(fd, 0, SEEK_END) >= 0);
	return fd;
}

/*
 * Read what was logged since kmsg_open_at_end(): every message at warning
 * level or worse (what igt_runner's --dmesg-warn-level 4 would flag) must
 * match @regex, and at least one must.  This checks the very regex given
 * to igt_emit_ignore_dmesg_regex(), so the test fails by itself if the
 * kernel says something else, or nothing.
 */
static void kmsg_expect_only(int fd, const char *regex)
{
	char rec[2048];
	regex_t re;
	int matched = 0;

	igt_assert(regcomp(&re, regex, REG_EXTENDED | REG_NOSUB) == 0);
	for (;;) {
		unsigned int prio;
		char *msg, *nl;
		ssize_t n;

		n = read(fd, rec, sizeof(rec) - 1);
		if (n < 0 && errno == EPIPE)	/* overwritten records */
			continue;
		if (n < 0 && errno == EAGAIN)
			break;
		igt_assert_f(n > 0, "reading /dev/kmsg: %s\n", strerror(errno));
		rec[n] = '\0';
		msg = strchr(rec, ';');
		if (sscanf(rec, "%u,", &prio) != 1 || !msg)
			continue;
		msg++;
		nl = strchr(msg, '\n');
		if (nl)
			*nl = '\0';
		if ((prio & 7) > 4)
			continue;
		igt_info("kernel <%u>: %s\n", prio & 7, msg);
		igt_assert_f(regexec(&re, msg, 0, NULL, 0) == 0,
			     "unexpected kernel message <%u> \"%s\", expected only /%s/\n",
			     prio & 7, msg, regex);
		matched++;
	}
	regfree(&re);
	close(fd);
	igt_assert_f(matched, "the kernel logged nothing matching /%s/\n", regex);
}

/*
 * Subtests
 */

/*
 * reload: with no file open, delete_module() unloads vdgpu: /sys/module/
 * vdgpu, the platform device vdgpu.0 and both DRM nodes (by path and by
 * any sysfs DRM entry bound to vdgpu) are gone.  finit_module() with the
 * parameters it had brings the device back: both nodes open and answer
 * DRM_IOCTL_VERSION as "vdgpu", and the parameters read back the same.
 */
static void test_reload(void)
{
	struct vdgpu_kmod_nodes nodes;

	vdgpu_kmod_prepare();
	vdgpu_kmod_check_device(&nodes);
	igt_info("nodes %s and %s\n", nodes.primary, nodes.render);

	vdgpu_kmod_unload(&nodes);
	vdgpu_kmod_load(vdgpu_kmod_saved_params(), NULL);
	vdgpu_kmod_assert_params(vdgpu_kmod_saved_params());
}

struct meminfo {
	long long available, sunreclaim, vmalloc, percpu;	/* KiB */
};

static void read_meminfo(struct meminfo *m)
{
	char line[256];
	FILE *f;

	memset(m, 0, sizeof(*m));
	m->vmalloc = m->percpu = -1;
	f = fopen("/proc/meminfo", "re");
	igt_assert(f);
	while (fgets(line, sizeof(line), f)) {
		sscanf(line, "MemAvailable: %lld", &m->available);
		sscanf(line, "SUnreclaim: %lld", &m->sunreclaim);
		sscanf(line, "VmallocUsed: %lld", &m->vmalloc);
		sscanf(line, "Percpu: %lld", &m->percpu);
	}
	fclose(f);
	igt_assert(m->available > 0 && m->sunreclaim > 0);
}

#define RELOAD_CYCLES		10
/* Growth allowed over all cycles, KiB. */
#define SUNRECLAIM_TOLERANCE	(4 * 1024)
#define AVAILABLE_TOLERANCE	(64 * 1024)

/*
 * reload-cycles: RELOAD_CYCLES unload/load cycles, each one checked as in
 * reload.  The kernel must not keep memory from one cycle to the next:
 * after a warm-up cycle (the first reload may populate caches), unreclaimable
 * slab (/proc/meminfo SUnreclaim) may grow by at most 4 MiB and
 * MemAvailable may drop by at most 64 MiB over all cycles.  That catches
 * anything of about 400 KiB of slab or 6.4 MiB of pages lost per cycle: the
 * emulated VRAM alone (at least 16 MiB) lost each time would exceed it.
 * Smaller leaks drown in the noise of the rest of the system (in the VM,
 * MemAvailable moves by some 20 MiB over a run, SUnreclaim by some 16 KiB).
 * VmallocUsed and Percpu are reported, not judged.  No timing is asserted.
 */
static void test_reload_cycles(void)
{
	struct meminfo before, after;
	int i;

	vdgpu_kmod_prepare();
	vdgpu_kmod_unload(NULL);
	vdgpu_kmod_load(vdgpu_kmod_saved_params(), NULL);

	read_meminfo(&before);
	for (i = 0; i < RELOAD_CYCLES; i++) {
		vdgpu_kmod_unload(NULL);
		vdgpu_kmod_load(vdgpu_kmod_saved_params(), NULL);
	}
	vdgpu_kmod_assert_params(vdgpu_kmod_saved_params());
	read_meminfo(&after);

	igt_info("after %d cycles (KiB): MemAvailable %lld -> %lld (%+lld), "
		 "SUnreclaim %lld -> %lld (%+lld), VmallocUsed %lld -> %lld (%+lld), "
		 "Percpu %lld -> %lld (%+lld)\n", RELOAD_CYCLES,
		 before.available, after.available, after.available - before.available,
		 before.sunreclaim, after.sunreclaim, after.sunreclaim - before.sunreclaim,
		 before.vmalloc, after.vmalloc, after.vmalloc - before.vmalloc,
		 before.percpu, after.percpu, after.percpu - before.percpu);
	igt_assert_lte(after.sunreclaim - before.sunreclaim, SUNRECLAIM_TOLERANCE);
	igt_assert_lte(before.available - after.available, AVAILABLE_TOLERANCE);
}

/*
 * load-bad-*: each invalid parameter set makes finit_module() fail with
 * -EINVAL and leaves no module, no platform device and no DRM node behind.
 * The kernel says why in one error-level line, which the subtest declares
 * to igt_runner beforehand (igt_emit_ignore_dmesg_regex()) and then checks:
 * every message of warning level or worse logged by the attempt matches
 * that regex, and one does.  vdgpu itself rejects out-of-range sizes
 * ("vdgpu: <param> ... is outside ..."); the kernel's parameter parser
 * rejects a value that is not a number before vdgpu's init runs.
 */
struct bad_load {
	const char *params;
	const char *regex;
};

static void test_bad_load(const struct bad_load *bad)
{
	int kmsg;

	vdgpu_kmod_prepare();
	vdgpu_kmod_unload(NULL);

	kmsg = kmsg_open_at_end();
	igt_emit_ignore_dmesg_regex(bad->regex);
	igt_info("loading with %s\n", bad->params);
	igt_assert_err(__vdgpu_kmod_load(bad->params), -EINVAL);
	vdgpu_kmod_assert_gone(NULL);
	kmsg_expect_only(kmsg, bad->regex);
}

#define BAD_LOAD(fn, p, r)						\
static void fn(void)							\
{									\
	static const struct bad_load bad = { p, r };			\
	test_bad_load(&bad);						\
}

/* Below the 16 MiB minimum. */
BAD_LOAD(test_load_bad_vram_too_small, "vram_size=8",
	 "^vdgpu: vram_size [0-9]+ bytes is outside .*$")
/* Above the 65536 MiB maximum. */
BAD_LOAD(test_load_bad_vram_too_large, "vram_size=65537",
	 "^vdgpu: vram_size [0-9]+ bytes is outside .*$")
/* A window larger than VRAM. */
BAD_LOAD(test_load_bad_visible_above_vram, "vram_size=64 visible_vram_size=128",
	 "^vdgpu: visible_vram_size [0-9]+ bytes is outside .*$")
/* A non-zero window below 16 MiB. */
BAD_LOAD(test_load_bad_visible_too_small, "visible_vram_size=8",
	 "^vdgpu: visible_vram_size [0-9]+ bytes is outside .*$")
/* Below the 16 MiB minimum. */
BAD_LOAD(test_load_bad_gart_too_small, "gart_size=1",
	 "^vdgpu: gart_size [0-9]+ bytes is outside .*$")
/* Not a number: refused by kernel/params.c's parse_args(). */
BAD_LOAD(test_load_bad_vram_not_a_number, "vram_size=lots",
	 "^vdgpu: `lots' invalid for parameter `vram_size'$")

#define SMALL_BAR_PARAMS	"vram_size=128 visible_vram_size=32 gart_size=64"

/*
 * load-small-bar: loaded with vram_size=128 visible_vram_size=32
 * gart_size=64, the parameters read back as given and the debugfs regions
 * file reports exactly that device: vram0 of 128 MiB with 32 MiB visible
 * to the CPU, and gtt of 64 MiB.
 */
static void test_load_small_bar(void)
{
	struct vdgpu_region r[VDGPU_MAX_REGIONS];
	const struct vdgpu_region *reg;
	int fd, n, i;

	vdgpu_kmod_prepare();
	vdgpu_kmod_unload(NULL);
	vdgpu_kmod_load(SMALL_BAR_PARAMS, NULL);

	igt_assert_eq(vdgpu_require_param_u64("vram_size"), 128);
	igt_assert_eq(vdgpu_require_param_u64("visible_vram_size"), 32);
	igt_assert_eq(vdgpu_require_param_u64("gart_size"), 64);

	fd = vdgpu_dev_open(VDGPU_KMOD_NAME, VDGPU_NODE_PRIMARY, NULL, 0);
	igt_assert_f(fd >= 0, "no primary node: %s\n", strerror(-fd));
	n = vdgpu_require_regions(fd, r, ARRAY_SIZE(r));
	for (i = 0; i < n; i++)
		igt_info("region %s: type %s, total %llu, visible %llu\n",
			 r[i].name, r[i].type, (unsigned long long)r[i].total,
			 (unsigned long long)r[i].visible);

	reg = vdgpu_region_find(r, n, "vram0");
	igt_assert_f(reg, "no vram0 region\n");
	igt_assert_eq_u64(reg->total, 128 * VDGPU_MIB);
	igt_assert_eq_u64(reg->visible, 32 * VDGPU_MIB);
	reg = vdgpu_region_find(r, n, "gtt");
	igt_assert_f(reg, "no gtt region\n");
	igt_assert_eq_u64(reg->total, 64 * VDGPU_MIB);
	close(fd);
}

/*
 * unload-busy-with-open-file: while a primary or a render node is open,
 * delete_module(O_NONBLOCK) fails with EWOULDBLOCK (EAGAIN): the DRM file
 * holds a module reference and 6.12's try_stop_module() refuses to unload
 * a module in use.  The module and its device stay, and both the open file
 * and a newly opened one answer DRM_IOCTL_VERSION.  Once the file is closed
 * the unload succeeds and takes the device away.
 */
static void test_unload_busy_with_open_file(void)
{
	struct vdgpu_kmod_nodes nodes;
	drmVersionPtr v;
	int type, fd;

	vdgpu_kmod_prepare();
	vdgpu_kmod_check_device(&nodes);

	for (type = VDGPU_NODE_PRIMARY; type <= VDGPU_NODE_RENDER; type++) {
		const char *path = type == VDGPU_NODE_RENDER ? nodes.render : nodes.primary;

		fd = open(path, O_RDWR | O_CLOEXEC);
		igt_assert_f(fd >= 0, "open %s: %s\n", path, strerror(errno));

		igt_assert_err(__vdgpu_kmod_unload(), -EWOULDBLOCK);
		igt_assert(vdgpu_kmod_loaded());
		igt_assert(path_exists(VDGPU_KMOD_PLATFORM_DEVICE));
		v = drmGetVersion(fd);
		igt_assert_f(v, "DRM_IOCTL_VERSION on the open %s failed\n", path);
		igt_assert_eq_str(v->name, VDGPU_KMOD_NAME);
		drmFreeVersion(v);
		vdgpu_kmod_check_device(NULL);

		close(fd);
		igt_info("%s open: unload refused with EWOULDBLOCK\n", path);
	}

	igt_assert_err(__vdgpu_kmod_unload(), 0);
	vdgpu_kmod_assert_gone(&nodes);
}

static const struct igt_subtest subtests[] = {
	{ "reload", test_reload,
	  "Unloading removes the device and its nodes, loading brings them back." },
	{ "reload-cycles", test_reload_cycles,
	  "Repeated unload/load cycles work and do not leak kernel memory." },
	{ "load-bad-vram-too-small", test_load_bad_vram_too_small,
	  "vram_size=8 is refused with EINVAL and leaves nothing behind." },
	{ "load-bad-vram-too-large", test_load_bad_vram_too_large,
	  "vram_size=65537 is refused with EINVAL and leaves nothing behind." },
	{ "load-bad-visible-above-vram", test_load_bad_visible_above_vram,
	  "A visible window larger than VRAM is refused with EINVAL." },
	{ "load-bad-visible-too-small", test_load_bad_visible_too_small,
	  "visible_vram_size=8 is refused with EINVAL and leaves nothing behind." },
	{ "load-bad-gart-too-small", test_load_bad_gart_too_small,
	  "gart_size=1 is refused with EINVAL and leaves nothing behind." },
	{ "load-bad-vram-not-a-number", test_load_bad_vram_not_a_number,
	  "A non-numeric vram_size is refused with EINVAL and leaves nothing behind." },
	{ "load-small-bar", test_load_small_bar,
	  "A small-BAR configuration is what the regions file reports." },
	{ "unload-busy-with-open-file", test_unload_busy_with_open_file,
	  "An open DRM file keeps the module from unloading." },
};

int main(int argc, char **argv)
{
	return igt_run(argc, argv,
		       "Loading and unloading the vdgpu module: reload, leaks, "
		       "invalid parameters, small BAR, busy unload.",
		       subtests, ARRAY_SIZE(subtests));
}
