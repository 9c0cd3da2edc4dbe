// SPDX-License-Identifier: GPL-2.0-only
/*
 * vdgpu_module: loading and unloading the vdgpu module.  Unloading takes
 * the device and its DRM nodes away and loading brings them back, again and
 * again, without leaking kernel memory; invalid parameters are refused with
 * -EINVAL and leave nothing behind; the parameters shape the device; and a
 * module with an open file cannot be unloaded.
 *
 * Every subtest changes global state: it unloads the module the machine
 * was set up with.  Each one therefore starts by recording the parameters
 * the module is loaded with and registers a cleanup handler that, whatever
 * the outcome, closes the DRM files the subtest holds and loads the module
 * again with exactly those parameters.  The VM lane runs this binary last.
 *
 * The module is loaded with finit_module(2) from the file modules.dep
 * names for "vdgpu" (what "modinfo -n vdgpu" prints), so that the kernel's
 * answer reaches the test unchanged; its dependencies (drm, ttm...) stay
 * loaded while vdgpu is out.  Needs root (CAP_SYS_MODULE).
 */

#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include <xf86drm.h>

#include "vdgpu_igt.h"

#ifndef MODULE_INIT_COMPRESSED_FILE
#define MODULE_INIT_COMPRESSED_FILE	4
#endif

#define MODULE_NAME		"vdgpu"
#define SYS_MODULE_DIR		"/sys/module/" MODULE_NAME
#define PLATFORM_DEVICE		"/sys/bus/platform/devices/vdgpu.0"
#define SYS_CLASS_DRM		"/sys/class/drm"

/* How long the kernel may take to settle after a load or an unload. */
#define SETTLE_MS		10000

/* The module under test and the parameters to put back. */
static struct {
	char path[PATH_MAX];
	unsigned int flags;	/* finit_module() flags for the file */
	char params[1024];	/* "name=value ..." as found at the start */
} mod;

/*
 * Module helpers
 */

static int __delete_module(void)
{
	return syscall(SYS_delete_module, MODULE_NAME, O_NONBLOCK) ? -errno : 0;
}

static int __finit_module(const char *params)
{
	int fd, ret;

	fd = open(mod.path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = syscall(SYS_finit_module, fd, params, mod.flags) ? -errno : 0;
	close(fd);
	return ret;
}

static bool module_loaded(void)
{
	struct stat st;

	return !stat(SYS_MODULE_DIR, &st);
}

static bool path_exists(const char *path)
{
	struct stat st;

	return !lstat(path, &st);
}

static void sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/*
 * The current parameters as one "name=value ..." string, sorted by name,
 * which is both what finit_module() takes and what we compare.
 */
static int read_params(char *buf, size_t len)
{
	char *names[32], value[256], path[PATH_MAX];
	size_t n = 0, used = 0, i;
	struct dirent *de;
	int ret = 0;
	DIR *dir;

	dir = opendir(VDGPU_MODULE_PARAM_DIR);
	if (!dir)
		return -errno;
	while ((de = readdir(dir))) {
		if (de->d_name[0] == '.')
			continue;
		if (n == ARRAY_SIZE(names)) {
			ret = -E2BIG;
			break;
		}
		names[n++] = strdup(de->d_name);
	}
	closedir(dir);
	qsort(names, n, sizeof(*names), cmp_str);

	buf[0] = '\0';
	for (i = 0; i < n; i++) {
		int w;

		if (!ret) {
			snprintf(path, sizeof(path), "%s/%s",
				 VDGPU_MODULE_PARAM_DIR, names[i]);
			ret = vdgpu_read_file(path, value, sizeof(value));
			ret = ret < 0 ? ret : 0;
		}
		if (!ret) {
			value[strcspn(value, "\n")] = '\0';
			w = snprintf(buf + used, len - used, "%s%s=%s",
				     used ? " " : "", names[i], value);
			if (w < 0 || (size_t)w >= len - used)
				ret = -ENOSPC;
			else
				used += w;
		}
		free(names[i]);
	}
	return ret;
}

/* The file modules.dep names for vdgpu, relative to /lib/modules/<release>. */
static int find_module_file(void)
{
	char dir[128], dep[160], *line = NULL;
	size_t cap = 0;
	struct utsname u;
	ssize_t n;
	FILE *f;

	igt_assert(uname(&u) == 0);
	snprintf(dir, sizeof(dir), "/lib/modules/%s", u.release);
	snprintf(dep, sizeof(dep), "%s/modules.dep", dir);

	mod.path[0] = '\0';
	f = fopen(dep, "re");
	if (f) {
		while ((n = getline(&line, &cap, f)) > 0) {
			char *colon = strchr(line, ':'), *base, *ext;

			if (!colon)
				continue;
			*colon = '\0';
			base = strrchr(line, '/');
			base = base ? base + 1 : line;
			ext = strstr(base, ".ko");
			if (!ext || (size_t)(ext - base) != strlen(MODULE_NAME) ||
			    strncmp(base, MODULE_NAME, ext - base))
				continue;
			if ((size_t)snprintf(mod.path, sizeof(mod.path), "%s%s%s",
					     line[0] == '/' ? "" : dir,
					     line[0] == '/' ? "" : "/",
					     line) >= sizeof(mod.path))
				mod.path[0] = '\0';
			break;
		}
		free(line);
		fclose(f);
	}
	if (!mod.path[0])
		snprintf(mod.path, sizeof(mod.path), "%s/extra/%s.ko", dir,
			 MODULE_NAME);
	if (!path_exists(mod.path))
		return -ENOENT;

	/* A compressed module is decompressed by the kernel, if it can. */
	n = strlen(mod.path);
	mod.flags = (n > 3 && strcmp(mod.path + n - 3, ".ko") != 0) ?
		    MODULE_INIT_COMPRESSED_FILE : 0;
	return 0;
}

/*
 * DRM nodes and devices
 */

/* Number of /sys/class/drm entries (cardN, renderDN) driven by vdgpu. */
static int count_vdgpu_nodes(void)
{
	char link[PATH_MAX], target[PATH_MAX];
	struct dirent *de;
	int count = 0;
	ssize_t n;
	DIR *dir;

	dir = opendir(SYS_CLASS_DRM);
	if (!dir)
		return 0;
	while ((de = readdir(dir))) {
		const char *base;

		if (strncmp(de->d_name, "card", 4) && strncmp(de->d_name, "render", 6))
			continue;
		if (strchr(de->d_name, '-'))	/* connectors */
			continue;
		snprintf(link, sizeof(link), "%s/%s/device/driver",
			 SYS_CLASS_DRM, de->d_name);
		n = readlink(link, target, sizeof(target) - 1);
		if (n < 0)
			continue;
		target[n] = '\0';
		base = strrchr(target, '/');
		base = base ? base + 1 : target;
		if (!strcmp(base, MODULE_NAME)) {
			igt_debug("%s is a vdgpu node\n", de->d_name);
			count++;
		}
	}
	closedir(dir);
	return count;
}

struct nodes {
	char primary[PATH_MAX];
	char render[PATH_MAX];
};

/* Open both nodes, check they answer, remember their paths, close them. */
static void check_device(struct nodes *nodes)
{
	struct nodes local;
	drmVersionPtr v;
	int fd, type;

	if (!nodes)
		nodes = &local;
	for (type = VDGPU_NODE_PRIMARY; type <= VDGPU_NODE_RENDER; type++) {
		char *path = type == VDGPU_NODE_RENDER ? nodes->render : nodes->primary;

		fd = vdgpu_dev_open(MODULE_NAME, type, path, PATH_MAX);
		igt_assert_f(fd >= 0, "no vdgpu %s node: %s\n",
			     type == VDGPU_NODE_RENDER ? "render" : "primary",
			     strerror(-fd));
		v = drmGetVersion(fd);
		igt_assert_f(v, "DRM_IOCTL_VERSION on %s failed\n", path);
		igt_assert_eq_str(v->name, MODULE_NAME);
		drmFreeVersion(v);
		close(fd);
	}
}

/* After a load: wait for the device to show up, then check it. */
static void wait_device(struct nodes *nodes)
{
	unsigned int ms;
	int fd = -ENODEV;

	for (ms = 0; ms < SETTLE_MS; ms += 50) {
		fd = vdgpu_dev_open(MODULE_NAME, VDGPU_NODE_RENDER, NULL, 0);
		if (fd >= 0)
			break;
		sleep_ms(50);
	}
	igt_assert_f(fd >= 0, "vdgpu loaded but no render node after %u ms\n",
		     SETTLE_MS);
	close(fd);
	check_device(nodes);
}

/*
 * After an unload or a failed load: no module, no platform device, no DRM
 * node of vdgpu, and none of the node paths in @nodes.
 */
static void assert_gone(const struct nodes *nodes)
{
	unsigned int ms;
	bool gone = false;

	for (ms = 0; ms < SETTLE_MS && !gone; ms += 50) {
		gone = !module_loaded() && !path_exists(PLATFORM_DEVICE) &&
		       !count_vdgpu_nodes() &&
		       (!nodes || (!path_exists(nodes->primary) &&
				   !path_exists(nodes->render)));
		if (!gone)
			sleep_ms(50);
	}
	igt_assert_f(!module_loaded(), "%s still exists\n", SYS_MODULE_DIR);
	igt_assert_f(!path_exists(PLATFORM_DEVICE), "%s still exists\n",
		     PLATFORM_DEVICE);
	igt_assert_eq(count_vdgpu_nodes(), 0);
	igt_assert_err(vdgpu_dev_open(MODULE_NAME, VDGPU_NODE_RENDER, NULL, 0),
		       -ENODEV);
	if (nodes) {
		igt_assert_f(!path_exists(nodes->primary), "%s still exists\n",
			     nodes->primary);
		igt_assert_f(!path_exists(nodes->render), "%s still exists\n",
			     nodes->render);
	}
}

/* Close every DRM file of this process, so that the module can go. */
static void close_drm_files(void)
{
	char link[64], target[PATH_MAX];
	struct dirent *de;
	ssize_t n;
	DIR *dir;

	dir = opendir("/proc/self/fd");
	if (!dir)
		return;
	while ((de = readdir(dir))) {
		int fd = atoi(de->d_name);

		if (!isdigit((unsigned char)de->d_name[0]) || fd == dirfd(dir))
			continue;
		snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
		n = readlink(link, target, sizeof(target) - 1);
		if (n < 0)
			continue;
		target[n] = '\0';
		if (!strncmp(target, VDGPU_DRI_DIR "/", strlen(VDGPU_DRI_DIR) + 1))
			close(fd);
	}
	closedir(dir);
}

/* Unload, retrying briefly if someone else holds the module for a moment. */
static int unload(void)
{
	unsigned int ms;
	int ret;

	for (ms = 0;; ms += 100) {
		ret = __delete_module();
		if (ret != -EWOULDBLOCK || ms >= SETTLE_MS)
			return ret;
		sleep_ms(100);
	}
}

static void unload_checked(const struct nodes *nodes)
{
	igt_assert_err(unload(), 0);
	assert_gone(nodes);
}

static void load_checked(const char *params, struct nodes *nodes)
{
	igt_debug("loading %s %s\n", mod.path, params);
	igt_assert_err(__finit_module(params), 0);
	wait_device(nodes);
}

static void assert_params(const char *expected)
{
	char now[sizeof(mod.params)];

	igt_assert_err(read_params(now, sizeof(now)), 0);
	igt_assert_eq_str(now, expected);
}

/*
 * Cleanup handler of every subtest: leave vdgpu loaded with the parameters
 * it had when the subtest started, whatever state the subtest left.
 */
static void restore_module(void *data)
{
	char now[sizeof(mod.params)] = "";

	(void)data;
	close_drm_files();
	if (module_loaded()) {
		if (!read_params(now, sizeof(now)) && !strcmp(now, mod.params) &&
		    path_exists(PLATFORM_DEVICE) && count_vdgpu_nodes() > 0)
			return;
		igt_info("restore: unloading vdgpu (%s)\n", now);
		igt_assert_err(unload(), 0);
		assert_gone(NULL);
	}
	igt_info("restore: loading vdgpu %s\n", mod.params);
	load_checked(mod.params, NULL);
	assert_params(mod.params);
}

/*
 * Common start of a subtest: skips unless we are root on a machine with
 * vdgpu loaded and its module file installed; records the parameters and
 * registers restore_module().
 */
static void prepare(void)
{
	int fd, ret;

	igt_require_f(!strcmp(vdgpu_driver_name(), MODULE_NAME),
		      "Module tests are for vdgpu, not IGT_FORCE_DRIVER=%s\n",
		      vdgpu_driver_name());
	igt_require_f(geteuid() == 0, "Loading modules needs root\n");
	igt_require_f(module_loaded(), "Module vdgpu is not loaded\n");
	fd = vdgpu_open_render();	/* skips without a device */
	close(fd);

	ret = find_module_file();
	igt_require_f(ret == 0, "No vdgpu module file (tried %s)\n", mod.path);
	igt_assert_err(read_params(mod.params, sizeof(mod.params)), 0);
	igt_info("module %s, loaded with: %s\n", mod.path, mod.params);

	igt_cleanup_push(restore_module, NULL);
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
	struct nodes nodes;

	prepare();
	check_device(&nodes);
	igt_info("nodes %s and %s\n", nodes.primary, nodes.render);

	unload_checked(&nodes);
	load_checked(mod.params, NULL);
	assert_params(mod.params);
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

	prepare();
	unload_checked(NULL);
	load_checked(mod.params, NULL);

	read_meminfo(&before);
	for (i = 0; i < RELOAD_CYCLES; i++) {
		unload_checked(NULL);
		load_checked(mod.params, NULL);
	}
	assert_params(mod.params);
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

	prepare();
	unload_checked(NULL);

	kmsg = kmsg_open_at_end();
	igt_emit_ignore_dmesg_regex(bad->regex);
	igt_info("loading with %s\n", bad->params);
	igt_assert_err(__finit_module(bad->params), -EINVAL);
	assert_gone(NULL);
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

	prepare();
	unload_checked(NULL);
	load_checked(SMALL_BAR_PARAMS, NULL);

	igt_assert_eq(vdgpu_require_param_u64("vram_size"), 128);
	igt_assert_eq(vdgpu_require_param_u64("visible_vram_size"), 32);
	igt_assert_eq(vdgpu_require_param_u64("gart_size"), 64);

	fd = vdgpu_dev_open(MODULE_NAME, VDGPU_NODE_PRIMARY, NULL, 0);
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
	struct nodes nodes;
	drmVersionPtr v;
	int type, fd;

	prepare();
	check_device(&nodes);

	for (type = VDGPU_NODE_PRIMARY; type <= VDGPU_NODE_RENDER; type++) {
		const char *path = type == VDGPU_NODE_RENDER ? nodes.render : nodes.primary;

		fd = open(path, O_RDWR | O_CLOEXEC);
		igt_assert_f(fd >= 0, "open %s: %s\n", path, strerror(errno));

		igt_assert_err(__delete_module(), -EWOULDBLOCK);
		igt_assert(module_loaded());
		igt_assert(path_exists(PLATFORM_DEVICE));
		v = drmGetVersion(fd);
		igt_assert_f(v, "DRM_IOCTL_VERSION on the open %s failed\n", path);
		igt_assert_eq_str(v->name, MODULE_NAME);
		drmFreeVersion(v);
		check_device(NULL);

		close(fd);
		igt_info("%s open: unload refused with EWOULDBLOCK\n", path);
	}

	igt_assert_err(__delete_module(), 0);
	assert_gone(&nodes);
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
