// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The vdgpu authors
 *
 * vdgpu_inject: every error path of the uAPI taken and shown to unwind.
 *
 * Each subtest drives one ioctl (or a CPU fault, an eviction, a swap-in)
 * and makes its 1st, 2nd, 3rd... failure point fail in turn, until the
 * ioctl runs to the end without reaching the Nth point.  After each
 * failure the ioctl must have returned an errno the uAPI documents and
 * changed nothing a client can see: the regions' usage, the objects, VMs
 * and exec queues the driver holds (debugfs "objects"), and the VMs'
 * mappings (debugfs "vms") are where they were before.  The page tables a
 * failed VM_BIND allocated may stay (the uAPI says so), so they are
 * subtracted from the counts.  At the end everything is closed and every
 * count must be back at its start value.
 *
 * Three families of subtests, one per mechanism:
 *
 * knob-*  the driver's own knob, debugfs inject/fail_nth: the Nth
 *         injection point of the driver passed by this thread fails.  Runs
 *         on any kernel with debugfs.
 * fail-nth-*  the kernel's /proc/self/task/<tid>/fail-nth with failslab and
 *         fail_page_alloc: the Nth allocation of this thread anywhere in the
 *         kernel fails, DRM, TTM and dma-resv included.  Needs
 *         CONFIG_FAULT_INJECTION, CONFIG_FAILSLAB and CONFIG_FAIL_PAGE_ALLOC
 *         (the debug kernel lane); skips on the stock kernel.  Each
 *         subtest stops after VDGPU_INJECT_SECONDS (30 s) of tries.
 * fail-function-*  the kernel's fail_function: each function vdgpu marks
 *         with ALLOW_ERROR_INJECTION() made to fail in turn, for this thread
 *         only (task-filter, make-it-fail).  Needs CONFIG_FAIL_FUNCTION.
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <xf86drm.h>
#include <drm/vdgpu_drm.h>

#include "igt_syncobj.h"
#include "vdgpu_gem.h"
#include "vdgpu_igt.h"
#include "vdgpu_kmod.h"

#define SZ_4K		4096ull
#define SZ_64K		(64ull << 10)
#define SZ_2M		(2ull << 20)
#define SZ_4M		(4ull << 20)

/* No more failure points than this in one ioctl. */
#define MAX_POINTS	4000
/* How long freed memory may take to come back (delayed destroys). */
#define SETTLE_MS	5000
/*
 * A subtest of the fail-nth family stops after this long (the kernel may
 * have hundreds of allocations in an ioctl), VDGPU_INJECT_SECONDS if set.
 */
#define BUDGET_MS	30000

#define FAULT_DEBUGFS	VDGPU_DEBUGFS_ROOT "/"
#define FAIL_FUNCTION	FAULT_DEBUGFS "fail_function"

/* The mechanism a subtest drives. */
enum mech {
	MECH_KNOB,
	MECH_FAIL_NTH,
	MECH_FAIL_FUNCTION,
};

/*
 * What a client can see of the device, for the before/after comparison.
 * Page tables are a VM's own: a failed bind may leave them allocated.
 */
struct state {
	uint64_t used;		/* bytes in use, all regions, page tables not */
	int bos;		/* buffer objects, page tables not */
	int vms;
	int queues;
	char *maps;		/* debugfs vms, page table counts cut out */
};

struct ctx;

/* One operation under test. */
struct op {
	const char *name;
	const char *desc;
	/* Prepares what @run needs; not under injection. */
	void (*setup)(struct ctx *c);
	/* The operation: 0 or a negative errno. */
	int (*run)(struct ctx *c);
	/* After each try, disarmed: what the operation must have kept. */
	void (*verify)(struct ctx *c);
	/*
	 * The driver fails none of its stages for it (the knob is never
	 * reached); with the kernel's mechanisms it may still be.
	 */
	bool no_points;
	/* A CPU fault: a failure is retried by the kernel, not returned. */
	bool fault;
	/* Eviction: TTM logs each failed eviction at error level. */
	bool evicts;
	/*
	 * The ioctl retries validation that runs out of memory (VM_BIND,
	 * EXEC): a single failure is absorbed by the retry.
	 */
	bool retries;
	/*
	 * Knob only: every point from the Nth on fails (inject/sticky), so
	 * that the retries fail too and the ioctl returns the error.
	 */
	bool persistent;
};

struct ctx {
	int fd;			/* the client under test, new for each try */
	int probe;		/* reads the state; holds nothing */
	char dir[PATH_MAX];	/* the device's debugfs directory */
	int nth_fd;		/* the knob's or the kernel's fail-nth */
	enum mech mech;
	const struct op *op;

	uint32_t vm, queue, bo, created, syncobj, vgem_handle;
	uint64_t bo_size, va;
	int vgem, dmabuf;
	uint32_t *fillers;
	unsigned int nfillers;
	void *ptr;
	bool async;
	/* Under injection: waits for out-syncs come after, in op_finish(). */
	bool armed;
	/* An out-sync to check once disarmed. */
	bool pending;
	uint32_t region;	/* for create/prefetch */
	uint32_t vm_id;		/* for create in a VM */
};

static char *dfs_path(struct ctx *c, const char *name)
{
	static char path[PATH_MAX + 64];

	snprintf(path, sizeof(path), "%s/%s", c->dir, name);
	return path;
}

static void debugfs_dir(struct ctx *c)
{
	char *slash;
	int ret;

	ret = vdgpu_debugfs_mount();
	igt_require_f(ret == 0, "debugfs is not available: %s\n",
		      strerror(-ret));
	ret = vdgpu_regions_path(c->probe, c->dir, sizeof(c->dir));
	igt_assert_f(ret == 0, "cannot locate the device's debugfs directory: %s\n",
		     strerror(-ret));
	slash = strrchr(c->dir, '/');
	igt_assert(slash);
	*slash = '\0';
	igt_require_f(access(dfs_path(c, "objects"), R_OK) == 0,
		      "cannot read %s: %s\n", dfs_path(c, "objects"),
		      strerror(errno));
}

/* Reads the state; the vms text has every "page_tables <n>" cut out. */
static void state_read(struct ctx *c, struct state *s)
{
	char *objects, *p, *q;
	uint64_t pts = 0;

	igt_assert_lt(0, vdgpu_read_file_alloc(dfs_path(c, "objects"), &objects));
	igt_assert_eq(sscanf(objects, "bos=%d vms=%d queues=%d", &s->bos,
			     &s->vms, &s->queues), 3);
	free(objects);
	igt_assert_lte(0, vdgpu_read_file_alloc(dfs_path(c, "vms"), &s->maps));
	for (p = strstr(s->maps, " page_tables "); p;
	     p = strstr(p, " page_tables ")) {
		pts += strtoull(p + 13, &q, 10);
		memmove(p, q, strlen(q) + 1);
	}
	s->used = vdgpu_region_used(c->probe, DRM_VDGPU_REGION_VRAM0) +
		  vdgpu_region_used(c->probe, DRM_VDGPU_REGION_GTT) +
		  vdgpu_region_used(c->probe, DRM_VDGPU_REGION_SYSTEM) -
		  pts * SZ_4K;
	s->bos -= pts;
}

static bool state_eq(const struct state *a, const struct state *b)
{
	return a->used == b->used && a->bos == b->bos && a->vms == b->vms &&
	       a->queues == b->queues && !strcmp(a->maps, b->maps);
}

static void state_free(struct state *s)
{
	free(s->maps);
	s->maps = NULL;
}

/*
 * The state once the last operation's moves are done: their old memory,
 * held by TTM's ghost objects until the copies complete, is free again.
 */
static void state_read_stable(struct ctx *c, struct state *s)
{
	int64_t end = vdgpu_now_ns() + SETTLE_MS * 1000000ll;
	struct state next = {};

	if (c->bo)
		vdgpu_gem_wait_idle(c->fd, c->bo);
	state_read(c, s);
	for (;;) {
		usleep(20000);
		state_read(c, &next);
		if (state_eq(s, &next) || vdgpu_now_ns() > end)
			break;
		state_free(s);
		*s = next;
		next.maps = NULL;
	}
	state_free(&next);
}

/* Waits for the state to come back to @want; fails the subtest if not. */
static void state_settle(struct ctx *c, const struct state *want,
			 const char *when)
{
	struct state now = {};
	int64_t end = vdgpu_now_ns() + SETTLE_MS * 1000000ll;

	for (;;) {
		state_read(c, &now);
		if (state_eq(&now, want))
			break;
		if (vdgpu_now_ns() > end)
			break;
		state_free(&now);
		usleep(10000);
	}
	igt_assert_f(state_eq(&now, want),
		     "%s: used %" PRIu64 " -> %" PRIu64 ", bos %d -> %d, vms %d -> %d, queues %d -> %d, mappings %s\n",
		     when, want->used, now.used, want->bos, now.bos, want->vms,
		     now.vms, want->queues, now.queues,
		     strcmp(want->maps, now.maps) ? "changed" : "the same");
	state_free(&now);
}

/*
 * fail-nth, the knob's or the kernel's: write N, read what is left.  The
 * kernel's is read and written at offset 0 through a descriptor opened
 * beforehand, which allocates nothing once armed; the knob, a debugfs
 * attribute, cannot seek and is opened each time (it counts only the
 * driver's points).
 */
static int nth_open(struct ctx *c)
{
	int fd;

	if (c->mech != MECH_KNOB)
		return c->nth_fd;
	fd = open(dfs_path(c, "inject/fail_nth"), O_RDWR | O_CLOEXEC);
	igt_assert_f(fd >= 0, "inject/fail_nth: %s\n", strerror(errno));
	return fd;
}

static void nth_close(struct ctx *c, int fd)
{
	if (fd != c->nth_fd)
		close(fd);
}

static void nth_write(struct ctx *c, unsigned int n)
{
	int fd = nth_open(c);
	char buf[16];
	int len = snprintf(buf, sizeof(buf), "%u", n);

	if (fd == c->nth_fd)
		igt_assert_eq(pwrite(fd, buf, len, 0), len);
	else
		igt_assert_eq(write(fd, buf, len), len);
	nth_close(c, fd);
}

static unsigned int nth_read(struct ctx *c)
{
	int fd = nth_open(c);
	char buf[16] = {};

	if (fd == c->nth_fd)
		igt_assert_lt(0, pread(fd, buf, sizeof(buf) - 1, 0));
	else
		igt_assert_lt(0, read(fd, buf, sizeof(buf) - 1));
	nth_close(c, fd);
	return strtoul(buf, NULL, 10);
}

static unsigned int knob_fails(struct ctx *c)
{
	uint64_t v;

	igt_assert_eq(vdgpu_read_u64(dfs_path(c, "inject/fails"), &v), 0);
	return v;
}

static int write_str(const char *path, const char *str)
{
	return vdgpu_write_file(path, str);
}

/* Objects and ioctls. */

static uint32_t create_in(struct ctx *c, uint64_t size, uint32_t region)
{
	return vdgpu_gem_create_in(c->fd, size, region, 0);
}

/*
 * After an operation with an out-sync (the syncobj, reset beforehand):
 * a successful one signals it, a failed one leaves it without a fence.
 */
static void op_finish(struct ctx *c, int ret)
{
	if (!c->pending)
		return;
	c->pending = false;
	if (!ret)
		igt_assert_eq(__syncobj_wait_until(c->fd, c->syncobj, 0,
						   vdgpu_now_ns() + 10000000000ll),
			      0);
	else
		igt_assert_eq(__syncobj_wait(c->fd, c->syncobj, 0), -EINVAL);
	igt_assert_eq(__syncobj_reset(c->fd, c->syncobj), 0);
}

static int bind_op(struct ctx *c, uint32_t op, uint32_t handle,
		   uint64_t addr, uint64_t range, uint32_t region)
{
	struct drm_vdgpu_vm_bind_op o = {
		.op = op,
		.handle = op == DRM_VDGPU_VM_BIND_OP_MAP ? handle : 0,
		.region = op == DRM_VDGPU_VM_BIND_OP_PREFETCH ? region : 0,
		.addr = addr,
		.range = range,
	};
	struct drm_vdgpu_sync s = {
		.flags = DRM_VDGPU_SYNC_SIGNAL,
		.handle = c->syncobj,
	};
	int ret;

	if (!c->async)
		return __vdgpu_vm_bind(c->fd, c->vm, 0, &o, 1, NULL, 0);
	ret = __vdgpu_vm_bind(c->fd, c->vm, DRM_VDGPU_VM_BIND_ASYNC, &o, 1,
			      &s, 1);
	c->pending = true;
	if (!c->armed)
		op_finish(c, ret);
	return ret;
}

/* GEM_CREATE */

static int run_create(struct ctx *c)
{
	return __vdgpu_gem_create_vm(c->fd, SZ_4M, &c->region, 1, 0, c->vm_id,
				     &c->created);
}

static void setup_create_system(struct ctx *c)
{
	c->region = DRM_VDGPU_REGION_SYSTEM;
}

static void setup_create_gtt(struct ctx *c)
{
	c->region = DRM_VDGPU_REGION_GTT;
}

static void setup_create_vram(struct ctx *c)
{
	c->region = DRM_VDGPU_REGION_VRAM0;
}

static void setup_create_vm(struct ctx *c)
{
	c->region = DRM_VDGPU_REGION_VRAM0;
	c->vm = vdgpu_vm_create(c->fd);
	c->vm_id = c->vm;
}

/* MMAP_OFFSET and a CPU fault that populates a system object */

static void setup_fault(struct ctx *c)
{
	c->bo_size = SZ_64K;
	c->bo = create_in(c, c->bo_size, DRM_VDGPU_REGION_SYSTEM);
}

static int run_fault(struct ctx *c)
{
	volatile uint8_t *p;
	uint64_t offset;
	int ret;

	ret = __vdgpu_gem_mmap_offset(c->fd, c->bo, &offset);
	if (ret)
		return ret;
	p = mmap(NULL, c->bo_size, PROT_READ | PROT_WRITE, MAP_SHARED, c->fd,
		 offset);
	if (p == MAP_FAILED)
		return -errno;
	p[0] = 1;
	p[c->bo_size - 1] = 2;
	munmap((void *)p, c->bo_size);
	return 0;
}

/* GEM_WAIT, GEM_MADVISE, QUERY: nothing of the driver's can fail. */

static void setup_bo(struct ctx *c)
{
	c->bo = create_in(c, SZ_64K, DRM_VDGPU_REGION_VRAM0);
}

static int run_wait(struct ctx *c)
{
	return __vdgpu_gem_wait(c->fd, c->bo, vdgpu_now_ns() + 1000000000ll);
}

static int run_madvise(struct ctx *c)
{
	uint32_t purged;
	int ret;

	ret = __vdgpu_gem_madvise(c->fd, c->bo, DRM_VDGPU_MADV_DONTNEED,
				  &purged);
	if (!ret)
		ret = __vdgpu_gem_madvise(c->fd, c->bo,
					  DRM_VDGPU_MADV_WILLNEED, &purged);
	return ret;
}

static int run_query(struct ctx *c)
{
	uint8_t buf[4096];
	uint32_t size = sizeof(buf);

	return __vdgpu_query(c->fd, DRM_VDGPU_QUERY_MEM_REGIONS, buf, &size);
}

/* VM_CREATE, VM_DESTROY */

static int run_vm_create(struct ctx *c)
{
	return __vdgpu_vm_create(c->fd, &c->created);
}

static void setup_vm_destroy(struct ctx *c)
{
	c->created = vdgpu_vm_create(c->fd);
}

static int run_vm_destroy(struct ctx *c)
{
	return __vdgpu_vm_destroy(c->fd, c->created);
}

/* VM_BIND */

static void setup_vm_bo(struct ctx *c, uint32_t region)
{
	uint32_t regions[] = { region, DRM_VDGPU_REGION_GTT };

	c->vm = vdgpu_vm_create(c->fd);
	c->syncobj = syncobj_create(c->fd, 0);
	c->bo_size = SZ_2M + SZ_64K;
	c->bo = vdgpu_gem_create(c->fd, c->bo_size, regions,
				 region == DRM_VDGPU_REGION_GTT ? 1 : 2, 0);
	/* Across a 2 MiB boundary: tables of every level. */
	c->va = (1ull << 32) - SZ_64K;
}

static void setup_map(struct ctx *c)
{
	setup_vm_bo(c, DRM_VDGPU_REGION_VRAM0);
}

static void setup_map_async(struct ctx *c)
{
	c->async = true;
	setup_map(c);
}

static int run_map(struct ctx *c)
{
	return bind_op(c, DRM_VDGPU_VM_BIND_OP_MAP, c->bo, c->va, c->bo_size, 0);
}

static void setup_unmap(struct ctx *c)
{
	setup_map(c);
	igt_assert_eq(run_map(c), 0);
}

static void setup_unmap_async(struct ctx *c)
{
	c->async = true;
	setup_unmap(c);
}

static int run_unmap(struct ctx *c)
{
	/* A partial unmap: the mapping is split, a remap. */
	return bind_op(c, DRM_VDGPU_VM_BIND_OP_UNMAP, 0, c->va + SZ_64K,
		       SZ_64K, 0);
}

static void setup_prefetch(struct ctx *c)
{
	setup_vm_bo(c, DRM_VDGPU_REGION_VRAM0);
	igt_assert_eq(run_map(c), 0);
	c->async = false;
	igt_assert_eq(bind_op(c, DRM_VDGPU_VM_BIND_OP_PREFETCH, 0, c->va,
			      c->bo_size, DRM_VDGPU_REGION_GTT), 0);
}

static void setup_prefetch_async(struct ctx *c)
{
	setup_prefetch(c);
	c->async = true;
}

static int run_prefetch(struct ctx *c)
{
	return bind_op(c, DRM_VDGPU_VM_BIND_OP_PREFETCH, 0, c->va, c->bo_size,
		       DRM_VDGPU_REGION_VRAM0);
}

/*
 * Objects of 4 MiB in @regions until VRAM is full, or with @c->bo set,
 * until they pushed @c->bo out of VRAM.
 */
static void fill_vram(struct ctx *c, const uint32_t *regions,
		      uint32_t num_regions)
{
	struct drm_vdgpu_mem_region vram;
	unsigned int max;
	uint32_t h;

	vdgpu_query_region(c->fd, DRM_VDGPU_REGION_VRAM0, &vram);
	max = vram.total_size / SZ_4M + 2;
	c->fillers = calloc(max, sizeof(*c->fillers));
	igt_assert(c->fillers);
	while (c->nfillers < max) {
		if (c->bo ? vdgpu_gem_region(c->fd, c->bo) != DRM_VDGPU_REGION_VRAM0 :
		    vdgpu_region_used(c->fd, DRM_VDGPU_REGION_VRAM0) + SZ_4M >
		    vram.total_size)
			break;
		if (__vdgpu_gem_create(c->fd, SZ_4M, regions, num_regions, 0,
				       &h))
			break;
		c->fillers[c->nfillers++] = h;
	}
	igt_debug("%u objects of 4 MiB fill VRAM\n", c->nfillers);
}

/* EXEC_QUEUE_CREATE, EXEC_QUEUE_DESTROY, EXEC */

static void setup_queue(struct ctx *c)
{
	c->vm = vdgpu_vm_create(c->fd);
}

static int run_queue_create(struct ctx *c)
{
	return __vdgpu_exec_queue_create(c->fd, c->vm,
					 DRM_VDGPU_ENGINE_CLASS_COMPUTE, 0,
					 DRM_VDGPU_EXEC_QUEUE_PRIORITY_NORMAL,
					 &c->created);
}

static void setup_queue_destroy(struct ctx *c)
{
	setup_queue(c);
	c->created = vdgpu_exec_queue_create(c->fd, c->vm);
}

static int run_queue_destroy(struct ctx *c)
{
	return __vdgpu_exec_queue_destroy(c->fd, c->created);
}

/*
 * A batch of NOPs (zeroes) in an object that EXEC also names for
 * implicit sync; evicted to GTT before each EXEC, so that the EXEC
 * revalidates the VM.
 */
static void setup_exec(struct ctx *c)
{
	setup_vm_bo(c, DRM_VDGPU_REGION_VRAM0);
	igt_assert_eq(run_map(c), 0);
	c->queue = vdgpu_exec_queue_create(c->fd, c->vm);
}

/*
 * The same with the batch's object evicted to GTT by VRAM-only objects
 * since it was mapped: EXEC rewrites its page table entries first.
 */
static void setup_exec_evicted(struct ctx *c)
{
	const uint32_t vram = DRM_VDGPU_REGION_VRAM0;

	setup_exec(c);
	fill_vram(c, &vram, 1);
	igt_assert_eq(vdgpu_gem_region(c->fd, c->bo), DRM_VDGPU_REGION_GTT);
}

static int run_exec(struct ctx *c)
{
	struct drm_vdgpu_sync s = {
		.flags = DRM_VDGPU_SYNC_SIGNAL,
		.handle = c->syncobj,
	};
	int ret;

	ret = __vdgpu_exec(c->fd, c->queue, DRM_VDGPU_EXEC_IMPLICIT_SYNC,
			   c->va, 256, &s, 1, &c->bo, 1);
	c->pending = true;
	return ret;
}

/* PRIME: import of a vgem object, export of ours */

static void setup_prime_import(struct ctx *c)
{
	struct drm_mode_create_dumb d = { .width = 1024, .height = 16,
					  .bpp = 32 };

	c->vgem = vdgpu_dev_open("vgem", VDGPU_NODE_PRIMARY, NULL, 0);
	if (c->vgem < 0) {
		igt_require_f(system("modprobe vgem >/dev/null 2>&1") == 0,
			      "vgem cannot be loaded\n");
		c->vgem = vdgpu_dev_open("vgem", VDGPU_NODE_PRIMARY, NULL, 0);
	}
	igt_require_f(c->vgem >= 0, "no vgem device\n");
	igt_assert_eq(drmIoctl(c->vgem, DRM_IOCTL_MODE_CREATE_DUMB, &d), 0);
	c->vgem_handle = d.handle;
	igt_assert_eq(drmPrimeHandleToFD(c->vgem, d.handle, DRM_CLOEXEC,
					 &c->dmabuf), 0);
}

static int run_prime_import(struct ctx *c)
{
	return drmPrimeFDToHandle(c->fd, c->dmabuf, &c->created) ? -errno : 0;
}

static void setup_prime_export(struct ctx *c)
{
	uint32_t regions[] = { DRM_VDGPU_REGION_VRAM0, DRM_VDGPU_REGION_GTT };

	c->bo = vdgpu_gem_create(c->fd, SZ_64K, regions, 2, 0);
}

static int run_prime_export(struct ctx *c)
{
	return drmPrimeHandleToFD(c->fd, c->bo, DRM_CLOEXEC, &c->dmabuf) ?
	       -errno : 0;
}

/*
 * Eviction: VRAM filled with objects that may go to GTT, then one more
 * VRAM-only object, which evicts one of them.
 */
static void setup_evict(struct ctx *c)
{
	uint32_t regions[] = { DRM_VDGPU_REGION_VRAM0, DRM_VDGPU_REGION_GTT };

	fill_vram(c, regions, 2);
	c->region = DRM_VDGPU_REGION_VRAM0;
}

static int run_evict(struct ctx *c)
{
	return __vdgpu_gem_create(c->fd, SZ_4M, &c->region, 1, 0, &c->created);
}

/*
 * Swap-in: a system object written by the CPU, swapped out to shmem by
 * the shrinker (drop_caches), then mapped into a VM, which brings it back
 * into GTT.
 */
static int64_t swapped_out(struct ctx *c)
{
	char *text, *p;
	int64_t pages;

	igt_assert_lt(0, vdgpu_read_file_alloc(dfs_path(c, "memory"), &text));
	p = strstr(text, "swapped_out=");
	igt_assert(p);
	pages = strtoll(p + strlen("swapped_out="), NULL, 10);
	free(text);
	return pages;
}

/* A system object written by the CPU, then swapped out by the shrinker. */
static void swap_new_bo(struct ctx *c)
{
	uint32_t regions[] = { DRM_VDGPU_REGION_SYSTEM, DRM_VDGPU_REGION_GTT };
	int64_t before;
	uint8_t *p;

	c->bo = vdgpu_gem_create(c->fd, c->bo_size, regions, 2, 0);
	p = vdgpu_gem_mmap(c->fd, c->bo, c->bo_size);
	memset(p, 0x5a, c->bo_size);
	munmap(p, c->bo_size);
	before = swapped_out(c);
	igt_require_f(vdgpu_write_file("/proc/sys/vm/drop_caches", "2") == 0,
		      "cannot write /proc/sys/vm/drop_caches\n");
	igt_assert_f(swapped_out(c) - before >= (int64_t)(c->bo_size / SZ_4K),
		     "the shrinker swapped out %" PRId64 " pages, the object has %" PRIu64 "\n",
		     swapped_out(c) - before,
		     (uint64_t)(c->bo_size / SZ_4K));
}

static void setup_swap(struct ctx *c)
{
	c->vm = vdgpu_vm_create(c->fd);
	c->syncobj = syncobj_create(c->fd, 0);
	c->bo_size = SZ_2M;
	c->va = 1ull << 32;
	swap_new_bo(c);
}

/* Forgets what the last try made, for a new one. */
static void try_reset(struct ctx *c)
{
	c->fd = -1;
	c->vm = c->queue = c->bo = c->created = c->syncobj = 0;
	c->vgem_handle = c->region = c->vm_id = 0;
	c->bo_size = c->va = 0;
	c->dmabuf = c->vgem = -1;
	c->fillers = NULL;
	c->nfillers = 0;
	c->async = c->armed = c->pending = false;
}

/* A new client for a try, with what the operation needs. */
static void try_setup(struct ctx *c)
{
	c->fd = vdgpu_open_render();
	if (c->op->setup)
		c->op->setup(c);
}

/*
 * Swap-out: the shrinker, run by this thread through drop_caches, swaps a
 * GTT object out to shmem; whatever fails in there, its contents stay.
 */
static void setup_swap_out(struct ctx *c)
{
	uint32_t regions[] = { DRM_VDGPU_REGION_GTT, DRM_VDGPU_REGION_SYSTEM };
	uint8_t *p;

	c->bo_size = SZ_2M;
	c->bo = vdgpu_gem_create(c->fd, c->bo_size, regions, 2, 0);
	p = vdgpu_gem_mmap(c->fd, c->bo, c->bo_size);
	memset(p, 0x5a, c->bo_size);
	munmap(p, c->bo_size);
	igt_require_f(access("/proc/sys/vm/drop_caches", W_OK) == 0,
		      "cannot write /proc/sys/vm/drop_caches\n");
}

static int run_swap_out(struct ctx *c)
{
	(void)c;
	return vdgpu_write_file("/proc/sys/vm/drop_caches", "2");
}

static void verify_contents(struct ctx *c)
{
	uint8_t *p = vdgpu_gem_mmap(c->fd, c->bo, c->bo_size);
	uint64_t i;

	for (i = 0; i < c->bo_size; i++)
		if (p[i] != 0x5a)
			break;
	munmap(p, c->bo_size);
	igt_assert_f(i == c->bo_size, "byte %" PRIu64 " of the object lost\n",
		     i);
}

static void teardown(struct ctx *c)
{
	unsigned int i;

	if (c->dmabuf >= 0)
		close(c->dmabuf);
	if (c->vgem >= 0)
		close(c->vgem);
	for (i = 0; i < c->nfillers; i++)
		gem_close(c->fd, c->fillers[i]);
	free(c->fillers);
	/* The rest goes with the file. */
	close(c->fd);
	try_reset(c);
}

/* The operations, each the subject of a subtest of every family. */
static const struct op ops[] = {
	{
		.name = "gem-create-system",
		.desc = "GEM_CREATE in SYSTEM.",
		.setup = setup_create_system,
		.run = run_create,
	},
	{
		.name = "gem-create-gtt",
		.desc = "GEM_CREATE in GTT.",
		.setup = setup_create_gtt,
		.run = run_create,
	},
	{
		.name = "gem-create-vram",
		.desc = "GEM_CREATE in VRAM, cleared by a copy engine.",
		.setup = setup_create_vram,
		.run = run_create,
	},
	{
		.name = "gem-create-vm-private",
		.desc = "GEM_CREATE of an object private to a VM.",
		.setup = setup_create_vm,
		.run = run_create,
	},
	{
		.name = "mmap-fault",
		.desc = "MMAP_OFFSET, mmap() and a CPU fault populating a system object.",
		.setup = setup_fault,
		.run = run_fault,
		.fault = true,
	},
	{
		.name = "gem-wait",
		.desc = "GEM_WAIT on an idle object.",
		.setup = setup_bo,
		.run = run_wait,
		.no_points = true,
	},
	{
		.name = "gem-madvise",
		.desc = "GEM_MADVISE DONTNEED then WILLNEED.",
		.setup = setup_bo,
		.run = run_madvise,
		.no_points = true,
	},
	{
		.name = "query",
		.desc = "QUERY of the memory regions.",
		.setup = NULL,
		.run = run_query,
		.no_points = true,
	},
	{
		.name = "vm-create",
		.desc = "VM_CREATE with its root page table.",
		.setup = NULL,
		.run = run_vm_create,
	},
	{
		.name = "vm-destroy",
		.desc = "VM_DESTROY.",
		.setup = setup_vm_destroy,
		.run = run_vm_destroy,
		.no_points = true,
	},
	{
		.name = "vm-bind-map",
		.desc = "Synchronous VM_BIND MAP across a 2 MiB boundary.",
		.setup = setup_map,
		.run = run_map,
		.retries = true,
	},
	{
		.name = "vm-bind-map-async",
		.desc = "Asynchronous VM_BIND MAP with an out-sync.",
		.setup = setup_map_async,
		.run = run_map,
		.retries = true,
	},
	{
		.name = "vm-bind-unmap",
		.desc = "Synchronous partial VM_BIND UNMAP.",
		.setup = setup_unmap,
		.run = run_unmap,
		.retries = true,
	},
	{
		.name = "vm-bind-unmap-async",
		.desc = "Asynchronous partial VM_BIND UNMAP.",
		.setup = setup_unmap_async,
		.run = run_unmap,
		.retries = true,
	},
	{
		.name = "vm-bind-prefetch",
		.desc = "Synchronous VM_BIND PREFETCH from GTT to VRAM.",
		.setup = setup_prefetch,
		.run = run_prefetch,
		.retries = true,
	},
	{
		.name = "vm-bind-prefetch-async",
		.desc = "Asynchronous VM_BIND PREFETCH from GTT to VRAM.",
		.setup = setup_prefetch_async,
		.run = run_prefetch,
		.retries = true,
	},
	{
		.name = "exec-queue-create",
		.desc = "EXEC_QUEUE_CREATE.",
		.setup = setup_queue,
		.run = run_queue_create,
	},
	{
		.name = "exec-queue-destroy",
		.desc = "EXEC_QUEUE_DESTROY.",
		.setup = setup_queue_destroy,
		.run = run_queue_destroy,
		.no_points = true,
	},
	{
		.name = "exec",
		.desc = "EXEC of a batch with an implicit-sync object and an out-sync.",
		.setup = setup_exec,
		.run = run_exec,
	},
	{
		.name = "exec-evicted",
		.desc = "EXEC after its object was evicted, rewriting its mapping first.",
		.setup = setup_exec_evicted,
		.run = run_exec,
		.retries = true,
	},
	{
		.name = "prime-import",
		.desc = "PRIME import of a vgem object.",
		.setup = setup_prime_import,
		.run = run_prime_import,
	},
	{
		.name = "prime-export",
		.desc = "PRIME export of an object.",
		.setup = setup_prime_export,
		.run = run_prime_export,
		.no_points = true,
	},
	{
		.name = "evict",
		.desc = "GEM_CREATE in a full VRAM, evicting an object to GTT.",
		.setup = setup_evict,
		.run = run_evict,
		.evicts = true,
	},
	{
		.name = "swap-in",
		.desc = "VM_BIND MAP of an object the shrinker swapped out.",
		.setup = setup_swap,
		.run = run_map,
		.verify = verify_contents,
		.retries = true,
	},
	{
		.name = "swap-out",
		.desc = "The shrinker swapping a GTT object out, run by drop_caches.",
		.setup = setup_swap_out,
		.run = run_swap_out,
		.verify = verify_contents,
		.no_points = true,
	},
	{
		.name = "vm-bind-map-persistent",
		.desc = "Synchronous VM_BIND MAP whose retries fail too.",
		.setup = setup_map,
		.run = run_map,
		.persistent = true,
	},
	{
		.name = "exec-persistent",
		.desc = "EXEC whose retries fail too.",
		.setup = setup_exec,
		.run = run_exec,
		.persistent = true,
	},
};

/* The errnos an ioctl may fail with when memory runs out. */
static bool errno_documented(const struct ctx *c, int err)
{
	switch (-err) {
	case ENOMEM:
	case ENOSPC:
		return true;
	case EFAULT:
		/* A failed copy: allocations in copy_{to,from}_user. */
		return c->mech == MECH_FAIL_NTH;
	default:
		return false;
	}
}

static void ctx_open(struct ctx *c, enum mech mech, const struct op *op)
{
	memset(c, 0, sizeof(*c));
	try_reset(c);
	c->nth_fd = -1;
	c->mech = mech;
	c->op = op;
	c->probe = vdgpu_open_render();
	vdgpu_require_exec(c->probe);
	debugfs_dir(c);
}

static void knob_close(void *data)
{
	struct ctx *c = data;

	nth_write(c, 0);
	if (c->nth_fd >= 0)
		close(c->nth_fd);
	if (c->mech == MECH_KNOB)
		write_str(dfs_path(c, "inject/sticky"), "N");
}

/*
 * fail-nth drives every fault type the kernel has (failslab, user copies,
 * futexes...): none may log a stack for the failures it injects.
 */
static void fault_quiet(void)
{
	char path[PATH_MAX];
	struct dirent *de;
	DIR *dir;

	dir = opendir(VDGPU_DEBUGFS_ROOT);
	igt_assert(dir);
	while ((de = readdir(dir))) {
		if (strncmp(de->d_name, "fail", 4))
			continue;
		snprintf(path, sizeof(path), FAULT_DEBUGFS "%.200s/verbose",
			 de->d_name);
		if (!access(path, W_OK))
			igt_assert_eq(write_str(path, "0"), 0);
	}
	closedir(dir);
}

static void mech_prepare(struct ctx *c)
{
	char path[PATH_MAX];

	switch (c->mech) {
	case MECH_KNOB:
		c->nth_fd = -1;
		igt_require_f(access(dfs_path(c, "inject/fail_nth"), W_OK) == 0,
			      "no inject/fail_nth: %s\n", strerror(errno));
		igt_cleanup_push(knob_close, c);
		igt_assert_eq(write_str(dfs_path(c, "inject/sticky"),
					c->op->persistent ? "Y" : "N"), 0);
		break;
	case MECH_FAIL_NTH:
		snprintf(path, sizeof(path), "/proc/self/task/%ld/fail-nth",
			 (long)syscall(SYS_gettid));
		c->nth_fd = open(path, O_RDWR | O_CLOEXEC);
		igt_require_f(c->nth_fd >= 0,
			      "%s: %s (a kernel with CONFIG_FAULT_INJECTION, FAILSLAB and FAIL_PAGE_ALLOC)\n",
			      path, strerror(errno));
		igt_require_f(access(FAULT_DEBUGFS "failslab", F_OK) == 0 &&
			      access(FAULT_DEBUGFS "fail_page_alloc", F_OK) == 0,
			      "no failslab or fail_page_alloc in debugfs\n");
		/* Sleeping allocations too, of any order. */
		igt_assert_eq(write_str(FAULT_DEBUGFS "failslab/ignore-gfp-wait", "N"), 0);
		igt_assert_eq(write_str(FAULT_DEBUGFS "fail_page_alloc/ignore-gfp-wait", "N"), 0);
		igt_assert_eq(write_str(FAULT_DEBUGFS "fail_page_alloc/min-order", "0"), 0);
		fault_quiet();
		igt_cleanup_push(knob_close, c);
		break;
	case MECH_FAIL_FUNCTION:
		break;
	}
}

/* Declares the kernel's messages an injected failure brings. */
static void expect_messages(const struct ctx *c)
{
	if (c->op->evicts)
		igt_emit_ignore_dmesg_regex("Buffer eviction failed|Failed to find memory space for buffer");
	else if (c->op->fault)
		igt_emit_ignore_dmesg_regex("VM_FAULT_OOM leaked out to the #PF handler");
}

/*
 * After a try: a failed call must have been failed by the injection, with
 * a documented errno, and have left the state as it was before the call.
 * Counts the failures in *@failed.
 */
static int64_t budget_ns(void)
{
	const char *env = getenv("VDGPU_INJECT_SECONDS");
	long s = env ? strtol(env, NULL, 0) : 0;

	return s > 0 ? s * 1000000000ll : BUDGET_MS * 1000000ll;
}

static void check_outcome(struct ctx *c, const struct state *before,
			  int ret, bool reached, const char *what,
			  unsigned int *failed)
{
	if (ret) {
		igt_assert_f(reached,
			     "%s: failed with %d (%s) though nothing was injected\n",
			     what, ret, igt_errno_name(ret));
		igt_assert_f(errno_documented(c, ret),
			     "%s: failed with %d (%s), not a documented errno\n",
			     what, ret, igt_errno_name(ret));
		state_settle(c, before, what);
		(*failed)++;
		return;
	}
}

/*
 * knob-* and fail-nth-*: fail the 1st, 2nd, 3rd... point until the
 * operation completes without reaching the Nth.
 */
static void run_nth(enum mech mech, const struct op *op)
{
	struct state start = {}, before = {};
	unsigned int n, left, fails, failed = 0, absorbed = 0;
	int64_t t0 = vdgpu_now_ns();
	struct ctx c;
	char what[96];
	int ret;

	ctx_open(&c, mech, op);
	state_read_stable(&c, &start);
	mech_prepare(&c);
	expect_messages(&c);

	for (n = 1; n <= MAX_POINTS; n++) {
		snprintf(what, sizeof(what), "%s, failure point %u", op->name, n);
		try_setup(&c);
		state_read_stable(&c, &before);
		fails = mech == MECH_KNOB ? knob_fails(&c) : 0;
		c.armed = true;
		nth_write(&c, n);
		ret = op->run(&c);
		left = nth_read(&c);
		nth_write(&c, 0);
		c.armed = false;
		/* Sticky, the knob reads 1 after failing: count instead. */
		if (mech == MECH_KNOB)
			left = knob_fails(&c) == fails;
		op_finish(&c, ret);
		if (c.op->verify)
			c.op->verify(&c);
		if (!ret && !left)
			absorbed++;
		check_outcome(&c, &before, ret, !left, what, &failed);
		state_free(&before);
		teardown(&c);
		/* Nothing leaked: all is back where the subtest started. */
		state_settle(&c, &start, what);
		if (left)
			break;
		if (mech == MECH_FAIL_NTH && vdgpu_now_ns() - t0 > budget_ns()) {
			igt_info("%s: time budget spent after %u points\n",
				 op->name, n);
			break;
		}
	}
	igt_assert_f(n <= MAX_POINTS, "%s: more than %d failure points\n",
		     op->name, MAX_POINTS);
	igt_info("%s: %u failure points, %u failed the call, %u absorbed\n",
		 op->name, n - 1, failed, absorbed);
	if (op->no_points) {
		if (mech == MECH_KNOB)
			igt_assert_f(n == 1,
				     "%s: reached %u injection points, expected none\n",
				     op->name, n - 1);
	} else if (op->fault || (op->retries && !op->persistent)) {
		igt_assert_f(failed + absorbed > 0,
			     "%s: no failure point reached\n", op->name);
	} else {
		igt_assert_f(failed > 0,
			     "%s: no injected failure made the call fail\n",
			     op->name);
	}
	/* knob_close() needs @c: run it while @c lives. */
	igt_cleanup_pop(true);
	close(c.probe);
	state_free(&start);
}

/*
 * fail-function-*: each function vdgpu allows error injection on, made
 * to fail once for this thread.
 */
static void ff_write(const char *file, const char *val)
{
	char path[PATH_MAX];
	int ret;

	snprintf(path, sizeof(path), FAIL_FUNCTION "/%s", file);
	ret = write_str(path, val);
	igt_assert_f(ret == 0, "writing %s to %s: %s\n", val, path,
		     strerror(-ret));
}

static void ff_reset(void *data)
{
	(void)data;
	write_str(FAIL_FUNCTION "/inject", "");
	write_str("/proc/thread-self/make-it-fail", "0");
}

/* Only the thread that makes it-fail, every time, once. */
static void ff_setup(void)
{
	ff_write("task-filter", "Y");
	ff_write("probability", "100");
	ff_write("interval", "1");
	ff_write("verbose", "0");
}

/* Makes @fn fail once with -ENOMEM, in this thread. */
static void ff_arm(const char *fn)
{
	char retval[96];

	ff_write("inject", "");
	ff_write("inject", fn);
	snprintf(retval, sizeof(retval), "%.63s/retval", fn);
	/* -ENOMEM, as a long: some of them return pointers. */
	ff_write(retval, "0xfffffffffffffff4");
	ff_write("times", "1");
	igt_assert_eq(write_str("/proc/thread-self/make-it-fail", "1"), 0);
}

/* Disarms; whether the failure was injected. */
static bool ff_disarm(void)
{
	char *times;
	bool hit;

	igt_assert_eq(write_str("/proc/thread-self/make-it-fail", "0"), 0);
	igt_assert_lt(0, vdgpu_read_file_alloc(FAIL_FUNCTION "/times", &times));
	hit = atoi(times) == 0;
	free(times);
	ff_write("inject", "");
	return hit;
}

/* The functions of module vdgpu in fail_function/injectable. */
static unsigned int ff_functions(char fns[][64], unsigned int max)
{
	unsigned int n = 0;
	char line[256];
	FILE *f;

	f = fopen(FAIL_FUNCTION "/injectable", "r");
	igt_assert(f);
	while (n < max && fgets(line, sizeof(line), f)) {
		char name[64], mod[64];

		if (sscanf(line, "%63s [%63[^]]]", name, mod) == 2 &&
		    !strcmp(mod, "vdgpu"))
			snprintf(fns[n++], 64, "%s", name);
	}
	fclose(f);
	return n;
}

static void run_fail_function(const struct op *op)
{
	struct state start = {}, before = {};
	unsigned int i, count, reached = 0, failed = 0;
	char fns[64][64];
	bool hit;
	struct ctx c;
	char what[128];
	int ret;

	igt_require_f(access(FAIL_FUNCTION "/inject", W_OK) == 0,
		      "%s/inject: %s (a kernel with CONFIG_FAIL_FUNCTION)\n",
		      FAIL_FUNCTION, strerror(errno));
	ctx_open(&c, MECH_FAIL_FUNCTION, op);
	count = ff_functions(fns, 64);
	igt_assert_f(count > 0, "no vdgpu function is injectable\n");
	state_read_stable(&c, &start);
	expect_messages(&c);
	igt_cleanup_push(ff_reset, NULL);
	ff_setup();

	for (i = 0; i < count; i++) {
		snprintf(what, sizeof(what), "%.40s, %.63s failing", op->name,
			 fns[i]);
		try_setup(&c);
		state_read_stable(&c, &before);
		ff_arm(fns[i]);
		c.armed = true;
		ret = op->run(&c);
		c.armed = false;
		hit = ff_disarm();
		op_finish(&c, ret);
		if (c.op->verify)
			c.op->verify(&c);
		if (hit) {
			reached++;
			igt_info("%s: reached\n", what);
		}
		check_outcome(&c, &before, ret, hit, what, &failed);
		state_free(&before);
		teardown(&c);
		state_settle(&c, &start, what);
	}
	igt_info("%s: %u of %u functions reached, %u failed the call\n",
		 op->name, reached, count, failed);
	if (!op->no_points && !op->fault && !op->retries)
		igt_assert_f(failed > 0, "%s: no injected function made it fail\n",
			     op->name);
	else if (!op->no_points)
		igt_assert_f(reached > 0, "%s: no injected function reached\n",
			     op->name);

	close(c.probe);
	state_free(&start);
}

/*
 * fail-function-probe: each probe step vdgpu allows error injection on,
 * made to fail while the platform device is bound again, for this thread
 * (which runs the probe): the bind fails with that errno and leaves no DRM
 * node, and binding once more gives a working device holding the same
 * objects as before.
 */
static const char *const probe_steps[] = {
	"vdgpu_gart_init", "vdgpu_irq_init", "vdgpu_engines_init",
	"vdgpu_engines_test", "vdgpu_migrate_init", "vdgpu_exec_init",
	"vdgpu_ttm_init", "vdgpu_shrinker_init",
};

static char probe_dev[64];

static void probe_rebind(void *data)
{
	(void)data;
	ff_reset(NULL);
	if (vdgpu_kmod_count_nodes() == 0)
		vdgpu_write_file(VDGPU_PLATFORM_DRIVER_DIR "/bind", probe_dev);
}

static void read_objects(struct ctx *c, char *buf, size_t len)
{
	igt_assert_lt(0, vdgpu_read_file(dfs_path(c, "objects"), buf, len));
}

static void test_fail_function_probe(void)
{
	char before[128], after[128];
	struct ctx c;
	unsigned int i;
	int ret;

	igt_require_f(access(FAIL_FUNCTION "/inject", W_OK) == 0,
		      "%s/inject: %s (a kernel with CONFIG_FAIL_FUNCTION)\n",
		      FAIL_FUNCTION, strerror(errno));
	igt_require_f(access(VDGPU_PLATFORM_DRIVER_DIR "/bind", W_OK) == 0,
		      "%s/bind not writable\n", VDGPU_PLATFORM_DRIVER_DIR);
	ctx_open(&c, MECH_FAIL_FUNCTION, NULL);
	igt_assert_err(vdgpu_dev_bus_name(c.probe, probe_dev,
					  sizeof(probe_dev)), 0);
	read_objects(&c, before, sizeof(before));
	close(c.probe);
	igt_emit_ignore_dmesg_regex("probe with driver vdgpu failed with error -12");
	igt_cleanup_push(probe_rebind, NULL);
	ff_setup();

	for (i = 0; i < ARRAY_SIZE(probe_steps); i++) {
		igt_assert_eq(vdgpu_write_file(VDGPU_PLATFORM_DRIVER_DIR "/unbind",
					       probe_dev), 0);
		ff_arm(probe_steps[i]);
		ret = vdgpu_write_file(VDGPU_PLATFORM_DRIVER_DIR "/bind",
				       probe_dev);
		igt_assert_f(ff_disarm(), "%s was not called by probe\n",
			     probe_steps[i]);
		igt_assert_f(ret == -ENOMEM, "bind with %s failing: %d (%s)\n",
			     probe_steps[i], ret, igt_errno_name(ret));
		igt_assert_eq(vdgpu_kmod_count_nodes(), 0);

		igt_assert_eq(vdgpu_write_file(VDGPU_PLATFORM_DRIVER_DIR "/bind",
					       probe_dev), 0);
		vdgpu_kmod_check_device(NULL);
		c.probe = vdgpu_open_render();
		debugfs_dir(&c);
		read_objects(&c, after, sizeof(after));
		close(c.probe);
		igt_assert_eq_str(after, before);
		igt_info("%s failing: probe failed cleanly\n", probe_steps[i]);
	}
}

/* The subtest table: one per operation and family, built at start-up. */
static struct igt_subtest subtests[3 * ARRAY_SIZE(ops) + 1];
static char names[3 * ARRAY_SIZE(ops)][64];
static char descs[3 * ARRAY_SIZE(ops)][160];
static const struct op *subtest_op[3 * ARRAY_SIZE(ops) + 1];

static const struct op *current_op(void)
{
	const char *name = igt_subtest_name();
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(subtests); i++)
		if (subtests[i].name && !strcmp(name, subtests[i].name))
			return subtest_op[i];
	igt_assert(0);
	return NULL;
}

static void test_knob(void)
{
	run_nth(MECH_KNOB, current_op());
}

static void test_fail_nth(void)
{
	run_nth(MECH_FAIL_NTH, current_op());
}

static void test_fail_function(void)
{
	run_fail_function(current_op());
}

int main(int argc, char **argv)
{
	static const struct {
		const char *prefix;
		void (*func)(void);
		const char *how;
	} families[] = {
		{ "knob", test_knob, "the driver's fail_nth knob" },
		{ "fail-nth", test_fail_nth, "the kernel's fail-nth" },
		{ "fail-function", test_fail_function, "fail_function" },
	};
	unsigned int f, i, n = 0;

	for (f = 0; f < ARRAY_SIZE(families); f++) {
		for (i = 0; i < ARRAY_SIZE(ops); i++) {
			if (f && ops[i].persistent)
				continue;
			snprintf(names[n], sizeof(names[n]), "%s-%s",
				 families[f].prefix, ops[i].name);
			snprintf(descs[n], sizeof(descs[n]),
				 "%s Every failure through %s is clean.",
				 ops[i].desc, families[f].how);
			subtests[n].name = names[n];
			subtests[n].func = families[f].func;
			subtests[n].desc = descs[n];
			subtest_op[n++] = &ops[i];
		}
	}
	subtests[n++] = (struct igt_subtest){
		"fail-function-probe", test_fail_function_probe,
		"Each probe step failing through fail_function fails the bind cleanly.",
	};
	return igt_run(argc, argv,
		       "Fault injection over the vdgpu uAPI: every failure is clean.",
		       subtests, n);
}
