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
#include <glob.h>
#include <inttypes.h>
#include <poll.h>
#include <pthread.h>
#include <regex.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <linux/sync_file.h>
#include <xf86drm.h>
#include <drm_mode.h>
#include <drm/vdgpu_drm.h>

#include "igt_syncobj.h"
#include "vdgpu_gem.h"
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

/*
 * Busy devices
 *
 * A busy device has everything a client can hold on to: files on both
 * nodes, objects in every region with live CPU mappings, VMs with
 * bindings, exec queues with batches pending (one running on the compute
 * engine, WAITing for a dword nobody writes, and one queued behind it),
 * their out-fences exported as sync_files, a dma-buf exported, mapped
 * and imported by vgem after its GEM handle was closed, 128 MiB of new VRAM
 * objects the copy engines are still clearing, a DONTNEED object, an
 * object of vgem's imported and bound into a VM, and a thread blocked in
 * GEM_WAIT.
 */

#define BUSY_BO_SIZE		(1024 * 1024)
/* The part of each object the CPU checks; batches and the flag come before. */
#define BUSY_CHECK_OFFSET	(256 * 1024)
#define BUSY_BATCH_OFFSET	(64 * 1024)
#define BUSY_DATA_VA		(1ull << 30)	/* the GTT object, flag first */
#define BUSY_VRAM_VA		(2ull << 30)	/* the VRAM object */
#define BUSY_IMPORT_VA		(3ull << 30)	/* vgem's object */
#define BUSY_VA_NEEDED		(4ull << 30)
#define BUSY_FENCE_MS		10000
/* VRAM objects created just before the unbind, cleared by the copy engines. */
#define BUSY_NUM_CLEARS		4
#define BUSY_CLEAR_SIZE		(32 * 1024 * 1024)

/*
 * Batch commands, from the hardware manual (vdgpu_regs.h, DOC "Batches"):
 * opcode in [31:24] of the header dword, payload length in [15:0].
 */
#define BATCH_HDR(op, len)	((uint32_t)(op) << 24 | (uint32_t)(len))
#define BATCH_STORE_DWORD	BATCH_HDR(0x06, 3)	/* addr lo/hi, value */
#define BATCH_WAIT		BATCH_HDR(0x08, 4)	/* addr lo/hi, value, mask */

enum { BUSY_SYSTEM, BUSY_GTT, BUSY_VRAM, BUSY_NUM_BOS };

static const uint32_t busy_regions[BUSY_NUM_BOS] = {
	[BUSY_SYSTEM] = DRM_VDGPU_REGION_SYSTEM,
	[BUSY_GTT] = DRM_VDGPU_REGION_GTT,
	[BUSY_VRAM] = DRM_VDGPU_REGION_VRAM0,
};

struct busy_file {
	int fd;
	uint32_t handle[BUSY_NUM_BOS];
	uint32_t *map[BUSY_NUM_BOS];
	uint64_t offset[BUSY_NUM_BOS];	/* their mmap offsets */
	uint32_t pattern;
	uint32_t vm, queue;
	int fence[2];		/* sync_files: the WAITing batch, the one behind */
};

/* A thread blocked in GEM_WAIT on a busy object when the device goes. */
struct busy_waiter {
	pthread_t thread;
	int fd;
	uint32_t handle;
	int ret;
};

struct busy {
	struct busy_file file[2];	/* primary, render */
	struct busy_waiter waiter;
	int dmabuf;			/* its GEM handle closed */
	uint32_t *dmabuf_map;
	uint32_t dmabuf_pattern;
	int vgem;
	uint32_t vgem_handle;		/* vgem's import of @dmabuf */
};

/* What a fresh device reports: compared after every cycle. */
struct fresh {
	uint64_t used[BUSY_NUM_BOS];
	long long ttm_bos;		/* -1 without TTM's debugfs */
};

static void fill(uint32_t *p, size_t bytes, uint32_t pattern)
{
	size_t i;

	for (i = 0; i < bytes / 4; i++)
		p[i] = pattern ^ (uint32_t)i;
}

/* Index of the first dword of @p that is not what fill() wrote, or -1. */
static long mismatch(const uint32_t *p, size_t bytes, uint32_t pattern)
{
	size_t i;

	for (i = 0; i < bytes / 4; i++)
		if (p[i] != (pattern ^ (uint32_t)i))
			return i;
	return -1;
}

/*
 * A sigsetjmp() guarded read, so that a mapping that raises SIGBUS after
 * the unplug is told apart from one that reads.
 */
static sigjmp_buf probe_env;

static void probe_sigbus(int sig)
{
	(void)sig;
	siglongjmp(probe_env, 1);
}

/*
 * Read the dword at @p into *@val, or write *@val there (@write): 0, or
 * -EFAULT on SIGBUS.
 */
static int probe(volatile uint32_t *p, uint32_t *val, bool write)
{
	struct sigaction sa = { .sa_handler = probe_sigbus }, old;
	int ret = 0;

	sigaction(SIGBUS, &sa, &old);
	if (sigsetjmp(probe_env, 1))
		ret = -EFAULT;
	else if (write)
		*p = *val;
	else
		*val = *p;
	sigaction(SIGBUS, &old, NULL);
	return ret;
}

static long long read_ttm_bos(void)
{
	uint64_t n;

	if (vdgpu_read_u64(VDGPU_DEBUGFS_ROOT "/ttm/buffer_objects", &n))
		return -1;
	return n;
}

static void read_fresh(struct fresh *f)
{
	int fd = vdgpu_open_render(), i;

	for (i = 0; i < BUSY_NUM_BOS; i++)
		f->used[i] = vdgpu_region_used(fd, busy_regions[i]);
	close(fd);
	f->ttm_bos = read_ttm_bos();
}

/*
 * Once every file, mapping and dma-buf of the old device is gone, the old
 * device is released (no task stays inside drm_dev_release()) and its
 * objects are freed (TTM may finish that from a worker): TTM's count of
 * buffer objects of all devices, and the regions' usage of the new one,
 * are what a fresh device shows.
 */
/*
 * The pid of a task whose kernel stack (/proc/PID/task/TID/stack) shows
 * it inside the release of a DRM device, or 0.  A device that cannot
 * finish its release leaves a worker blocked there for good.
 */
static int task_in_drm_release(void)
{
	glob_t g;
	size_t i;
	int pid = 0;

	if (glob("/proc/[0-9]*/task/[0-9]*/stack", 0, NULL, &g))
		return 0;
	for (i = 0; i < g.gl_pathc && !pid; i++) {
		char buf[8192];

		/* drm_dev_release() may be inlined into drm_dev_put(). */
		if (vdgpu_read_file(g.gl_pathv[i], buf, sizeof(buf)) > 0 &&
		    (strstr(buf, "drm_dev_release") ||
		     strstr(buf, "drm_managed_release")))
			sscanf(g.gl_pathv[i], "/proc/%d", &pid);
	}
	globfree(&g);
	return pid;
}

static void assert_fresh(const struct fresh *want)
{
	struct fresh now;
	unsigned int ms;
	int i, pid;

	for (ms = 0;; ms += 50) {
		pid = task_in_drm_release();
		if (!pid || ms >= VDGPU_KMOD_SETTLE_MS)
			break;
		usleep(50 * 1000);
	}
	igt_assert_f(!pid, "task %d is still inside a DRM device's release %d ms after the last close\n",
		     pid, VDGPU_KMOD_SETTLE_MS);

	for (ms = 0;; ms += 50) {
		read_fresh(&now);
		if (now.ttm_bos == want->ttm_bos || ms >= VDGPU_KMOD_SETTLE_MS)
			break;
		usleep(50 * 1000);
	}
	igt_assert_f(now.ttm_bos == want->ttm_bos,
		     "TTM holds %lld buffer objects, %lld on a fresh device\n",
		     now.ttm_bos, want->ttm_bos);
	for (i = 0; i < BUSY_NUM_BOS; i++)
		igt_assert_f(now.used[i] == want->used[i],
			     "%s: %" PRIu64 " bytes used, %" PRIu64 " on a fresh device\n",
			     vdgpu_region_name(busy_regions[i]), now.used[i],
			     want->used[i]);
}

static void emit(uint32_t **p, uint32_t dw)
{
	*(*p)++ = dw;
}

/*
 * Batch at BUSY_BATCH_OFFSET + @slot KiB of the GTT object: WAIT for the
 * flag to read 1 (if @wait), then store @value at @store_va.  Returns its
 * length in bytes.
 */
static uint32_t busy_batch(struct busy_file *f, unsigned int slot, bool wait,
			   uint64_t store_va, uint32_t value)
{
	uint32_t *start = f->map[BUSY_GTT] + (BUSY_BATCH_OFFSET + slot * 1024) / 4;
	uint32_t *p = start;

	if (wait) {
		emit(&p, BATCH_WAIT);
		emit(&p, (uint32_t)BUSY_DATA_VA);
		emit(&p, (uint32_t)(BUSY_DATA_VA >> 32));
		emit(&p, 1);
		emit(&p, ~0u);
	}
	emit(&p, BATCH_STORE_DWORD);
	emit(&p, (uint32_t)store_va);
	emit(&p, (uint32_t)(store_va >> 32));
	emit(&p, value);
	__sync_synchronize();
	return (p - start) * 4;
}

/* Submit a batch of @f's queue; its out-fence as a sync_file. */
static int busy_submit(struct busy_file *f, unsigned int slot, bool wait,
		       uint64_t store_va, uint32_t value,
		       const uint32_t *handles, uint32_t num_handles)
{
	uint32_t len = busy_batch(f, slot, wait, store_va, value);
	uint32_t out = syncobj_create(f->fd, 0);
	struct drm_vdgpu_sync s = {
		.flags = DRM_VDGPU_SYNC_SIGNAL,
		.handle = out,
	};
	int sync_file;

	vdgpu_exec(f->fd, f->queue,
		   num_handles ? DRM_VDGPU_EXEC_IMPLICIT_SYNC : 0,
		   BUSY_DATA_VA + BUSY_BATCH_OFFSET + slot * 1024, len, &s, 1,
		   handles, num_handles);
	igt_assert_err(__syncobj_export_sync_file(f->fd, out, &sync_file), 0);
	syncobj_destroy(f->fd, out);
	return sync_file;
}

/* 1 signalled, 0 pending, or the error the fence of @sync_file has. */
static int sync_file_status(int sync_file)
{
	struct sync_file_info info = {};

	igt_assert_eq(ioctl(sync_file, SYNC_IOC_FILE_INFO, &info), 0);
	return info.status;
}

static void busy_file_open(struct busy_file *f, enum vdgpu_node_type type,
			   uint32_t pattern)
{
	struct drm_vdgpu_query_device dev;
	int i;

	f->fd = vdgpu_dev_open(VDGPU_KMOD_NAME, type, NULL, 0);
	igt_assert_f(f->fd >= 0, "no vdgpu node: %s\n", strerror(-f->fd));
	vdgpu_require_exec(f->fd);
	vdgpu_query_device(f->fd, &dev);
	igt_require_f(dev.va_kernel_start >= BUSY_VA_NEEDED,
		      "va_kernel_start %#llx is below the VA this test maps\n",
		      (unsigned long long)dev.va_kernel_start);
	f->pattern = pattern;

	/* An object in every region, written and read back through its map. */
	for (i = 0; i < BUSY_NUM_BOS; i++) {
		f->handle[i] = vdgpu_gem_create_in(f->fd, BUSY_BO_SIZE,
						   busy_regions[i],
						   i == BUSY_VRAM ?
						   DRM_VDGPU_GEM_CREATE_CPU_ACCESS : 0);
		f->map[i] = vdgpu_gem_mmap(f->fd, f->handle[i], BUSY_BO_SIZE);
		f->offset[i] = vdgpu_gem_mmap_offset(f->fd, f->handle[i]);
		fill(f->map[i], BUSY_BO_SIZE, pattern + i);
		igt_assert_eq(mismatch(f->map[i], BUSY_BO_SIZE, pattern + i), -1);
	}
	f->map[BUSY_GTT][0] = 0;	/* the flag */

	/* A VM with the GTT and the VRAM object bound, and a queue. */
	f->vm = vdgpu_vm_create(f->fd);
	vdgpu_vm_map(f->fd, f->vm, f->handle[BUSY_GTT], 0, BUSY_DATA_VA,
		     BUSY_BO_SIZE, 0);
	vdgpu_vm_map(f->fd, f->vm, f->handle[BUSY_VRAM], 0, BUSY_VRAM_VA,
		     BUSY_BO_SIZE, 0);
	f->queue = vdgpu_exec_queue_create(f->fd, f->vm);
}

/* Two batches: one WAITing for a flag nobody sets, one queued behind it. */
static void busy_file_submit(struct busy_file *f, const uint32_t *handles,
			     uint32_t num_handles)
{
	f->fence[0] = busy_submit(f, 0, true, BUSY_VRAM_VA, 0x600d, handles,
				  num_handles);
	f->fence[1] = busy_submit(f, 1, false, BUSY_VRAM_VA + 4, 0x600e,
				  NULL, 0);
}

static void *busy_wait_thread(void *data)
{
	struct busy_waiter *w = data;

	w->ret = __vdgpu_gem_wait(w->fd, w->handle,
				  vdgpu_now_ns() + 60ll * 1000 * 1000 * 1000);
	return NULL;
}

/*
 * Make the device busy.  Patterns differ per cycle, file and region, so
 * that a mapping still reaching VRAM after a rebind is caught reading what
 * someone else wrote.
 */
static void busy_start(struct busy *b, uint32_t pattern)
{
	uint32_t regions[] = { DRM_VDGPU_REGION_VRAM0, DRM_VDGPU_REGION_GTT };
	struct drm_mode_create_dumb dumb = {
		.width = 1024, .height = BUSY_BO_SIZE / 4096, .bpp = 32,
	};
	uint32_t handle, import;
	int i, dmabuf;

	memset(b, 0, sizeof(*b));
	b->file[0].fd = b->file[1].fd = b->dmabuf = b->vgem = -1;
	for (i = 0; i < 2; i++)
		b->file[i].fence[0] = b->file[i].fence[1] = -1;
	b->vgem = vdgpu_open_vgem();

	busy_file_open(&b->file[0], VDGPU_NODE_PRIMARY, pattern);
	busy_file_open(&b->file[1], VDGPU_NODE_RENDER, pattern + 0x100);

	/* A dma-buf whose object only it and vgem hold, busy with a batch. */
	handle = vdgpu_gem_create(b->file[1].fd, BUSY_BO_SIZE, regions,
				  ARRAY_SIZE(regions),
				  DRM_VDGPU_GEM_CREATE_CPU_ACCESS);
	igt_assert_eq(drmPrimeHandleToFD(b->file[1].fd, handle,
					 DRM_CLOEXEC | DRM_RDWR, &b->dmabuf), 0);
	b->dmabuf_map = mmap(NULL, BUSY_BO_SIZE, PROT_READ | PROT_WRITE,
			     MAP_SHARED, b->dmabuf, 0);
	igt_assert(b->dmabuf_map != MAP_FAILED);
	b->dmabuf_pattern = pattern + 0x200;
	fill(b->dmabuf_map, BUSY_BO_SIZE, b->dmabuf_pattern);
	igt_assert_eq(drmPrimeFDToHandle(b->vgem, b->dmabuf, &b->vgem_handle), 0);

	/*
	 * An object of vgem's, imported and bound into the render file's VM
	 * (before the batches: a synchronous bind waits for the VM's work).
	 */
	igt_assert_eq(drmIoctl(b->vgem, DRM_IOCTL_MODE_CREATE_DUMB, &dumb), 0);
	igt_assert_eq(drmPrimeHandleToFD(b->vgem, dumb.handle, DRM_CLOEXEC,
					 &dmabuf), 0);
	igt_assert_eq(drmPrimeFDToHandle(b->file[1].fd, dmabuf, &import), 0);
	close(dmabuf);
	vdgpu_vm_map(b->file[1].fd, b->file[1].vm, import, 0, BUSY_IMPORT_VA,
		     dumb.size, 0);

	busy_file_submit(&b->file[0], NULL, 0);
	busy_file_submit(&b->file[1], &handle, 1);
	gem_close(b->file[1].fd, handle);

	/*
	 * Copy-engine work in flight at the unbind: large VRAM objects,
	 * whose memory the copy engines clear before first use.
	 */
	for (i = 0; i < BUSY_NUM_CLEARS; i++)
		vdgpu_gem_create_in(b->file[1].fd, BUSY_CLEAR_SIZE,
				    DRM_VDGPU_REGION_VRAM0, 0);

	/* Something for the shrinker to purge once the device is gone. */
	vdgpu_gem_madvise(b->file[0].fd, b->file[0].handle[BUSY_SYSTEM],
			  DRM_VDGPU_MADV_DONTNEED);

	/* The VRAM object carries the WAITing batch's fence. */
	b->waiter.fd = b->file[1].fd;
	b->waiter.handle = b->file[1].handle[BUSY_VRAM];
	b->waiter.ret = 1;
	igt_assert_eq(pthread_create(&b->waiter.thread, NULL, busy_wait_thread,
				     &b->waiter), 0);
	usleep(100 * 1000);
	igt_assert_eq(b->waiter.ret, 1);

	for (i = 0; i < 2; i++) {
		struct pollfd p = { .fd = b->file[i].fence[0], .events = POLLIN };

		igt_assert_eq(poll(&p, 1, 100), 0);
		igt_assert_eq(sync_file_status(b->file[i].fence[0]), 0);
		igt_assert_eq(sync_file_status(b->file[i].fence[1]), 0);
	}
	igt_assert_eq(mismatch(b->dmabuf_map, BUSY_BO_SIZE, b->dmabuf_pattern), -1);
}

static void busy_file_release(struct busy_file *f)
{
	int j;

	for (j = 0; j < BUSY_NUM_BOS; j++) {
		if (f->map[j])
			munmap(f->map[j], BUSY_BO_SIZE);
		f->map[j] = NULL;
	}
	for (j = 0; j < 2; j++) {
		if (f->fence[j] >= 0)
			close(f->fence[j]);
		f->fence[j] = -1;
	}
	if (f->fd >= 0)
		close(f->fd);
	f->fd = -1;
}

/* Release whatever is still held; safe on a partly built @b (cleanup). */
static void busy_release(struct busy *b)
{
	busy_file_release(&b->file[0]);
	busy_file_release(&b->file[1]);
	if (b->dmabuf_map && b->dmabuf_map != MAP_FAILED)
		munmap(b->dmabuf_map, BUSY_BO_SIZE);
	b->dmabuf_map = NULL;
	if (b->vgem >= 0) {
		if (b->vgem_handle)
			__gem_close(b->vgem, b->vgem_handle);
		close(b->vgem);
	}
	b->vgem_handle = 0;
	b->vgem = -1;
	if (b->dmabuf >= 0)
		close(b->dmabuf);
	b->dmabuf = -1;
}

static void busy_cleanup(void *data)
{
	busy_release(data);
}

/*
 * After the unplug a mapping reads, past BUSY_CHECK_OFFSET, a zeroed dummy
 * page or SIGBUS, never what fill() wrote there with @pattern.
 */
static void assert_unmapped(uint32_t *map, uint32_t pattern, const char *what)
{
	int k, sigbus = 0, zero = 0;
	uint32_t val;

	for (k = BUSY_CHECK_OFFSET / 4; k < BUSY_BO_SIZE / 4; k += 1024) {
		if (probe(map + k, &val, false)) {
			sigbus++;
			continue;
		}
		igt_assert_f(val != (pattern ^ (uint32_t)k),
			     "%s: dword %d still reads the device's data after the unplug\n",
			     what, k);
		zero += val == 0;
	}
	igt_assert_f(sigbus + zero == (BUSY_BO_SIZE - BUSY_CHECK_OFFSET) / 4096,
		     "%s: a mapping reads neither zeroes nor SIGBUS\n", what);
	igt_debug("%s: %d pages SIGBUS, %d read zeroes\n", what, sigbus, zero);
}

/*
 * What an unplugged device's clients see: every ioctl fails with -ENODEV
 * and mmap() with ENODEV, every pending batch's fence signals with an
 * error, the busy dma-buf becomes idle, and no CPU mapping reaches the
 * device's memory any more, the dma-buf's old and new ones included: each
 * reads either a zeroed dummy page or raises SIGBUS, never the data that
 * was there.  vgem can let go of the dma-buf and try to attach it again
 * (the answer is logged, not judged).
 */
static void busy_check_unplugged(struct busy *b)
{
	struct pollfd p = { .fd = b->dmabuf, .events = POLLOUT };
	struct drm_version v = {};
	char path[64], info[4096];
	struct timespec ts;
	uint32_t *map;
	uint64_t offset;
	int i, j, ret;

	igt_assert_eq(clock_gettime(CLOCK_REALTIME, &ts), 0);

	for (i = 0; i < 2; i++) {
		struct busy_file *f = &b->file[i];

		igt_assert_err(__drm_ioctl(f->fd, DRM_IOCTL_VERSION, &v), -ENODEV);
		igt_assert_err(__vdgpu_gem_mmap_offset(f->fd, f->handle[BUSY_VRAM],
						       &offset), -ENODEV);
		/* fdinfo answers, with no DRM keys (drm_show_fdinfo()). */
		snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", f->fd);
		igt_assert_lt(0, vdgpu_read_file(path, info, sizeof(info)));
		igt_assert_f(!strstr(info, "drm-"),
			     "fdinfo of the unplugged device:\n%s", info);

		/* Nor can what was mapped before be mapped again. */
		map = mmap(NULL, BUSY_BO_SIZE, PROT_READ, MAP_SHARED, f->fd,
			   f->offset[BUSY_VRAM]);
		igt_assert_f(map == MAP_FAILED && errno == ENODEV,
			     "mmap() of the unplugged device: %s\n",
			     map == MAP_FAILED ? strerror(errno) : "mapped");
		igt_assert_err(__vdgpu_exec(f->fd, f->queue, 0,
					    BUSY_DATA_VA + BUSY_BATCH_OFFSET, 16,
					    NULL, 0, NULL, 0), -ENODEV);

		for (j = 0; j < 2; j++) {
			struct pollfd fp = { .fd = f->fence[j], .events = POLLIN };
			int status;

			igt_assert_f(poll(&fp, 1, BUSY_FENCE_MS) == 1,
				     "file %d batch %d: fence not signalled %d ms after the unbind\n",
				     i, j, BUSY_FENCE_MS);
			status = sync_file_status(f->fence[j]);
			igt_assert_f(status < 0,
				     "file %d batch %d: fence status %d, an error expected\n",
				     i, j, status);
			igt_debug("file %d batch %d: fence error %s\n", i, j,
				  igt_errno_name(status));
		}

		for (j = 0; j < BUSY_NUM_BOS; j++)
			assert_unmapped(f->map[j], f->pattern + j,
					vdgpu_region_name(busy_regions[j]));
	}

	ts.tv_sec += BUSY_FENCE_MS / 1000;
	igt_assert_f(pthread_timedjoin_np(b->waiter.thread, NULL, &ts) == 0,
		     "GEM_WAIT still blocked %d ms after the unbind\n",
		     BUSY_FENCE_MS);
	igt_info("GEM_WAIT blocked across the unbind returned %s\n",
		 igt_errno_name(b->waiter.ret));
	igt_assert_neq(b->waiter.ret, -ETIME);

	/* The shrinker meets the unplugged device's objects. */
	igt_assert_err(vdgpu_write_file("/proc/sys/vm/drop_caches", "2"), 0);

	igt_assert_f(poll(&p, 1, BUSY_FENCE_MS) == 1,
		     "the dma-buf is still busy %d ms after the unbind\n",
		     BUSY_FENCE_MS);
	assert_unmapped(b->dmabuf_map, b->dmabuf_pattern, "dma-buf");

	/* A new mapping of the dma-buf gets the dummy page too. */
	map = mmap(NULL, BUSY_BO_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
		   b->dmabuf, 0);
	igt_assert(map != MAP_FAILED);
	assert_unmapped(map, b->dmabuf_pattern, "new dma-buf mapping");
	munmap(map, BUSY_BO_SIZE);

	/* vgem lets go of the dma-buf, and may attach it again or not. */
	igt_assert_err(__gem_close(b->vgem, b->vgem_handle), 0);
	b->vgem_handle = 0;
	ret = drmPrimeFDToHandle(b->vgem, b->dmabuf, &b->vgem_handle);
	igt_info("vgem importing the dma-buf of the unplugged device: %s\n",
		 ret ? strerror(errno) : "imported");
	if (ret)
		b->vgem_handle = 0;
}

/*
 * The device bound again after an unplug: old files stay dead, and the old
 * mappings of VRAM objects reach none of the new device's VRAM.  New
 * objects filling the start of VRAM (where the allocator put the old ones)
 * read their own data, not through the old mappings, and keep it when the
 * old mappings are written.  A batch runs and completes.
 */
static void busy_check_new_device(struct busy *b, uint32_t pattern)
{
	const uint64_t size = 8 * BUSY_BO_SIZE;
	struct busy_file n = { .fd = -1, .fence = { -1, -1 } };
	struct drm_version v = {};
	struct pollfd p = { .events = POLLIN };
	uint32_t h, *map, val;
	int i, k, fd;

	for (i = 0; i < 2; i++)
		igt_assert_err(__drm_ioctl(b->file[i].fd, DRM_IOCTL_VERSION, &v),
			       -ENODEV);

	fd = vdgpu_open_render();
	h = vdgpu_gem_create_in(fd, size, DRM_VDGPU_REGION_VRAM0,
				DRM_VDGPU_GEM_CREATE_CPU_ACCESS);
	map = vdgpu_gem_mmap(fd, h, size);
	fill(map, size, pattern);
	/*
	 * The old mappings may read what was written through them (one dummy
	 * page backs a whole mapping), never the new device's data, whose
	 * dwords all share the pattern's top 11 bits.
	 */
	for (i = 0; i < 2; i++) {
		uint32_t *old = b->file[i].map[BUSY_VRAM];

		for (k = 0; k < BUSY_BO_SIZE / 4; k += 1024) {
			if (probe(old + k, &val, false))
				continue;
			igt_assert_f((val ^ pattern) >> 21,
				     "file %d: an old VRAM mapping reads %#x, the new device's data, at dword %d\n",
				     i, val, k);
			val = ~pattern;
			probe(old + k, &val, true);
		}
	}
	igt_assert_eq(mismatch(map, size, pattern), -1);
	munmap(map, size);
	gem_close(fd, h);
	close(fd);

	/* A working device: a batch stores its dword and completes. */
	busy_file_open(&n, VDGPU_NODE_RENDER, pattern + 0x300);
	n.fence[0] = busy_submit(&n, 0, false, BUSY_VRAM_VA, 0x600d, NULL, 0);
	p.fd = n.fence[0];
	igt_assert_f(poll(&p, 1, BUSY_FENCE_MS) == 1,
		     "a batch on the new device did not complete in %d ms\n",
		     BUSY_FENCE_MS);
	igt_assert_eq(sync_file_status(n.fence[0]), 1);
	igt_assert_eq(n.map[BUSY_VRAM][0], 0x600d);
	busy_file_release(&n);
}

/*
 * One busy cycle: make the device busy, unbind the driver with all of it
 * alive and check what its clients see; then either bind it again, check
 * the new device against the old mappings and close everything, or close
 * everything and reload the module (@reload).  Either way the device must
 * end up as fresh as @fresh.
 */
static void busy_cycle(const char *bus, const struct fresh *fresh,
		       uint32_t pattern, bool reload)
{
	struct busy b;

	busy_start(&b, pattern);
	igt_cleanup_push(busy_cleanup, &b);
	vdgpu_kmod_unbind(bus);
	busy_check_unplugged(&b);
	if (reload) {
		busy_release(&b);
		vdgpu_kmod_unload(NULL);
		vdgpu_kmod_load(vdgpu_kmod_saved_params(), NULL);
	} else {
		vdgpu_kmod_bind(bus, NULL);
		busy_check_new_device(&b, pattern ^ 0x5ca1ab1e);
		busy_release(&b);
	}
	igt_cleanup_pop(false);
	assert_fresh(fresh);
}

/* The bus name of the device, after checking the driver can be unbound. */
static void busy_prepare(char *bus, size_t len, struct fresh *fresh)
{
	int fd;

	vdgpu_kmod_prepare();
	igt_require_f(access(VDGPU_PLATFORM_DRIVER_DIR "/unbind", W_OK) == 0 &&
		      access(VDGPU_PLATFORM_DRIVER_DIR "/bind", W_OK) == 0,
		      "%s/{bind,unbind} not writable\n", VDGPU_PLATFORM_DRIVER_DIR);
	igt_require_f(vdgpu_debugfs_mount() == 0, "no debugfs\n");
	fd = vdgpu_open_render();
	vdgpu_require_exec(fd);
	igt_assert_err(vdgpu_dev_bus_name(fd, bus, len), 0);
	close(fd);
	read_fresh(fresh);
	if (fresh->ttm_bos < 0)
		igt_info("no %s/ttm/buffer_objects: TTM's object count is not checked\n",
			 VDGPU_DEBUGFS_ROOT);
	igt_info("fresh device %s: used system %" PRIu64 ", gtt %" PRIu64
		 ", vram0 %" PRIu64 " bytes, %lld TTM objects\n", bus,
		 fresh->used[BUSY_SYSTEM], fresh->used[BUSY_GTT],
		 fresh->used[BUSY_VRAM], fresh->ttm_bos);
}

/*
 * unbind-busy: unbinding the driver from a busy device (see "Busy
 * devices") unplugs it under its clients.  Both files fail every ioctl
 * with -ENODEV; the fences of both pending batches of each file (the one
 * running and the one queued behind it) signal with an error within 10 s;
 * the dma-buf, held only by its fd, its mapping and vgem, becomes idle
 * and vgem can let go of it; mmap() fails with ENODEV; and no CPU
 * mapping of the files' objects reads their data any more: a zeroed dummy
 * page or SIGBUS, whatever the region.  Bound again, the device is new:
 * the old files stay dead, the old VRAM mappings neither read nor write
 * the new device's VRAM, a batch completes, and once everything of the
 * old device is closed TTM's object count and the regions' usage are
 * those of a fresh device.
 */
static void test_unbind_busy(void)
{
	struct fresh fresh;
	char bus[64];

	busy_prepare(bus, sizeof(bus), &fresh);
	busy_cycle(bus, &fresh, 0x11110000, false);
}

#define KMEMLEAK		VDGPU_DEBUGFS_ROOT "/kmemleak"
/* kmemleak reports nothing younger than 5 s (mm/kmemleak.c min_age). */
#define KMEMLEAK_MIN_AGE_MS	5000
/* What a leak of ours has in its backtrace. */
#define KMEMLEAK_OURS		"vdgpu|drm|ttm|dma_buf|dma_fence|dma_resv|gpu_buddy"

static bool kmemleak_start(void)
{
	int ret;

	if (access(KMEMLEAK, W_OK)) {
		igt_info("no %s: this kernel has no kmemleak, leaks are judged by /proc/meminfo alone\n",
			 KMEMLEAK);
		return false;
	}
	/* Forget what was suspected before this subtest. */
	ret = vdgpu_write_file(KMEMLEAK, "scan");
	if (ret) {
		/* Compiled in but off (kmemleak=off, or it disabled itself). */
		igt_info("%s refuses a scan (%s): leaks are judged by /proc/meminfo alone\n",
			 KMEMLEAK, strerror(-ret));
		return false;
	}
	igt_assert_err(vdgpu_write_file(KMEMLEAK, "clear"), 0);
	return true;
}

/*
 * Scan once whatever the cycles allocated is old enough to be reported,
 * and fail on every suspected leak whose backtrace goes through vdgpu,
 * DRM, TTM or dma-buf; others are counted, not judged.
 */
static void kmemleak_check(void)
{
	regex_t ours;
	char *line = NULL, *block = NULL;
	size_t cap = 0, len = 0, blen = 0;
	int theirs = 0, leaks = 0;
	bool in_bt = false, hit = false;
	FILE *f;

	usleep((KMEMLEAK_MIN_AGE_MS + 1000) * 1000);
	igt_assert_err(vdgpu_write_file(KMEMLEAK, "scan"), 0);
	igt_assert(regcomp(&ours, KMEMLEAK_OURS, REG_EXTENDED | REG_NOSUB) == 0);
	f = fopen(KMEMLEAK, "re");
	igt_assert(f);
	for (;;) {
		ssize_t n = getline(&line, &cap, f);

		if (n < 0 || !strncmp(line, "unreferenced object", 19)) {
			if (block && hit) {
				igt_info("kmemleak:\n%s", block);
				leaks++;
			} else if (block) {
				theirs++;
			}
			free(block);
			block = NULL;
			blen = 0;
			in_bt = hit = false;
			if (n < 0)
				break;
		}
		if (strstr(line, "backtrace"))
			in_bt = true;
		else if (in_bt && regexec(&ours, line, 0, NULL, 0) == 0)
			hit = true;
		len = blen + n + 1;
		block = realloc(block, len);
		igt_assert(block);
		memcpy(block + blen, line, n + 1);
		blen += n;
	}
	free(line);
	fclose(f);
	regfree(&ours);
	igt_info("kmemleak: %d suspected leaks through vdgpu, DRM, TTM or dma-buf, %d elsewhere\n",
		 leaks, theirs);
	igt_assert_eq(leaks, 0);
}

#define BUSY_CYCLES_MIN		4
#define BUSY_CYCLES_MAX		12
/* Start no cycle after this (the VM lane kills a subtest at 90 s). */
#define BUSY_CYCLES_BUDGET_MS	40000
/* Less with kmemleak, whose scan must fit too (on a slow debug kernel). */
#define BUSY_CYCLES_BUDGET_KMEMLEAK_MS	25000

/*
 * busy-cycles: a warm-up cycle, then BUSY_CYCLES_MIN to BUSY_CYCLES_MAX
 * busy cycles as in unbind-busy (as many as start within 40 s, 25 s with
 * kmemleak, whose scan must fit in the runner's 90 s as well), every
 * other one closing everything after the unbind and reloading the module
 * instead of binding again.  Every cycle ends as fresh as the device
 * started.  Over the cycles unreclaimable slab may grow by at most 4 MiB
 * and MemAvailable drop by at most 64 MiB (the tolerances of
 * reload-cycles).  With kmemleak (a debug kernel), a scan after the
 * cycles must find no suspected leak whose backtrace goes through vdgpu,
 * DRM, TTM or dma-buf; without it the subtest says so and relies on
 * /proc/meminfo.
 */
static void test_busy_cycles(void)
{
	struct meminfo before, after;
	struct fresh fresh;
	bool kmemleak;
	int64_t t0;
	char bus[64];
	int i;

	busy_prepare(bus, sizeof(bus), &fresh);
	kmemleak = kmemleak_start();
	busy_cycle(bus, &fresh, 0x22220000, false);

	read_meminfo(&before);
	t0 = vdgpu_now_ns();
	for (i = 0; i < BUSY_CYCLES_MAX; i++) {
		int64_t ms = (vdgpu_now_ns() - t0) / 1000000;

		if (i >= BUSY_CYCLES_MIN &&
		    ms > (kmemleak ? BUSY_CYCLES_BUDGET_KMEMLEAK_MS :
			  BUSY_CYCLES_BUDGET_MS))
			break;
		busy_cycle(bus, &fresh, 0x33330000 + (i << 12), i & 1);
	}
	read_meminfo(&after);
	vdgpu_kmod_assert_params(vdgpu_kmod_saved_params());

	igt_info("%d busy cycles in %" PRId64 " ms (KiB): MemAvailable %lld -> %lld (%+lld), "
		 "SUnreclaim %lld -> %lld (%+lld), VmallocUsed %+lld, Percpu %+lld\n",
		 i, (vdgpu_now_ns() - t0) / 1000000,
		 before.available, after.available, after.available - before.available,
		 before.sunreclaim, after.sunreclaim, after.sunreclaim - before.sunreclaim,
		 after.vmalloc - before.vmalloc, after.percpu - before.percpu);
	igt_assert_lte(after.sunreclaim - before.sunreclaim, SUNRECLAIM_TOLERANCE);
	igt_assert_lte(before.available - after.available, AVAILABLE_TOLERANCE);
	if (kmemleak)
		kmemleak_check();
}

#define FOREIGN_SIGNAL_MS	1000

struct foreign_signal {
	struct vdgpu_vgem_fence vf;
	int64_t signalled_ns;
	int ret;
};

static void *foreign_signal_thread(void *data)
{
	struct foreign_signal *fs = data;

	usleep(FOREIGN_SIGNAL_MS * 1000);
	fs->signalled_ns = vdgpu_now_ns();
	fs->ret = vdgpu_vgem_fence_signal(&fs->vf);
	return NULL;
}

/*
 * unload-waits-for-foreign-fence: a batch whose in-sync holds a vgem fence
 * is still queued when its file is closed.  Nothing holds the module any
 * more, but the batch holds its queue, its VM and so the device, whose
 * release runs vdgpu code.  Unloading the module (which unplugs the
 * device) must not complete before the fence signals, 1 s into the
 * unload, and the batch is dropped; the kernel log stays clean (the lane
 * checks it) and loading again gives a working device.
 */
static void test_unload_waits_for_foreign_fence(void)
{
	struct busy_file f = { .fd = -1, .fence = { -1, -1 } };
	struct foreign_signal fs = { .ret = 1 };
	struct drm_vdgpu_sync in = {};
	int64_t t0, unloaded_ns;
	pthread_t thread;
	uint32_t len;

	vdgpu_kmod_prepare();
	busy_file_open(&f, VDGPU_NODE_RENDER, 0x44440000);
	vdgpu_vgem_fence_hold(&fs.vf);
	in.handle = syncobj_create(f.fd, 0);
	igt_assert_err(__syncobj_import_sync_file(f.fd, in.handle,
						  fs.vf.sync_file), 0);
	len = busy_batch(&f, 0, false, BUSY_VRAM_VA, 0x600d);
	vdgpu_exec(f.fd, f.queue, 0, BUSY_DATA_VA + BUSY_BATCH_OFFSET, len,
		   &in, 1, NULL, 0);
	busy_file_release(&f);

	t0 = vdgpu_now_ns();
	igt_assert_eq(pthread_create(&thread, NULL, foreign_signal_thread, &fs), 0);
	vdgpu_kmod_unload(NULL);
	unloaded_ns = vdgpu_now_ns();
	igt_assert_eq(pthread_join(thread, NULL), 0);
	igt_assert_err(fs.ret, 0);
	igt_info("unload took %" PRId64 " ms, the fence signalled after %" PRId64 " ms\n",
		 (unloaded_ns - t0) / 1000000, (fs.signalled_ns - t0) / 1000000);
	igt_assert_f(unloaded_ns >= fs.signalled_ns,
		     "the module was unloaded while a job of its device waited for a fence\n");
	close(fs.vf.sync_file);
	close(fs.vf.vgem);

	vdgpu_kmod_load(vdgpu_kmod_saved_params(), NULL);
	vdgpu_kmod_assert_params(vdgpu_kmod_saved_params());
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
	{ "unbind-busy", test_unbind_busy,
	  "Unbinding a busy device fails its files, fences and mappings cleanly." },
	{ "busy-cycles", test_busy_cycles,
	  "Busy unbind/rebind and reload cycles leak nothing." },
	{ "unload-waits-for-foreign-fence", test_unload_waits_for_foreign_fence,
	  "A job waiting for another driver's fence keeps the module until it is dropped." },
};

int main(int argc, char **argv)
{
	return igt_run(argc, argv,
		       "Loading and unloading the vdgpu module: reload, leaks, "
		       "invalid parameters, small BAR, busy unload.",
		       subtests, ARRAY_SIZE(subtests));
}
