// SPDX-License-Identifier: GPL-2.0-only
/*
 * vdgpu_exec: command submission of vdgpu 1.3 (include/uapi/drm/vdgpu_drm.h,
 * "Command submission") end to end, in the spirit of xe_exec_basic and
 * xe_evict: exec queues on the compute engine, batches written in the
 * hardware's batch command set (STORE_DWORD, COPY, FILL, TIMESTAMP, WAIT)
 * and run through the VMs of vdgpu_vm_bind, ordering by binary and
 * timeline syncobjs and by implicit sync, batches waiting on memory the
 * CPU writes, hangs and GPU page faults (the fence errors, the ban, the
 * queues left unaffected, debugfs error_state), queues destroyed with work
 * pending, eviction and revalidation of the objects of VMs between jobs,
 * and one subtest per argument the kernel must refuse.
 *
 * Results are always read back by the CPU through mmap() after waiting for
 * the batch's out-syncobj, and compared with what the batch was told to
 * write; the errors of a stopped batch are read from its fence, exported
 * to a sync_file (SYNC_IOC_FILE_INFO status).
 *
 * The subtests holding a fence back (syncobj-chain-*, implicit-sync) need
 * vgem; the store-many-bos-evict-* subtests reload the module with 32 MiB
 * of VRAM (lib/vdgpu_kmod.h, needs root).  hang costs the 5 s of the queue
 * timeout.  Every subtest skips on a driver older than 1.3.
 *
 * Each subtest opens its own DRM files (the render node) and is documented
 * where it is defined.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <linux/capability.h>
#include <linux/dma-buf.h>
#include <xf86drm.h>
#include <drm/vdgpu_drm.h>

#include "igt_syncobj.h"
#include "vdgpu_gem.h"
#include "vdgpu_igt.h"
#include "vdgpu_kmod.h"

#define KIB		((uint64_t)1024)
#define MIB		(1024 * KIB)
#define GIB		(1024 * MIB)
#define SZ_4K		(4 * KIB)
#define SZ_64K		(64 * KIB)
#define SZ_2M		(2 * MIB)

#define NSEC_PER_MSEC	1000000ll
#define NSEC_PER_SEC	1000000000ll

#define SIGNAL		DRM_VDGPU_SYNC_SIGNAL
#define TIMELINE	DRM_VDGPU_SYNC_TIMELINE
#define IMPLICIT_SYNC	DRM_VDGPU_EXEC_IMPLICIT_SYNC
#define COMPUTE		DRM_VDGPU_ENGINE_CLASS_COMPUTE
#define COPY_CLASS	DRM_VDGPU_ENGINE_CLASS_COPY
#define PRIO_LOW	DRM_VDGPU_EXEC_QUEUE_PRIORITY_LOW
#define PRIO_NORMAL	DRM_VDGPU_EXEC_QUEUE_PRIORITY_NORMAL
#define PRIO_HIGH	DRM_VDGPU_EXEC_QUEUE_PRIORITY_HIGH

/* Limits of EXEC in this uAPI version. */
#define MAX_SYNCS	64
#define MAX_HANDLES	64
#define MAX_BATCH	MIB

/* How long a batch that should complete may take, and a hang. */
#define WAIT_NS		(10 * NSEC_PER_SEC)
#define LONG_WAIT_NS	(60 * NSEC_PER_SEC)
#define QUEUE_TIMEOUT_NS (5 * NSEC_PER_SEC)	/* drm_vdgpu_exec_queue_create */
#define HANG_WAIT_NS	(30 * NSEC_PER_SEC)

/*
 * Where the subtests map: data from DATA_VA, batches from BATCH_VA,
 * nothing at FAULT_VA and the addresses after it; all below VA_NEEDED,
 * which va_kernel_start must be above.  The fault addresses are page
 * aligned so that whatever granularity the device reports a fault at,
 * it is the address the batch used.
 */
#define DATA_VA		(1 * GIB)
#define BATCH_VA	(4 * GIB)
#define FAULT_VA	0x3dead0000ull
#define VA_NEEDED	(32 * GIB)

/*
 * The batch command set, from the hardware manual: vdgpu_regs.h, DOC
 * "Packets" (the header) and DOC "Batches" (the commands), rendered in
 * Documentation/gpu/vdgpu/hardware.rst.  That is a kernel header, so the
 * encoding is repeated here.  A command is a header dword, opcode in
 * [31:24], flags in [23:16] (none used in batches), the number of payload
 * dwords in [15:0], then its payload; 64-bit values are low dword first.
 */
#define CMD_HDR(op, len)	((uint32_t)(op) << 24 | (uint32_t)(len))
#define CMD_NOP			0x00	/* any length, payload ignored */
#define CMD_COPY		0x02	/* ctx, src lo/hi, dst lo/hi, size lo/hi */
#define   CMD_COPY_LEN		7
#define CMD_FILL		0x03	/* ctx, dst lo/hi, size lo/hi, pattern */
#define   CMD_FILL_LEN		6
#define CMD_STORE_DWORD		0x06	/* addr lo/hi, value */
#define   CMD_STORE_DWORD_LEN	3
#define CMD_TIMESTAMP		0x07	/* addr lo/hi (8-byte aligned) */
#define   CMD_TIMESTAMP_LEN	2
#define CMD_WAIT		0x08	/* addr lo/hi, value, mask */
#define   CMD_WAIT_LEN		4
#define CMD_MAX_LEN		0xffff

static void sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static int64_t ms_since(int64_t t0)
{
	return (int64_t)((vdgpu_now_ns() - t0) / NSEC_PER_MSEC);
}

/* A well mixed nonzero 32-bit value for @x, so values tell their origin. */
static uint32_t value_of(uint64_t x)
{
	x = (x ^ (x >> 33)) * 0xff51afd7ed558ccdull;
	x = (x ^ (x >> 33)) * 0xc4ceb9fe1a85ec53ull;
	x ^= x >> 33;
	return (uint32_t)x | 1;
}

/* A page nobody may read or write, for -EFAULT. */
static void *inaccessible_page(void)
{
	void *ptr = mmap(NULL, SZ_4K, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
			 -1, 0);

	igt_assert(ptr != MAP_FAILED);
	return ptr;
}

/*
 * Two pages, the second inaccessible, with @size bytes of @data at the
 * end of the first: an array whose next element cannot be read.
 */
static void *straddle(const void *data, size_t size, void **pages)
{
	char *p = mmap(NULL, 2 * SZ_4K, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	igt_assert(p != MAP_FAILED);
	igt_assert_eq(mprotect(p + SZ_4K, SZ_4K, PROT_NONE), 0);
	memcpy(p + SZ_4K - size, data, size);
	*pages = p;
	return p + SZ_4K - size;
}

static bool has_cap_sys_nice(void)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2] = { };

	igt_assert_f(syscall(SYS_capget, &hdr, data) == 0, "capget: %s\n",
		     strerror(errno));
	return data[CAP_SYS_NICE / 32].effective & (1u << (CAP_SYS_NICE % 32));
}

/*
 * The file under test: a render node of a 1.3 driver and what it says of
 * itself.
 */
#define MAX_ENGINES	16

struct xt {
	int fd;
	struct drm_vdgpu_query_device dev;
	int gtt, vram;			/* region ids, -1 if none */
	unsigned int num_engines;
	struct drm_vdgpu_engine engines[MAX_ENGINES];
};

static bool has_engine(const struct xt *t, uint16_t cls, uint16_t instance)
{
	unsigned int i;

	for (i = 0; i < t->num_engines; i++)
		if (t->engines[i].engine_class == cls &&
		    t->engines[i].instance == instance)
			return true;
	return false;
}

static void xt_query(struct xt *t)
{
	struct drm_vdgpu_query_mem_regions *r;
	struct drm_vdgpu_query_engines *e;
	uint32_t size, i;

	vdgpu_query_device(t->fd, &t->dev);
	t->gtt = t->vram = -1;
	r = vdgpu_query_alloc(t->fd, DRM_VDGPU_QUERY_MEM_REGIONS, sizeof(*r),
			      &size);
	igt_assert_lte(sizeof(struct drm_vdgpu_mem_region), r->region_size);
	igt_assert_lte_u64(sizeof(*r) + (uint64_t)r->num_regions * r->region_size,
			   size);
	for (i = 0; i < r->num_regions; i++) {
		struct drm_vdgpu_mem_region m;

		memcpy(&m, (const char *)r->regions + (size_t)i * r->region_size,
		       sizeof(m));
		if (m.mem_class == DRM_VDGPU_MEM_CLASS_GTT && t->gtt < 0)
			t->gtt = m.id;
		if (m.mem_class == DRM_VDGPU_MEM_CLASS_VRAM && t->vram < 0)
			t->vram = m.id;
	}
	free(r);

	e = vdgpu_query_alloc(t->fd, DRM_VDGPU_QUERY_ENGINES, sizeof(*e), &size);
	igt_assert_lte(sizeof(struct drm_vdgpu_engine), e->engine_size);
	igt_assert_lte_u64(sizeof(*e) + (uint64_t)e->num_engines * e->engine_size,
			   size);
	igt_assert_lte(e->num_engines, MAX_ENGINES);
	t->num_engines = e->num_engines;
	for (i = 0; i < e->num_engines; i++)
		memcpy(&t->engines[i],
		       (const char *)e->engines + (size_t)i * e->engine_size,
		       sizeof(t->engines[i]));
	free(e);
}

/*
 * Open a render node of a driver with command submission, which has a
 * compute engine 0 and a GPU region, and leaves the VA range the subtests
 * use to userspace.
 */
static void xt_open(struct xt *t)
{
	t->fd = vdgpu_open_render();
	vdgpu_require_exec(t->fd);
	xt_query(t);
	igt_require_f(t->gtt >= 0 || t->vram >= 0,
		      "the device has neither GTT nor VRAM\n");
	igt_assert_f(has_engine(t, COMPUTE, 0),
		     "a 1.3 device without compute engine 0\n");
	igt_require_f(t->dev.va_kernel_start >= VA_NEEDED,
		      "va_kernel_start %#" PRIx64 " is below the %#" PRIx64 " the subtests map\n",
		      (uint64_t)t->dev.va_kernel_start, VA_NEEDED);
}

/* The region the CPU shares data with the GPU in: GTT, else VRAM. */
static uint32_t cpu_region(const struct xt *t)
{
	return t->gtt >= 0 ? (uint32_t)t->gtt : (uint32_t)t->vram;
}

/*
 * Buffer objects: created in one region (kept CPU-visible in VRAM),
 * mapped in VMs by the caller, CPU-mapped on demand.
 */
struct bo {
	uint32_t handle;
	uint32_t region;
	uint64_t size;
	void *cpu;
};

static void bo_new(const struct xt *t, struct bo *bo, uint64_t size,
		   uint32_t region)
{
	uint32_t flags = (int)region == t->vram ? DRM_VDGPU_GEM_CREATE_CPU_ACCESS : 0;

	bo->handle = vdgpu_gem_create_in(t->fd, size, region, flags);
	bo->region = region;
	bo->size = size;
	bo->cpu = vdgpu_gem_mmap(t->fd, bo->handle, size);
}

static uint32_t *bo_u32(const struct bo *bo)
{
	return bo->cpu;
}

/* Regions data may live in, for subtests that try each: GTT and VRAM. */
static unsigned int data_regions(const struct xt *t, uint32_t *regions)
{
	unsigned int n = 0;

	if (t->gtt >= 0)
		regions[n++] = t->gtt;
	if (t->vram >= 0)
		regions[n++] = t->vram;
	return n;
}

/*
 * Batches.  A pool is an object mapped at one address of one VM, its
 * batches carved out of it one after the other (never reused, so the CPU
 * never writes a batch the GPU may be reading).
 */
struct pool {
	struct bo bo;
	uint64_t va;
	uint64_t used;
};

struct batch {
	uint32_t *cpu;
	uint64_t va;
	uint32_t len;		/* dwords */
	uint32_t max;
};

static void pool_init(const struct xt *t, struct pool *p, uint32_t vm,
		      uint64_t va, uint64_t size)
{
	bo_new(t, &p->bo, size, cpu_region(t));
	vdgpu_vm_map(t->fd, vm, p->bo.handle, 0, va, size, 0);
	p->va = va;
	p->used = 0;
}

static void batch_start(struct pool *p, struct batch *b)
{
	p->used = (p->used + 63) & ~63ull;
	igt_assert_lt_u64(p->used, p->bo.size);
	b->cpu = (uint32_t *)((char *)p->bo.cpu + p->used);
	b->va = p->va + p->used;
	b->len = 0;
	b->max = (p->bo.size - p->used) / 4;
}

/* Done writing @b: the pool moves past it. */
static void batch_end(struct pool *p, const struct batch *b)
{
	p->used += (uint64_t)b->len * 4;
}

static uint32_t batch_bytes(const struct batch *b)
{
	return b->len * 4;
}

static void emit(struct batch *b, uint32_t dw)
{
	igt_assert_f(b->len < b->max, "batch overflow at %u dwords\n", b->len);
	b->cpu[b->len++] = dw;
}

static void emit64(struct batch *b, uint64_t v)
{
	emit(b, (uint32_t)v);
	emit(b, (uint32_t)(v >> 32));
}

static void emit_store(struct batch *b, uint64_t va, uint32_t value)
{
	emit(b, CMD_HDR(CMD_STORE_DWORD, CMD_STORE_DWORD_LEN));
	emit64(b, va);
	emit(b, value);
}

static void emit_timestamp(struct batch *b, uint64_t va)
{
	emit(b, CMD_HDR(CMD_TIMESTAMP, CMD_TIMESTAMP_LEN));
	emit64(b, va);
}

static void emit_wait(struct batch *b, uint64_t va, uint32_t value,
		      uint32_t mask)
{
	emit(b, CMD_HDR(CMD_WAIT, CMD_WAIT_LEN));
	emit64(b, va);
	emit(b, value);
	emit(b, mask);
}

static void emit_copy(struct batch *b, uint64_t src, uint64_t dst,
		      uint64_t size)
{
	emit(b, CMD_HDR(CMD_COPY, CMD_COPY_LEN));
	emit(b, 0);		/* context: ignored in batches */
	emit64(b, src);
	emit64(b, dst);
	emit64(b, size);
}

static void emit_fill(struct batch *b, uint64_t dst, uint64_t size,
		      uint32_t pattern)
{
	emit(b, CMD_HDR(CMD_FILL, CMD_FILL_LEN));
	emit(b, 0);		/* context: ignored in batches */
	emit64(b, dst);
	emit64(b, size);
	emit(b, pattern);
}

/* A NOP of @payload dwords whose contents are left as they are. */
static void emit_nop(struct batch *b, uint32_t payload)
{
	igt_assert_lte(payload, CMD_MAX_LEN);
	emit(b, CMD_HDR(CMD_NOP, payload));
	igt_assert_lte_u64((uint64_t)b->len + payload, b->max);
	b->len += payload;
}

/*
 * Syncs and fences.
 */
static struct drm_vdgpu_sync sync_of(uint32_t handle, uint32_t flags,
				     uint64_t point)
{
	struct drm_vdgpu_sync s = {
		.flags = flags,
		.handle = handle,
		.point = point,
	};

	return s;
}

static struct drm_vdgpu_sync out_sync(uint32_t handle)
{
	return sync_of(handle, SIGNAL, 0);
}

static struct drm_vdgpu_sync in_sync(uint32_t handle)
{
	return sync_of(handle, 0, 0);
}

/*
 * Submit @b on @queue with @flags, @syncs and @handles.  The CPU's writes
 * of the batch are made visible first (a write-combined mapping may hold
 * them back).
 */
static int submit(int fd, uint32_t queue, const struct batch *b,
		  uint32_t flags, const struct drm_vdgpu_sync *syncs,
		  uint32_t num_syncs, const uint32_t *handles,
		  uint32_t num_handles)
{
	__sync_synchronize();
	return __vdgpu_exec(fd, queue, flags, b->va, batch_bytes(b), syncs,
			    num_syncs, handles, num_handles);
}

/* Submit @b with one out-syncobj, which is returned. */
static uint32_t submit_out(int fd, uint32_t queue, const struct batch *b)
{
	uint32_t out = syncobj_create(fd, 0);
	struct drm_vdgpu_sync s = out_sync(out);

	igt_assert_err(submit(fd, queue, b, 0, &s, 1, NULL, 0), 0);
	return out;
}

static int wait_fence(int fd, uint32_t syncobj, int64_t timeout_ns)
{
	return __syncobj_wait_until(fd, syncobj, 0, vdgpu_now_ns() + timeout_ns);
}

/* 1 signalled, 0 pending, or the error the fence signalled with. */
static int fence_status(int fd, uint32_t syncobj)
{
	int status = 2;

	igt_assert_err(__syncobj_fence_status(fd, syncobj, &status), 0);
	return status;
}

/* The batch of @syncobj completes within @timeout_ns, without error. */
static void assert_done_within(int fd, uint32_t syncobj, int64_t timeout_ns,
			       const char *what)
{
	int ret = wait_fence(fd, syncobj, timeout_ns);
	int status;

	igt_assert_f(ret == 0, "%s: not complete after %" PRId64 " ms (%s)\n",
		     what, (int64_t)(timeout_ns / NSEC_PER_MSEC),
		     igt_errno_name(ret));
	status = fence_status(fd, syncobj);
	igt_assert_f(status == 1, "%s: the fence signalled with %d (%s)\n",
		     what, status, igt_errno_name(status));
}

static void assert_done(int fd, uint32_t syncobj, const char *what)
{
	assert_done_within(fd, syncobj, WAIT_NS, what);
}

/* The batch of @syncobj completed (no waiting) with error @err. */
static void assert_failed(int fd, uint32_t syncobj, int err, const char *what)
{
	int status;

	igt_assert_f(__syncobj_wait(fd, syncobj, 0) == 0,
		     "%s: the fence has not signalled\n", what);
	status = fence_status(fd, syncobj);
	igt_assert_f(status == err,
		     "%s: the fence signalled with %d (%s), expected %d (%s)\n",
		     what, status, igt_errno_name(status), err,
		     igt_errno_name(err));
}

static void assert_pending(int fd, uint32_t syncobj, const char *what)
{
	int ret = __syncobj_wait(fd, syncobj, 0);

	igt_assert_f(ret == -ETIME, "%s: expected a pending fence, got %d (%s)\n",
		     what, ret, igt_errno_name(ret));
}

/* The syncobj has no fence: nothing was queued that would signal it. */
static void assert_no_fence(int fd, uint32_t syncobj)
{
	igt_assert_f(__syncobj_wait(fd, syncobj, 0) == -EINVAL,
		     "syncobj %u got a fence from a refused EXEC\n", syncobj);
}

/* Compare @n dwords; on a difference, list the first ones and fail. */
static void check_dwords(const volatile uint32_t *got, const uint32_t *want,
			 size_t n, const char *what)
{
	size_t i, bad = 0;

	for (i = 0; i < n; i++) {
		uint32_t g = got[i];

		if (g == want[i])
			continue;
		if (bad++ < 8)
			igt_info("%s: dword %zu (offset %#zx) is %#010x, expected %#010x\n",
				 what, i, i * 4, g, want[i]);
	}
	igt_assert_f(!bad, "%s: %zu of %zu dwords wrong\n", what, bad, n);
}

/*
 * debugfs: the device's DRM directory (the one holding "regions", "vms",
 * "memory" and "error_state").  False, with the reason logged, when
 * debugfs is not available to us.
 */
static bool debugfs_dir(int fd, char *dir, size_t len)
{
	char *slash;
	int ret;

	ret = vdgpu_debugfs_mount();
	if (ret) {
		igt_info("debugfs is not available at %s: %s\n",
			 VDGPU_DEBUGFS_ROOT, strerror(-ret));
		return false;
	}
	ret = vdgpu_regions_path(fd, dir, len);
	igt_assert_f(ret == 0, "cannot locate the device's debugfs directory: %s\n",
		     strerror(-ret));
	slash = strrchr(dir, '/');
	igt_assert(slash);
	*slash = '\0';
	if (access(dir, R_OK | X_OK)) {
		igt_info("cannot read %s: %s\n", dir, strerror(errno));
		return false;
	}
	return true;
}

/* Whether @text names @va as "0x<lower-case hex>", not as a prefix. */
static bool text_has_va(const char *text, uint64_t va)
{
	char needle[32];
	const char *p = text;
	size_t n;

	n = snprintf(needle, sizeof(needle), "0x%llx", (unsigned long long)va);
	while ((p = strstr(p, needle))) {
		char next = p[n];
		bool prefix_ok = p == text ||
				 !((p[-1] >= '0' && p[-1] <= '9') ||
				   (p[-1] >= 'a' && p[-1] <= 'z') ||
				   (p[-1] >= 'A' && p[-1] <= 'Z'));

		if (prefix_ok && !((next >= '0' && next <= '9') ||
				   (next >= 'a' && next <= 'f') ||
				   (next >= 'A' && next <= 'F')))
			return true;
		p += n;
	}
	return false;
}

/*
 * debugfs error_state names @va: the record of a fault there.  It may be
 * written just after the fence signals, so it is read again for up to
 * 2 s.  Without debugfs the check is skipped (logged).
 */
static void check_error_state_va(int fd, uint64_t va, const char *what)
{
	char dir[PATH_MAX], path[PATH_MAX + 16], *text = NULL;
	int ms, ret = 0;
	bool found = false;

	if (!debugfs_dir(fd, dir, sizeof(dir))) {
		igt_info("%s: error_state not checked\n", what);
		return;
	}
	snprintf(path, sizeof(path), "%s/error_state", dir);
	for (ms = 0; !found && ms <= 2000; ms += 50) {
		if (ms)
			sleep_ms(50);
		free(text);
		text = NULL;
		ret = vdgpu_read_file_alloc(path, &text);
		igt_assert_f(ret >= 0, "cannot read %s: %s\n", path,
			     strerror(-ret));
		found = text_has_va(text, va);
	}
	if (!found)
		igt_info("%s:\n%s", path, text);
	free(text);
	igt_assert_f(found, "%s: %s does not name the faulting address 0x%" PRIx64 "\n",
		     what, path, va);
}

/*
 * A fence userspace controls (lib's struct vdgpu_vgem_fence) reaches a
 * syncobj of the vdgpu file, or a dma-buf's reservation object, through
 * the vgem dma-buf's sync_file.
 */
/* A pending fence in binary syncobj @syncobj of @fd. */
static void hold_fence_in(int fd, uint32_t syncobj,
			  struct vdgpu_vgem_fence *hf)
{
	vdgpu_vgem_fence_hold(hf);
	igt_assert_err(__syncobj_import_sync_file(fd, syncobj, hf->sync_file), 0);
	igt_assert_f(__syncobj_wait(fd, syncobj, 0) == -ETIME,
		     "the vgem fence is not pending in the syncobj\n");
}

static void release_fence(struct vdgpu_vgem_fence *hf)
{
	int ret = vdgpu_vgem_fence_signal(hf);

	igt_assert_f(ret == 0, "vgem could not signal its fence: %s\n",
		     strerror(-ret));
	close(hf->sync_file);
	close(hf->vgem);
}

/* Whether a sync_file (or dma-buf) fd has signalled: poll() without waiting. */
static bool fd_signalled(int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	int ret;

	do {
		ret = poll(&pfd, 1, 0);
	} while (ret < 0 && errno == EINTR);
	igt_assert_f(ret >= 0, "poll: %s\n", strerror(errno));
	return ret == 1;
}

/*
 * The usual setup: a file, one VM, a pool of batches in it.
 */
struct rig {
	struct xt t;
	int fd;
	uint32_t vm;
	struct pool pool;
};

#define POOL_SIZE	MIB

static void rig_open(struct rig *r)
{
	xt_open(&r->t);
	r->fd = r->t.fd;
	r->vm = vdgpu_vm_create(r->fd);
	pool_init(&r->t, &r->pool, r->vm, BATCH_VA, POOL_SIZE);
}

/* A @size object in @region mapped at @va of @vm. */
static void rig_bo(struct rig *r, struct bo *bo, uint32_t vm, uint64_t va,
		   uint64_t size, uint32_t region)
{
	bo_new(&r->t, bo, size, region);
	vdgpu_vm_map(r->fd, vm, bo->handle, 0, va, size, 0);
}

/*
 * basic: in every GPU region, one batch of STORE_DWORDs (one per KiB of a
 * 256 KiB object, at varying offsets, and 16 consecutive dwords across a
 * page boundary) writes exactly those dwords: once its out-syncobj has
 * signalled without error, the CPU reads every dword of the object, the
 * stored values where the batch wrote and zeroes elsewhere.  Then eight
 * batches on the queue each write their number to one shared dword and
 * to a slot of their own: when the last one's fence signals, all have
 * (batches of a queue run in submission order) and the shared dword holds
 * the last number.
 */
#define BASIC_SIZE	(256 * KIB)

static void test_basic(void)
{
	uint32_t regions[2], queue, out, outs[8];
	unsigned int n, k, i;
	struct batch b;
	struct rig r;

	rig_open(&r);
	queue = vdgpu_exec_queue_create(r.fd, r.vm);
	n = data_regions(&r.t, regions);
	for (k = 0; k < n; k++) {
		uint64_t va = DATA_VA + k * SZ_2M;
		uint32_t *want = calloc(BASIC_SIZE / 4, sizeof(*want));
		char what[64];
		struct bo bo;

		igt_assert(want);
		rig_bo(&r, &bo, r.vm, va, BASIC_SIZE, regions[k]);
		batch_start(&r.pool, &b);
		for (i = 0; i < BASIC_SIZE / KIB; i++) {
			uint64_t off = i * KIB + ((i * 7) % 256) * 4;
			uint32_t v = value_of((uint64_t)k << 32 | i);

			emit_store(&b, va + off, v);
			want[off / 4] = v;
		}
		for (i = 0; i < 16; i++) {
			uint64_t off = 3 * SZ_4K - 32 + i * 4;
			uint32_t v = value_of(0x100000000ull * (k + 8) + i);

			emit_store(&b, va + off, v);
			want[off / 4] = v;
		}
		batch_end(&r.pool, &b);
		out = submit_out(r.fd, queue, &b);
		snprintf(what, sizeof(what), "the batch storing into %s",
			 vdgpu_region_name(regions[k]));
		assert_done(r.fd, out, what);
		check_dwords(bo_u32(&bo), want, BASIC_SIZE / 4, what);
		free(want);
		if (k)
			continue;

		for (i = 0; i < 8; i++) {
			batch_start(&r.pool, &b);
			emit_store(&b, va + 0x100, i + 1);
			emit_store(&b, va + 0x200 + i * 4, value_of(0x5000 + i));
			batch_end(&r.pool, &b);
			outs[i] = submit_out(r.fd, queue, &b);
		}
		assert_done(r.fd, outs[7], "the last of eight batches");
		for (i = 0; i < 8; i++) {
			igt_assert_f(__syncobj_wait(r.fd, outs[i], 0) == 0,
				     "batch %u of the queue has not completed though batch 8 has\n",
				     i + 1);
			igt_assert_eq(fence_status(r.fd, outs[i]), 1);
			igt_assert_eq_u64(bo_u32(&bo)[(0x200 + i * 4) / 4],
					  value_of(0x5000 + i));
		}
		igt_assert_eq(bo_u32(&bo)[0x100 / 4], 8);
	}
	close(r.fd);
}

/*
 * copy-fill: FILL and COPY through virtual addresses, between objects of
 * every pair of GPU regions, in one batch whose commands run in order: a
 * FILL of the whole 256 KiB destination (more than the 64 KiB a reset
 * may split them in), a FILL inside it, an unaligned COPY of 100003
 * bytes from an odd source offset to an odd destination offset, a
 * page-aligned COPY of 64 KiB, a COPY within the destination reading what
 * the first FILL wrote, and a FILL of the last dword.  Every byte of the
 * destination matches the same operations applied in order by the CPU,
 * and the source is unchanged.
 */
#define CF_SIZE		(256 * KIB)

static void cpu_fill(uint8_t *dst, uint64_t size, uint32_t pattern)
{
	uint64_t i;

	for (i = 0; i < size; i += 4)
		memcpy(dst + i, &pattern, 4);
}

static void test_copy_fill(void)
{
	static const struct {
		bool copy;
		bool from_dst;	/* COPY: source in the destination object */
		uint64_t src, dst, size;
		uint32_t pattern;
	} ops[] = {
		{ false, false, 0, 0, CF_SIZE, 0xa5a5a5a5 },
		{ false, false, 0, 4100, 40000, 0x01020304 },
		{ true, false, 1, 70001, 100003, 0 },
		{ true, false, 128 * KIB, 192 * KIB, 64 * KIB, 0 },
		{ true, true, 8, 250000, 1000, 0 },
		{ false, false, 0, CF_SIZE - 4, 4, 0xfeedface },
	};
	uint32_t regions[2], queue, out;
	uint8_t *want, *src_copy;
	unsigned int n, i, j, k, pair = 0;
	struct rig r;

	rig_open(&r);
	queue = vdgpu_exec_queue_create(r.fd, r.vm);
	n = data_regions(&r.t, regions);
	want = malloc(CF_SIZE);
	src_copy = malloc(CF_SIZE);
	igt_assert(want && src_copy);
	for (i = 0; i < n; i++) {
		for (j = 0; j < n; j++, pair++) {
			uint64_t src_va = DATA_VA + pair * 2 * SZ_2M;
			uint64_t dst_va = src_va + SZ_2M;
			struct bo src, dst;
			struct batch b;
			char what[64];

			rig_bo(&r, &src, r.vm, src_va, CF_SIZE, regions[i]);
			rig_bo(&r, &dst, r.vm, dst_va, CF_SIZE, regions[j]);
			for (k = 0; k < CF_SIZE / 4; k++)
				bo_u32(&src)[k] = value_of(pair * CF_SIZE + k);
			memcpy(src_copy, src.cpu, CF_SIZE);
			memset(want, 0, CF_SIZE);

			batch_start(&r.pool, &b);
			for (k = 0; k < ARRAY_SIZE(ops); k++) {
				if (!ops[k].copy) {
					emit_fill(&b, dst_va + ops[k].dst, ops[k].size,
						  ops[k].pattern);
					cpu_fill(want + ops[k].dst, ops[k].size,
						 ops[k].pattern);
					continue;
				}
				emit_copy(&b, (ops[k].from_dst ? dst_va : src_va) + ops[k].src,
					  dst_va + ops[k].dst, ops[k].size);
				memcpy(want + ops[k].dst,
				       (ops[k].from_dst ? want : src_copy) + ops[k].src,
				       ops[k].size);
			}
			batch_end(&r.pool, &b);
			out = submit_out(r.fd, queue, &b);
			snprintf(what, sizeof(what), "copy-fill %s to %s",
				 vdgpu_region_name(regions[i]),
				 vdgpu_region_name(regions[j]));
			assert_done(r.fd, out, what);
			check_dwords(bo_u32(&dst), (const uint32_t *)want,
				     CF_SIZE / 4, what);
			check_dwords(bo_u32(&src), (const uint32_t *)src_copy,
				     CF_SIZE / 4, "the COPY source");
		}
	}
	free(want);
	free(src_copy);
	close(r.fd);
}

/*
 * timestamp: TIMESTAMP writes the device clock in nanoseconds: two in one
 * batch, around 256 STORE_DWORDs, are written (the 8-byte sentinel the
 * CPU put there is gone) and do not decrease; a third, in a batch
 * submitted at least 50 ms after the CPU saw the first batch complete, is
 * at least 45 ms after the second, and the span from the first to the
 * third is no longer than the CPU's from before the first submission to
 * after the last completion (plus 1 ms).
 */
static void test_timestamp(void)
{
	const uint64_t sentinel = ~0ull;
	volatile uint64_t *ts;
	int64_t c0, c1, c2, c3;
	uint32_t queue, out;
	struct batch b;
	struct bo bo;
	struct rig r;
	uint64_t t0, t1, t2;
	int i;

	rig_open(&r);
	queue = vdgpu_exec_queue_create(r.fd, r.vm);
	rig_bo(&r, &bo, r.vm, DATA_VA, SZ_64K, cpu_region(&r.t));
	ts = bo.cpu;
	for (i = 0; i < 4; i++)
		ts[i] = sentinel;

	batch_start(&r.pool, &b);
	emit_timestamp(&b, DATA_VA);
	for (i = 0; i < 256; i++)
		emit_store(&b, DATA_VA + SZ_4K + i * 4, i);
	emit_timestamp(&b, DATA_VA + 8);
	batch_end(&r.pool, &b);
	c0 = vdgpu_now_ns();
	out = submit_out(r.fd, queue, &b);
	assert_done(r.fd, out, "the first timestamp batch");
	c1 = vdgpu_now_ns();
	sleep_ms(50);

	batch_start(&r.pool, &b);
	emit_timestamp(&b, DATA_VA + 16);
	batch_end(&r.pool, &b);
	c2 = vdgpu_now_ns();
	out = submit_out(r.fd, queue, &b);
	assert_done(r.fd, out, "the second timestamp batch");
	c3 = vdgpu_now_ns();

	t0 = ts[0];
	t1 = ts[1];
	t2 = ts[2];
	igt_info("timestamps %" PRIu64 " %" PRIu64 " %" PRIu64 " (+%" PRId64 " ns, +%" PRId64 " ns); CPU %" PRId64 " ms apart, %" PRId64 " ms in all\n",
		 t0, t1, t2, (int64_t)(t1 - t0), (int64_t)(t2 - t1),
		 (int64_t)((c2 - c1) / NSEC_PER_MSEC),
		 (int64_t)((c3 - c0) / NSEC_PER_MSEC));
	igt_assert_f(t0 != sentinel && t1 != sentinel && t2 != sentinel,
		     "a TIMESTAMP did not write\n");
	igt_assert_eq_u64(ts[3], sentinel);
	igt_assert_lte_u64(t0, t1);
	igt_assert_lte_u64(t1, t2);
	igt_assert_f(t2 - t1 >= (uint64_t)(c2 - c1) * 9 / 10,
		     "%" PRIu64 " ns between timestamps taken at least %" PRId64 " ns apart\n",
		     t2 - t1, c2 - c1);
	igt_assert_f(t2 - t0 <= (uint64_t)(c3 - c0) + NSEC_PER_MSEC,
		     "%" PRIu64 " ns between timestamps taken within %" PRId64 " ns\n",
		     t2 - t0, c3 - c0);
	close(r.fd);
}

/*
 * wait-cpu-release: WAIT makes a batch wait on memory: a batch that WAITs
 * for the dword at an address to read 0xc0de____ (mask 0xffff0000) and
 * then stores a value has not completed, nor stored, 100 ms after
 * submission while the CPU keeps 0x00001234 there, nor 100 ms after the
 * CPU writes 0xc0df5678 (equal outside the mask only); once the CPU
 * writes 0xc0de5678 through its mapping, the batch completes without
 * error and the value is there.
 */
static void test_wait_cpu_release(void)
{
	volatile uint32_t *flag, *result;
	uint32_t queue, out;
	struct batch b;
	struct bo bo;
	struct rig r;
	int64_t t0;

	rig_open(&r);
	queue = vdgpu_exec_queue_create(r.fd, r.vm);
	rig_bo(&r, &bo, r.vm, DATA_VA, SZ_64K, cpu_region(&r.t));
	flag = bo_u32(&bo);
	result = bo_u32(&bo) + 16;
	*flag = 0x00001234;

	batch_start(&r.pool, &b);
	emit_wait(&b, DATA_VA, 0xc0de0000, 0xffff0000);
	emit_store(&b, DATA_VA + 64, 0x600d);
	batch_end(&r.pool, &b);
	t0 = vdgpu_now_ns();
	out = submit_out(r.fd, queue, &b);

	sleep_ms(100);
	assert_pending(r.fd, out, "a batch waiting for a dword nobody wrote");
	igt_assert_eq(*result, 0);
	*flag = 0xc0df5678;
	__sync_synchronize();
	sleep_ms(100);
	assert_pending(r.fd, out, "a batch waiting for a dword that does not match");
	igt_assert_eq(*result, 0);

	*flag = 0xc0de5678;
	__sync_synchronize();
	assert_done(r.fd, out, "the batch whose dword the CPU wrote");
	igt_info("the batch completed %" PRId64 " ms after submission\n",
		 ms_since(t0));
	igt_assert_eq(*result, 0x600d);
	close(r.fd);
}

/* drm-engine-compute of @fd's fdinfo in ns, -1 without the key. */
static int64_t fdinfo_engine_ns(int fd)
{
	char path[64], line[256];
	int64_t ns = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = fopen(path, "r");
	igt_assert_f(f, "cannot open %s\n", path);
	while (fgets(line, sizeof(line), f)) {
		long long v;

		if (sscanf(line, "drm-engine-compute: %lld ns", &v) == 1)
			ns = v;
	}
	fclose(f);
	return ns;
}

/*
 * fdinfo-engine: fdinfo reports the file's time on the compute engine
 * (drm-engine-compute, DRM client usage stats): it grows while a batch of
 * the file waits on the engine, by no more than the wall time that passed,
 * and another file that ran nothing stays at 0.
 */
static void test_fdinfo_engine(void)
{
	int64_t before, during, after, t0, other;
	volatile uint32_t *flag;
	uint32_t queue, out;
	struct rig r, o;
	struct batch b;
	struct bo bo;

	rig_open(&r);
	rig_open(&o);
	before = fdinfo_engine_ns(r.fd);
	igt_assert_f(before >= 0, "no drm-engine-compute in fdinfo\n");
	queue = vdgpu_exec_queue_create(r.fd, r.vm);
	rig_bo(&r, &bo, r.vm, DATA_VA, SZ_64K, cpu_region(&r.t));
	flag = bo_u32(&bo);

	batch_start(&r.pool, &b);
	emit_wait(&b, DATA_VA, 1, ~0u);
	batch_end(&r.pool, &b);
	t0 = vdgpu_now_ns();
	out = submit_out(r.fd, queue, &b);
	sleep_ms(200);
	during = fdinfo_engine_ns(r.fd);
	*flag = 1;
	__sync_synchronize();
	assert_done(r.fd, out, "the batch waiting for the CPU");
	after = fdinfo_engine_ns(r.fd);
	igt_info("engine time: %" PRId64 " ns before, %" PRId64
		 " while waiting, %" PRId64 " after, %" PRId64 " ns of wall time\n",
		 before, during, after, vdgpu_now_ns() - t0);
	igt_assert_f(during > before,
		     "no engine time counted for the batch running now\n");
	igt_assert_f(after >= during, "engine time went backwards\n");
	igt_assert_f(after - before <= vdgpu_now_ns() - t0,
		     "more engine time than wall time\n");
	other = fdinfo_engine_ns(o.fd);
	igt_assert_eq(other, 0);
	close(o.fd);
	close(r.fd);
}

/*
 * queue-create-destroy: queues of compute engine 0 at each priority: the
 * first queue of a file has id 1 and the next ones other nonzero ids
 * (another file's first queue is 1 too); LOW and NORMAL are always
 * allowed, HIGH with CAP_SYS_NICE (-EPERM without); each queue runs a
 * batch.  32 more queues get distinct ids.  A destroyed queue is -ENOENT
 * for EXEC and for a second destroy while the file's other queues keep
 * working.
 */
static void test_queue_create_destroy(void)
{
	uint32_t q[3] = { 0, 0, 0 }, more[32], qo, vm_o, out;
	bool nice = has_cap_sys_nice();
	int i, j, ret, nq = nice ? 3 : 2;
	struct batch b;
	struct rig r, o;
	struct bo bo;

	rig_open(&r);
	rig_bo(&r, &bo, r.vm, DATA_VA, SZ_64K, cpu_region(&r.t));
	igt_assert_err(__vdgpu_exec_queue_create(r.fd, r.vm, COMPUTE, 0,
						 PRIO_NORMAL, &q[0]), 0);
	igt_assert_eq(q[0], 1);
	igt_assert_err(__vdgpu_exec_queue_create(r.fd, r.vm, COMPUTE, 0,
						 PRIO_LOW, &q[1]), 0);
	ret = __vdgpu_exec_queue_create(r.fd, r.vm, COMPUTE, 0, PRIO_HIGH, &q[2]);
	igt_info("CAP_SYS_NICE %s: a HIGH priority queue is %d (%s)\n",
		 nice ? "held" : "not held", ret, igt_errno_name(ret));
	igt_assert_err(ret, nice ? 0 : -EPERM);
	for (i = 0; i < nq; i++) {
		char what[32];

		igt_assert_neq(q[i], 0);
		for (j = 0; j < i; j++)
			igt_assert_neq(q[i], q[j]);
		batch_start(&r.pool, &b);
		emit_store(&b, DATA_VA + i * 4, value_of(i));
		batch_end(&r.pool, &b);
		out = submit_out(r.fd, q[i], &b);
		snprintf(what, sizeof(what), "a batch of queue %u", q[i]);
		assert_done(r.fd, out, what);
		igt_assert_eq_u64(bo_u32(&bo)[i], value_of(i));
	}

	rig_open(&o);
	vm_o = o.vm;
	igt_assert_err(__vdgpu_exec_queue_create(o.fd, vm_o, COMPUTE, 0,
						 PRIO_NORMAL, &qo), 0);
	igt_assert_eq(qo, 1);
	close(o.fd);

	for (i = 0; i < 32; i++) {
		more[i] = vdgpu_exec_queue_create(r.fd, r.vm);
		for (j = 0; j < nq; j++)
			igt_assert_neq(more[i], q[j]);
		for (j = 0; j < i; j++)
			igt_assert_neq(more[i], more[j]);
	}

	vdgpu_exec_queue_destroy(r.fd, q[1]);
	batch_start(&r.pool, &b);
	emit_store(&b, DATA_VA + 0x100, 1);
	batch_end(&r.pool, &b);
	igt_assert_err(submit(r.fd, q[1], &b, 0, NULL, 0, NULL, 0), -ENOENT);
	igt_assert_err(__vdgpu_exec_queue_destroy(r.fd, q[1]), -ENOENT);
	out = submit_out(r.fd, q[0], &b);
	assert_done(r.fd, out, "a batch of a queue next to a destroyed one");
	igt_assert_eq(bo_u32(&bo)[0x100 / 4], 1);
	for (i = 0; i < 32; i += 2)
		vdgpu_exec_queue_destroy(r.fd, more[i]);
	close(r.fd);
}

/*
 * Two VMs of one file, each with its pool, sharing a 64 KiB object mapped
 * at DATA_VA in both.
 */
struct rig2 {
	struct rig r;
	uint32_t vm2;
	struct pool pool2;
	struct bo x;
};

static void rig2_open(struct rig2 *r2)
{
	struct rig *r = &r2->r;

	rig_open(r);
	r2->vm2 = vdgpu_vm_create(r->fd);
	pool_init(&r->t, &r2->pool2, r2->vm2, BATCH_VA, POOL_SIZE);
	rig_bo(r, &r2->x, r->vm, DATA_VA, SZ_64K, cpu_region(&r->t));
	vdgpu_vm_map(r->fd, r2->vm2, r2->x.handle, 0, DATA_VA, SZ_64K, 0);
}

#define CHAIN_VALUE	0x5eed1234u
#define CONTROL_VALUE	0x600du

/*
 * syncobj-chain-binary: three batches on three queues (two of one VM, one
 * of another) ordered only by binary syncobjs: A, held back by a pending
 * vgem fence in its in-syncobj, stores a value; B waits for A's
 * out-syncobj and copies it one dword on; C waits for B's and copies it
 * once more.  Meanwhile a batch D without syncs on a fourth queue
 * completes (the engine is free, so only the syncobjs hold B and C back),
 * and 100 ms later A, B and C have neither completed nor written.  Once
 * the vgem fence signals, all three complete without error and the value
 * is in all three dwords.
 */
static void test_syncobj_chain_binary(void)
{
	uint32_t qa, qb, qc, qd, in, sa, sb, sc, sd;
	struct drm_vdgpu_sync s[2];
	struct vdgpu_vgem_fence hf;
	volatile uint32_t *x;
	struct rig2 r2;
	struct rig *r = &r2.r;
	struct batch b;

	rig2_open(&r2);
	x = bo_u32(&r2.x);
	qa = vdgpu_exec_queue_create(r->fd, r->vm);
	qb = vdgpu_exec_queue_create(r->fd, r->vm);
	qc = vdgpu_exec_queue_create(r->fd, r2.vm2);
	qd = vdgpu_exec_queue_create(r->fd, r->vm);
	in = syncobj_create(r->fd, 0);
	sa = syncobj_create(r->fd, 0);
	sb = syncobj_create(r->fd, 0);
	sc = syncobj_create(r->fd, 0);
	hold_fence_in(r->fd, in, &hf);

	batch_start(&r->pool, &b);
	emit_store(&b, DATA_VA, CHAIN_VALUE);
	batch_end(&r->pool, &b);
	s[0] = in_sync(in);
	s[1] = out_sync(sa);
	igt_assert_err(submit(r->fd, qa, &b, 0, s, 2, NULL, 0), 0);

	batch_start(&r->pool, &b);
	emit_copy(&b, DATA_VA, DATA_VA + 4, 4);
	batch_end(&r->pool, &b);
	s[0] = in_sync(sa);
	s[1] = out_sync(sb);
	igt_assert_err(submit(r->fd, qb, &b, 0, s, 2, NULL, 0), 0);

	batch_start(&r2.pool2, &b);
	emit_copy(&b, DATA_VA + 4, DATA_VA + 8, 4);
	batch_end(&r2.pool2, &b);
	s[0] = in_sync(sb);
	s[1] = out_sync(sc);
	igt_assert_err(submit(r->fd, qc, &b, 0, s, 2, NULL, 0), 0);

	batch_start(&r->pool, &b);
	emit_store(&b, DATA_VA + 12, CONTROL_VALUE);
	batch_end(&r->pool, &b);
	sd = submit_out(r->fd, qd, &b);
	assert_done(r->fd, sd, "a batch without syncs next to a held chain");
	igt_assert_eq(x[3], CONTROL_VALUE);

	sleep_ms(100);
	assert_pending(r->fd, sa, "A, behind a pending in-fence");
	assert_pending(r->fd, sb, "B, behind A");
	assert_pending(r->fd, sc, "C, behind B");
	igt_assert_eq(x[0], 0);
	igt_assert_eq(x[1], 0);
	igt_assert_eq(x[2], 0);

	release_fence(&hf);
	assert_done(r->fd, sc, "C, the end of the chain");
	assert_done(r->fd, sb, "B");
	assert_done(r->fd, sa, "A");
	igt_assert_eq(x[0], CHAIN_VALUE);
	igt_assert_eq(x[1], CHAIN_VALUE);
	igt_assert_eq(x[2], CHAIN_VALUE);
	close(r->fd);
}

/* Status of point @point of timeline @tl, through a binary syncobj. */
static int point_status(int fd, uint32_t tl, uint64_t point)
{
	uint32_t tmp = syncobj_create(fd, 0);
	int status;

	igt_assert_err(__syncobj_transfer(fd, tmp, 0, tl, point, 0), 0);
	status = fence_status(fd, tmp);
	syncobj_destroy(fd, tmp);
	return status;
}

/*
 * syncobj-chain-timeline: the same chain through the points of one
 * timeline syncobj: A (held back by a vgem fence in a binary in-syncobj)
 * signals point 1, B waits for point 1 and signals point 2, C (another
 * VM) waits for point 2 and signals point 3.  While the vgem fence is
 * pending a batch without syncs completes, and 100 ms later no point has
 * signalled (the timeline's payload is 0) and nothing was copied; once it
 * signals, point 3 is reached, the payload is 3, each point's fence
 * signalled without error, and the value is in all three dwords.
 */
static void test_syncobj_chain_timeline(void)
{
	uint32_t qa, qb, qc, qd, in, tl, sd;
	struct drm_vdgpu_sync s[2];
	struct vdgpu_vgem_fence hf;
	volatile uint32_t *x;
	struct rig2 r2;
	struct rig *r = &r2.r;
	struct batch b;
	uint64_t point = ~0ull;
	int p;

	rig2_open(&r2);
	x = bo_u32(&r2.x);
	qa = vdgpu_exec_queue_create(r->fd, r->vm);
	qb = vdgpu_exec_queue_create(r->fd, r->vm);
	qc = vdgpu_exec_queue_create(r->fd, r2.vm2);
	qd = vdgpu_exec_queue_create(r->fd, r->vm);
	in = syncobj_create(r->fd, 0);
	tl = syncobj_create(r->fd, 0);
	hold_fence_in(r->fd, in, &hf);

	batch_start(&r->pool, &b);
	emit_store(&b, DATA_VA, CHAIN_VALUE);
	batch_end(&r->pool, &b);
	s[0] = in_sync(in);
	s[1] = sync_of(tl, SIGNAL | TIMELINE, 1);
	igt_assert_err(submit(r->fd, qa, &b, 0, s, 2, NULL, 0), 0);

	batch_start(&r->pool, &b);
	emit_copy(&b, DATA_VA, DATA_VA + 4, 4);
	batch_end(&r->pool, &b);
	s[0] = sync_of(tl, TIMELINE, 1);
	s[1] = sync_of(tl, SIGNAL | TIMELINE, 2);
	igt_assert_err(submit(r->fd, qb, &b, 0, s, 2, NULL, 0), 0);

	batch_start(&r2.pool2, &b);
	emit_copy(&b, DATA_VA + 4, DATA_VA + 8, 4);
	batch_end(&r2.pool2, &b);
	s[0] = sync_of(tl, TIMELINE, 2);
	s[1] = sync_of(tl, SIGNAL | TIMELINE, 3);
	igt_assert_err(submit(r->fd, qc, &b, 0, s, 2, NULL, 0), 0);

	batch_start(&r->pool, &b);
	emit_store(&b, DATA_VA + 12, CONTROL_VALUE);
	batch_end(&r->pool, &b);
	sd = submit_out(r->fd, qd, &b);
	assert_done(r->fd, sd, "a batch without syncs next to a held chain");
	igt_assert_eq(x[3], CONTROL_VALUE);

	sleep_ms(100);
	for (p = 1; p <= 3; p++)
		igt_assert_f(__syncobj_timeline_wait(r->fd, tl, p, 0) == -ETIME,
			     "timeline point %d is not pending\n", p);
	igt_assert_err(__syncobj_query(r->fd, tl, &point), 0);
	igt_assert_eq_u64(point, 0);
	igt_assert_eq(x[0], 0);
	igt_assert_eq(x[1], 0);
	igt_assert_eq(x[2], 0);

	release_fence(&hf);
	igt_assert_err(__syncobj_timeline_wait_until(r->fd, tl, 3, 0,
						     vdgpu_now_ns() + WAIT_NS), 0);
	igt_assert_err(__syncobj_query(r->fd, tl, &point), 0);
	igt_assert_eq_u64(point, 3);
	for (p = 1; p <= 3; p++)
		igt_assert_f(point_status(r->fd, tl, p) == 1,
			     "timeline point %d signalled with an error\n", p);
	igt_assert_eq(x[0], CHAIN_VALUE);
	igt_assert_eq(x[1], CHAIN_VALUE);
	igt_assert_eq(x[2], CHAIN_VALUE);
	close(r->fd);
}

/*
 * implicit-sync: IMPLICIT_SYNC orders batches through the reservation
 * objects of the shared objects they list.
 *
 * Between batches: A (held back by a vgem fence in its in-syncobj) lists
 * object X and stores a value in it; B, on another queue with no syncs,
 * lists X and copies that dword one on; C, on a third queue, writes X
 * without IMPLICIT_SYNC and completes while A is held.  100 ms later A
 * and B have not completed, B copied nothing, and the sync_file exported
 * from X's dma-buf for reading (its writers' fences) is pending: A's
 * fence was published on X when it was queued.  Once the vgem fence
 * signals, both complete, B having copied A's value, and the exported
 * sync_file has signalled.
 *
 * From other drivers: with a pending vgem fence imported into X's
 * dma-buf as a writer, a batch D listing X waits (not complete, not
 * written 100 ms later) while a batch E writing X without IMPLICIT_SYNC
 * completes; once the fence signals, D completes and wrote.
 */
static void test_implicit_sync(void)
{
	uint32_t qa, qb, qc, in, sa, sb, sc, sd, se;
	struct dma_buf_export_sync_file exp = { .flags = DMA_BUF_SYNC_READ, .fd = -1 };
	struct dma_buf_import_sync_file imp = { .flags = DMA_BUF_SYNC_WRITE };
	struct drm_vdgpu_sync s[2];
	struct vdgpu_vgem_fence hf, hf2;
	volatile uint32_t *x;
	struct rig2 r2;
	struct rig *r = &r2.r;
	struct batch b;
	int dmabuf = -1, ret;

	rig2_open(&r2);
	x = bo_u32(&r2.x);
	igt_assert_eq(drmPrimeHandleToFD(r->fd, r2.x.handle, DRM_CLOEXEC | DRM_RDWR,
					 &dmabuf), 0);
	qa = vdgpu_exec_queue_create(r->fd, r->vm);
	qb = vdgpu_exec_queue_create(r->fd, r->vm);
	qc = vdgpu_exec_queue_create(r->fd, r->vm);
	in = syncobj_create(r->fd, 0);
	sa = syncobj_create(r->fd, 0);
	sb = syncobj_create(r->fd, 0);
	hold_fence_in(r->fd, in, &hf);

	batch_start(&r->pool, &b);
	emit_store(&b, DATA_VA, CHAIN_VALUE);
	batch_end(&r->pool, &b);
	s[0] = in_sync(in);
	s[1] = out_sync(sa);
	igt_assert_err(submit(r->fd, qa, &b, IMPLICIT_SYNC, s, 2,
			      &r2.x.handle, 1), 0);

	batch_start(&r->pool, &b);
	emit_copy(&b, DATA_VA, DATA_VA + 4, 4);
	batch_end(&r->pool, &b);
	s[0] = out_sync(sb);
	igt_assert_err(submit(r->fd, qb, &b, IMPLICIT_SYNC, s, 1,
			      &r2.x.handle, 1), 0);

	batch_start(&r->pool, &b);
	emit_store(&b, DATA_VA + 8, CONTROL_VALUE);
	batch_end(&r->pool, &b);
	sc = submit_out(r->fd, qc, &b);
	assert_done(r->fd, sc, "a batch writing X without IMPLICIT_SYNC");
	igt_assert_eq(x[2], CONTROL_VALUE);

	sleep_ms(100);
	assert_pending(r->fd, sa, "A, behind a pending in-fence");
	assert_pending(r->fd, sb, "B, listing X after A");
	igt_assert_eq(x[0], 0);
	igt_assert_eq(x[1], 0);
	ret = ioctl(dmabuf, DMA_BUF_IOCTL_EXPORT_SYNC_FILE, &exp) ? -errno : 0;
	igt_require_f(ret != -ENOTTY,
		      "the kernel cannot export a dma-buf's fences\n");
	igt_assert_err(ret, 0);
	igt_assert_f(!fd_signalled(exp.fd),
		     "X's dma-buf has no pending writer while A is queued\n");

	release_fence(&hf);
	assert_done(r->fd, sb, "B");
	assert_done(r->fd, sa, "A");
	igt_assert_eq(x[0], CHAIN_VALUE);
	igt_assert_eq(x[1], CHAIN_VALUE);
	igt_assert_f(fd_signalled(exp.fd),
		     "the fences A left on X's dma-buf have not signalled\n");
	close(exp.fd);

	vdgpu_vgem_fence_hold(&hf2);
	imp.fd = hf2.sync_file;
	ret = ioctl(dmabuf, DMA_BUF_IOCTL_IMPORT_SYNC_FILE, &imp) ? -errno : 0;
	igt_require_f(ret != -ENOTTY,
		      "the kernel cannot import fences into a dma-buf\n");
	igt_assert_err(ret, 0);
	batch_start(&r->pool, &b);
	emit_store(&b, DATA_VA + 12, CHAIN_VALUE + 1);
	batch_end(&r->pool, &b);
	sd = syncobj_create(r->fd, 0);
	s[0] = out_sync(sd);
	igt_assert_err(submit(r->fd, qb, &b, IMPLICIT_SYNC, s, 1,
			      &r2.x.handle, 1), 0);
	batch_start(&r->pool, &b);
	emit_store(&b, DATA_VA + 16, CONTROL_VALUE + 1);
	batch_end(&r->pool, &b);
	se = submit_out(r->fd, qc, &b);
	assert_done(r->fd, se, "a batch writing X without IMPLICIT_SYNC");
	igt_assert_eq(x[4], CONTROL_VALUE + 1);
	sleep_ms(100);
	assert_pending(r->fd, sd, "D, listing X behind a foreign writer");
	igt_assert_eq(x[3], 0);
	release_fence(&hf2);
	assert_done(r->fd, sd, "D");
	igt_assert_eq(x[3], CHAIN_VALUE + 1);
	close(dmabuf);
	close(r->fd);
}

/*
 * hang: a batch that WAITs for a dword nobody writes is stopped by the
 * queue's 5 s timeout: its out-syncobj signals (after at least 4.5 s,
 * within 30 s) with -ETIMEDOUT and the store behind the WAIT never
 * happens; the batch queued behind it on its queue is cancelled
 * (-ECANCELED, nothing written); the queue is banned: EXEC on it is
 * -ECANCELED and leaves the out-syncobj passed along without a fence.
 * Batches queued meanwhile on another queue of the same VM and on a queue
 * of another VM complete without error and write, as do batches submitted
 * to them and to a new queue of the VM after the ban.  The banned queue
 * can still be destroyed.  debugfs error_state, when readable, changed
 * (it records hangs; its format is not checked).
 */
#define HANG_VALUE	0xdeadu

static void test_hang(void)
{
	uint32_t qh, qs, qo, qn, oh, oh2, os, oo, out;
	volatile uint32_t *x;
	struct drm_vdgpu_sync s;
	struct rig2 r2;
	struct rig *r = &r2.r;
	char dir[PATH_MAX], path[PATH_MAX + 16], *before = NULL;
	struct batch b;
	int64_t t0, took;
	int ret;

	rig2_open(&r2);
	x = bo_u32(&r2.x);
	qh = vdgpu_exec_queue_create(r->fd, r->vm);
	qs = vdgpu_exec_queue_create(r->fd, r->vm);
	qo = vdgpu_exec_queue_create(r->fd, r2.vm2);
	if (debugfs_dir(r->fd, dir, sizeof(dir))) {
		snprintf(path, sizeof(path), "%s/error_state", dir);
		ret = vdgpu_read_file_alloc(path, &before);
		igt_assert_f(ret >= 0, "cannot read %s: %s\n", path, strerror(-ret));
	}

	batch_start(&r->pool, &b);
	emit_wait(&b, DATA_VA, 1, ~0u);
	emit_store(&b, DATA_VA + 4, HANG_VALUE);
	batch_end(&r->pool, &b);
	t0 = vdgpu_now_ns();
	oh = submit_out(r->fd, qh, &b);
	batch_start(&r->pool, &b);
	emit_store(&b, DATA_VA + 8, HANG_VALUE);
	batch_end(&r->pool, &b);
	oh2 = submit_out(r->fd, qh, &b);
	batch_start(&r->pool, &b);
	emit_store(&b, DATA_VA + 12, value_of(12));
	batch_end(&r->pool, &b);
	os = submit_out(r->fd, qs, &b);
	batch_start(&r2.pool2, &b);
	emit_store(&b, DATA_VA + 16, value_of(16));
	batch_end(&r2.pool2, &b);
	oo = submit_out(r->fd, qo, &b);

	ret = wait_fence(r->fd, oh, HANG_WAIT_NS);
	took = vdgpu_now_ns() - t0;
	igt_assert_f(ret == 0, "a hanging batch was not stopped within %lld s (%s)\n",
		     HANG_WAIT_NS / NSEC_PER_SEC, igt_errno_name(ret));
	igt_info("the hanging batch was stopped after %" PRId64 " ms\n",
		 (int64_t)(took / NSEC_PER_MSEC));
	igt_assert_f(took >= QUEUE_TIMEOUT_NS * 9 / 10,
		     "a batch waiting on memory was stopped after %" PRId64 " ms, before the 5 s timeout\n",
		     (int64_t)(took / NSEC_PER_MSEC));
	assert_failed(r->fd, oh, -ETIMEDOUT, "the hanging batch");
	igt_assert_f(wait_fence(r->fd, oh2, WAIT_NS) == 0,
		     "the batch queued behind a hang never signalled\n");
	assert_failed(r->fd, oh2, -ECANCELED, "the batch queued behind a hang");
	assert_done(r->fd, os, "a batch of another queue of the VM, queued during the hang");
	assert_done(r->fd, oo, "a batch of another VM, queued during the hang");
	igt_assert_eq(x[1], 0);
	igt_assert_eq(x[2], 0);
	igt_assert_eq_u64(x[3], value_of(12));
	igt_assert_eq_u64(x[4], value_of(16));

	out = syncobj_create(r->fd, 0);
	s = out_sync(out);
	batch_start(&r->pool, &b);
	emit_store(&b, DATA_VA + 20, HANG_VALUE);
	batch_end(&r->pool, &b);
	igt_assert_err(submit(r->fd, qh, &b, 0, &s, 1, NULL, 0), -ECANCELED);
	assert_no_fence(r->fd, out);

	batch_start(&r->pool, &b);
	emit_store(&b, DATA_VA + 24, value_of(24));
	batch_end(&r->pool, &b);
	assert_done(r->fd, submit_out(r->fd, qs, &b),
		    "a batch of another queue of the VM, after the ban");
	qn = vdgpu_exec_queue_create(r->fd, r->vm);
	batch_start(&r->pool, &b);
	emit_store(&b, DATA_VA + 28, value_of(28));
	batch_end(&r->pool, &b);
	assert_done(r->fd, submit_out(r->fd, qn, &b),
		    "a batch of a new queue of the VM, after the ban");
	batch_start(&r2.pool2, &b);
	emit_store(&b, DATA_VA + 32, value_of(32));
	batch_end(&r2.pool2, &b);
	assert_done(r->fd, submit_out(r->fd, qo, &b),
		    "a batch of another VM, after the ban");
	igt_assert_eq(x[5], 0);
	igt_assert_eq_u64(x[6], value_of(24));
	igt_assert_eq_u64(x[7], value_of(28));
	igt_assert_eq_u64(x[8], value_of(32));
	vdgpu_exec_queue_destroy(r->fd, qh);

	if (before) {
		char *after;

		ret = vdgpu_read_file_alloc(path, &after);
		igt_assert_f(ret >= 0, "cannot read %s: %s\n", path, strerror(-ret));
		igt_info("%s after the hang:\n%s", path, after);
		igt_assert_f(strcmp(before, after),
			     "%s did not change with a hang\n", path);
		free(after);
		free(before);
	}
	close(r->fd);
}

/*
 * Submit a batch of @r's pool on a new queue of @r's VM that faults, and
 * check what a fault does: the batch's fence signals with -EIO, the queue
 * is banned (EXEC -ECANCELED, no fence) and error_state names @va.
 * Returns the queue.
 */
static uint32_t fault_queue(struct rig *r, const struct batch *b, uint64_t va,
			    const char *what)
{
	uint32_t q = vdgpu_exec_queue_create(r->fd, r->vm), out, out2;
	struct drm_vdgpu_sync s;
	int ret;

	out = submit_out(r->fd, q, b);
	ret = wait_fence(r->fd, out, WAIT_NS);
	igt_assert_f(ret == 0, "%s: not stopped within 10 s (%s)\n", what,
		     igt_errno_name(ret));
	assert_failed(r->fd, out, -EIO, what);
	out2 = syncobj_create(r->fd, 0);
	s = out_sync(out2);
	igt_assert_err(submit(r->fd, q, b, 0, &s, 1, NULL, 0), -ECANCELED);
	assert_no_fence(r->fd, out2);
	check_error_state_va(r->fd, va, what);
	return q;
}

/*
 * page-fault: a batch storing to an address the VM does not map faults
 * (it first WAITs for the CPU, so that the batches below are queued by
 * then): its fence signals with -EIO, the store before the faulting one
 * happened and the one after it did not; the batch queued behind it on
 * its queue is cancelled (-ECANCELED, nothing written); the queue is
 * banned (EXEC -ECANCELED, no fence); debugfs error_state names the
 * address; batches queued meanwhile on another queue of the VM and on a
 * queue of another VM complete and write.  The same fence error, ban and
 * error_state record for a store to a read-only mapping (whose contents
 * stay as they were), a COPY reading an unmapped address (nothing
 * written), and a batch whose own address is unmapped (EXEC accepts it:
 * it is only fetched by the GPU).  A new queue of the VM then works.
 * error_state is only checked when debugfs is readable.
 */
static void test_page_fault(void)
{
	const uint64_t ro_va = DATA_VA + SZ_2M;
	const uint64_t read_va = FAULT_VA + MIB, fetch_va = FAULT_VA + 2 * MIB;
	uint32_t qf, qs, qo, qn, of, ob, os, oo, out, *ro_copy;
	volatile uint32_t *x;
	struct rig2 r2;
	struct rig *r = &r2.r;
	struct batch b, fetch = { .va = fetch_va, .len = 4 };
	struct bo ro;
	int ret, i;

	rig2_open(&r2);
	x = bo_u32(&r2.x);
	bo_new(&r->t, &ro, SZ_64K, cpu_region(&r->t));
	vdgpu_vm_map(r->fd, r->vm, ro.handle, 0, ro_va, SZ_64K,
		     DRM_VDGPU_VM_BIND_READ_ONLY);
	ro_copy = malloc(SZ_64K);
	igt_assert(ro_copy);
	for (i = 0; i < (int)(SZ_64K / 4); i++)
		ro_copy[i] = bo_u32(&ro)[i] = value_of(0x40000 + i);
	qf = vdgpu_exec_queue_create(r->fd, r->vm);
	qs = vdgpu_exec_queue_create(r->fd, r->vm);
	qo = vdgpu_exec_queue_create(r->fd, r2.vm2);

	batch_start(&r->pool, &b);
	emit_wait(&b, DATA_VA + 128, 1, ~0u);	/* until all four are queued */
	emit_store(&b, DATA_VA, 0x11);
	emit_store(&b, FAULT_VA, 0xdead);
	emit_store(&b, DATA_VA + 4, 0x22);
	batch_end(&r->pool, &b);
	of = submit_out(r->fd, qf, &b);
	batch_start(&r->pool, &b);
	emit_store(&b, DATA_VA + 8, 0x33);
	batch_end(&r->pool, &b);
	ob = submit_out(r->fd, qf, &b);
	batch_start(&r->pool, &b);
	emit_store(&b, DATA_VA + 12, value_of(12));
	batch_end(&r->pool, &b);
	os = submit_out(r->fd, qs, &b);
	batch_start(&r2.pool2, &b);
	emit_store(&b, DATA_VA + 16, value_of(16));
	batch_end(&r2.pool2, &b);
	oo = submit_out(r->fd, qo, &b);
	x[32] = 1;
	__sync_synchronize();

	ret = wait_fence(r->fd, of, WAIT_NS);
	igt_assert_f(ret == 0, "a faulting batch was not stopped within 10 s (%s)\n",
		     igt_errno_name(ret));
	assert_failed(r->fd, of, -EIO, "a store to an unmapped address");
	igt_assert_f(wait_fence(r->fd, ob, WAIT_NS) == 0,
		     "the batch queued behind a fault never signalled\n");
	assert_failed(r->fd, ob, -ECANCELED, "the batch queued behind a fault");
	assert_done(r->fd, os, "a batch of another queue of the VM");
	assert_done(r->fd, oo, "a batch of another VM");
	igt_assert_eq(x[0], 0x11);
	igt_assert_eq(x[1], 0);
	igt_assert_eq(x[2], 0);
	igt_assert_eq_u64(x[3], value_of(12));
	igt_assert_eq_u64(x[4], value_of(16));
	out = syncobj_create(r->fd, 0);
	batch_start(&r->pool, &b);
	emit_store(&b, DATA_VA + 20, 0x44);
	batch_end(&r->pool, &b);
	{
		struct drm_vdgpu_sync s = out_sync(out);

		igt_assert_err(submit(r->fd, qf, &b, 0, &s, 1, NULL, 0), -ECANCELED);
	}
	assert_no_fence(r->fd, out);
	check_error_state_va(r->fd, FAULT_VA, "a store to an unmapped address");

	batch_start(&r->pool, &b);
	emit_store(&b, ro_va, 0xdead);
	batch_end(&r->pool, &b);
	fault_queue(r, &b, ro_va, "a store to a read-only mapping");
	check_dwords(bo_u32(&ro), ro_copy, SZ_64K / 4, "a read-only mapping");

	batch_start(&r->pool, &b);
	emit_copy(&b, read_va, DATA_VA + 0x100, 64);
	batch_end(&r->pool, &b);
	fault_queue(r, &b, read_va, "a COPY from an unmapped address");
	for (i = 0; i < 16; i++)
		igt_assert_eq(x[0x40 + i], 0);

	fault_queue(r, &fetch, fetch_va, "a batch at an unmapped address");

	qn = vdgpu_exec_queue_create(r->fd, r->vm);
	batch_start(&r->pool, &b);
	emit_store(&b, DATA_VA + 24, value_of(24));
	batch_end(&r->pool, &b);
	assert_done(r->fd, submit_out(r->fd, qn, &b),
		    "a batch of a new queue of the VM after the faults");
	igt_assert_eq(x[5], 0);
	igt_assert_eq_u64(x[6], value_of(24));
	free(ro_copy);
	close(r->fd);
}

/*
 * A thread that writes 1 to a dword @delay_ms after it starts: the CPU
 * releasing a WAIT while the main thread is in an ioctl that may wait for
 * the batches to reach the engine.
 */
struct releaser {
	pthread_t thread;
	volatile uint32_t *dword;
	unsigned int delay_ms;
};

static void *releaser_main(void *data)
{
	struct releaser *rl = data;

	sleep_ms(rl->delay_ms);
	*rl->dword = 1;
	__sync_synchronize();
	return NULL;
}

static void release_later(struct releaser *rl, volatile uint32_t *dword,
			  unsigned int delay_ms)
{
	rl->dword = dword;
	rl->delay_ms = delay_ms;
	igt_assert_eq(pthread_create(&rl->thread, NULL, releaser_main, rl), 0);
}

static void release_join(struct releaser *rl)
{
	igt_assert_eq(pthread_join(rl->thread, NULL), 0);
}

/* Wait up to 10 s for the GPU to write @value at @dword. */
static void wait_dword(volatile uint32_t *dword, uint32_t value,
		       const char *what)
{
	int ms;

	for (ms = 0; *dword != value && ms < 10000; ms++)
		sleep_ms(1);
	igt_assert_f(*dword == value, "%s: %#x after 10 s, expected %#x\n",
		     what, *dword, value);
}

/*
 * queue-destroy-pending: a queue is destroyed with four batches queued,
 * the first running and WAITing for a dword the CPU has not written, the
 * three others behind it: none of them has completed (or been cancelled)
 * when the destroy is made.  A thread writes the dword 200 ms later (the
 * destroy may wait for the batches to reach the engine, which the uAPI
 * leaves open).  The queue is then gone (EXEC and a second destroy are
 * -ENOENT), yet its four batches all complete without error, in order,
 * and wrote.
 */
static void test_queue_destroy_pending(void)
{
	uint32_t q, outs[4];
	volatile uint32_t *x;
	struct releaser rl;
	struct batch b;
	struct bo bo;
	struct rig r;
	int64_t t0;
	int i;

	rig_open(&r);
	rig_bo(&r, &bo, r.vm, DATA_VA, SZ_64K, cpu_region(&r.t));
	x = bo_u32(&bo);
	q = vdgpu_exec_queue_create(r.fd, r.vm);
	for (i = 0; i < 4; i++) {
		batch_start(&r.pool, &b);
		if (!i) {
			emit_store(&b, DATA_VA + 128, 1);
			emit_wait(&b, DATA_VA, 1, ~0u);
		}
		emit_store(&b, DATA_VA + 4 + 4 * i, value_of(i));
		emit_store(&b, DATA_VA + 64, i + 1);
		batch_end(&r.pool, &b);
		outs[i] = submit_out(r.fd, q, &b);
	}
	wait_dword(&x[32], 1, "the first batch starting");
	for (i = 0; i < 4; i++) {
		assert_pending(r.fd, outs[i], "a batch of a queue about to be destroyed");
		igt_assert_eq(x[1 + i], 0);
	}

	release_later(&rl, &x[0], 200);
	t0 = vdgpu_now_ns();
	vdgpu_exec_queue_destroy(r.fd, q);
	igt_info("the destroy returned after %" PRId64 " ms\n", ms_since(t0));
	igt_assert_err(submit(r.fd, q, &b, 0, NULL, 0, NULL, 0), -ENOENT);
	igt_assert_err(__vdgpu_exec_queue_destroy(r.fd, q), -ENOENT);
	release_join(&rl);
	for (i = 0; i < 4; i++) {
		assert_done(r.fd, outs[i], "a batch of a destroyed queue");
		igt_assert_eq_u64(x[1 + i], value_of(i));
	}
	igt_assert_eq(x[16], 4);
	close(r.fd);
}

/*
 * close-file-pending: closing a file destroys its queues likewise: a
 * batch of another file, running and WAITing for a dword of an object
 * that file shares with ours through PRIME, outlives the file: a thread
 * writes the dword 300 ms after the close is made, and the batch (whose
 * out-syncobj was imported into our file) then completes without error
 * and writes.  If the close returned well before that, the batch was
 * still pending after it.
 */
static void test_close_file_pending(void)
{
	uint32_t h2, vm2, q2, s2, s1 = 0;
	volatile uint32_t *x;
	struct releaser rl;
	struct pool pool2;
	struct xt t2;
	struct batch b;
	struct bo bo;
	struct rig r;
	int dmabuf = -1, sfd = -1;
	int64_t t0, took;

	rig_open(&r);
	bo_new(&r.t, &bo, SZ_64K, cpu_region(&r.t));
	x = bo_u32(&bo);
	igt_assert_eq(drmPrimeHandleToFD(r.fd, bo.handle, DRM_CLOEXEC | DRM_RDWR,
					 &dmabuf), 0);

	xt_open(&t2);
	igt_assert_eq(drmPrimeFDToHandle(t2.fd, dmabuf, &h2), 0);
	close(dmabuf);
	vm2 = vdgpu_vm_create(t2.fd);
	vdgpu_vm_map(t2.fd, vm2, h2, 0, DATA_VA, SZ_64K, 0);
	pool_init(&t2, &pool2, vm2, BATCH_VA, POOL_SIZE);
	q2 = vdgpu_exec_queue_create(t2.fd, vm2);
	batch_start(&pool2, &b);
	emit_store(&b, DATA_VA + 8, 1);
	emit_wait(&b, DATA_VA, 1, ~0u);
	emit_store(&b, DATA_VA + 4, CHAIN_VALUE);
	batch_end(&pool2, &b);
	s2 = submit_out(t2.fd, q2, &b);
	igt_assert_err(__syncobj_handle_to_fd(t2.fd, s2, &sfd), 0);
	igt_assert_err(__syncobj_fd_to_handle(r.fd, sfd, &s1), 0);
	close(sfd);
	munmap(pool2.bo.cpu, pool2.bo.size);
	wait_dword(&x[2], 1, "the other file's batch starting");

	release_later(&rl, &x[0], 300);
	t0 = vdgpu_now_ns();
	close(t2.fd);
	took = vdgpu_now_ns() - t0;
	igt_info("the close returned after %" PRId64 " ms\n",
		 (int64_t)(took / NSEC_PER_MSEC));
	if (took < 200 * NSEC_PER_MSEC) {
		assert_pending(r.fd, s1, "a batch of a closed file");
		igt_assert_eq(x[1], 0);
	}
	release_join(&rl);
	assert_done(r.fd, s1, "a batch of a closed file");
	igt_assert_eq(x[1], CHAIN_VALUE);
	close(r.fd);
}

/*
 * store-many-bos-evict*: STORE_DWORDs into objects that add up to twice
 * VRAM, in the spirit of xe_evict.  The module is reloaded with 32 MiB of
 * VRAM (and a 128 MiB GTT), and the original parameters put back at the
 * end.  The objects are 1 MiB each, split between the VMs, each VM's
 * mapped from DATA_VA every 2 MiB.  Every EXEC stores one dword into each
 * page of a quarter of four objects of its VM (picked at random), so each
 * batch touches several objects; two rounds do that for every quarter of
 * every object, each round at its own offsets in the page, and submission
 * alternates between the VMs in bursts of 8 EXECs (or, with threads, each
 * thread submits its VM's EXECs on its own queue while the others do).
 * Only once every out-syncobj has signalled without error does the CPU
 * read the objects back, every dword: the two values stored in each page
 * where they were stored, zeroes elsewhere.  Shared objects are listed
 * with IMPLICIT_SYNC; VM-private objects are not listed.
 *
 * Between EXECs of different VMs, with VRAM-only objects, a VM's objects
 * cannot all stay in VRAM: the kernel must evict some and bring the VM's
 * objects back before its batch runs.  So for those variants the debugfs
 * counters ("memory": evictions, gtt_to_vram bytes, which counts any move
 * into VRAM) must have grown while the batches ran; the [VRAM, GTT]
 * variants only log them, as their objects may legitimately stay where
 * they are.  Without debugfs the counters are not checked.
 */
#define EV_PARAMS		"vram_size=32 visible_vram_size=32 gart_size=128"
#define EV_OBJ_SIZE		MIB
#define EV_OBJ_STRIDE		SZ_2M
#define EV_PAGES		(EV_OBJ_SIZE / SZ_4K)
#define EV_PARTS		4
#define EV_PART_PAGES		(EV_PAGES / EV_PARTS)
#define EV_PARTS_PER_EXEC	4
#define EV_ROUNDS		2
#define EV_BURST		8
#define EV_MAX_VMS		4
#define EV_MAX_QUEUES		4
#define EV_BATCH_BYTES \
	(EV_PARTS_PER_EXEC * EV_PART_PAGES * (1 + CMD_STORE_DWORD_LEN) * 4)

struct ev_cfg {
	unsigned int vms;	/* VMs, each with its share of the objects */
	unsigned int queues;	/* queues per VM */
	bool threads;		/* a thread per VM, with its own queue */
	bool private_bos;	/* VM-private objects, else shared ones */
	bool vram_only;		/* objects in VRAM only, else VRAM then GTT */
};

struct ev_exec {
	uint32_t queue;		/* index into the VM's queues */
	uint32_t batch_off;
	uint32_t batch_len;
	uint32_t num_handles;
	uint32_t handles[EV_PARTS_PER_EXEC];
	uint32_t syncobj;
};

struct ev_vm {
	int fd;
	const struct ev_cfg *cfg;
	uint32_t vm;
	uint32_t queues[EV_MAX_QUEUES];
	uint32_t first_obj, num_objs;
	uint32_t batch_bo;
	uint64_t batch_size;
	struct ev_exec *execs;
	uint32_t num_execs;
	/* a thread's outcome */
	pthread_t thread;
	int err;
	uint32_t failed_at;
	const char *failed_op;
};

/*
 * The CPU mapping in use, which would keep the DRM file (and so the
 * module) from going if a failure left it behind.
 */
static struct {
	void *map;
	uint64_t size;
} ev_map;

static void ev_unmap(void)
{
	if (ev_map.map)
		munmap(ev_map.map, ev_map.size);
	ev_map.map = NULL;
}

static void ev_cleanup(void *data)
{
	(void)data;
	ev_unmap();
}

static void *ev_mmap(int fd, uint32_t handle, uint64_t size)
{
	igt_assert(!ev_map.map);
	ev_map.map = vdgpu_gem_mmap(fd, handle, size);
	ev_map.size = size;
	return ev_map.map;
}

static uint64_t ev_rng;

static uint32_t ev_random(void)
{
	ev_rng ^= ev_rng << 13;
	ev_rng ^= ev_rng >> 7;
	ev_rng ^= ev_rng << 17;
	return ev_rng >> 32;
}

static void ev_shuffle(uint32_t *a, uint32_t n)
{
	uint32_t i, j, t;

	for (i = n; i > 1; i--) {
		j = ev_random() % i;
		t = a[i - 1];
		a[i - 1] = a[j];
		a[j] = t;
	}
}

/* Where in page @page of object @obj round @round stores, and what. */
static uint32_t ev_slot(uint32_t obj, uint32_t page, uint32_t round)
{
	return round * (SZ_4K / EV_ROUNDS) +
	       ((obj * 131 + page * 17 + round * 29) % (SZ_4K / EV_ROUNDS / 4)) * 4;
}

static uint32_t ev_value(uint32_t obj, uint32_t page, uint32_t round)
{
	return value_of((uint64_t)(obj + 1) << 32 | page << 8 | round);
}

/* The memory counters of debugfs; false if they cannot be read. */
static bool ev_counters(const char *dir, int64_t *evictions, int64_t *to_vram)
{
	char path[PATH_MAX + 16], text[1024], *p;
	int ret;

	snprintf(path, sizeof(path), "%s/memory", dir);
	ret = vdgpu_read_file(path, text, sizeof(text));
	if (ret < 0) {
		igt_info("cannot read %s: %s\n", path, strerror(-ret));
		return false;
	}
	p = strstr(text, "evictions=");
	igt_assert_f(p && sscanf(p, "evictions=%" SCNd64, evictions) == 1,
		     "no evictions in %s:\n%s\n", path, text);
	p = strstr(text, "gtt_to_vram=");
	igt_assert_f(p && sscanf(p, "gtt_to_vram=%" SCNd64, to_vram) == 1,
		     "no gtt_to_vram in %s:\n%s\n", path, text);
	return true;
}

/* Write the batches of @v into its batch object, planning its EXECs. */
static void ev_plan(struct ev_vm *v, const uint32_t *handles)
{
	const uint32_t parts = v->num_objs * EV_PARTS;
	const uint32_t per_round = parts / EV_PARTS_PER_EXEC;
	uint32_t *order = malloc(parts * sizeof(*order));
	uint32_t round, i, j, k, p, n = 0;
	char *map;

	igt_assert(order);
	v->num_execs = EV_ROUNDS * per_round;
	v->execs = calloc(v->num_execs, sizeof(*v->execs));
	igt_assert(v->execs);
	igt_assert_lte_u64((uint64_t)v->num_execs * EV_BATCH_BYTES, v->batch_size);
	map = ev_mmap(v->fd, v->batch_bo, v->batch_size);

	for (round = 0; round < EV_ROUNDS; round++) {
		for (i = 0; i < parts; i++)
			order[i] = i;
		ev_shuffle(order, parts);
		for (i = 0; i < per_round; i++, n++) {
			struct ev_exec *e = &v->execs[n];
			struct batch b = {
				.cpu = (uint32_t *)(map + (uint64_t)n * EV_BATCH_BYTES),
				.va = BATCH_VA + (uint64_t)n * EV_BATCH_BYTES,
				.max = EV_BATCH_BYTES / 4,
			};

			for (j = 0; j < EV_PARTS_PER_EXEC; j++) {
				uint32_t part = order[i * EV_PARTS_PER_EXEC + j];
				uint32_t local = part / EV_PARTS, obj = v->first_obj + local;
				uint64_t va = DATA_VA + (uint64_t)local * EV_OBJ_STRIDE;

				for (p = (part % EV_PARTS) * EV_PART_PAGES;
				     p < (part % EV_PARTS + 1) * EV_PART_PAGES; p++)
					emit_store(&b, va + p * SZ_4K + ev_slot(obj, p, round),
						   ev_value(obj, p, round));
				for (k = 0; k < e->num_handles; k++)
					if (e->handles[k] == handles[obj])
						break;
				if (k == e->num_handles)
					e->handles[e->num_handles++] = handles[obj];
			}
			e->queue = v->cfg->threads ? 0 : n % v->cfg->queues;
			e->batch_off = (uint64_t)n * EV_BATCH_BYTES;
			e->batch_len = batch_bytes(&b);
			e->syncobj = syncobj_create(v->fd, 0);
		}
	}
	ev_unmap();
	free(order);
}

/* EXEC number @i of @v: 0 or a negative errno (no assertion: threads). */
static int ev_submit(struct ev_vm *v, uint32_t i)
{
	const struct ev_exec *e = &v->execs[i];
	struct drm_vdgpu_sync s = out_sync(e->syncobj);
	bool implicit = !v->cfg->private_bos;

	__sync_synchronize();
	return __vdgpu_exec(v->fd, v->queues[e->queue],
			    implicit ? IMPLICIT_SYNC : 0,
			    BATCH_VA + e->batch_off, e->batch_len, &s, 1,
			    implicit ? e->handles : NULL,
			    implicit ? e->num_handles : 0);
}

static void *ev_thread(void *data)
{
	struct ev_vm *v = data;
	uint32_t i;

	v->err = __vdgpu_exec_queue_create(v->fd, v->vm, COMPUTE, 0, PRIO_NORMAL,
					   &v->queues[0]);
	if (v->err) {
		v->failed_op = "EXEC_QUEUE_CREATE";
		return NULL;
	}
	for (i = 0; i < v->num_execs; i++) {
		v->err = ev_submit(v, i);
		if (v->err) {
			v->failed_op = "EXEC";
			v->failed_at = i;
			return NULL;
		}
	}
	return NULL;
}

/* Every dword of object @obj: the two values stored per page, zeroes elsewhere. */
static void ev_check(int fd, uint32_t handle, uint32_t obj)
{
	const uint32_t *map = ev_mmap(fd, handle, EV_OBJ_SIZE);
	uint32_t p, d, bad = 0;

	for (p = 0; p < EV_PAGES; p++) {
		const uint32_t *page = map + p * (SZ_4K / 4);
		uint32_t s0 = ev_slot(obj, p, 0) / 4, s1 = ev_slot(obj, p, 1) / 4;

		for (d = 0; d < SZ_4K / 4; d++) {
			uint32_t want = d == s0 ? ev_value(obj, p, 0) :
					d == s1 ? ev_value(obj, p, 1) : 0;

			if (page[d] == want)
				continue;
			if (bad++ < 8)
				igt_info("object %u page %u dword %u is %#010x, expected %#010x\n",
					 obj, p, d, page[d], want);
		}
	}
	ev_unmap();
	igt_assert_f(!bad, "object %u: %u dwords wrong\n", obj, bad);
}

static void run_evict(const struct ev_cfg *cfg)
{
	static const uint32_t vram_gtt[2] = { DRM_VDGPU_REGION_VRAM0,
					      DRM_VDGPU_REGION_GTT };
	struct ev_vm vms[EV_MAX_VMS] = { };
	struct drm_vdgpu_mem_region vram;
	int64_t ev0 = 0, ev1 = 0, in0 = 0, in1 = 0;
	uint32_t *handles, n_objs, i, j, v, round, per_round;
	char dir[PATH_MAX];
	bool counters;
	uint64_t seed;
	struct xt t;
	int64_t t0;

	igt_assert_lte(cfg->vms, EV_MAX_VMS);
	igt_assert_lte(cfg->queues, EV_MAX_QUEUES);
	vdgpu_kmod_prepare();
	igt_cleanup_push(ev_cleanup, NULL);
	igt_info("reloading vdgpu with %s\n", EV_PARAMS);
	vdgpu_kmod_reload(EV_PARAMS);
	xt_open(&t);
	igt_require_f(t.vram == DRM_VDGPU_REGION_VRAM0 && t.gtt == DRM_VDGPU_REGION_GTT,
		      "the device needs VRAM and GTT\n");
	vdgpu_query_region(t.fd, t.vram, &vram);
	n_objs = 2 * vram.total_size / EV_OBJ_SIZE;
	n_objs -= n_objs % cfg->vms;
	igt_assert_f(n_objs >= 16 && n_objs <= 256,
		     "%u objects of 1 MiB for %" PRIu64 " MiB of VRAM\n", n_objs,
		     (uint64_t)vram.total_size / MIB);
	seed = ((uint64_t)random() << 31) ^ (uint64_t)random();
	ev_rng = seed | 1;
	igt_info("%u objects of 1 MiB (%s, %s) for %" PRIu64 " MiB of VRAM, %u VMs, %u queues each%s; seed %#" PRIx64 "\n",
		 n_objs, cfg->vram_only ? "VRAM only" : "VRAM then GTT",
		 cfg->private_bos ? "VM-private" : "shared",
		 (uint64_t)vram.total_size / MIB, cfg->vms,
		 cfg->threads ? 1 : cfg->queues, cfg->threads ? ", a thread each" : "",
		 seed);

	handles = calloc(n_objs, sizeof(*handles));
	igt_assert(handles);
	for (v = 0; v < cfg->vms; v++) {
		struct ev_vm *vm = &vms[v];

		vm->fd = t.fd;
		vm->cfg = cfg;
		vm->vm = vdgpu_vm_create(t.fd);
		vm->num_objs = n_objs / cfg->vms;
		vm->first_obj = v * vm->num_objs;
		for (i = 0; i < vm->num_objs; i++) {
			uint32_t obj = vm->first_obj + i;

			handles[obj] = vdgpu_gem_create_vm(t.fd, EV_OBJ_SIZE, vram_gtt,
							   cfg->vram_only ? 1 : 2, 0,
							   cfg->private_bos ? vm->vm : 0);
			vdgpu_vm_map(t.fd, vm->vm, handles[obj], 0,
				     DATA_VA + (uint64_t)i * EV_OBJ_STRIDE,
				     EV_OBJ_SIZE, 0);
		}
	}
	for (v = 0; v < cfg->vms; v++) {
		struct ev_vm *vm = &vms[v];

		vm->batch_size = ((uint64_t)EV_ROUNDS * vm->num_objs * EV_PARTS /
				  EV_PARTS_PER_EXEC * EV_BATCH_BYTES + SZ_64K) &
				 ~(SZ_64K - 1);
		vm->batch_bo = vdgpu_gem_create_in(t.fd, vm->batch_size, t.gtt, 0);
		ev_plan(vm, handles);
		vdgpu_vm_map(t.fd, vm->vm, vm->batch_bo, 0, BATCH_VA,
			     vm->batch_size, 0);
		if (!cfg->threads)
			for (i = 0; i < cfg->queues; i++)
				vm->queues[i] = vdgpu_exec_queue_create(t.fd, vm->vm);
	}

	counters = debugfs_dir(t.fd, dir, sizeof(dir)) &&
		   ev_counters(dir, &ev0, &in0);
	t0 = vdgpu_now_ns();
	if (cfg->threads) {
		for (v = 0; v < cfg->vms; v++)
			igt_assert_eq(pthread_create(&vms[v].thread, NULL,
						     ev_thread, &vms[v]), 0);
		for (v = 0; v < cfg->vms; v++)
			igt_assert_eq(pthread_join(vms[v].thread, NULL), 0);
		for (v = 0; v < cfg->vms; v++)
			igt_assert_f(!vms[v].err,
				     "thread %u: %s %u failed: %d (%s)\n", v,
				     vms[v].failed_op, vms[v].failed_at,
				     vms[v].err, igt_errno_name(vms[v].err));
	} else {
		per_round = vms[0].num_execs / EV_ROUNDS;
		for (round = 0; round < EV_ROUNDS; round++) {
			for (i = 0; i < per_round; i += EV_BURST) {
				for (v = 0; v < cfg->vms; v++) {
					for (j = i; j < i + EV_BURST && j < per_round; j++) {
						uint32_t n = round * per_round + j;
						int ret = ev_submit(&vms[v], n);

						igt_assert_f(ret == 0,
							     "VM %u: EXEC %u failed: %d (%s)\n",
							     v, n, ret, igt_errno_name(ret));
					}
				}
			}
		}
	}
	igt_info("%u EXECs submitted in %" PRId64 " ms\n",
		 vms[0].num_execs * cfg->vms, ms_since(t0));
	for (v = 0; v < cfg->vms; v++) {
		for (i = 0; i < vms[v].num_execs; i++) {
			char what[48];

			snprintf(what, sizeof(what), "VM %u, EXEC %u", v, i);
			assert_done_within(t.fd, vms[v].execs[i].syncobj,
					   LONG_WAIT_NS, what);
		}
	}
	igt_info("all complete after %" PRId64 " ms\n", ms_since(t0));

	if (counters && ev_counters(dir, &ev1, &in1)) {
		igt_info("while the batches ran: %" PRId64 " evictions, %" PRId64 " KiB moved into VRAM\n",
			 ev1 - ev0, (in1 - in0) / (int64_t)KIB);
		if (cfg->vram_only && cfg->vms > 1) {
			igt_assert_f(ev1 > ev0,
				     "no eviction while VMs of VRAM-only objects adding up to twice VRAM took turns\n");
			igt_assert_f(in1 > in0,
				     "nothing moved back into VRAM for VMs of VRAM-only objects taking turns\n");
		}
	}

	for (i = 0; i < n_objs; i++)
		ev_check(t.fd, handles[i], i);
	for (v = 0; v < cfg->vms; v++)
		free(vms[v].execs);
	free(handles);
	close(t.fd);
}

static void test_evict(void)
{
	static const struct ev_cfg cfg = { .vms = 1, .queues = 1 };

	run_evict(&cfg);
}

static void test_evict_private(void)
{
	static const struct ev_cfg cfg = { .vms = 1, .queues = 1, .private_bos = true };

	run_evict(&cfg);
}

static void test_evict_multi_queue(void)
{
	static const struct ev_cfg cfg = { .vms = 1, .queues = 4 };

	run_evict(&cfg);
}

static void test_evict_multi_vm(void)
{
	static const struct ev_cfg cfg = { .vms = 4, .queues = 1, .vram_only = true };

	run_evict(&cfg);
}

static void test_evict_multi_vm_private(void)
{
	static const struct ev_cfg cfg = {
		.vms = 4, .queues = 1, .vram_only = true, .private_bos = true,
	};

	run_evict(&cfg);
}

static void test_evict_threads(void)
{
	static const struct ev_cfg cfg = {
		.vms = 4, .queues = 1, .threads = true, .vram_only = true,
	};

	run_evict(&cfg);
}

static void test_evict_threads_private(void)
{
	static const struct ev_cfg cfg = {
		.vms = 4, .queues = 1, .threads = true, .vram_only = true,
		.private_bos = true,
	};

	run_evict(&cfg);
}

/*
 * Refused arguments.  Each *-bad-* subtest has the kernel accept a valid
 * argument first (the control), then changes one thing at a time and
 * expects the documented error, and finally checks that the refusals
 * changed nothing: no queue was created or destroyed, no batch was queued
 * (out-syncobjs passed along have no fence, and a batch the refused EXECs
 * named never wrote its marker).
 */

static int queue_create_raw(int fd, struct drm_vdgpu_exec_queue_create *arg)
{
	return __drm_ioctl(fd, DRM_IOCTL_VDGPU_EXEC_QUEUE_CREATE, arg);
}

static int queue_destroy_raw(int fd, struct drm_vdgpu_exec_queue_destroy *arg)
{
	return __drm_ioctl(fd, DRM_IOCTL_VDGPU_EXEC_QUEUE_DESTROY, arg);
}

/* A batch of @queue storing @value at DATA_VA + @offset completes. */
static void assert_queue_works(struct rig *r, uint32_t queue, struct bo *bo,
			       uint32_t offset, uint32_t value)
{
	struct batch b;
	char what[48];

	bo_u32(bo)[offset / 4] = 0;
	batch_start(&r->pool, &b);
	emit_store(&b, DATA_VA + offset, value);
	batch_end(&r->pool, &b);
	snprintf(what, sizeof(what), "a batch of queue %u", queue);
	assert_done(r->fd, submit_out(r->fd, queue, &b), what);
	igt_assert_eq_u64(bo_u32(bo)[offset / 4], value);
}

/*
 * The queue create refusals: a file whose first queue, from a valid
 * create (the control), has id 1.
 */
struct qbad {
	struct rig r;
	struct bo bo;
	uint32_t queue;
};

static struct drm_vdgpu_exec_queue_create qbad_arg(const struct qbad *q)
{
	struct drm_vdgpu_exec_queue_create arg = {
		.vm_id = q->r.vm,
		.engine_class = COMPUTE,
		.engine_instance = 0,
		.priority = PRIO_NORMAL,
	};

	return arg;
}

static void qbad_begin(struct qbad *q)
{
	struct drm_vdgpu_exec_queue_create arg;

	rig_open(&q->r);
	rig_bo(&q->r, &q->bo, q->r.vm, DATA_VA, SZ_64K, cpu_region(&q->r.t));
	arg = qbad_arg(q);
	igt_assert_err(queue_create_raw(q->r.fd, &arg), 0);
	igt_assert_eq(arg.queue_id, 1);
	q->queue = arg.queue_id;
}

static void qbad_create(struct qbad *q, struct drm_vdgpu_exec_queue_create *arg,
			int err)
{
	struct drm_vdgpu_exec_queue_create a = *arg;
	int ret = queue_create_raw(q->r.fd, &a);

	igt_assert_f(ret == err,
		     "queue create vm %u class %u instance %u priority %#x flags %#x queue_id %u pad %#x extensions %#" PRIx64 " reserved %#" PRIx64 " %#" PRIx64 ": expected %d (%s), got %d (%s)\n",
		     arg->vm_id, arg->engine_class, arg->engine_instance,
		     arg->priority, arg->flags, arg->queue_id, arg->pad,
		     (uint64_t)arg->extensions, (uint64_t)arg->reserved[0],
		     (uint64_t)arg->reserved[1], err, igt_errno_name(err), ret,
		     igt_errno_name(ret));
}

/* The refusals created no queue (ids 2 to 64 do not exist); the control works. */
static void qbad_end(struct qbad *q)
{
	uint32_t id;

	for (id = 2; id <= 64; id++)
		igt_assert_f(__vdgpu_exec_queue_destroy(q->r.fd, id) == -ENOENT,
			     "queue %u exists, though only queue 1 was created\n", id);
	assert_queue_works(&q->r, q->queue, &q->bo, 0, CONTROL_VALUE);
	close(q->r.fd);
}

/* queue-create-bad-extensions: nonzero extensions is -EINVAL. */
static void test_queue_create_bad_extensions(void)
{
	const uint64_t values[] = { 1, 0x1000, ~0ull };
	struct drm_vdgpu_exec_queue_create arg;
	struct qbad q;
	size_t i;

	qbad_begin(&q);
	for (i = 0; i < ARRAY_SIZE(values); i++) {
		arg = qbad_arg(&q);
		arg.extensions = values[i];
		qbad_create(&q, &arg, -EINVAL);
	}
	qbad_end(&q);
}

/* queue-create-bad-flags: every flag bit (none is defined) is -EINVAL. */
static void test_queue_create_bad_flags(void)
{
	struct drm_vdgpu_exec_queue_create arg;
	struct qbad q;
	int bit;

	qbad_begin(&q);
	for (bit = 0; bit < 32; bit++) {
		arg = qbad_arg(&q);
		arg.flags = 1u << bit;
		qbad_create(&q, &arg, -EINVAL);
	}
	qbad_end(&q);
}

/*
 * queue-create-bad-queue-id: queue_id is an output, and outputs must be
 * zero on input: -EINVAL.
 */
static void test_queue_create_bad_queue_id(void)
{
	const uint32_t values[] = { 1, 2, ~0u };
	struct drm_vdgpu_exec_queue_create arg;
	struct qbad q;
	size_t i;

	qbad_begin(&q);
	for (i = 0; i < ARRAY_SIZE(values); i++) {
		arg = qbad_arg(&q);
		arg.queue_id = values[i];
		qbad_create(&q, &arg, -EINVAL);
	}
	qbad_end(&q);
}

/* queue-create-bad-pad: a nonzero pad is -EINVAL. */
static void test_queue_create_bad_pad(void)
{
	const uint32_t values[] = { 1, 0x80000000u, ~0u };
	struct drm_vdgpu_exec_queue_create arg;
	struct qbad q;
	size_t i;

	qbad_begin(&q);
	for (i = 0; i < ARRAY_SIZE(values); i++) {
		arg = qbad_arg(&q);
		arg.pad = values[i];
		qbad_create(&q, &arg, -EINVAL);
	}
	qbad_end(&q);
}

/* queue-create-bad-reserved: a nonzero reserved word is -EINVAL. */
static void test_queue_create_bad_reserved(void)
{
	struct drm_vdgpu_exec_queue_create arg;
	struct qbad q;
	int i;

	qbad_begin(&q);
	for (i = 0; i < 2; i++) {
		arg = qbad_arg(&q);
		arg.reserved[i] = 1;
		qbad_create(&q, &arg, -EINVAL);
		arg.reserved[i] = ~0ull;
		qbad_create(&q, &arg, -EINVAL);
	}
	qbad_end(&q);
}

/* queue-create-bad-priority: priorities above HIGH are -EINVAL. */
static void test_queue_create_bad_priority(void)
{
	const uint32_t values[] = { 3, 4, 0x100, 0x80000000u, ~0u };
	struct drm_vdgpu_exec_queue_create arg;
	struct qbad q;
	size_t i;

	qbad_begin(&q);
	for (i = 0; i < ARRAY_SIZE(values); i++) {
		arg = qbad_arg(&q);
		arg.priority = values[i];
		qbad_create(&q, &arg, -EINVAL);
	}
	qbad_end(&q);
}

/*
 * queue-create-bad-engine-class: an engine that takes no queues, every
 * copy engine the device lists (and copy instance 0 in any case), and
 * classes that do not exist, are -EINVAL.
 */
static void test_queue_create_bad_engine_class(void)
{
	const uint16_t classes[] = { 2, 3, 0x100, 0x8000, 0xffff };
	struct drm_vdgpu_exec_queue_create arg;
	unsigned int i, copies = 0;
	struct qbad q;

	qbad_begin(&q);
	for (i = 0; i < q.r.t.num_engines; i++) {
		if (q.r.t.engines[i].engine_class != COPY_CLASS)
			continue;
		arg = qbad_arg(&q);
		arg.engine_class = COPY_CLASS;
		arg.engine_instance = q.r.t.engines[i].instance;
		qbad_create(&q, &arg, -EINVAL);
		copies++;
	}
	igt_info("%u copy engines listed\n", copies);
	arg = qbad_arg(&q);
	arg.engine_class = COPY_CLASS;
	qbad_create(&q, &arg, -EINVAL);
	for (i = 0; i < ARRAY_SIZE(classes); i++) {
		arg = qbad_arg(&q);
		arg.engine_class = classes[i];
		qbad_create(&q, &arg, -EINVAL);
	}
	qbad_end(&q);
}

/*
 * queue-create-bad-engine-instance: compute instances the device does not
 * list are -EINVAL.
 */
static void test_queue_create_bad_engine_instance(void)
{
	const uint16_t instances[] = { 1, 2, 15, 16, 0x100, 0xffff };
	struct drm_vdgpu_exec_queue_create arg;
	struct qbad q;
	size_t i;

	qbad_begin(&q);
	for (i = 0; i < ARRAY_SIZE(instances); i++) {
		if (has_engine(&q.r.t, COMPUTE, instances[i]))
			continue;
		arg = qbad_arg(&q);
		arg.engine_instance = instances[i];
		qbad_create(&q, &arg, -EINVAL);
	}
	qbad_end(&q);
}

/*
 * queue-create-bad-vm-id, -vm-other-file, -vm-destroyed: a queue of a VM
 * the file does not have is -ENOENT, whether the id was never created
 * (0 included), is another file's, or was destroyed.
 */
enum vm_kind { VM_UNKNOWN, VM_OTHER_FILE, VM_DESTROYED };

static void queue_create_bad_vm(enum vm_kind kind)
{
	struct drm_vdgpu_exec_queue_create arg;
	uint32_t ids[4];
	int other = -1, n = 0, i;
	struct qbad q;

	qbad_begin(&q);
	switch (kind) {
	case VM_UNKNOWN:
		ids[n++] = 0;
		ids[n++] = q.r.vm + 1;
		ids[n++] = q.r.vm + 100;
		ids[n++] = ~0u;
		break;
	case VM_OTHER_FILE:
		other = vdgpu_open_render();
		do {
			ids[0] = vdgpu_vm_create(other);
		} while (ids[0] == q.r.vm);
		n = 1;
		break;
	case VM_DESTROYED:
		ids[n] = vdgpu_vm_create(q.r.fd);
		vdgpu_vm_destroy(q.r.fd, ids[n++]);
		break;
	}
	for (i = 0; i < n; i++) {
		arg = qbad_arg(&q);
		arg.vm_id = ids[i];
		qbad_create(&q, &arg, -ENOENT);
	}
	if (other >= 0)
		close(other);
	qbad_end(&q);
}

static void test_queue_create_bad_vm_id(void) { queue_create_bad_vm(VM_UNKNOWN); }
static void test_queue_create_bad_vm_other_file(void) { queue_create_bad_vm(VM_OTHER_FILE); }
static void test_queue_create_bad_vm_destroyed(void) { queue_create_bad_vm(VM_DESTROYED); }

/*
 * queue-destroy-bad-extensions, -pad, -reserved: a destroy with a nonzero
 * extensions, pad or reserved word is -EINVAL and destroys nothing: the
 * queue still runs batches, and is then destroyed.
 */
enum destroy_field { DESTROY_EXTENSIONS, DESTROY_PAD, DESTROY_RESERVED };

static void queue_destroy_bad_field(enum destroy_field field)
{
	struct qbad q;
	int i;

	qbad_begin(&q);
	for (i = 0; i < 4; i++) {
		struct drm_vdgpu_exec_queue_destroy arg = { .queue_id = q.queue };

		switch (field) {
		case DESTROY_EXTENSIONS:
			arg.extensions = i & 1 ? ~0ull : 1;
			break;
		case DESTROY_PAD:
			arg.pad = i & 1 ? ~0u : 1;
			break;
		case DESTROY_RESERVED:
			arg.reserved[i / 2] = i & 1 ? ~0ull : 1;
			break;
		}
		igt_assert_err(queue_destroy_raw(q.r.fd, &arg), -EINVAL);
	}
	assert_queue_works(&q.r, q.queue, &q.bo, 0, CONTROL_VALUE);
	vdgpu_exec_queue_destroy(q.r.fd, q.queue);
	close(q.r.fd);
}

static void test_queue_destroy_bad_extensions(void) { queue_destroy_bad_field(DESTROY_EXTENSIONS); }
static void test_queue_destroy_bad_pad(void) { queue_destroy_bad_field(DESTROY_PAD); }
static void test_queue_destroy_bad_reserved(void) { queue_destroy_bad_field(DESTROY_RESERVED); }

/*
 * queue-destroy-bad-id: ids the file never created (0, the next id, ~0)
 * are -ENOENT; its queue still runs batches.
 */
static void test_queue_destroy_bad_id(void)
{
	struct qbad q;
	size_t i;

	qbad_begin(&q);
	{
		const uint32_t ids[] = { 0, q.queue + 1, q.queue + 100, ~0u };

		for (i = 0; i < ARRAY_SIZE(ids); i++)
			igt_assert_err(__vdgpu_exec_queue_destroy(q.r.fd, ids[i]),
				       -ENOENT);
	}
	qbad_end(&q);
}

/*
 * queue-destroy-bad-other-file: the id of another file's queue, which
 * this file does not have, is -ENOENT, and that queue stays.
 */
static void test_queue_destroy_bad_other_file(void)
{
	uint32_t theirs;
	struct qbad q;
	struct rig o;
	struct bo bo;

	qbad_begin(&q);
	rig_open(&o);
	rig_bo(&o, &bo, o.vm, DATA_VA, SZ_64K, cpu_region(&o.t));
	do {
		theirs = vdgpu_exec_queue_create(o.fd, o.vm);
	} while (theirs == q.queue);
	igt_assert_err(__vdgpu_exec_queue_destroy(q.r.fd, theirs), -ENOENT);
	assert_queue_works(&o, theirs, &bo, 0, CONTROL_VALUE);
	close(o.fd);
	qbad_end(&q);
}

/* queue-destroy-bad-destroyed: destroying a queue twice is -ENOENT. */
static void test_queue_destroy_bad_destroyed(void)
{
	uint32_t other;
	struct qbad q;

	qbad_begin(&q);
	other = vdgpu_exec_queue_create(q.r.fd, q.r.vm);
	vdgpu_exec_queue_destroy(q.r.fd, other);
	igt_assert_err(__vdgpu_exec_queue_destroy(q.r.fd, other), -ENOENT);
	assert_queue_works(&q.r, q.queue, &q.bo, 0, CONTROL_VALUE);
	close(q.r.fd);
}

/*
 * The EXEC refusals start from a VM mapping one 2 MiB object at DATA_VA
 * that holds two batches: the good one stores CONTROL_VALUE at the
 * control dword, the bad one MARKER_VALUE at the marker dword.  Controls
 * submit the good batch; refused EXECs name the bad one and signal the
 * fixture's out-syncobj, so that bad_end() can tell nothing was queued:
 * after one more good batch on the queue has completed, the marker is
 * still 0 and the out-syncobj has no fence.
 */
#define BAD_BO_SIZE	(2 * MIB)
#define BAD_GOOD_OFF	0x0
#define BAD_BAD_OFF	0x100
#define BAD_CONTROL_OFF	0x1000
#define BAD_MARKER_OFF	0x1004
#define BAD_BIG_OFF	MIB		/* a batch of exactly 1 MiB */
#define MARKER_VALUE	0xbadu

struct bad {
	struct rig r;
	int fd;
	struct bo bo;
	uint32_t queue;
	uint32_t out;
	struct drm_vdgpu_sync out_sync;
	uint32_t good_len, bad_len;
};

static uint32_t *bad_dword(struct bad *b, uint32_t offset)
{
	return bo_u32(&b->bo) + offset / 4;
}

static int exec_raw(int fd, struct drm_vdgpu_exec *arg)
{
	__sync_synchronize();
	return __drm_ioctl(fd, DRM_IOCTL_VDGPU_EXEC, arg);
}

/* A valid EXEC of the bad batch with @syncs, to be altered. */
static struct drm_vdgpu_exec bad_arg_syncs(const struct bad *b,
					   const struct drm_vdgpu_sync *syncs,
					   uint32_t num_syncs)
{
	struct drm_vdgpu_exec arg = {
		.queue_id = b->queue,
		.batch_addr = DATA_VA + BAD_BAD_OFF,
		.batch_len = b->bad_len,
		.num_syncs = num_syncs,
		.syncs = to_user_pointer(syncs),
		.sync_stride = sizeof(struct drm_vdgpu_sync),
	};

	return arg;
}

/* The same, signalling the fixture's out-syncobj. */
static struct drm_vdgpu_exec bad_arg(const struct bad *b)
{
	return bad_arg_syncs(b, &b->out_sync, 1);
}

/* A good EXEC with @syncs: it must complete and write the control dword. */
static void bad_control(struct bad *b, uint32_t flags,
			const struct drm_vdgpu_sync *syncs, uint32_t num_syncs,
			const uint32_t *handles, uint32_t num_handles,
			uint32_t batch_off, uint32_t batch_len)
{
	struct drm_vdgpu_sync s[MAX_SYNCS + 1];
	uint32_t done = syncobj_create(b->fd, 0);

	igt_assert_lte(num_syncs, MAX_SYNCS - 1);
	if (num_syncs)
		memcpy(s, syncs, num_syncs * sizeof(*s));
	s[num_syncs] = out_sync(done);
	*bad_dword(b, BAD_CONTROL_OFF) = 0;
	__sync_synchronize();
	igt_assert_err(__vdgpu_exec(b->fd, b->queue, flags, DATA_VA + batch_off,
				    batch_len, s, num_syncs + 1, handles,
				    num_handles), 0);
	assert_done(b->fd, done, "a control EXEC");
	igt_assert_eq(*bad_dword(b, BAD_CONTROL_OFF), CONTROL_VALUE);
	syncobj_destroy(b->fd, done);
}

static void bad_good(struct bad *b)
{
	bad_control(b, 0, NULL, 0, NULL, 0, BAD_GOOD_OFF, b->good_len);
}

static void bad_begin(struct bad *b)
{
	struct batch bb = { .va = DATA_VA };

	rig_open(&b->r);
	b->fd = b->r.fd;
	rig_bo(&b->r, &b->bo, b->r.vm, DATA_VA, BAD_BO_SIZE, cpu_region(&b->r.t));
	bb.cpu = bad_dword(b, BAD_GOOD_OFF);
	bb.max = (BAD_BAD_OFF - BAD_GOOD_OFF) / 4;
	emit_store(&bb, DATA_VA + BAD_CONTROL_OFF, CONTROL_VALUE);
	b->good_len = batch_bytes(&bb);
	bb.cpu = bad_dword(b, BAD_BAD_OFF);
	bb.len = 0;
	emit_store(&bb, DATA_VA + BAD_MARKER_OFF, MARKER_VALUE);
	b->bad_len = batch_bytes(&bb);
	b->queue = vdgpu_exec_queue_create(b->fd, b->r.vm);
	b->out = syncobj_create(b->fd, 0);
	b->out_sync = out_sync(b->out);
	bad_good(b);
}

static void bad_exec(struct bad *b, const struct drm_vdgpu_exec *arg, int err)
{
	struct drm_vdgpu_exec a = *arg;
	int ret = exec_raw(b->fd, &a);

	igt_assert_f(ret == err,
		     "exec queue %u flags %#x batch %#" PRIx64 " len %u num_syncs %u sync_stride %u syncs %#" PRIx64 " num_handles %u handles %#" PRIx64 " extensions %#" PRIx64 " reserved %#" PRIx64 " %#" PRIx64 ": expected %d (%s), got %d (%s)\n",
		     arg->queue_id, arg->flags, (uint64_t)arg->batch_addr,
		     arg->batch_len, arg->num_syncs, arg->sync_stride,
		     (uint64_t)arg->syncs, arg->num_handles,
		     (uint64_t)arg->handles, (uint64_t)arg->extensions,
		     (uint64_t)arg->reserved[0], (uint64_t)arg->reserved[1],
		     err, igt_errno_name(err), ret, igt_errno_name(ret));
}

static void bad_end(struct bad *b)
{
	bad_good(b);
	igt_assert_f(*bad_dword(b, BAD_MARKER_OFF) == 0,
		     "a refused EXEC ran: the marker is %#x\n",
		     *bad_dword(b, BAD_MARKER_OFF));
	assert_no_fence(b->fd, b->out);
	close(b->fd);
}

/* exec-bad-extensions: nonzero extensions is -EINVAL. */
static void test_exec_bad_extensions(void)
{
	const uint64_t values[] = { 1, 0x1000, ~0ull };
	struct drm_vdgpu_exec arg;
	struct bad b;
	size_t i;

	bad_begin(&b);
	for (i = 0; i < ARRAY_SIZE(values); i++) {
		arg = bad_arg(&b);
		arg.extensions = values[i];
		bad_exec(&b, &arg, -EINVAL);
	}
	bad_end(&b);
}

/* exec-bad-reserved: a nonzero reserved word is -EINVAL. */
static void test_exec_bad_reserved(void)
{
	struct drm_vdgpu_exec arg;
	struct bad b;
	int i;

	bad_begin(&b);
	for (i = 0; i < 2; i++) {
		arg = bad_arg(&b);
		arg.reserved[i] = 1;
		bad_exec(&b, &arg, -EINVAL);
		arg.reserved[i] = ~0ull;
		bad_exec(&b, &arg, -EINVAL);
	}
	bad_end(&b);
}

/*
 * exec-bad-flags: every flag bit but IMPLICIT_SYNC, alone or with it, is
 * -EINVAL; IMPLICIT_SYNC alone (with no handles) is the control.
 */
static void test_exec_bad_flags(void)
{
	struct drm_vdgpu_exec arg;
	struct bad b;
	int bit;

	bad_begin(&b);
	bad_control(&b, IMPLICIT_SYNC, NULL, 0, NULL, 0, BAD_GOOD_OFF, b.good_len);
	for (bit = 0; bit < 32; bit++) {
		if ((1u << bit) == IMPLICIT_SYNC)
			continue;
		arg = bad_arg(&b);
		arg.flags = 1u << bit;
		bad_exec(&b, &arg, -EINVAL);
		arg.flags |= IMPLICIT_SYNC;
		bad_exec(&b, &arg, -EINVAL);
	}
	bad_end(&b);
}

/* exec-bad-batch-addr: a batch address not 4-byte aligned is -EINVAL. */
static void test_exec_bad_batch_addr(void)
{
	const uint64_t deltas[] = { 1, 2, 3, 4094, 4095 };
	struct drm_vdgpu_exec arg;
	struct bad b;
	size_t i;

	bad_begin(&b);
	for (i = 0; i < ARRAY_SIZE(deltas); i++) {
		arg = bad_arg(&b);
		arg.batch_addr += deltas[i];
		bad_exec(&b, &arg, -EINVAL);
	}
	bad_end(&b);
}

/*
 * exec-bad-batch-len: a batch length of 0, not a multiple of 4, or above
 * 1 MiB is -EINVAL; a batch of exactly 1 MiB (a STORE_DWORD and NOPs) is
 * the control.
 */
static void test_exec_bad_batch_len(void)
{
	const uint32_t lens[] = { 0, 1, 2, 3, 6, 17, 4093, MAX_BATCH + 4,
				  MAX_BATCH + 1, 2 * MAX_BATCH, 0x80000000u,
				  ~3u, ~0u };
	struct batch big = { .va = DATA_VA + BAD_BIG_OFF };
	struct drm_vdgpu_exec arg;
	struct bad b;
	size_t i;

	bad_begin(&b);
	big.cpu = bad_dword(&b, BAD_BIG_OFF);
	big.max = MAX_BATCH / 4;
	emit_store(&big, DATA_VA + BAD_CONTROL_OFF, CONTROL_VALUE);
	while (big.len < big.max) {
		uint32_t left = big.max - big.len - 1;

		emit_nop(&big, left < CMD_MAX_LEN ? left : CMD_MAX_LEN);
	}
	igt_assert_eq(batch_bytes(&big), MAX_BATCH);
	bad_control(&b, 0, NULL, 0, NULL, 0, BAD_BIG_OFF, MAX_BATCH);
	for (i = 0; i < ARRAY_SIZE(lens); i++) {
		arg = bad_arg(&b);
		arg.batch_len = lens[i];
		bad_exec(&b, &arg, -EINVAL);
	}
	bad_end(&b);
}

/*
 * exec-bad-num-syncs: EXEC takes 64 syncs (the control: 63 out-syncobjs
 * and the control's own, all signalled); 65 and ~0 are -EINVAL, and none
 * of the 65 gets a fence.
 */
static void test_exec_bad_num_syncs(void)
{
	struct drm_vdgpu_sync s[MAX_SYNCS + 1];
	struct drm_vdgpu_exec arg;
	struct bad b;
	int i;

	bad_begin(&b);
	for (i = 0; i < MAX_SYNCS - 1; i++)
		s[i] = out_sync(syncobj_create(b.fd, 0));
	bad_control(&b, 0, s, MAX_SYNCS - 1, NULL, 0, BAD_GOOD_OFF, b.good_len);
	for (i = 0; i < MAX_SYNCS - 1; i++)
		assert_done(b.fd, s[i].handle, "an out-syncobj of the control");

	for (i = 0; i <= MAX_SYNCS; i++)
		s[i] = out_sync(syncobj_create(b.fd, 0));
	arg = bad_arg_syncs(&b, s, MAX_SYNCS + 1);
	bad_exec(&b, &arg, -EINVAL);
	arg.num_syncs = ~0u;
	bad_exec(&b, &arg, -EINVAL);
	for (i = 0; i <= MAX_SYNCS; i++)
		assert_no_fence(b.fd, s[i].handle);
	bad_end(&b);
}

/* @n small shared objects, mapped nowhere. */
static void make_handles(struct bad *b, uint32_t *h, int n)
{
	int i;

	for (i = 0; i < n; i++)
		h[i] = vdgpu_gem_create_in(b->fd, SZ_4K, cpu_region(&b->r.t), 0);
}

/*
 * exec-bad-num-handles: EXEC with IMPLICIT_SYNC takes 64 handles (the
 * control, 64 distinct objects); 65 and ~0 are -EINVAL.
 */
static void test_exec_bad_num_handles(void)
{
	uint32_t h[MAX_HANDLES + 1];
	struct drm_vdgpu_exec arg;
	struct bad b;

	bad_begin(&b);
	make_handles(&b, h, MAX_HANDLES + 1);
	bad_control(&b, IMPLICIT_SYNC, NULL, 0, h, MAX_HANDLES, BAD_GOOD_OFF,
		    b.good_len);
	arg = bad_arg(&b);
	arg.flags = IMPLICIT_SYNC;
	arg.handles = to_user_pointer(h);
	arg.num_handles = MAX_HANDLES + 1;
	bad_exec(&b, &arg, -EINVAL);
	arg.num_handles = ~0u;
	bad_exec(&b, &arg, -EINVAL);
	bad_end(&b);
}

/*
 * exec-bad-handles-without-implicit-sync: handles without IMPLICIT_SYNC
 * are -EINVAL (1 and 64 of them); the same handles with it are the
 * control.
 */
static void test_exec_bad_handles_without_implicit_sync(void)
{
	uint32_t h[MAX_HANDLES];
	struct drm_vdgpu_exec arg;
	struct bad b;

	bad_begin(&b);
	make_handles(&b, h, MAX_HANDLES);
	bad_control(&b, IMPLICIT_SYNC, NULL, 0, h, 1, BAD_GOOD_OFF, b.good_len);
	arg = bad_arg(&b);
	arg.handles = to_user_pointer(h);
	arg.num_handles = 1;
	bad_exec(&b, &arg, -EINVAL);
	arg.num_handles = MAX_HANDLES;
	bad_exec(&b, &arg, -EINVAL);
	bad_end(&b);
}

/*
 * exec-bad-sync-stride: a sync_stride of 0 or not a multiple of 8 is
 * -EINVAL, the buffer holding a valid out-sync followed by zeroes.
 */
static void test_exec_bad_sync_stride(void)
{
	const uint32_t strides[] = { 0, 1, 4, 12, 20, 28, 31 };
	uint8_t buf[64] = { 0 };
	struct drm_vdgpu_exec arg;
	struct bad b;
	size_t i;

	bad_begin(&b);
	memcpy(buf, &b.out_sync, sizeof(b.out_sync));
	for (i = 0; i < ARRAY_SIZE(strides); i++) {
		arg = bad_arg_syncs(&b, (const void *)buf, 1);
		arg.sync_stride = strides[i];
		bad_exec(&b, &arg, -EINVAL);
	}
	bad_end(&b);
}

/*
 * Syncs.  The controls are a SIGNAL of a new binary syncobj, a wait for a
 * signalled one, and a wait for point 1 of a timeline with a SIGNAL of
 * its point 2.  Refused EXECs pass the fixture's out-sync first, then
 * the bad sync.
 */
struct bad_syncs {
	uint32_t fresh;		/* binary, no fence */
	uint32_t done;		/* binary, signalled */
	uint32_t tl;		/* timeline, points 1 and 2 signalled */
};

static void bad_syncs_begin(struct bad *b, struct bad_syncs *s)
{
	struct drm_vdgpu_sync sync[2];

	bad_begin(b);
	s->fresh = syncobj_create(b->fd, 0);
	s->done = syncobj_create(b->fd, DRM_SYNCOBJ_CREATE_SIGNALED);
	s->tl = syncobj_create(b->fd, 0);
	igt_assert_err(__syncobj_timeline_signal(b->fd, s->tl, 1), 0);

	sync[0] = out_sync(syncobj_create(b->fd, 0));
	bad_control(b, 0, sync, 1, NULL, 0, BAD_GOOD_OFF, b->good_len);
	assert_done(b->fd, sync[0].handle, "a control's out-syncobj");
	sync[0] = in_sync(s->done);
	bad_control(b, 0, sync, 1, NULL, 0, BAD_GOOD_OFF, b->good_len);
	sync[0] = sync_of(s->tl, TIMELINE, 1);
	sync[1] = sync_of(s->tl, SIGNAL | TIMELINE, 2);
	bad_control(b, 0, sync, 2, NULL, 0, BAD_GOOD_OFF, b->good_len);
	igt_assert_err(__syncobj_timeline_wait_until(b->fd, s->tl, 2, 0,
						     vdgpu_now_ns() + WAIT_NS), 0);
}

static void bad_sync(struct bad *b, struct drm_vdgpu_sync sync, int err)
{
	struct drm_vdgpu_sync s[2] = { b->out_sync, sync };
	struct drm_vdgpu_exec arg = bad_arg_syncs(b, s, 2);

	bad_exec(b, &arg, err);
}

static void bad_syncs_end(struct bad *b, struct bad_syncs *s)
{
	uint64_t point = 0;

	assert_no_fence(b->fd, s->fresh);
	igt_assert_err(__syncobj_query(b->fd, s->tl, &point), 0);
	igt_assert_eq_u64(point, 2);
	bad_end(b);
}

/*
 * exec-bad-sync-flags: every sync flag bit but SIGNAL and TIMELINE is
 * -EINVAL, on a signal and on a wait.
 */
static void test_exec_bad_sync_flags(void)
{
	struct bad_syncs s;
	struct bad b;
	int bit;

	bad_syncs_begin(&b, &s);
	for (bit = 2; bit < 32; bit++) {
		bad_sync(&b, sync_of(s.fresh, SIGNAL | (1u << bit), 0), -EINVAL);
		bad_sync(&b, sync_of(s.done, 1u << bit, 0), -EINVAL);
		bad_sync(&b, sync_of(s.tl, SIGNAL | TIMELINE | (1u << bit), 3), -EINVAL);
	}
	bad_syncs_end(&b, &s);
}

/*
 * exec-bad-sync-timeline-point-zero: a TIMELINE sync with point 0 is
 * -EINVAL, on a signal and on a wait.
 */
static void test_exec_bad_sync_timeline_point_zero(void)
{
	struct bad_syncs s;
	struct bad b;

	bad_syncs_begin(&b, &s);
	bad_sync(&b, sync_of(s.tl, SIGNAL | TIMELINE, 0), -EINVAL);
	bad_sync(&b, sync_of(s.tl, TIMELINE, 0), -EINVAL);
	bad_sync(&b, sync_of(s.fresh, SIGNAL | TIMELINE, 0), -EINVAL);
	bad_syncs_end(&b, &s);
}

/*
 * exec-bad-sync-binary-point: a binary sync (no TIMELINE) with a nonzero
 * point is -EINVAL, on a signal and on a wait.
 */
static void test_exec_bad_sync_binary_point(void)
{
	struct bad_syncs s;
	struct bad b;

	bad_syncs_begin(&b, &s);
	bad_sync(&b, sync_of(s.fresh, SIGNAL, 1), -EINVAL);
	bad_sync(&b, sync_of(s.done, 0, 1), -EINVAL);
	bad_sync(&b, sync_of(s.tl, 0, 1), -EINVAL);
	bad_syncs_end(&b, &s);
}

/* exec-bad-sync-reserved: a sync with a nonzero reserved word is -EINVAL. */
static void test_exec_bad_sync_reserved(void)
{
	struct drm_vdgpu_sync sync;
	struct bad_syncs s;
	struct bad b;

	bad_syncs_begin(&b, &s);
	sync = sync_of(s.fresh, SIGNAL, 0);
	sync.reserved = 1;
	bad_sync(&b, sync, -EINVAL);
	sync = sync_of(s.done, 0, 0);
	sync.reserved = ~0ull;
	bad_sync(&b, sync, -EINVAL);
	sync = sync_of(s.tl, TIMELINE, 1);
	sync.reserved = 1;
	bad_sync(&b, sync, -EINVAL);
	bad_syncs_end(&b, &s);
}

/*
 * exec-bad-sync-handle: a syncobj handle the file does not have (never
 * created, destroyed, 0) is -ENOENT, on a signal and on a wait.
 */
static void test_exec_bad_sync_handle(void)
{
	uint32_t handles[3];
	struct bad_syncs s;
	struct bad b;
	int i;

	bad_syncs_begin(&b, &s);
	handles[0] = s.tl + 100;
	handles[1] = syncobj_create(b.fd, 0);
	syncobj_destroy(b.fd, handles[1]);
	handles[2] = 0;
	for (i = 0; i < 3; i++) {
		bad_sync(&b, sync_of(handles[i], SIGNAL, 0), -ENOENT);
		bad_sync(&b, sync_of(handles[i], 0, 0), -ENOENT);
		bad_sync(&b, sync_of(handles[i], SIGNAL | TIMELINE, 3), -ENOENT);
	}
	bad_syncs_end(&b, &s);
}

/*
 * exec-bad-in-sync-no-fence: an in-sync must have a fence when the ioctl
 * is made: a binary syncobj never signalled, one signalled then reset,
 * and timeline points not yet submitted are -EINVAL.
 */
static void test_exec_bad_in_sync_no_fence(void)
{
	struct bad_syncs s;
	uint32_t reset;
	struct bad b;

	bad_syncs_begin(&b, &s);
	reset = syncobj_create(b.fd, DRM_SYNCOBJ_CREATE_SIGNALED);
	igt_assert_err(__syncobj_reset(b.fd, reset), 0);
	bad_sync(&b, sync_of(s.fresh, 0, 0), -EINVAL);
	bad_sync(&b, sync_of(reset, 0, 0), -EINVAL);
	bad_sync(&b, sync_of(s.tl, TIMELINE, 3), -EINVAL);
	bad_sync(&b, sync_of(s.tl, TIMELINE, 100), -EINVAL);
	bad_syncs_end(&b, &s);
}

/*
 * exec-bad-syncs-pointer: a syncs array the kernel cannot read is
 * -EFAULT: NULL, an inaccessible page, a kernel address, and two syncs
 * of which only the first (the valid out-sync) is readable.
 */
static void test_exec_bad_syncs_pointer(void)
{
	struct drm_vdgpu_exec arg;
	void *none, *pages, *syncs;
	struct bad b;

	bad_begin(&b);
	none = inaccessible_page();
	arg = bad_arg(&b);
	arg.syncs = 0;
	bad_exec(&b, &arg, -EFAULT);
	arg.syncs = to_user_pointer(none);
	bad_exec(&b, &arg, -EFAULT);
	arg.syncs = -SZ_4K;
	bad_exec(&b, &arg, -EFAULT);
	syncs = straddle(&b.out_sync, sizeof(b.out_sync), &pages);
	arg = bad_arg_syncs(&b, syncs, 2);
	bad_exec(&b, &arg, -EFAULT);
	munmap(pages, 2 * SZ_4K);
	munmap(none, SZ_4K);
	bad_end(&b);
}

/*
 * exec-bad-handles-pointer: with IMPLICIT_SYNC, a handles array the
 * kernel cannot read is -EFAULT: NULL, an inaccessible page, a kernel
 * address, and two handles of which only the first (valid) is readable.
 */
static void test_exec_bad_handles_pointer(void)
{
	struct drm_vdgpu_exec arg;
	void *none, *pages, *handles;
	struct bad b;

	bad_begin(&b);
	none = inaccessible_page();
	arg = bad_arg(&b);
	arg.flags = IMPLICIT_SYNC;
	arg.num_handles = 1;
	arg.handles = 0;
	bad_exec(&b, &arg, -EFAULT);
	arg.handles = to_user_pointer(none);
	bad_exec(&b, &arg, -EFAULT);
	arg.handles = -SZ_4K;
	bad_exec(&b, &arg, -EFAULT);
	handles = straddle(&b.bo.handle, sizeof(b.bo.handle), &pages);
	arg.handles = to_user_pointer(handles);
	arg.num_handles = 2;
	bad_exec(&b, &arg, -EFAULT);
	munmap(pages, 2 * SZ_4K);
	munmap(none, SZ_4K);
	bad_end(&b);
}

/*
 * exec-bad-handle: with IMPLICIT_SYNC, a handle the file does not have
 * (never created, closed, 0) is -ENOENT, alone or after a valid one.
 */
static void test_exec_bad_handle(void)
{
	uint32_t h[2], closed;
	struct drm_vdgpu_exec arg;
	struct bad b;
	int i;

	bad_begin(&b);
	make_handles(&b, &closed, 1);
	gem_close(b.fd, closed);
	h[0] = b.bo.handle;
	for (i = 0; i < 3; i++) {
		h[1] = i == 0 ? closed + 100 : i == 1 ? closed : 0;
		arg = bad_arg(&b);
		arg.flags = IMPLICIT_SYNC;
		arg.handles = to_user_pointer(&h[1]);
		arg.num_handles = 1;
		bad_exec(&b, &arg, -ENOENT);
		arg.handles = to_user_pointer(h);
		arg.num_handles = 2;
		bad_exec(&b, &arg, -ENOENT);
	}
	bad_end(&b);
}

/*
 * exec-bad-handle-other-file: with IMPLICIT_SYNC, a handle that only
 * another file has is -ENOENT.
 */
static void test_exec_bad_handle_other_file(void)
{
	struct drm_vdgpu_gem_info info;
	struct drm_vdgpu_exec arg;
	uint32_t theirs = 0;
	struct bad b;
	int other, i;

	bad_begin(&b);
	other = vdgpu_open_render();
	for (i = 0; i < 8; i++)
		theirs = vdgpu_gem_create_in(other, SZ_4K, cpu_region(&b.r.t), 0);
	igt_assert_f(__vdgpu_gem_info(b.fd, theirs, &info) == -ENOENT,
		     "this file has a handle %u too\n", theirs);
	arg = bad_arg(&b);
	arg.flags = IMPLICIT_SYNC;
	arg.handles = to_user_pointer(&theirs);
	arg.num_handles = 1;
	bad_exec(&b, &arg, -ENOENT);
	close(other);
	bad_end(&b);
}

/*
 * exec-bad-queue-id: a queue id the file never created (0, the next id,
 * ~0) is -ENOENT.
 */
static void test_exec_bad_queue_id(void)
{
	struct drm_vdgpu_exec arg;
	struct bad b;
	size_t i;

	bad_begin(&b);
	{
		const uint32_t ids[] = { 0, b.queue + 1, b.queue + 100, ~0u };

		for (i = 0; i < ARRAY_SIZE(ids); i++) {
			arg = bad_arg(&b);
			arg.queue_id = ids[i];
			bad_exec(&b, &arg, -ENOENT);
		}
	}
	bad_end(&b);
}

/*
 * exec-bad-queue-other-file: the id of another file's queue, which this
 * file does not have, is -ENOENT; that queue, whose VM maps the same
 * address, does not run the batch either.
 */
static void test_exec_bad_queue_other_file(void)
{
	struct drm_vdgpu_exec arg;
	uint32_t theirs;
	struct bad b;
	struct rig o;
	struct bo bo;

	bad_begin(&b);
	rig_open(&o);
	rig_bo(&o, &bo, o.vm, DATA_VA, BAD_BO_SIZE, cpu_region(&o.t));
	do {
		theirs = vdgpu_exec_queue_create(o.fd, o.vm);
	} while (theirs == b.queue);
	arg = bad_arg(&b);
	arg.queue_id = theirs;
	bad_exec(&b, &arg, -ENOENT);
	assert_queue_works(&o, theirs, &bo, 0x2000, CONTROL_VALUE);
	igt_assert_eq(bo_u32(&bo)[BAD_MARKER_OFF / 4], 0);
	close(o.fd);
	bad_end(&b);
}

/* exec-bad-queue-destroyed: EXEC on a destroyed queue is -ENOENT. */
static void test_exec_bad_queue_destroyed(void)
{
	struct drm_vdgpu_exec arg;
	uint32_t q;
	struct bad b;

	bad_begin(&b);
	q = vdgpu_exec_queue_create(b.fd, b.r.vm);
	vdgpu_exec_queue_destroy(b.fd, q);
	arg = bad_arg(&b);
	arg.queue_id = q;
	bad_exec(&b, &arg, -ENOENT);
	bad_end(&b);
}

/*
 * exec-bad-vm-destroyed: a queue keeps its VM alive, but once the VM is
 * destroyed EXEC on the queue is -ENOENT (it ran a batch before: the
 * control); the queue can still be destroyed.
 */
static void test_exec_bad_vm_destroyed(void)
{
	struct drm_vdgpu_exec arg;
	uint32_t vm, q, out;
	struct bad b;

	bad_begin(&b);
	vm = vdgpu_vm_create(b.fd);
	vdgpu_vm_map(b.fd, vm, b.bo.handle, 0, DATA_VA, BAD_BO_SIZE, 0);
	q = vdgpu_exec_queue_create(b.fd, vm);
	out = syncobj_create(b.fd, 0);
	*bad_dword(&b, BAD_CONTROL_OFF) = 0;
	{
		struct drm_vdgpu_sync s = out_sync(out);

		__sync_synchronize();
		vdgpu_exec(b.fd, q, 0, DATA_VA + BAD_GOOD_OFF, b.good_len, &s, 1,
			   NULL, 0);
	}
	assert_done(b.fd, out, "a batch of the queue before its VM went");
	igt_assert_eq(*bad_dword(&b, BAD_CONTROL_OFF), CONTROL_VALUE);
	vdgpu_vm_destroy(b.fd, vm);
	arg = bad_arg(&b);
	arg.queue_id = q;
	bad_exec(&b, &arg, -ENOENT);
	vdgpu_exec_queue_destroy(b.fd, q);
	bad_end(&b);
}

static const struct igt_subtest subtests[] = {
	{ "basic", test_basic,
	  "STORE_DWORD batches write exactly their dwords; a queue runs its batches in order." },
	{ "copy-fill", test_copy_fill,
	  "COPY and FILL through virtual addresses between every pair of regions, in order." },
	{ "fdinfo-engine", test_fdinfo_engine,
	  "fdinfo counts the file's compute engine time, the running batch included." },
	{ "timestamp", test_timestamp,
	  "TIMESTAMPs do not decrease and follow the CPU's clock in nanoseconds." },
	{ "wait-cpu-release", test_wait_cpu_release,
	  "A batch WAITs on a dword (under a mask) until the CPU writes it." },
	{ "queue-create-destroy", test_queue_create_destroy,
	  "Queue ids per file from 1, priorities, and destroyed queues being gone." },
	{ "syncobj-chain-binary", test_syncobj_chain_binary,
	  "Batches on three queues ordered only by binary syncobjs." },
	{ "syncobj-chain-timeline", test_syncobj_chain_timeline,
	  "Batches on three queues ordered only by the points of a timeline syncobj." },
	{ "implicit-sync", test_implicit_sync,
	  "IMPLICIT_SYNC orders batches through a shared object's fences, and publishes them." },
	{ "hang", test_hang,
	  "A hanging batch is stopped after 5 s with -ETIMEDOUT; its queue is banned, others run." },
	{ "page-fault", test_page_fault,
	  "Faulting batches fail with -EIO, ban their queue, and are named in error_state." },
	{ "queue-destroy-pending", test_queue_destroy_pending,
	  "Batches of a destroyed queue still run and signal." },
	{ "close-file-pending", test_close_file_pending,
	  "Batches of a closed file still run and signal." },
	{ "store-many-bos-evict", test_evict,
	  "STOREs into shared objects of twice VRAM in one VM; every dword checked at the end." },
	{ "store-many-bos-evict-private", test_evict_private,
	  "The same with VM-private objects." },
	{ "store-many-bos-evict-multi-queue", test_evict_multi_queue,
	  "The same on four queues of the VM." },
	{ "store-many-bos-evict-multi-vm", test_evict_multi_vm,
	  "Four VMs of VRAM-only shared objects taking turns: eviction between jobs." },
	{ "store-many-bos-evict-multi-vm-private", test_evict_multi_vm_private,
	  "The same with VM-private objects." },
	{ "store-many-bos-evict-threads", test_evict_threads,
	  "Four threads, each with its VM and queue of VRAM-only shared objects." },
	{ "store-many-bos-evict-threads-private", test_evict_threads_private,
	  "The same with VM-private objects." },
	{ "queue-create-bad-extensions", test_queue_create_bad_extensions,
	  "EXEC_QUEUE_CREATE with nonzero extensions is -EINVAL." },
	{ "queue-create-bad-flags", test_queue_create_bad_flags,
	  "EXEC_QUEUE_CREATE with any flag is -EINVAL." },
	{ "queue-create-bad-queue-id", test_queue_create_bad_queue_id,
	  "EXEC_QUEUE_CREATE with a nonzero queue_id (an output) is -EINVAL." },
	{ "queue-create-bad-pad", test_queue_create_bad_pad,
	  "EXEC_QUEUE_CREATE with a nonzero pad is -EINVAL." },
	{ "queue-create-bad-reserved", test_queue_create_bad_reserved,
	  "EXEC_QUEUE_CREATE with nonzero reserved words is -EINVAL." },
	{ "queue-create-bad-priority", test_queue_create_bad_priority,
	  "EXEC_QUEUE_CREATE with an unknown priority is -EINVAL." },
	{ "queue-create-bad-engine-class", test_queue_create_bad_engine_class,
	  "A queue of a copy engine or of an unknown class is -EINVAL." },
	{ "queue-create-bad-engine-instance", test_queue_create_bad_engine_instance,
	  "A queue of a compute engine the device does not have is -EINVAL." },
	{ "queue-create-bad-vm-id", test_queue_create_bad_vm_id,
	  "A queue of a VM id never created is -ENOENT." },
	{ "queue-create-bad-vm-other-file", test_queue_create_bad_vm_other_file,
	  "A queue of another file's VM id is -ENOENT." },
	{ "queue-create-bad-vm-destroyed", test_queue_create_bad_vm_destroyed,
	  "A queue of a destroyed VM is -ENOENT." },
	{ "queue-destroy-bad-extensions", test_queue_destroy_bad_extensions,
	  "EXEC_QUEUE_DESTROY with nonzero extensions is -EINVAL and destroys nothing." },
	{ "queue-destroy-bad-pad", test_queue_destroy_bad_pad,
	  "EXEC_QUEUE_DESTROY with a nonzero pad is -EINVAL and destroys nothing." },
	{ "queue-destroy-bad-reserved", test_queue_destroy_bad_reserved,
	  "EXEC_QUEUE_DESTROY with nonzero reserved words is -EINVAL and destroys nothing." },
	{ "queue-destroy-bad-id", test_queue_destroy_bad_id,
	  "EXEC_QUEUE_DESTROY of an id never created is -ENOENT." },
	{ "queue-destroy-bad-other-file", test_queue_destroy_bad_other_file,
	  "EXEC_QUEUE_DESTROY of another file's queue id is -ENOENT." },
	{ "queue-destroy-bad-destroyed", test_queue_destroy_bad_destroyed,
	  "EXEC_QUEUE_DESTROY of a destroyed queue is -ENOENT." },
	{ "exec-bad-extensions", test_exec_bad_extensions,
	  "EXEC with nonzero extensions is -EINVAL." },
	{ "exec-bad-reserved", test_exec_bad_reserved,
	  "EXEC with nonzero reserved words is -EINVAL." },
	{ "exec-bad-flags", test_exec_bad_flags,
	  "EXEC flags other than IMPLICIT_SYNC are -EINVAL." },
	{ "exec-bad-batch-addr", test_exec_bad_batch_addr,
	  "A batch address not 4-byte aligned is -EINVAL." },
	{ "exec-bad-batch-len", test_exec_bad_batch_len,
	  "A batch length of 0, not a multiple of 4 or above 1 MiB is -EINVAL." },
	{ "exec-bad-num-syncs", test_exec_bad_num_syncs,
	  "EXEC takes 64 syncs; 65 are -EINVAL." },
	{ "exec-bad-num-handles", test_exec_bad_num_handles,
	  "EXEC takes 64 handles; 65 are -EINVAL." },
	{ "exec-bad-handles-without-implicit-sync", test_exec_bad_handles_without_implicit_sync,
	  "Handles without IMPLICIT_SYNC are -EINVAL." },
	{ "exec-bad-sync-stride", test_exec_bad_sync_stride,
	  "A sync_stride of 0 or not a multiple of 8 is -EINVAL." },
	{ "exec-bad-sync-flags", test_exec_bad_sync_flags,
	  "Sync flags other than SIGNAL and TIMELINE are -EINVAL." },
	{ "exec-bad-sync-timeline-point-zero", test_exec_bad_sync_timeline_point_zero,
	  "A TIMELINE sync with point 0 is -EINVAL." },
	{ "exec-bad-sync-binary-point", test_exec_bad_sync_binary_point,
	  "A binary sync with a nonzero point is -EINVAL." },
	{ "exec-bad-sync-reserved", test_exec_bad_sync_reserved,
	  "A sync with a nonzero reserved word is -EINVAL." },
	{ "exec-bad-sync-handle", test_exec_bad_sync_handle,
	  "A syncobj handle the file does not have is -ENOENT." },
	{ "exec-bad-in-sync-no-fence", test_exec_bad_in_sync_no_fence,
	  "An in-sync without a fence is -EINVAL." },
	{ "exec-bad-syncs-pointer", test_exec_bad_syncs_pointer,
	  "An unreadable syncs array is -EFAULT and queues nothing." },
	{ "exec-bad-handles-pointer", test_exec_bad_handles_pointer,
	  "An unreadable handles array is -EFAULT and queues nothing." },
	{ "exec-bad-handle", test_exec_bad_handle,
	  "An object handle the file does not have is -ENOENT." },
	{ "exec-bad-handle-other-file", test_exec_bad_handle_other_file,
	  "Another file's object handle is -ENOENT." },
	{ "exec-bad-queue-id", test_exec_bad_queue_id,
	  "EXEC on a queue id never created is -ENOENT." },
	{ "exec-bad-queue-other-file", test_exec_bad_queue_other_file,
	  "EXEC on another file's queue id is -ENOENT." },
	{ "exec-bad-queue-destroyed", test_exec_bad_queue_destroyed,
	  "EXEC on a destroyed queue is -ENOENT." },
	{ "exec-bad-vm-destroyed", test_exec_bad_vm_destroyed,
	  "EXEC on a queue whose VM was destroyed is -ENOENT." },
};

int main(int argc, char **argv)
{
	return igt_run(argc, argv,
		       "Command submission of vdgpu: exec queues, batches of "
		       "STORE_DWORD, COPY, FILL, TIMESTAMP and WAIT, syncobjs "
		       "and implicit sync, hangs, faults and bans, eviction "
		       "between jobs, and the arguments refused.",
		       subtests, ARRAY_SIZE(subtests));
}
