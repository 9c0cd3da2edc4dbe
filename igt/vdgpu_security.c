// SPDX-License-Identifier: GPL-2.0-only
/*
 * vdgpu_security: what one client of vdgpu must not be able to do to or
 * learn from another.
 *
 * - Isolation: a file's GEM handles, VM ids, exec-queue ids, syncobjs and
 *   mmap offsets mean nothing in another file, of the same process or of
 *   another one.  Every ioctl given another file's number fails with the
 *   errno the uAPI documents, and the owner's object is untouched
 *   afterwards (its contents, state and mappings, and it still works).
 *   The same number in two files names two objects.  A dma-buf maps only
 *   its own object.
 * - Stale bytes: no object shows bytes it did not write.  Objects are
 *   filled with tagged secrets and freed, evicted, swapped out or purged;
 *   new objects in every region must then read as zeroes, through the CPU
 *   and through the GPU (a COPY batch into an object of the test), and
 *   the evicted or swapped objects come back with their own bytes.  A
 *   purged object raises SIGBUS while DONTNEED and reads as zeroes after
 *   WILLNEED.  A GPU read of an address the VM does not map faults.
 * - Nodes: the render node refuses every core ioctl that needs a primary
 *   node and allows every vdgpu ioctl; on the primary node, a client that
 *   is not authenticated gets -EACCES for the DRM_AUTH ioctls (flink
 *   names) and the master ioctls, and still every vdgpu ioctl, which the
 *   driver's ioctl table marks DRM_RENDER_ALLOW without DRM_AUTH: a
 *   render node offers them to anyone anyway.
 *
 * The stale-bytes subtests reload the module with 32 MiB of VRAM
 * (lib/vdgpu_kmod.h) so that new objects must reuse what the secrets
 * occupied, and restore the parameters afterwards; they, and the
 * primary-node subtest, which drops CAP_SYS_ADMIN to open an
 * unauthenticated file, need root.  swap-* needs /proc/sys/vm/drop_caches
 * and the driver's debugfs counters to tell that objects were swapped out.
 * Every subtest needs a 1.3 driver (command submission).
 */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/capability.h>
#include <xf86drm.h>
#include <drm_mode.h>
#include <drm/vdgpu_drm.h>

#include "igt_syncobj.h"
#include "vdgpu_gem.h"
#include "vdgpu_igt.h"
#include "vdgpu_kmod.h"

#define SYSTEM		DRM_VDGPU_REGION_SYSTEM
#define GTT		DRM_VDGPU_REGION_GTT
#define VRAM		DRM_VDGPU_REGION_VRAM0

#define KIB		((uint64_t)1024)
#define MIB		(1024 * KIB)
#define GIB		(1024 * MIB)
#define SZ_4K		(4 * KIB)

#define NSEC_PER_SEC	1000000000ll
#define WAIT_NS		(10 * NSEC_PER_SEC)

/* The module configuration of the stale-bytes subtests. */
#define SMALL_PARAMS	"vram_size=32 visible_vram_size=32 gart_size=64"

/*
 * GPU addresses: objects under test from DATA_VA, the batch at BATCH_VA,
 * the object batches copy into at RESULT_VA, nothing ever at HOLE_VA.
 */
#define DATA_VA		(1 * GIB)
#define BATCH_VA	(16 * GIB)
#define RESULT_VA	(20 * GIB)
#define HOLE_VA		(24 * GIB)
#define VA_NEEDED	(32 * GIB)
#define BATCH_SIZE	(64 * KIB)

/*
 * The batch commands used here, from the hardware manual (vdgpu_regs.h,
 * DOC "Batches"): a header dword with the opcode in [31:24] and the
 * payload length in dwords in [15:0], 64-bit values low dword first.
 */
#define CMD(op, len)		((uint32_t)(op) << 24 | (len))
#define CMD_NOP			CMD(0x00, 0)
#define CMD_COPY		CMD(0x02, 7)	/* ctx, src, dst, size */
#define CMD_FILL		CMD(0x03, 6)	/* ctx, dst, size, pattern */
#define CMD_STORE		CMD(0x06, 3)	/* addr, value */

/*
 * Secrets: every 64-bit word of object n holds SECRET_TAG | n << 32 |
 * word index when the CPU wrote it; a GPU FILL writes the 32-bit
 * GPU_SECRET(n).  Anything else nonzero in a new object is garbage of
 * unknown origin, and equally a failure.
 */
#define SECRET_TAG	(0x5ec0ull << 48)
#define GPU_SECRET(n)	(0x5ec00000u | ((n) & 0xfffff))

static uint64_t secret(uint32_t obj, uint64_t index)
{
	return SECRET_TAG | (uint64_t)(obj & 0xffff) << 32 | (uint32_t)index;
}

static void fill_secret(void *ptr, uint64_t size, uint32_t obj)
{
	uint64_t *w = ptr, i;

	for (i = 0; i < size / 8; i++)
		w[i] = secret(obj, i);
}

static const char *origin(uint64_t w, char *buf, size_t len)
{
	if ((w >> 32) == (uint32_t)w &&
	    ((uint32_t)w & 0xfff00000u) == 0x5ec00000u)
		snprintf(buf, len, "object %u's GPU-written secret",
			 (unsigned int)(w & 0xfffff));
	else if ((w & (0xffffull << 48)) == SECRET_TAG)
		snprintf(buf, len, "object %u's secret, word %u",
			 (unsigned int)(w >> 32 & 0xffff), (unsigned int)w);
	else if (((uint32_t)w & 0xfff00000u) == 0x5ec00000u)
		snprintf(buf, len, "object %u's GPU-written secret",
			 (unsigned int)(w & 0xfffff));
	else
		snprintf(buf, len, "of unknown origin");
	return buf;
}

/* Every byte of [ptr, ptr + size) is zero. */
static void check_zero(const void *ptr, uint64_t size, const char *what)
{
	const volatile uint64_t *w = ptr;
	uint64_t i, bad = 0, first = 0, val = 0;
	char buf[64];

	for (i = 0; i < size / 8; i++) {
		uint64_t v = w[i];

		if (!v)
			continue;
		if (!bad++) {
			first = i;
			val = v;
		}
	}
	igt_assert_f(!bad,
		     "%s: %" PRIu64 " of %" PRIu64 " words are not zero; the first, at byte %#" PRIx64 ", is %#" PRIx64 " (%s)\n",
		     what, bad, size / 8, first * 8, val,
		     origin(val, buf, sizeof(buf)));
}

/* The object still holds its secret @obj. */
static void check_secret(const void *ptr, uint64_t size, uint32_t obj,
			 const char *what)
{
	const volatile uint64_t *w = ptr;
	char buf[64];
	uint64_t i;

	for (i = 0; i < size / 8; i++) {
		uint64_t v = w[i];

		igt_assert_f(v == secret(obj, i),
			     "%s: word %" PRIu64 " is %#" PRIx64 " (%s), not its own secret %#" PRIx64 "\n",
			     what, i, v, origin(v, buf, sizeof(buf)),
			     secret(obj, i));
	}
}

/* Every dword holds @value. */
static void check_dwords(const void *ptr, uint64_t size, uint32_t value,
			 const char *what)
{
	const volatile uint32_t *d = ptr;
	uint64_t i;

	for (i = 0; i < size / 4; i++)
		igt_assert_f(d[i] == value,
			     "%s: dword %" PRIu64 " is %#x, not %#x\n", what,
			     i, d[i], value);
}

/*
 * CPU mappings of objects, tracked so that a failed subtest unmaps them
 * before its module reload: a mapping would keep the module busy.
 */
#define MAX_MAPS	128

static struct {
	void *ptr;
	uint64_t size;
} maps[MAX_MAPS];

static void *map_object(int fd, uint32_t handle, uint64_t size)
{
	void *ptr = vdgpu_gem_mmap(fd, handle, size);
	unsigned int i;

	for (i = 0; i < MAX_MAPS && maps[i].ptr; i++)
		;
	igt_assert_lt(i, MAX_MAPS);
	maps[i].ptr = ptr;
	maps[i].size = size;
	return ptr;
}

static void unmap_object(void *ptr, uint64_t size)
{
	unsigned int i;

	for (i = 0; i < MAX_MAPS; i++)
		if (maps[i].ptr == ptr)
			maps[i].ptr = NULL;
	munmap(ptr, size);
}

static void unmap_all(void *data)
{
	unsigned int i;

	(void)data;
	for (i = 0; i < MAX_MAPS; i++)
		if (maps[i].ptr)
			unmap_object(maps[i].ptr, maps[i].size);
}

/*
 * A new object in @region, created with @flags, holding secret @obj,
 * written by the CPU.
 */
static uint32_t secret_object_flags(int fd, uint64_t size, uint32_t region,
				    uint32_t flags, uint32_t obj)
{
	uint32_t handle = vdgpu_gem_create_in(fd, size, region, flags);
	void *ptr = map_object(fd, handle, size);

	fill_secret(ptr, size, obj);
	unmap_object(ptr, size);
	return handle;
}

static uint32_t secret_object(int fd, uint64_t size, uint32_t region,
			      uint32_t obj)
{
	return secret_object_flags(fd, size, region, 0, obj);
}

/* The object still holds secret @obj, as the CPU sees it. */
static void check_object_secret(int fd, uint32_t handle, uint64_t size,
				uint32_t obj, const char *what)
{
	void *ptr = map_object(fd, handle, size);

	check_secret(ptr, size, obj, what);
	unmap_object(ptr, size);
}

/*
 * The render node of a driver with command submission whose VMs leave
 * the addresses above to userspace.
 */
static int open_exec(void)
{
	struct drm_vdgpu_query_device dev;
	int fd = vdgpu_open_render();

	vdgpu_require_exec(fd);
	vdgpu_query_device(fd, &dev);
	igt_require_f(dev.va_kernel_start >= VA_NEEDED,
		      "va_kernel_start %#" PRIx64 " is below the %#" PRIx64 " used here\n",
		      (uint64_t)dev.va_kernel_start, VA_NEEDED);
	return fd;
}

/*
 * A GPU client: a VM with a queue, a batch object and a result object in
 * GTT, both mapped for the CPU, for batches that copy what the GPU reads
 * into the result object.
 */
struct gpu {
	int fd;
	uint32_t vm, queue;
	uint32_t batch_bo, result_bo;
	uint32_t *batch;
	void *result;
	uint64_t result_size;
};

static void gpu_open(struct gpu *g, int fd, uint64_t result_size)
{
	memset(g, 0, sizeof(*g));
	g->fd = fd;
	g->vm = vdgpu_vm_create(fd);
	g->queue = vdgpu_exec_queue_create(fd, g->vm);
	g->batch_bo = vdgpu_gem_create_in(fd, BATCH_SIZE, GTT, 0);
	g->batch = map_object(fd, g->batch_bo, BATCH_SIZE);
	vdgpu_vm_map(fd, g->vm, g->batch_bo, 0, BATCH_VA, BATCH_SIZE, 0);
	g->result_size = result_size;
	g->result_bo = vdgpu_gem_create_in(fd, result_size, GTT, 0);
	g->result = map_object(fd, g->result_bo, result_size);
	vdgpu_vm_map(fd, g->vm, g->result_bo, 0, RESULT_VA, result_size, 0);
}

/*
 * Run the @n dwords at the start of the batch object and wait for them:
 * 1 when the batch completed, else the error its fence signalled with.  A
 * batch that failed got its queue banned: the next batch gets a new one.
 */
static int gpu_run(struct gpu *g, unsigned int n)
{
	struct drm_vdgpu_sync s = { .flags = DRM_VDGPU_SYNC_SIGNAL };
	int ret, status = 2;

	s.handle = syncobj_create(g->fd, 0);
	__sync_synchronize();
	vdgpu_exec(g->fd, g->queue, 0, BATCH_VA, n * 4, &s, 1, NULL, 0);
	ret = __syncobj_wait_until(g->fd, s.handle, 0, vdgpu_now_ns() + WAIT_NS);
	igt_assert_f(ret == 0, "the batch is not done after 10 s: %s\n",
		     igt_errno_name(ret));
	igt_assert_err(__syncobj_fence_status(g->fd, s.handle, &status), 0);
	syncobj_destroy(g->fd, s.handle);
	if (status != 1) {
		vdgpu_exec_queue_destroy(g->fd, g->queue);
		g->queue = vdgpu_exec_queue_create(g->fd, g->vm);
	}
	return status;
}

/* For messages: a gpu_run() status. */
static const char *status_name(int status)
{
	return status == 1 ? "completed" : igt_errno_name(status);
}

static unsigned int put64(uint32_t *b, unsigned int n, uint64_t v)
{
	b[n++] = (uint32_t)v;
	b[n++] = (uint32_t)(v >> 32);
	return n;
}

static int gpu_copy(struct gpu *g, uint64_t src, uint64_t dst, uint64_t size)
{
	unsigned int n = 0;

	g->batch[n++] = CMD_COPY;
	g->batch[n++] = 0;
	n = put64(g->batch, n, src);
	n = put64(g->batch, n, dst);
	n = put64(g->batch, n, size);
	return gpu_run(g, n);
}

static int gpu_fill(struct gpu *g, uint64_t dst, uint64_t size, uint32_t value)
{
	unsigned int n = 0;

	g->batch[n++] = CMD_FILL;
	g->batch[n++] = 0;
	n = put64(g->batch, n, dst);
	n = put64(g->batch, n, size);
	g->batch[n++] = value;
	return gpu_run(g, n);
}

static int gpu_store(struct gpu *g, uint64_t va, uint32_t value)
{
	unsigned int n = 0;

	g->batch[n++] = CMD_STORE;
	n = put64(g->batch, n, va);
	g->batch[n++] = value;
	return gpu_run(g, n);
}

/*
 * Copy [@va, @va + @size) into the result object, which first holds 0xa5
 * bytes, and return the status of the batch.
 */
static int gpu_read(struct gpu *g, uint64_t va, uint64_t size)
{
	igt_assert_lte_u64(size, g->result_size);
	memset(g->result, 0xa5, size);
	return gpu_copy(g, va, RESULT_VA, size);
}

/* What the GPU reads at @va is all zero. */
static void gpu_check_zero(struct gpu *g, uint64_t va, uint64_t size,
			   const char *what)
{
	int status = gpu_read(g, va, size);

	igt_assert_f(status == 1, "%s: the COPY batch failed with %d (%s)\n",
		     what, status, status_name(status));
	check_zero(g->result, size, what);
}

static void gpu_close(struct gpu *g)
{
	unmap_object(g->batch, BATCH_SIZE);
	unmap_object(g->result, g->result_size);
	vdgpu_exec_queue_destroy(g->fd, g->queue);
	gem_close(g->fd, g->batch_bo);
	gem_close(g->fd, g->result_bo);
	vdgpu_vm_destroy(g->fd, g->vm);
}

/* A raw GEM_CLOSE / PRIME export: 0 or a negative errno. */
static int prime_export(int fd, uint32_t handle, int *dmabuf)
{
	return drmPrimeHandleToFD(fd, handle, DRM_CLOEXEC | DRM_RDWR, dmabuf) ?
	       -errno : 0;
}

/* mmap() of @size bytes at @offset of @fd: 0, or the negative errno. */
static int try_mmap(int fd, uint64_t offset, uint64_t size, int flags,
		    void **out)
{
	void *ptr = mmap(NULL, size, PROT_READ, flags, fd, offset);

	if (ptr == MAP_FAILED)
		return -errno;
	if (out)
		*out = ptr;
	else
		munmap(ptr, size);
	return 0;
}

/*
 * Isolation between files
 */

/* A's object: its contents and state, as A left them. */
static void check_untouched(int fd, uint32_t handle, uint64_t size,
			    uint32_t obj, const char *what)
{
	struct drm_vdgpu_gem_info info;
	int dmabuf;

	vdgpu_gem_info(fd, handle, &info);
	igt_assert_eq_u64(info.size, size);
	igt_assert_f(info.state == 0, "%s: state %#x after another file's calls\n",
		     what, info.state);
	check_object_secret(fd, handle, size, obj, what);
	igt_assert_eq(vdgpu_gem_madvise(fd, handle, DRM_VDGPU_MADV_WILLNEED), 0);
	igt_assert_err(__vdgpu_gem_wait(fd, handle, vdgpu_now_ns() + WAIT_NS), 0);
	igt_assert_err(prime_export(fd, handle, &dmabuf), 0);
	close(dmabuf);
}

/*
 * cross-file-handles: file A holds five objects, each with a secret; file
 * B holds a batch object (its handle 1, the number of A's first) and
 * reaches for A's fifth handle, which it does not have: GEM_INFO,
 * MMAP_OFFSET, GEM_WAIT and MADVISE fail with -ENOENT, GEM_CLOSE with
 * -EINVAL (drm_gem_handle_delete()), PRIME export with -ENOENT, a VM_BIND
 * MAP of it into B's VM with -ENOENT, an EXEC listing it for implicit
 * sync with -ENOENT.  B's MADVISE DONTNEED of its own handle 1 marks B's
 * object, not A's.  Afterwards every object of A has its size, no
 * DONTNEED state, its secret, is idle and can be exported.
 */
static void test_cross_file_handles(void)
{
	const uint64_t size = 64 * KIB;
	struct drm_vdgpu_vm_bind_op op = {
		.op = DRM_VDGPU_VM_BIND_OP_MAP, .addr = DATA_VA, .range = size,
	};
	struct drm_vdgpu_gem_info info;
	uint32_t ha[5], vm_b, q_b, bb, purged;
	uint64_t offset;
	uint32_t *batch;
	int a, b, dmabuf;
	unsigned int i;

	a = open_exec();
	b = open_exec();
	for (i = 0; i < 5; i++)
		ha[i] = secret_object(a, size, i % 2 ? VRAM : GTT, i);
	bb = vdgpu_gem_create_in(b, SZ_4K, GTT, 0);
	vm_b = vdgpu_vm_create(b);
	q_b = vdgpu_exec_queue_create(b, vm_b);
	batch = map_object(b, bb, SZ_4K);
	batch[0] = CMD_NOP;
	unmap_object(batch, SZ_4K);
	vdgpu_vm_map(b, vm_b, bb, 0, BATCH_VA, SZ_4K, 0);
	igt_info("A's handles %u..%u, B's object %u\n", ha[0], ha[4], bb);
	igt_require_f(bb == ha[0], "B's first handle %u is not A's first %u\n",
		      bb, ha[0]);

	igt_assert_err(__vdgpu_gem_info(b, ha[4], &info), -ENOENT);
	igt_assert_err(__vdgpu_gem_mmap_offset(b, ha[4], &offset), -ENOENT);
	igt_assert_err(__vdgpu_gem_wait(b, ha[4], 0), -ENOENT);
	igt_assert_err(__vdgpu_gem_madvise(b, ha[4], DRM_VDGPU_MADV_DONTNEED,
					   &purged), -ENOENT);
	igt_assert_err(__gem_close(b, ha[4]), -EINVAL);
	igt_assert_err(prime_export(b, ha[4], &dmabuf), -ENOENT);
	op.handle = ha[4];
	igt_assert_err(__vdgpu_vm_bind(b, vm_b, 0, &op, 1, NULL, 0), -ENOENT);
	igt_assert_err(__vdgpu_exec(b, q_b, DRM_VDGPU_EXEC_IMPLICIT_SYNC,
				    BATCH_VA, 4, NULL, 0, &ha[4], 1), -ENOENT);

	/* The same number in both files: B's object. */
	igt_assert_eq(vdgpu_gem_madvise(b, bb, DRM_VDGPU_MADV_DONTNEED), 0);
	vdgpu_gem_info(b, bb, &info);
	igt_assert_eq(info.state, DRM_VDGPU_GEM_STATE_DONTNEED);
	igt_assert_eq_u64(info.size, SZ_4K);

	for (i = 0; i < 5; i++) {
		char what[48];

		snprintf(what, sizeof(what), "A's object %u", ha[i]);
		check_untouched(a, ha[i], size, i, what);
	}
	for (i = 0; i < 5; i++)
		gem_close(a, ha[i]);
	close(b);
	close(a);
}

/*
 * cross-file-vms: file A has four VMs, the last with a queue and a secret
 * object mapped at DATA_VA; file B, with no VM yet, names A's last VM in
 * VM_BIND (MAP of its own object, UNMAP and PREFETCH of A's range),
 * EXEC_QUEUE_CREATE, GEM_CREATE of a private object and VM_DESTROY: each
 * -ENOENT.  B's own first VM then has the number of A's first; B
 * destroying it leaves A's.  Afterwards A's VMs all take a MAP, and a
 * batch in A's last VM still reads the secret at DATA_VA.
 */
static void test_cross_file_vms(void)
{
	const uint64_t size = 64 * KIB;
	struct drm_vdgpu_vm_bind_op op = { .addr = DATA_VA, .range = size };
	uint32_t va[3], vb, hb, ha, h, q;
	struct gpu g;
	int a, b, status;
	unsigned int i;

	a = open_exec();
	b = open_exec();
	for (i = 0; i < 3; i++)
		va[i] = vdgpu_vm_create(a);
	gpu_open(&g, a, size);
	ha = secret_object(a, size, GTT, 7);
	vdgpu_vm_map(a, g.vm, ha, 0, DATA_VA, size, 0);
	hb = vdgpu_gem_create_in(b, size, GTT, 0);
	igt_info("A's VMs %u, %u, %u and %u\n", va[0], va[1], va[2], g.vm);

	op.op = DRM_VDGPU_VM_BIND_OP_MAP;
	op.handle = hb;
	igt_assert_err(__vdgpu_vm_bind(b, g.vm, 0, &op, 1, NULL, 0), -ENOENT);
	op.op = DRM_VDGPU_VM_BIND_OP_UNMAP;
	op.handle = 0;
	igt_assert_err(__vdgpu_vm_bind(b, g.vm, 0, &op, 1, NULL, 0), -ENOENT);
	op.op = DRM_VDGPU_VM_BIND_OP_PREFETCH;
	op.region = GTT;
	igt_assert_err(__vdgpu_vm_bind(b, g.vm, 0, &op, 1, NULL, 0), -ENOENT);
	igt_assert_err(__vdgpu_exec_queue_create(b, g.vm,
						 DRM_VDGPU_ENGINE_CLASS_COMPUTE, 0,
						 DRM_VDGPU_EXEC_QUEUE_PRIORITY_NORMAL,
						 &q), -ENOENT);
	igt_assert_err(__vdgpu_gem_create_vm(b, size, (const uint32_t[]){ GTT },
					     1, 0, g.vm, &h), -ENOENT);
	igt_assert_err(__vdgpu_vm_destroy(b, g.vm), -ENOENT);

	vb = vdgpu_vm_create(b);
	igt_info("B's VM %u\n", vb);
	vdgpu_vm_destroy(b, vb);

	for (i = 0; i < 3; i++)
		vdgpu_vm_map(a, va[i], ha, 0, DATA_VA, size, 0);
	status = gpu_read(&g, DATA_VA, size);
	igt_assert_f(status == 1, "reading A's mapping failed with %d (%s)\n",
		     status, status_name(status));
	check_secret(g.result, size, 7, "what A's VM maps at DATA_VA");

	for (i = 0; i < 3; i++)
		vdgpu_vm_destroy(a, va[i]);
	gpu_close(&g);
	gem_close(a, ha);
	close(b);
	close(a);
}

/*
 * cross-file-queues: file A has two queues; file B, with none, submits to
 * A's second (EXEC -ENOENT) and destroys it (-ENOENT).  B's own first
 * queue gets the number of A's first; B destroying it leaves A's.  Both
 * of A's queues still run batches afterwards.
 */
static void test_cross_file_queues(void)
{
	uint32_t qa1, qa2, qb, vb, bb;
	struct gpu g;
	int a, b, status;

	a = open_exec();
	b = open_exec();
	gpu_open(&g, a, SZ_4K);
	qa2 = vdgpu_exec_queue_create(a, g.vm);
	vb = vdgpu_vm_create(b);
	bb = vdgpu_gem_create_in(b, SZ_4K, GTT, 0);
	vdgpu_vm_map(b, vb, bb, 0, BATCH_VA, SZ_4K, 0);
	igt_info("A's queues %u and %u\n", g.queue, qa2);

	igt_assert_err(__vdgpu_exec(b, qa2, 0, BATCH_VA, 4, NULL, 0, NULL, 0),
		       -ENOENT);
	igt_assert_err(__vdgpu_exec_queue_destroy(b, qa2), -ENOENT);
	qb = vdgpu_exec_queue_create(b, vb);
	igt_info("B's queue %u\n", qb);
	vdgpu_exec_queue_destroy(b, qb);

	memset(g.result, 0, SZ_4K);
	status = gpu_store(&g, RESULT_VA, 0x1111);
	igt_assert_eq(status, 1);
	igt_assert_eq(((uint32_t *)g.result)[0], 0x1111);
	/* The same batch with another value on A's second queue. */
	qa1 = g.queue;
	g.queue = qa2;
	g.batch[3] = 0x2222;
	igt_assert_eq(gpu_run(&g, 4), 1);
	igt_assert_eq(((uint32_t *)g.result)[0], 0x2222);
	vdgpu_exec_queue_destroy(a, qa1);

	gpu_close(&g);
	close(b);
	close(a);
}

/*
 * cross-file-syncobjs: file A has a syncobj without a fence, a signalled
 * one and a timeline; file B, with none, names each: SYNCOBJ_WAIT,
 * TIMELINE_WAIT, RESET, SIGNAL, TIMELINE_SIGNAL, QUERY and TRANSFER
 * -ENOENT, DESTROY and HANDLE_TO_FD -EINVAL (drm_syncobj.c), and as in-
 * and out-syncs of VM_BIND and EXEC -ENOENT.  A's syncobjs are as they
 * were: no fence, signalled, timeline at point 0.
 */
static void test_cross_file_syncobjs(void)
{
	struct drm_vdgpu_vm_bind_op op = {
		.op = DRM_VDGPU_VM_BIND_OP_UNMAP, .addr = DATA_VA, .range = SZ_4K,
	};
	struct drm_vdgpu_sync in = { 0 }, out = { .flags = DRM_VDGPU_SYNC_SIGNAL };
	uint32_t s[3], vb, qb, bb, h;
	uint64_t point = 1;
	unsigned int i;
	int a, b, fd;

	a = open_exec();
	b = open_exec();
	s[0] = syncobj_create(a, 0);
	s[1] = syncobj_create(a, DRM_SYNCOBJ_CREATE_SIGNALED);
	s[2] = syncobj_create(a, 0);
	vb = vdgpu_vm_create(b);
	qb = vdgpu_exec_queue_create(b, vb);
	bb = vdgpu_gem_create_in(b, SZ_4K, GTT, 0);
	vdgpu_vm_map(b, vb, bb, 0, BATCH_VA, SZ_4K, 0);

	for (i = 0; i < 3; i++) {
		igt_assert_err(__syncobj_wait(b, s[i], 0), -ENOENT);
		igt_assert_err(__syncobj_timeline_wait(b, s[i], 1, 0), -ENOENT);
		igt_assert_err(__syncobj_reset(b, s[i]), -ENOENT);
		igt_assert_err(__syncobj_signal(b, s[i]), -ENOENT);
		igt_assert_err(__syncobj_timeline_signal(b, s[i], 5), -ENOENT);
		igt_assert_err(__syncobj_query(b, s[i], &point), -ENOENT);
		igt_assert_err(__syncobj_transfer(b, s[i], 0, s[i], 0, 0), -ENOENT);
		igt_assert_err(__syncobj_handle_to_fd(b, s[i], &fd), -EINVAL);
		igt_assert_err(__syncobj_destroy(b, s[i]), -EINVAL);

		in.handle = out.handle = s[i];
		igt_assert_err(__vdgpu_vm_bind(b, vb, DRM_VDGPU_VM_BIND_ASYNC,
					       &op, 1, &out, 1), -ENOENT);
		igt_assert_err(__vdgpu_exec(b, qb, 0, BATCH_VA, 4, &out, 1,
					    NULL, 0), -ENOENT);
		if (i == 1) {
			igt_assert_err(__vdgpu_vm_bind(b, vb, 0, &op, 1, &in, 1),
				       -ENOENT);
			igt_assert_err(__vdgpu_exec(b, qb, 0, BATCH_VA, 4, &in, 1,
						    NULL, 0), -ENOENT);
		}
	}

	/* The same number in B is B's. */
	h = syncobj_create(b, DRM_SYNCOBJ_CREATE_SIGNALED);
	igt_assert_eq(h, s[0]);
	igt_assert_err(__syncobj_wait(b, h, 0), 0);
	syncobj_destroy(b, h);

	igt_assert_err(__syncobj_wait(a, s[0], 0), -EINVAL);
	igt_assert_err(__syncobj_wait(a, s[1], 0), 0);
	igt_assert_err(__syncobj_query(a, s[2], &point), 0);
	igt_assert_eq_u64(point, 0);
	igt_assert_err(__syncobj_wait(a, s[2], 0), -EINVAL);
	for (i = 0; i < 3; i++)
		syncobj_destroy(a, s[i]);
	close(b);
	close(a);
}

/*
 * cross-file-mmap: file B maps nothing of A's: mmap() of the fake offset
 * of A's object (in GTT and in VRAM) through B's file fails with EACCES
 * (the offset manager keeps a per-file allow list).  Once A closed its
 * handle, only A's existing mapping keeps the memory (TTM's reference; the
 * GEM object is gone), and a new mmap() of the offset fails for B and for
 * A alike (EINVAL: drm_gem_mmap() finds no live object there), as it does
 * once the mapping is gone too.  A's mapping kept its secret meanwhile.
 * A MAP_PRIVATE mapping, which would copy pages on write, is refused
 * (EINVAL).
 */
static void test_cross_file_mmap(void)
{
	const uint64_t size = 256 * KIB;
	const uint32_t regions[] = { GTT, VRAM };
	unsigned int i;
	int a, b;

	a = open_exec();
	b = open_exec();
	for (i = 0; i < ARRAY_SIZE(regions); i++) {
		uint32_t h = vdgpu_gem_create_in(a, size, regions[i], 0);
		uint64_t offset = vdgpu_gem_mmap_offset(a, h);
		void *pa = map_object(a, h, size);

		fill_secret(pa, size, 10 + i);
		igt_info("%s: offset %#" PRIx64 "\n", vdgpu_region_name(regions[i]),
			 offset);
		igt_assert_err(try_mmap(b, offset, size, MAP_SHARED, NULL), -EACCES);
		igt_assert_err(try_mmap(b, offset, SZ_4K, MAP_SHARED, NULL), -EACCES);
		igt_assert_err(try_mmap(a, offset, size, MAP_PRIVATE, NULL), -EINVAL);

		gem_close(a, h);
		igt_assert_err(try_mmap(b, offset, size, MAP_SHARED, NULL), -EINVAL);
		igt_assert_err(try_mmap(a, offset, size, MAP_SHARED, NULL), -EINVAL);
		check_secret(pa, size, 10 + i, "A's mapping after B's attempts");
		unmap_object(pa, size);
		igt_assert_err(try_mmap(b, offset, size, MAP_SHARED, NULL), -EINVAL);
		igt_assert_err(try_mmap(a, offset, size, MAP_SHARED, NULL), -EINVAL);
	}
	close(b);
	close(a);
}

/*
 * cross-process: a forked child opening its own file gets -ENOENT for the
 * parent's handle, VM, queue and syncobj and EACCES mapping its offset;
 * through the file it inherited (the same file: sharing it is the point
 * of inheriting it) the same numbers work, so the refusals are the
 * isolation of files, not a broken child.  The parent's object keeps its
 * secret.
 */
static void test_cross_process(void)
{
	const uint64_t size = 64 * KIB;
	uint32_t h, s, hb;
	struct gpu g;
	int a, status;
	uint64_t offset;
	void *ptr = NULL;
	pid_t pid;

	a = open_exec();
	gpu_open(&g, a, SZ_4K);
	/* The child's file gets handle 1; A's object is handle 3. */
	h = secret_object(a, size, VRAM, 20);
	offset = vdgpu_gem_mmap_offset(a, h);
	s = syncobj_create(a, DRM_SYNCOBJ_CREATE_SIGNALED);

	fflush(NULL);
	pid = fork();
	igt_assert(pid >= 0);
	if (pid == 0) {
		struct drm_vdgpu_gem_info info;
		int c = vdgpu_open_render();

		hb = vdgpu_gem_create_in(c, SZ_4K, GTT, 0);
		igt_assert_neq(hb, h);
		igt_assert_err(__vdgpu_gem_info(c, h, &info), -ENOENT);
		igt_assert_err(__vdgpu_gem_madvise(c, h, DRM_VDGPU_MADV_DONTNEED,
						   &hb), -ENOENT);
		igt_assert_err(__vdgpu_vm_destroy(c, g.vm), -ENOENT);
		igt_assert_err(__vdgpu_exec_queue_destroy(c, g.queue), -ENOENT);
		igt_assert_err(__syncobj_wait(c, s, 0), -ENOENT);
		igt_assert_err(try_mmap(c, offset, size, MAP_SHARED, NULL), -EACCES);

		igt_assert_err(try_mmap(a, offset, size, MAP_SHARED, &ptr), 0);
		check_secret(ptr, size, 20, "the inherited file's mapping");
		munmap(ptr, size);
		vdgpu_gem_info(a, h, &info);
		igt_assert_err(__syncobj_wait(a, s, 0), 0);
		_exit(0);
	}
	igt_assert_eq(waitpid(pid, &status, 0), pid);
	igt_assert_f(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		     "the child failed (status %#x)\n", status);
	check_untouched(a, h, size, 20, "the parent's object");
	igt_assert_eq(gpu_store(&g, RESULT_VA, 1), 1);
	gem_close(a, h);
	gpu_close(&g);
	close(a);
}

/*
 * dmabuf-mmap: an exported object maps through its dma-buf with exactly
 * its own pages: the whole object and a page at an offset show its
 * secret; a mapping longer than the object or starting at its end is
 * refused (EINVAL), so the neighbouring object's secret never shows.
 */
static void test_dmabuf_mmap(void)
{
	const uint64_t size = 4 * SZ_4K;
	uint32_t h[2];
	unsigned int i;
	void *ptr = NULL;
	int a, dmabuf;

	a = open_exec();
	for (i = 0; i < 2; i++)
		h[i] = secret_object(a, size, GTT, 30 + i);
	igt_assert_err(prime_export(a, h[0], &dmabuf), 0);
	igt_assert_err(try_mmap(dmabuf, 0, size, MAP_SHARED, &ptr), 0);
	check_secret(ptr, size, 30, "the dma-buf's mapping");
	munmap(ptr, size);
	igt_assert_err(try_mmap(dmabuf, SZ_4K, SZ_4K, MAP_SHARED, &ptr), 0);
	igt_assert_eq_u64(*(volatile uint64_t *)ptr, secret(30, SZ_4K / 8));
	munmap(ptr, SZ_4K);
	igt_assert_err(try_mmap(dmabuf, 0, size + SZ_4K, MAP_SHARED, NULL), -EINVAL);
	igt_assert_err(try_mmap(dmabuf, size, SZ_4K, MAP_SHARED, NULL), -EINVAL);
	igt_assert_err(try_mmap(dmabuf, size - SZ_4K, 2 * SZ_4K, MAP_SHARED, NULL),
		       -EINVAL);
	close(dmabuf);
	gem_close(a, h[0]);
	gem_close(a, h[1]);
	close(a);
}

/*
 * Stale bytes
 */

/* Reload with a small VRAM; the render node of the new device. */
static int open_small(void)
{
	int fd;

	vdgpu_kmod_prepare();
	igt_cleanup_push(unmap_all, NULL);
	igt_info("reloading vdgpu with %s\n", SMALL_PARAMS);
	vdgpu_kmod_reload(SMALL_PARAMS);
	fd = open_exec();
	return fd;
}

static uint64_t vram_free(int fd)
{
	struct drm_vdgpu_mem_region r;

	vdgpu_query_region(fd, VRAM, &r);
	return r.total_size - r.used;
}

/* Wait up to 5 s for @region's used to fall to @used or below. */
static void wait_used(int fd, uint32_t region, uint64_t used)
{
	int64_t end = vdgpu_now_ns() + 5 * NSEC_PER_SEC;

	while (vdgpu_region_used(fd, region) > used &&
	       vdgpu_now_ns() < end)
		usleep(10000);
	igt_assert_lte_u64(vdgpu_region_used(fd, region), used);
}

#define OBJ_SIZE	(4 * MIB)
#define MAX_OBJS	32

/*
 * clear-on-alloc: in SYSTEM, GTT and VRAM (filled nearly full), objects
 * written with secrets by the CPU are freed, and as many new objects
 * read as zeroes through the CPU; then VRAM objects nobody maps for the
 * CPU (NO_CPU_ACCESS) are filled with secrets by a GPU FILL and freed, and
 * new ones read as zeroes through a GPU COPY, as do new GTT objects.
 */
static void test_clear_on_alloc(void)
{
	const uint32_t regions[] = { SYSTEM, GTT, VRAM };
	uint32_t h[MAX_OBJS];
	unsigned int r, i, n;
	struct gpu g;
	char what[64];
	uint64_t used;
	int fd;

	fd = open_small();
	gpu_open(&g, fd, OBJ_SIZE);
	for (r = 0; r < ARRAY_SIZE(regions); r++) {
		n = regions[r] == VRAM ? (vram_free(fd) - 2 * MIB) / OBJ_SIZE : 6;
		igt_assert(n > 0 && n <= MAX_OBJS);
		used = vdgpu_region_used(fd, regions[r]);
		for (i = 0; i < n; i++) {
			h[i] = secret_object(fd, OBJ_SIZE, regions[r], 100 * r + i);
		}
		for (i = 0; i < n; i++)
			gem_close(fd, h[i]);
		if (regions[r] != SYSTEM)
			wait_used(fd, regions[r], used);
		for (i = 0; i < n; i++) {
			void *ptr;

			h[i] = vdgpu_gem_create_in(fd, OBJ_SIZE, regions[r], 0);
			ptr = map_object(fd, h[i], OBJ_SIZE);
			snprintf(what, sizeof(what), "new %s object %u",
				 vdgpu_region_name(regions[r]), i);
			check_zero(ptr, OBJ_SIZE, what);
			unmap_object(ptr, OBJ_SIZE);
			if (regions[r] == GTT && i < 2) {
				vdgpu_vm_map(fd, g.vm, h[i], 0, DATA_VA, OBJ_SIZE, 0);
				strcat(what, ", by the GPU");
				gpu_check_zero(&g, DATA_VA, OBJ_SIZE, what);
				vdgpu_vm_unmap(fd, g.vm, DATA_VA, OBJ_SIZE);
			}
		}
		for (i = 0; i < n; i++)
			gem_close(fd, h[i]);
	}

	/* VRAM the CPU never maps: secrets from the GPU, read by the GPU. */
	n = (vram_free(fd) - 2 * MIB) / OBJ_SIZE;
	igt_assert(n > 0 && n <= MAX_OBJS);
	used = vdgpu_region_used(fd, VRAM);
	for (i = 0; i < n; i++) {
		h[i] = vdgpu_gem_create_in(fd, OBJ_SIZE, VRAM,
					   DRM_VDGPU_GEM_CREATE_NO_CPU_ACCESS);
		vdgpu_vm_map(fd, g.vm, h[i], 0, DATA_VA, OBJ_SIZE, 0);
		igt_assert_eq(gpu_fill(&g, DATA_VA, OBJ_SIZE, GPU_SECRET(i)), 1);
		vdgpu_vm_unmap(fd, g.vm, DATA_VA, OBJ_SIZE);
	}
	for (i = 0; i < n; i++)
		gem_close(fd, h[i]);
	wait_used(fd, VRAM, used);
	for (i = 0; i < n; i++) {
		h[i] = vdgpu_gem_create_in(fd, OBJ_SIZE, VRAM,
					   DRM_VDGPU_GEM_CREATE_NO_CPU_ACCESS);
		vdgpu_vm_map(fd, g.vm, h[i], 0, DATA_VA + i * OBJ_SIZE, OBJ_SIZE, 0);
	}
	for (i = 0; i < n; i++) {
		snprintf(what, sizeof(what), "new NO_CPU_ACCESS VRAM object %u", i);
		gpu_check_zero(&g, DATA_VA + i * OBJ_SIZE, OBJ_SIZE, what);
	}
	for (i = 0; i < n; i++)
		gem_close(fd, h[i]);
	gpu_close(&g);
	close(fd);
}

/*
 * clear-on-alloc-sizes: the clearing covers every page of objects of any
 * size and placement.  SYSTEM and GTT with write-combined pages (TTM's
 * page pool, which recycles pages), VRAM, and contiguous VRAM are filled
 * with 1 MiB secret objects, which are freed; then objects of odd sizes
 * (4 KiB to 1 MiB + 4 KiB) take the same memory and read as zeroes in
 * every byte, through the CPU and, outside SYSTEM, through the GPU.
 */
static void test_clear_on_alloc_sizes(void)
{
	static const struct {
		uint32_t region, flags;
	} kinds[] = {
		{ SYSTEM, DRM_VDGPU_GEM_CREATE_SYSTEM_WC },
		{ GTT, DRM_VDGPU_GEM_CREATE_SYSTEM_WC },
		{ VRAM, 0 },
		{ VRAM, DRM_VDGPU_GEM_CREATE_CONTIGUOUS },
	};
	static const uint64_t sizes[] = {
		SZ_4K, 3 * SZ_4K, 17 * SZ_4K, MIB + SZ_4K, 65 * SZ_4K, 2 * SZ_4K,
	};
	uint32_t h[64];
	unsigned int k, i, n;
	uint64_t total, sum;
	struct gpu g;
	char what[80];
	int fd;

	fd = open_small();
	gpu_open(&g, fd, 2 * MIB);
	for (k = 0; k < ARRAY_SIZE(kinds); k++) {
		uint32_t region = kinds[k].region, flags = kinds[k].flags;
		uint64_t used = vdgpu_region_used(fd, region);

		total = region == VRAM ? vram_free(fd) - 2 * MIB : 16 * MIB;
		n = total / MIB;
		igt_assert(n > 0 && n <= ARRAY_SIZE(h));
		for (i = 0; i < n; i++)
			h[i] = secret_object_flags(fd, MIB, region, flags,
						   1000 + 100 * k + i);
		for (i = 0; i < n; i++)
			gem_close(fd, h[i]);
		if (region != SYSTEM)
			wait_used(fd, region, used);

		for (i = 0, sum = 0; sum + sizes[i % ARRAY_SIZE(sizes)] <= total &&
		     i < ARRAY_SIZE(h); i++) {
			uint64_t size = sizes[i % ARRAY_SIZE(sizes)];
			void *ptr;

			h[i] = vdgpu_gem_create_in(fd, size, region, flags);
			sum += size;
			snprintf(what, sizeof(what), "new %s object %u of %" PRIu64 " KiB, flags %#x",
				 vdgpu_region_name(region), i, size / KIB, flags);
			ptr = map_object(fd, h[i], size);
			check_zero(ptr, size, what);
			unmap_object(ptr, size);
			if (region == SYSTEM)
				continue;
			vdgpu_vm_map(fd, g.vm, h[i], 0, DATA_VA, size, 0);
			strcat(what, ", by the GPU");
			gpu_check_zero(&g, DATA_VA, size, what);
			vdgpu_vm_unmap(fd, g.vm, DATA_VA, size);
		}
		n = i;
		igt_info("%s, flags %#x: %u new objects, %" PRIu64 " KiB\n",
			 vdgpu_region_name(region), flags, n, sum / KIB);
		for (i = 0; i < n; i++)
			gem_close(fd, h[i]);
	}
	gpu_close(&g);
	close(fd);
}

/*
 * evict: VRAM-or-GTT objects holding secrets fill VRAM; as many new
 * VRAM-only objects evict them.  The new objects, in VRAM on the blocks
 * the secrets were in, read as zeroes through the CPU and the GPU; every
 * evicted object reads its own secret, through the CPU where it went,
 * and through the GPU, which brings it back into VRAM (evicting new ones,
 * which then still read as zeroes).
 */
static void test_evict(void)
{
	uint32_t old[MAX_OBJS], new[MAX_OBJS];
	unsigned int i, n, moved = 0;
	struct gpu g;
	char what[64];
	int fd, status;

	fd = open_small();
	gpu_open(&g, fd, OBJ_SIZE);
	n = (vram_free(fd) - 2 * MIB) / OBJ_SIZE;
	igt_assert(n > 1 && n <= MAX_OBJS);
	igt_info("%u objects of %" PRIu64 " MiB in VRAM\n", n, OBJ_SIZE / MIB);
	for (i = 0; i < n; i++) {
		void *ptr;

		old[i] = vdgpu_gem_create(fd, OBJ_SIZE, (const uint32_t[]){ VRAM, GTT },
					  2, 0);
		igt_assert_eq(vdgpu_gem_region(fd, old[i]), VRAM);
		ptr = map_object(fd, old[i], OBJ_SIZE);
		fill_secret(ptr, OBJ_SIZE, 200 + i);
		unmap_object(ptr, OBJ_SIZE);
	}
	for (i = 0; i < n; i++) {
		void *ptr;

		new[i] = vdgpu_gem_create_in(fd, OBJ_SIZE, VRAM, 0);
		igt_assert_eq(vdgpu_gem_region(fd, new[i]), VRAM);
		ptr = map_object(fd, new[i], OBJ_SIZE);
		snprintf(what, sizeof(what), "new VRAM object %u", i);
		check_zero(ptr, OBJ_SIZE, what);
		unmap_object(ptr, OBJ_SIZE);
	}
	for (i = 0; i < n; i++)
		moved += vdgpu_gem_region(fd, old[i]) != VRAM;
	igt_info("%u of %u objects evicted\n", moved, n);
	igt_assert_f(moved > 0, "no object was evicted\n");

	for (i = 0; i < n; i++) {
		snprintf(what, sizeof(what), "evicted object %u (in %s)", i,
			 vdgpu_region_name(vdgpu_gem_region(fd, old[i])));
		check_object_secret(fd, old[i], OBJ_SIZE, 200 + i, what);
	}
	/* Through the GPU, one old and one new object mapped at a time. */
	for (i = 0; i < 2; i++) {
		vdgpu_vm_map(fd, g.vm, old[i], 0, DATA_VA, OBJ_SIZE, 0);
		status = gpu_read(&g, DATA_VA, OBJ_SIZE);
		igt_assert_eq(status, 1);
		snprintf(what, sizeof(what), "evicted object %u, by the GPU", i);
		check_secret(g.result, OBJ_SIZE, 200 + i, what);
		vdgpu_vm_map(fd, g.vm, new[i], 0, DATA_VA, OBJ_SIZE, 0);
		snprintf(what, sizeof(what), "new VRAM object %u, by the GPU", i);
		gpu_check_zero(&g, DATA_VA, OBJ_SIZE, what);
	}
	for (i = 0; i < n; i++) {
		gem_close(fd, old[i]);
		gem_close(fd, new[i]);
	}
	gpu_close(&g);
	close(fd);
}

/* The counter @key of the device's debugfs "memory" file. */
static int64_t memory_stat(int fd, const char *key)
{
	char path[PATH_MAX], text[2048], pattern[64], *p;
	unsigned int minor;
	long long val;
	int ret;

	ret = vdgpu_debugfs_mount();
	igt_require_f(ret == 0, "debugfs is not available: %s\n", strerror(-ret));
	igt_assert_err(vdgpu_dev_sibling(fd, VDGPU_NODE_PRIMARY, NULL, 0, &minor), 0);
	snprintf(path, sizeof(path), "%s/dri/%u/memory", VDGPU_DEBUGFS_ROOT, minor);
	ret = vdgpu_read_file(path, text, sizeof(text));
	igt_require_f(ret >= 0, "%s tells whether objects were swapped out: %s\n",
		      path, strerror(-ret));
	snprintf(pattern, sizeof(pattern), "%s=", key);
	for (p = strstr(text, pattern); p && p != text && p[-1] != ' ' &&
	     p[-1] != '\n'; p = strstr(p + 1, pattern))
		;
	igt_assert_f(p && sscanf(p + strlen(pattern), "%lld", &val) == 1,
		     "no %s in %s:\n%s", key, path, text);
	return val;
}

static void drop_caches(void)
{
	int ret = vdgpu_write_file("/proc/sys/vm/drop_caches", "2");

	igt_require_f(ret == 0, "cannot write /proc/sys/vm/drop_caches: %s\n",
		      strerror(-ret));
}

#define SWAP_OBJS	16
#define SWAP_SIZE	MIB

/*
 * swap: objects with secrets in SYSTEM and GTT are swapped out by the
 * shrinker (drop_caches; the debugfs swapped_out counter must grow by at
 * least their pages); new objects in both regions, which may get the
 * pages just freed, read as zeroes through the CPU (and the GTT ones
 * through the GPU); the swapped objects come back with their own
 * secrets.
 */
static void test_swap(void)
{
	uint32_t old[SWAP_OBJS], new[SWAP_OBJS];
	int64_t out0, out1;
	unsigned int i;
	struct gpu g;
	char what[64];
	int fd;

	fd = open_small();
	gpu_open(&g, fd, SWAP_SIZE);
	for (i = 0; i < SWAP_OBJS; i++) {
		old[i] = secret_object(fd, SWAP_SIZE, i % 2 ? GTT : SYSTEM, 300 + i);
	}
	out0 = memory_stat(fd, "swapped_out");
	drop_caches();
	out1 = memory_stat(fd, "swapped_out");
	igt_info("%" PRId64 " pages swapped out\n", out1 - out0);
	igt_assert_f(out1 - out0 >= (int64_t)(SWAP_OBJS * SWAP_SIZE / SZ_4K),
		     "%" PRId64 " pages swapped out, the objects have %" PRIu64 "\n",
		     out1 - out0, SWAP_OBJS * SWAP_SIZE / SZ_4K);

	for (i = 0; i < SWAP_OBJS; i++) {
		uint32_t region = i % 2 ? GTT : SYSTEM;
		void *ptr;

		new[i] = vdgpu_gem_create_in(fd, SWAP_SIZE, region, 0);
		ptr = map_object(fd, new[i], SWAP_SIZE);
		snprintf(what, sizeof(what), "new %s object %u after a swap-out",
			 vdgpu_region_name(region), i);
		check_zero(ptr, SWAP_SIZE, what);
		unmap_object(ptr, SWAP_SIZE);
		if (region == GTT && i < 4) {
			vdgpu_vm_map(fd, g.vm, new[i], 0, DATA_VA, SWAP_SIZE, 0);
			strcat(what, ", by the GPU");
			gpu_check_zero(&g, DATA_VA, SWAP_SIZE, what);
		}
	}
	for (i = 0; i < SWAP_OBJS; i++) {
		snprintf(what, sizeof(what), "swapped-out object %u", i);
		check_object_secret(fd, old[i], SWAP_SIZE, 300 + i, what);
	}
	for (i = 0; i < SWAP_OBJS; i++) {
		gem_close(fd, old[i]);
		gem_close(fd, new[i]);
	}
	gpu_close(&g);
	close(fd);
}

/* Reading the first word of @ptr kills a child process with SIGBUS. */
static bool read_sigbus(const void *ptr)
{
	int status;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	igt_assert(pid >= 0);
	if (pid == 0) {
		uint64_t v;

		/* Not the harness's crash handler: just die of it. */
		signal(SIGBUS, SIG_DFL);
		v = *(const volatile uint64_t *)ptr;

		fprintf(stderr, "read %#" PRIx64 " from a purged object\n", v);
		_exit(v ? 2 : 3);
	}
	igt_assert_eq(waitpid(pid, &status, 0), pid);
	if (WIFEXITED(status))
		igt_info("the read did not fault: exit %d (%s)\n",
			 WEXITSTATUS(status),
			 WEXITSTATUS(status) == 2 ? "nonzero data" : "zeroes");
	return WIFSIGNALED(status) && WTERMSIG(status) == SIGBUS;
}

/* One purged object: SIGBUS while DONTNEED, zeroes after WILLNEED. */
static void check_purged(int fd, uint32_t handle, void *ptr, const char *what)
{
	struct drm_vdgpu_gem_info info;

	vdgpu_gem_info(fd, handle, &info);
	igt_assert_f(info.state == (DRM_VDGPU_GEM_STATE_DONTNEED |
				    DRM_VDGPU_GEM_STATE_PURGED),
		     "%s: state %#x\n", what, info.state);
	igt_assert_f(read_sigbus(ptr), "%s: reading its old mapping did not raise SIGBUS\n",
		     what);
	igt_assert_eq(vdgpu_gem_madvise(fd, handle, DRM_VDGPU_MADV_WILLNEED), 1);
	check_zero(ptr, OBJ_SIZE, what);
}

/*
 * purge: DONTNEED VRAM objects holding secrets, mapped, fill VRAM; new
 * VRAM-only objects purge them.  Each purged object's old mapping raises
 * SIGBUS (the uAPI's answer while it is DONTNEED), and after WILLNEED
 * reads as zeroes; the new objects, on the blocks the secrets were in,
 * read as zeroes through the CPU and the GPU.  Then DONTNEED GTT objects
 * purged by the shrinker (drop_caches) likewise.
 */
static void test_purge(void)
{
	uint32_t old[MAX_OBJS], new[MAX_OBJS];
	void *map[MAX_OBJS];
	unsigned int i, n, purged = 0;
	struct drm_vdgpu_gem_info info;
	struct gpu g;
	char what[64];
	int fd;

	fd = open_small();
	gpu_open(&g, fd, OBJ_SIZE);
	n = (vram_free(fd) - 2 * MIB) / OBJ_SIZE;
	igt_assert(n > 1 && n <= MAX_OBJS);
	for (i = 0; i < n; i++) {
		old[i] = vdgpu_gem_create_in(fd, OBJ_SIZE, VRAM, 0);
		map[i] = map_object(fd, old[i], OBJ_SIZE);
		fill_secret(map[i], OBJ_SIZE, 400 + i);
		igt_assert_eq(vdgpu_gem_madvise(fd, old[i], DRM_VDGPU_MADV_DONTNEED), 0);
	}
	for (i = 0; i < n; i++) {
		void *ptr;

		new[i] = vdgpu_gem_create_in(fd, OBJ_SIZE, VRAM, 0);
		ptr = map_object(fd, new[i], OBJ_SIZE);
		snprintf(what, sizeof(what), "new VRAM object %u after purges", i);
		check_zero(ptr, OBJ_SIZE, what);
		unmap_object(ptr, OBJ_SIZE);
		if (i < 2) {
			vdgpu_vm_map(fd, g.vm, new[i], 0, DATA_VA, OBJ_SIZE, 0);
			strcat(what, ", by the GPU");
			gpu_check_zero(&g, DATA_VA, OBJ_SIZE, what);
		}
	}
	vdgpu_vm_unmap(fd, g.vm, DATA_VA, OBJ_SIZE);
	for (i = 0; i < n; i++) {
		vdgpu_gem_info(fd, old[i], &info);
		if (!(info.state & DRM_VDGPU_GEM_STATE_PURGED))
			continue;
		snprintf(what, sizeof(what), "purged VRAM object %u", i);
		check_purged(fd, old[i], map[i], what);
		purged++;
	}
	igt_info("%u of %u DONTNEED objects purged\n", purged, n);
	igt_assert_f(purged > 0, "no DONTNEED object was purged\n");
	for (i = 0; i < n; i++) {
		unmap_object(map[i], OBJ_SIZE);
		gem_close(fd, old[i]);
		gem_close(fd, new[i]);
	}

	/* The shrinker purges DONTNEED objects in GTT. */
	igt_require_f(access("/proc/sys/vm/drop_caches", W_OK) == 0,
		      "the GTT half needs to write /proc/sys/vm/drop_caches\n");
	for (i = 0; i < 4; i++) {
		old[i] = vdgpu_gem_create_in(fd, OBJ_SIZE, GTT, 0);
		map[i] = map_object(fd, old[i], OBJ_SIZE);
		fill_secret(map[i], OBJ_SIZE, 450 + i);
		igt_assert_eq(vdgpu_gem_madvise(fd, old[i], DRM_VDGPU_MADV_DONTNEED), 0);
	}
	drop_caches();
	for (i = 0; i < 4; i++) {
		snprintf(what, sizeof(what), "GTT object %u purged by the shrinker", i);
		check_purged(fd, old[i], map[i], what);
		unmap_object(map[i], OBJ_SIZE);
		gem_close(fd, old[i]);
	}
	gpu_close(&g);
	close(fd);
}

/*
 * destroyed-vm: what belonged to a destroyed VM stays with it, even when
 * a new VM of the file gets its id.  File A's VM holds a private object
 * with a secret and a queue; the VM is destroyed; a new VM, with a batch
 * storing into a result object at the same addresses the queue's batches
 * used, may reuse the id.  EXEC on the old queue fails with -ENOENT and
 * runs nothing in the new VM; the private object cannot be mapped in the
 * new VM (-EINVAL) but keeps its secret; GEM_CREATE private to the old id
 * is -ENOENT unless the id is the new VM's.
 */
static void test_destroyed_vm(void)
{
	const uint64_t size = 64 * KIB;
	struct drm_vdgpu_vm_bind_op op = {
		.op = DRM_VDGPU_VM_BIND_OP_MAP, .addr = DATA_VA, .range = size,
	};
	uint32_t vm1, q1, p, h;
	struct gpu g;
	void *ptr;
	int fd, ret;

	fd = open_exec();
	vm1 = vdgpu_vm_create(fd);
	q1 = vdgpu_exec_queue_create(fd, vm1);
	p = vdgpu_gem_create_vm(fd, size, (const uint32_t[]){ GTT }, 1, 0, vm1);
	ptr = map_object(fd, p, size);
	fill_secret(ptr, size, 1100);
	unmap_object(ptr, size);
	vdgpu_vm_destroy(fd, vm1);

	gpu_open(&g, fd, SZ_4K);
	igt_info("the destroyed VM was %u, the new one is %u\n", vm1, g.vm);
	memset(g.result, 0, SZ_4K);
	g.batch[0] = CMD_STORE;
	put64(g.batch, 1, RESULT_VA);
	g.batch[3] = 0xbad;
	__sync_synchronize();
	igt_assert_err(__vdgpu_exec(fd, q1, 0, BATCH_VA, 16, NULL, 0, NULL, 0),
		       -ENOENT);
	op.handle = p;
	igt_assert_err(__vdgpu_vm_bind(fd, g.vm, 0, &op, 1, NULL, 0), -EINVAL);
	ret = __vdgpu_gem_create_vm(fd, size, (const uint32_t[]){ GTT }, 1, 0,
				    vm1, &h);
	if (vm1 == g.vm) {
		igt_assert_err(ret, 0);
		gem_close(fd, h);
	} else {
		igt_assert_err(ret, -ENOENT);
	}
	/* The new VM's own queue runs the batch: it was a valid one. */
	igt_assert_eq(((uint32_t *)g.result)[0], 0);
	igt_assert_eq(gpu_run(&g, 4), 1);
	igt_assert_eq(((uint32_t *)g.result)[0], 0xbad);
	check_object_secret(fd, p, size, 1100, "the destroyed VM's private object");

	vdgpu_exec_queue_destroy(fd, q1);
	gem_close(fd, p);
	gpu_close(&g);
	close(fd);
}

/*
 * purge-swapped: objects in SYSTEM and GTT holding secrets are swapped
 * out (drop_caches), then marked DONTNEED and the shrinker runs again.
 * Each is then either purged, and raises SIGBUS through a mapping until
 * WILLNEED, after which it reads as zeroes, never its swapped-out secret;
 * or was left alone, and comes back from swap with its secret.
 */
static void test_purge_swapped(void)
{
	struct drm_vdgpu_gem_info info;
	uint32_t h[8];
	void *map[8];
	int64_t out0, out1;
	unsigned int i, purged = 0;
	char what[64];
	int fd;

	fd = open_small();
	for (i = 0; i < ARRAY_SIZE(h); i++)
		h[i] = secret_object(fd, MIB, i % 2 ? GTT : SYSTEM, 1200 + i);
	out0 = memory_stat(fd, "swapped_out");
	drop_caches();
	out1 = memory_stat(fd, "swapped_out");
	igt_assert_f(out1 - out0 >= (int64_t)(ARRAY_SIZE(h) * MIB / SZ_4K),
		     "%" PRId64 " pages swapped out, the objects have %" PRIu64 "\n",
		     out1 - out0, ARRAY_SIZE(h) * MIB / SZ_4K);
	for (i = 0; i < ARRAY_SIZE(h); i++) {
		map[i] = map_object(fd, h[i], MIB);
		igt_assert_eq(vdgpu_gem_madvise(fd, h[i], DRM_VDGPU_MADV_DONTNEED), 0);
	}
	drop_caches();
	for (i = 0; i < ARRAY_SIZE(h); i++) {
		vdgpu_gem_info(fd, h[i], &info);
		if (info.state & DRM_VDGPU_GEM_STATE_PURGED) {
			snprintf(what, sizeof(what), "swapped-out object %u, purged", i);
			purged++;
			igt_assert_f(read_sigbus(map[i]),
				     "%s: its mapping did not raise SIGBUS\n", what);
			igt_assert_eq(vdgpu_gem_madvise(fd, h[i],
							DRM_VDGPU_MADV_WILLNEED), 1);
			check_zero(map[i], MIB, what);
		} else {
			snprintf(what, sizeof(what), "swapped-out object %u, not purged", i);
			igt_assert_eq(vdgpu_gem_madvise(fd, h[i],
							DRM_VDGPU_MADV_WILLNEED), 0);
			check_secret(map[i], MIB, 1200 + i, what);
		}
		unmap_object(map[i], MIB);
		gem_close(fd, h[i]);
	}
	igt_info("%u of %zu swapped-out DONTNEED objects purged\n", purged,
		 ARRAY_SIZE(h));
	close(fd);
}

/*
 * vm-private: objects private to a VM of file A, VRAM or GTT, 1.5 times
 * VRAM in all, are each filled with a secret by a GPU FILL in A's VM, so
 * that they evict one another: each then reads its own secret through the
 * GPU and the CPU.  A private object cannot be mapped in A's other VM nor
 * exported (-EINVAL).  A closes everything; objects private to a VM of file
 * B, as many, read as zeroes through the GPU and the CPU.
 */
static void test_vm_private(void)
{
	const uint32_t regions[] = { VRAM, GTT };
	uint32_t h[MAX_OBJS];
	struct gpu ga, gb;
	unsigned int i, n;
	char what[64];
	int a, b;

	a = open_small();
	b = open_exec();
	gpu_open(&ga, a, OBJ_SIZE);
	gpu_open(&gb, b, OBJ_SIZE);
	n = vram_free(a) * 3 / 2 / OBJ_SIZE;
	igt_assert(n > 1 && n <= MAX_OBJS);
	for (i = 0; i < n; i++) {
		h[i] = vdgpu_gem_create_vm(a, OBJ_SIZE, regions, 2, 0, ga.vm);
		vdgpu_vm_map(a, ga.vm, h[i], 0, DATA_VA + i * OBJ_SIZE, OBJ_SIZE, 0);
		igt_assert_eq(gpu_fill(&ga, DATA_VA + i * OBJ_SIZE, OBJ_SIZE,
				       GPU_SECRET(500 + i)), 1);
	}
	for (i = 0; i < n; i++) {
		void *ptr;

		snprintf(what, sizeof(what), "private object %u, by the GPU", i);
		igt_assert_eq(gpu_read(&ga, DATA_VA + i * OBJ_SIZE, OBJ_SIZE), 1);
		check_dwords(ga.result, OBJ_SIZE, GPU_SECRET(500 + i), what);
		ptr = map_object(a, h[i], OBJ_SIZE);
		check_dwords(ptr, OBJ_SIZE, GPU_SECRET(500 + i), what);
		unmap_object(ptr, OBJ_SIZE);
	}
	/* Private means private: not another VM of A's, not a dma-buf. */
	{
		struct drm_vdgpu_vm_bind_op op = {
			.op = DRM_VDGPU_VM_BIND_OP_MAP, .handle = h[0],
			.addr = DATA_VA, .range = OBJ_SIZE,
		};
		uint32_t vm2 = vdgpu_vm_create(a);
		int dmabuf;

		igt_assert_err(__vdgpu_vm_bind(a, vm2, 0, &op, 1, NULL, 0), -EINVAL);
		igt_assert_err(prime_export(a, h[0], &dmabuf), -EINVAL);
		vdgpu_vm_destroy(a, vm2);
	}
	for (i = 0; i < n; i++)
		gem_close(a, h[i]);
	gpu_close(&ga);
	close(a);

	for (i = 0; i < n; i++) {
		void *ptr;

		h[i] = vdgpu_gem_create_vm(b, OBJ_SIZE, regions, 2, 0, gb.vm);
		vdgpu_vm_map(b, gb.vm, h[i], 0, DATA_VA + i * OBJ_SIZE, OBJ_SIZE, 0);
		snprintf(what, sizeof(what), "B's new private object %u", i);
		gpu_check_zero(&gb, DATA_VA + i * OBJ_SIZE, OBJ_SIZE, what);
		ptr = map_object(b, h[i], OBJ_SIZE);
		check_zero(ptr, OBJ_SIZE, what);
		unmap_object(ptr, OBJ_SIZE);
	}
	for (i = 0; i < n; i++)
		gem_close(b, h[i]);
	gpu_close(&gb);
	close(b);
}

/*
 * unmapped-va-faults: a GPU read of an address the VM does not map
 * faults (the batch's fence -EIO) and copies nothing: an object holding a
 * secret was mapped at DATA_VA and unmapped; half of a mapping unmapped
 * (the other half still reads its secret); an address never mapped; the
 * kernel's range at va_kernel_start; and DATA_VA plus va_end, which a
 * device ignoring the high bits would read as DATA_VA.  A store to the
 * unmapped address faults too, and a new object mapped there reads as
 * zeroes.
 */
static void test_unmapped_va_faults(void)
{
	const uint64_t size = 64 * KIB;
	struct drm_vdgpu_query_device dev;
	uint64_t bad[4];
	uint32_t h, h2;
	unsigned int i;
	struct gpu g;
	int fd, status;

	fd = open_exec();
	vdgpu_query_device(fd, &dev);
	gpu_open(&g, fd, size);
	h = secret_object(fd, size, VRAM, 600);

	vdgpu_vm_map(fd, g.vm, h, 0, DATA_VA, size, 0);
	igt_assert_eq(gpu_read(&g, DATA_VA, size), 1);
	check_secret(g.result, size, 600, "the mapped object");
	vdgpu_vm_unmap(fd, g.vm, DATA_VA + size / 2, size / 2);
	igt_assert_eq(gpu_read(&g, DATA_VA, size / 2), 1);
	check_secret(g.result, size / 2, 600, "the half still mapped");

	bad[0] = DATA_VA + size / 2;
	bad[1] = HOLE_VA;
	bad[2] = dev.va_kernel_start;
	bad[3] = dev.va_end + DATA_VA;
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		status = gpu_read(&g, bad[i], SZ_4K);
		igt_assert_f(status == -EIO,
			     "reading %#" PRIx64 ": the batch ended with %d (%s), not a fault\n",
			     bad[i], status, status_name(status));
		check_dwords(g.result, SZ_4K, 0xa5a5a5a5, "the result after a faulting COPY");
	}
	vdgpu_vm_unmap(fd, g.vm, DATA_VA, size / 2);
	status = gpu_read(&g, DATA_VA, SZ_4K);
	igt_assert_f(status == -EIO, "reading the unmapped object: %d (%s)\n",
		     status, status_name(status));
	status = gpu_store(&g, DATA_VA, 0xbad);
	igt_assert_f(status == -EIO, "storing to the unmapped object: %d (%s)\n",
		     status, status_name(status));

	h2 = vdgpu_gem_create_in(fd, size, VRAM, DRM_VDGPU_GEM_CREATE_NO_CPU_ACCESS);
	vdgpu_vm_map(fd, g.vm, h2, 0, DATA_VA, size, 0);
	gpu_check_zero(&g, DATA_VA, size, "a new object mapped where the old one was");
	check_object_secret(fd, h, size, 600, "the unmapped object");
	gem_close(fd, h);
	gem_close(fd, h2);
	gpu_close(&g);
	close(fd);
}

/*
 * File @fd fills VRAM, one object more than it has room for, with VRAM
 * objects holding secrets @first, @first + 1...: whatever of another
 * file's was in VRAM is evicted or purged.  Returns their number.
 */
static unsigned int fill_vram(int fd, uint32_t *handles, uint32_t first)
{
	unsigned int i, n = vram_free(fd) / OBJ_SIZE + 1;

	igt_assert_lte(n, MAX_OBJS);
	for (i = 0; i < n; i++)
		handles[i] = secret_object(fd, OBJ_SIZE, VRAM, first + i);
	igt_info("%u objects filled VRAM; %" PRIu64 " KiB free\n", n,
		 vram_free(fd) / KIB);
	return n;
}

/* The objects of fill_vram() kept their secrets; close them. */
static void check_filled(int fd, const uint32_t *handles, unsigned int n,
			 uint32_t first)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		char what[48];

		snprintf(what, sizeof(what), "the other file's object %u", i);
		check_object_secret(fd, handles[i], OBJ_SIZE, first + i, what);
		gem_close(fd, handles[i]);
	}
}


/*
 * closed-handle-mapped: file A maps a VRAM-only object holding a secret
 * in its VM and closes its handle: the mapping keeps the object.  File B
 * then fills VRAM with objects of its own secrets, evicting A's object;
 * a batch of A reading the mapping gets A's secret back (the object
 * revalidated, not the memory B now owns), and B's objects keep theirs.
 */
static void test_closed_handle_mapped(void)
{
	uint32_t x, hb[MAX_OBJS];
	unsigned int n;
	struct gpu g;
	int a, b;

	a = open_small();
	b = open_exec();
	gpu_open(&g, a, OBJ_SIZE);
	x = secret_object(a, OBJ_SIZE, VRAM, 700);
	vdgpu_vm_map(a, g.vm, x, 0, DATA_VA, OBJ_SIZE, 0);
	igt_assert_eq(gpu_read(&g, DATA_VA, OBJ_SIZE), 1);
	check_secret(g.result, OBJ_SIZE, 700, "A's object before its handle closed");
	gem_close(a, x);

	n = fill_vram(b, hb, 710);

	igt_assert_eq(gpu_read(&g, DATA_VA, OBJ_SIZE), 1);
	check_secret(g.result, OBJ_SIZE, 700,
		     "A's mapping of its closed object after B filled VRAM");
	check_filled(b, hb, n, 710);
	gpu_close(&g);
	close(b);
	close(a);
}

/*
 * unmap-evicted: an evicted object's page-table entries still point at
 * the memory it left, which another file may own by now; an unmap must
 * not leave them there.  File A maps a VRAM object holding a secret at
 * DATA_VA (two halves, the second replaced later) and reads it once, so
 * that the tables are written; file B fills VRAM with objects of its own
 * secrets, evicting A's.  A unmaps the first half and maps a new object
 * over the second: reading the first half faults, the second reads as
 * zeroes; neither shows B's secrets.  A's object, mapped again elsewhere,
 * still has its own.
 */
static void test_unmap_evicted(void)
{
	uint32_t x, z, hb[MAX_OBJS];
	unsigned int n;
	struct gpu g;
	int a, b, status;

	a = open_small();
	b = open_exec();
	gpu_open(&g, a, OBJ_SIZE);
	x = secret_object(a, OBJ_SIZE, VRAM, 1400);
	vdgpu_vm_map(a, g.vm, x, 0, DATA_VA, OBJ_SIZE, 0);
	igt_assert_eq(gpu_read(&g, DATA_VA, OBJ_SIZE), 1);
	check_secret(g.result, OBJ_SIZE, 1400, "A's object, mapped");

	n = fill_vram(b, hb, 1410);
	igt_info("A's object is in %s\n",
		 vdgpu_region_name(vdgpu_gem_region(a, x)));

	vdgpu_vm_unmap(a, g.vm, DATA_VA, OBJ_SIZE / 2);
	z = vdgpu_gem_create_in(a, OBJ_SIZE / 2, VRAM,
				DRM_VDGPU_GEM_CREATE_NO_CPU_ACCESS);
	vdgpu_vm_map(a, g.vm, z, 0, DATA_VA + OBJ_SIZE / 2, OBJ_SIZE / 2, 0);
	status = gpu_read(&g, DATA_VA, SZ_4K);
	if (status == 1)
		check_zero(g.result, SZ_4K, "what the unmapped half read");
	igt_assert_f(status == -EIO,
		     "reading the unmapped half of an evicted object's mapping: %d (%s)\n",
		     status, status_name(status));
	gpu_check_zero(&g, DATA_VA + OBJ_SIZE / 2, OBJ_SIZE / 2,
		       "the object mapped over the evicted one");
	vdgpu_vm_map(a, g.vm, x, 0, HOLE_VA, OBJ_SIZE, 0);
	igt_assert_eq(gpu_read(&g, HOLE_VA, OBJ_SIZE), 1);
	check_secret(g.result, OBJ_SIZE, 1400, "A's object, mapped again");

	check_filled(b, hb, n, 1410);
	gem_close(a, x);
	gem_close(a, z);
	gpu_close(&g);
	close(b);
	close(a);
}

/*
 * purge-gpu: a DONTNEED object mapped in a VM, purged while file B fills
 * VRAM with its secrets, is then read by a batch of A: the EXEC brings it
 * back with new memory, which reads as zeroes, or fails; the batch never
 * sees B's secrets nor the purged object's old bytes.
 */
static void test_purge_gpu(void)
{
	struct drm_vdgpu_gem_info info;
	uint32_t x, hb[MAX_OBJS];
	struct drm_vdgpu_sync sync = { .flags = DRM_VDGPU_SYNC_SIGNAL };
	unsigned int n, k = 0;
	struct gpu g;
	int a, b, ret, status = 2;

	a = open_small();
	b = open_exec();
	gpu_open(&g, a, OBJ_SIZE);
	x = secret_object(a, OBJ_SIZE, VRAM, 1500);
	vdgpu_vm_map(a, g.vm, x, 0, DATA_VA, OBJ_SIZE, 0);
	igt_assert_eq(gpu_read(&g, DATA_VA, OBJ_SIZE), 1);
	igt_assert_eq(vdgpu_gem_madvise(a, x, DRM_VDGPU_MADV_DONTNEED), 0);

	n = fill_vram(b, hb, 1510);
	vdgpu_gem_info(a, x, &info);
	igt_require_f(info.state & DRM_VDGPU_GEM_STATE_PURGED,
		      "A's DONTNEED object was not purged (state %#x)\n",
		      info.state);

	/* gpu_read(), but the EXEC may refuse a VM with a purged object. */
	memset(g.result, 0xa5, OBJ_SIZE);
	g.batch[k++] = CMD_COPY;
	g.batch[k++] = 0;
	k = put64(g.batch, k, DATA_VA);
	k = put64(g.batch, k, RESULT_VA);
	k = put64(g.batch, k, OBJ_SIZE);
	sync.handle = syncobj_create(a, 0);
	__sync_synchronize();
	ret = __vdgpu_exec(a, g.queue, 0, BATCH_VA, k * 4, &sync, 1, NULL, 0);
	igt_info("EXEC with a purged object mapped: %s\n", igt_errno_name(ret));
	if (ret == 0) {
		igt_assert_err(__syncobj_wait_until(a, sync.handle, 0,
						    vdgpu_now_ns() + WAIT_NS), 0);
		igt_assert_err(__syncobj_fence_status(a, sync.handle, &status), 0);
		igt_info("the batch: %s\n", status_name(status));
		if (status == 1)
			check_zero(g.result, OBJ_SIZE, "the purged object, by the GPU");
		else
			check_dwords(g.result, OBJ_SIZE, 0xa5a5a5a5,
				     "the result of the failed batch");
	}
	check_filled(b, hb, n, 1510);
	syncobj_destroy(a, sync.handle);
	gem_close(a, x);
	gpu_close(&g);
	close(b);
	close(a);
}

#define PT_REGIONS	32
#define SZ_2M		(2 * MIB)

/*
 * stale-page-tables: a VM's page tables do not outlive it.  File A maps
 * single 4 KiB pages of a secret object at the second page of 32
 * separate 2 MiB ranges (each needs a 4 KiB-entry table of its own), then
 * destroys the VM and closes.  File B's new VM maps a zeroed page at the
 * first page of the same ranges, which needs the same tables, likely on
 * the blocks A's were on: reading the second page of each range through
 * B's VM faults, and the first reads as zeroes.
 */
static void test_stale_page_tables(void)
{
	struct drm_vdgpu_vm_bind_op ops[PT_REGIONS];
	uint32_t s, hb;
	unsigned int r;
	struct gpu g;
	int a, b, status;

	a = open_small();
	s = secret_object(a, SZ_4K, VRAM, 800);
	{
		uint32_t vm = vdgpu_vm_create(a);

		for (r = 0; r < PT_REGIONS; r++)
			ops[r] = (struct drm_vdgpu_vm_bind_op){
				.op = DRM_VDGPU_VM_BIND_OP_MAP, .handle = s,
				.addr = DATA_VA + r * SZ_2M + SZ_4K, .range = SZ_4K,
			};
		vdgpu_vm_bind(a, vm, 0, ops, PT_REGIONS, NULL, 0);
		vdgpu_vm_destroy(a, vm);
	}
	gem_close(a, s);
	close(a);

	b = open_exec();
	gpu_open(&g, b, SZ_4K);
	hb = vdgpu_gem_create_in(b, SZ_4K, VRAM, DRM_VDGPU_GEM_CREATE_NO_CPU_ACCESS);
	for (r = 0; r < PT_REGIONS; r++)
		ops[r] = (struct drm_vdgpu_vm_bind_op){
			.op = DRM_VDGPU_VM_BIND_OP_MAP, .handle = hb,
			.addr = DATA_VA + r * SZ_2M, .range = SZ_4K,
		};
	vdgpu_vm_bind(b, g.vm, 0, ops, PT_REGIONS, NULL, 0);
	for (r = 0; r < PT_REGIONS; r++) {
		char what[64];

		status = gpu_read(&g, DATA_VA + r * SZ_2M + SZ_4K, SZ_4K);
		igt_assert_f(status == -EIO,
			     "range %u: reading a page B never mapped ended with %d (%s), not a fault\n",
			     r, status, status_name(status));
		check_dwords(g.result, SZ_4K, 0xa5a5a5a5,
			     "the result after a faulting COPY");
		snprintf(what, sizeof(what), "range %u: B's page", r);
		gpu_check_zero(&g, DATA_VA + r * SZ_2M, SZ_4K, what);
	}
	gem_close(b, hb);
	gpu_close(&g);
	close(b);
}

/*
 * mmap-bounds: a CPU mapping covers its object and nothing else: a
 * mapping longer than the object (also into the next object, which the
 * file holds too), or starting a page into it, is refused
 * (EINVAL: the offset manager only finds an object at its exact start,
 * for at most its size); a mapping cannot be grown with mremap() into
 * the pages beyond the object (EFAULT: VM_DONTEXPAND), in GTT and VRAM.
 */
static void test_mmap_bounds(void)
{
	const uint64_t size = 4 * SZ_4K;
	const uint32_t regions[] = { GTT, VRAM };
	unsigned int i;
	int fd;

	fd = open_exec();
	for (i = 0; i < ARRAY_SIZE(regions); i++) {
		uint32_t h = secret_object(fd, size, regions[i], 900 + i);
		uint32_t next = secret_object(fd, size, regions[i], 910 + i);
		uint64_t offset = vdgpu_gem_mmap_offset(fd, h);
		void *ptr = NULL, *grown;

		igt_assert_err(try_mmap(fd, offset, size + SZ_4K, MAP_SHARED, NULL),
			       -EINVAL);
		igt_assert_err(try_mmap(fd, offset + SZ_4K, SZ_4K, MAP_SHARED, NULL),
			       -EINVAL);
		/* Not even over the next object, which this file holds. */
		igt_assert_err(try_mmap(fd, offset, 2 * size, MAP_SHARED, NULL),
			       -EINVAL);
		igt_assert_err(try_mmap(fd, offset, size, MAP_SHARED, &ptr), 0);
		grown = mremap(ptr, size, 2 * size, MREMAP_MAYMOVE);
		igt_assert_f(grown == MAP_FAILED && errno == EFAULT,
			     "growing a mapping of a %s object: %s\n",
			     vdgpu_region_name(regions[i]),
			     grown == MAP_FAILED ? strerror(errno) : "succeeded");
		check_secret(ptr, size, 900 + i, "the mapping after mremap()");
		munmap(ptr, size);
		gem_close(fd, h);
		gem_close(fd, next);
	}
	close(fd);
}

/*
 * gpu-bounds: batches whose sizes and addresses overflow stay inside
 * their VM: a COPY of almost 2^64 bytes from a mapped 64 KiB object, a
 * FILL of 2^63 bytes, a COPY whose source wraps around the top of the
 * address space onto a mapped address, and a STORE to the last dword of
 * the 64-bit space each fault (-EIO) within the usual time, and write
 * nothing they may not (a second object mapped read-only right after the
 * result object keeps its secret).
 */
static void test_gpu_bounds(void)
{
	const uint64_t size = 64 * KIB;
	uint32_t src, guard;
	struct gpu g;
	int fd, status;

	fd = open_exec();
	gpu_open(&g, fd, size);
	src = secret_object(fd, size, GTT, 1600);
	guard = secret_object(fd, size, GTT, 1601);
	vdgpu_vm_map(fd, g.vm, src, 0, DATA_VA, size, 0);
	vdgpu_vm_map(fd, g.vm, src, 0, 0, size, 0);
	vdgpu_vm_map(fd, g.vm, guard, 0, RESULT_VA + size, size,
		     DRM_VDGPU_VM_BIND_READ_ONLY);

	status = gpu_copy(&g, DATA_VA, RESULT_VA, ~0ull - 0xfff);
	igt_assert_f(status == -EIO, "a COPY of ~2^64 bytes: %s\n",
		     status_name(status));
	status = gpu_fill(&g, RESULT_VA, 1ull << 63, 0xbad0bad0);
	igt_assert_f(status == -EIO, "a FILL of 2^63 bytes: %s\n",
		     status_name(status));
	memset(g.result, 0xa5, size);
	status = gpu_copy(&g, ~0ull - 0xfff, RESULT_VA, 0x2000);
	igt_assert_f(status == -EIO, "a COPY wrapping around to address 0: %s\n",
		     status_name(status));
	status = gpu_store(&g, ~0ull - 3, 0xbad);
	igt_assert_f(status == -EIO, "a STORE to the last dword: %s\n",
		     status_name(status));
	check_object_secret(fd, guard, size, 1601,
			    "the object mapped after the result");
	check_object_secret(fd, src, size, 1600, "the source");

	gem_close(fd, src);
	gem_close(fd, guard);
	gpu_close(&g);
	close(fd);
}

/*
 * Nodes
 */

/*
 * The whole vdgpu uAPI on @fd, each ioctl once: QUERY, GEM_CREATE,
 * MMAP_OFFSET (and mmap), GEM_WAIT, GEM_INFO, MADVISE, VM_CREATE, VM_BIND,
 * EXEC_QUEUE_CREATE, EXEC, EXEC_QUEUE_DESTROY, VM_DESTROY; and the core
 * ioctls vdgpu clients use: VERSION, GET_CAP, syncobjs, PRIME, GEM_CLOSE.
 */
static void vdgpu_uapi_works(int fd, const char *node)
{
	uint64_t value = 0;
	uint32_t imported;
	drmVersionPtr v;
	struct gpu g;
	int dmabuf;

	igt_info("the vdgpu uAPI on the %s node\n", node);
	v = drmGetVersion(fd);
	igt_assert(v);
	igt_assert_eq_str(v->name, "vdgpu");
	drmFreeVersion(v);
	igt_assert_err(__drm_get_cap(fd, DRM_CAP_SYNCOBJ_TIMELINE, &value), 0);
	igt_assert_eq_u64(value, 1);
	vdgpu_require_exec(fd);
	gpu_open(&g, fd, SZ_4K);
	igt_assert_err(__vdgpu_gem_wait(fd, g.result_bo, vdgpu_now_ns() + WAIT_NS), 0);
	igt_assert_eq(vdgpu_gem_region(fd, g.result_bo), GTT);
	igt_assert_eq(vdgpu_gem_madvise(fd, g.result_bo, DRM_VDGPU_MADV_WILLNEED), 0);
	memset(g.result, 0, SZ_4K);
	igt_assert_eq(gpu_store(&g, RESULT_VA + 8, 0x600d), 1);
	igt_assert_eq(((uint32_t *)g.result)[2], 0x600d);
	igt_assert_err(prime_export(fd, g.result_bo, &dmabuf), 0);
	igt_assert_err(drmPrimeFDToHandle(fd, dmabuf, &imported) ? -errno : 0, 0);
	igt_assert_eq(imported, g.result_bo);
	close(dmabuf);
	gpu_close(&g);
}

struct core_ioctl {
	const char *name;
	unsigned long request;
	size_t size;
};

#define CORE(x, type)	{ #x, DRM_IOCTL_##x, sizeof(type) }

/* Core ioctls without DRM_RENDER_ALLOW that a vdgpu device could answer. */
static const struct core_ioctl primary_only[] = {
	CORE(SET_MASTER, char),
	CORE(DROP_MASTER, char),
	CORE(GET_MAGIC, struct drm_auth),
	CORE(AUTH_MAGIC, struct drm_auth),
	CORE(GEM_FLINK, struct drm_gem_flink),
	CORE(GEM_OPEN, struct drm_gem_open),
	CORE(GET_UNIQUE, struct drm_unique),
	CORE(GET_CLIENT, struct drm_client),
	CORE(SET_CLIENT_CAP, struct drm_set_client_cap),
	CORE(MODE_GETRESOURCES, struct drm_mode_card_res),
	CORE(MODE_CREATE_DUMB, struct drm_mode_create_dumb),
	CORE(MODE_ADDFB, struct drm_mode_fb_cmd),
	CORE(MODE_CREATE_LEASE, struct drm_mode_create_lease),
};

static int core_ioctl(int fd, const struct core_ioctl *c, uint32_t handle)
{
	union {
		struct drm_gem_flink flink;
		struct drm_gem_open open;
		struct drm_set_client_cap cap;
		char raw[256];
	} arg;

	memset(&arg, 0, sizeof(arg));
	igt_assert_lte(c->size, sizeof(arg));
	if (c->request == DRM_IOCTL_GEM_FLINK)
		arg.flink.handle = handle;
	if (c->request == DRM_IOCTL_GEM_OPEN)
		arg.open.name = 1;
	if (c->request == DRM_IOCTL_SET_CLIENT_CAP)
		arg.cap.capability = DRM_CLIENT_CAP_UNIVERSAL_PLANES;
	return __drm_ioctl(fd, c->request, &arg);
}

/*
 * render-node: the render node refuses, with -EACCES before the ioctl
 * looks at its argument, every core ioctl of the primary node: master
 * and authentication (SET/DROP_MASTER, GET/AUTH_MAGIC), global GEM names
 * (GEM_FLINK of an object it has, GEM_OPEN), client information and
 * capabilities, and the mode ioctls; the same object stays unnamed.
 * Every vdgpu ioctl and the core ioctls of the render node work there.
 */
static void test_render_node(void)
{
	int fd = open_exec();
	uint32_t h;
	unsigned int i;

	igt_assert_eq(vdgpu_dev_node_type(fd), VDGPU_NODE_RENDER);
	h = vdgpu_gem_create_in(fd, SZ_4K, GTT, 0);
	for (i = 0; i < ARRAY_SIZE(primary_only); i++) {
		int ret = core_ioctl(fd, &primary_only[i], h);

		igt_assert_f(ret == -EACCES,
			     "DRM_IOCTL_%s on the render node: %d (%s), expected EACCES\n",
			     primary_only[i].name, ret, igt_errno_name(ret));
	}
	gem_close(fd, h);
	vdgpu_uapi_works(fd, "render");
	close(fd);
}

/* Set or clear @cap in the effective set; 0 or a negative errno. */
static int effective_cap(unsigned int cap, bool on)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];
	const unsigned int i = CAP_TO_INDEX(cap);
	const uint32_t bit = CAP_TO_MASK(cap);

	if (syscall(SYS_capget, &hdr, data))
		return -errno;
	if (!(data[i].permitted & bit))
		return -EPERM;
	if (on)
		data[i].effective |= bit;
	else
		data[i].effective &= ~bit;
	return syscall(SYS_capset, &hdr, data) ? -errno : 0;
}

static int effective_sys_admin(bool on)
{
	return effective_cap(CAP_SYS_ADMIN, on);
}

static void restore_sys_admin(void *data)
{
	(void)data;
	effective_sys_admin(true);
}

static void restore_sys_nice(void *data)
{
	(void)data;
	effective_cap(CAP_SYS_NICE, true);
}

/*
 * high-priority: a HIGH-priority exec queue, which the engine serves
 * before others' ready batches, needs CAP_SYS_NICE: without it in the
 * effective set, EXEC_QUEUE_CREATE answers -EPERM (and NORMAL and LOW
 * queues are still made); with it back, HIGH works.
 */
static void test_high_priority(void)
{
	uint32_t vm, q;
	int fd;

	igt_require_f(effective_cap(CAP_SYS_NICE, true) == 0,
		      "needs CAP_SYS_NICE to drop it\n");
	fd = open_exec();
	vm = vdgpu_vm_create(fd);
	igt_cleanup_push(restore_sys_nice, NULL);
	igt_assert_err(effective_cap(CAP_SYS_NICE, false), 0);
	igt_assert_err(__vdgpu_exec_queue_create(fd, vm, DRM_VDGPU_ENGINE_CLASS_COMPUTE,
						 0, DRM_VDGPU_EXEC_QUEUE_PRIORITY_HIGH,
						 &q), -EPERM);
	igt_assert_err(__vdgpu_exec_queue_create(fd, vm, DRM_VDGPU_ENGINE_CLASS_COMPUTE,
						 0, DRM_VDGPU_EXEC_QUEUE_PRIORITY_NORMAL,
						 &q), 0);
	vdgpu_exec_queue_destroy(fd, q);
	igt_assert_err(__vdgpu_exec_queue_create(fd, vm, DRM_VDGPU_ENGINE_CLASS_COMPUTE,
						 0, DRM_VDGPU_EXEC_QUEUE_PRIORITY_LOW,
						 &q), 0);
	vdgpu_exec_queue_destroy(fd, q);
	igt_cleanup_pop(true);
	igt_assert_err(__vdgpu_exec_queue_create(fd, vm, DRM_VDGPU_ENGINE_CLASS_COMPUTE,
						 0, DRM_VDGPU_EXEC_QUEUE_PRIORITY_HIGH,
						 &q), 0);
	vdgpu_exec_queue_destroy(fd, q);
	vdgpu_vm_destroy(fd, vm);
	close(fd);
}

static int flink(int fd, uint32_t handle, uint32_t *name)
{
	struct drm_gem_flink arg = { .handle = handle };
	int ret = __drm_ioctl(fd, DRM_IOCTL_GEM_FLINK, &arg);

	if (!ret)
		*name = arg.name;
	return ret;
}

static int gem_open_name(int fd, uint32_t name, uint32_t *handle)
{
	struct drm_gem_open arg = { .name = name };
	int ret = __drm_ioctl(fd, DRM_IOCTL_GEM_OPEN, &arg);

	if (!ret)
		*handle = arg.handle;
	return ret;
}

static int auth_magic(int fd, uint32_t magic)
{
	struct drm_auth arg = { .magic = magic };

	return __drm_ioctl(fd, DRM_IOCTL_AUTH_MAGIC, &arg);
}

/*
 * primary-node: the primary node's rules for a client that is not
 * authenticated.  File M, opened with CAP_SYS_ADMIN, is the master.
 * Without CAP_SYS_ADMIN (root's files are authenticated from the start)
 * file U opens the primary node: the DRM_AUTH ioctls (GEM_FLINK,
 * GEM_OPEN) answer -EACCES, the DRM_MASTER ones (AUTH_MAGIC) -EACCES, and
 * SET_MASTER and DROP_MASTER -EACCES (it was never master and lacks
 * CAP_SYS_ADMIN); the mode ioctls pass the permission check and fail
 * with -EOPNOTSUPP (no modesetting); every vdgpu ioctl works, as the
 * driver's table has DRM_RENDER_ALLOW and no DRM_AUTH.  Once M
 * authenticates U's magic, U's flink works and M opens the name (the
 * render node cannot: -EACCES).  M drops master and can no longer
 * authenticate (-EACCES); U still cannot become master (-EACCES); a file
 * opened while there is no master becomes it (M's SET_MASTER: -EBUSY),
 * and once that file is closed M gets master back.
 */
static void test_primary_node(void)
{
	struct drm_mode_card_res res = {};
	struct drm_auth auth = {};
	uint32_t h, name, h2;
	int m, u, n, r, ret;

	igt_require_f(effective_sys_admin(true) == 0,
		      "needs CAP_SYS_ADMIN to drop it\n");
	m = vdgpu_open_primary();
	vdgpu_require_exec(m);
	ret = __drm_ioctl(m, DRM_IOCTL_SET_MASTER, NULL);
	igt_require_f(ret == 0, "another file is the DRM master: SET_MASTER %s\n",
		      igt_errno_name(ret));

	igt_cleanup_push(restore_sys_admin, NULL);
	igt_assert_err(effective_sys_admin(false), 0);
	u = vdgpu_open_primary();
	h = vdgpu_gem_create_in(u, SZ_4K, GTT, 0);
	igt_assert_err(flink(u, h, &name), -EACCES);
	igt_assert_err(gem_open_name(u, 1, &h2), -EACCES);
	igt_assert_err(auth_magic(u, 1), -EACCES);
	igt_assert_err(__drm_ioctl(u, DRM_IOCTL_SET_MASTER, NULL), -EACCES);
	igt_assert_err(__drm_ioctl(u, DRM_IOCTL_DROP_MASTER, NULL), -EACCES);
	igt_assert_err(__drm_ioctl(u, DRM_IOCTL_MODE_GETRESOURCES, &res), -EOPNOTSUPP);
	vdgpu_uapi_works(u, "primary (not authenticated)");

	igt_assert_err(__drm_ioctl(u, DRM_IOCTL_GET_MAGIC, &auth), 0);
	igt_assert_neq(auth.magic, 0);
	igt_assert_err(auth_magic(m, auth.magic), 0);
	igt_assert_err(flink(u, h, &name), 0);
	igt_assert_err(gem_open_name(m, name, &h2), 0);
	igt_assert_eq(vdgpu_gem_region(m, h2), GTT);
	gem_close(m, h2);
	r = vdgpu_open_render();
	igt_assert_err(gem_open_name(r, name, &h2), -EACCES);
	close(r);

	igt_assert_err(__drm_ioctl(m, DRM_IOCTL_DROP_MASTER, NULL), 0);
	igt_assert_err(auth_magic(m, auth.magic), -EACCES);
	igt_assert_err(__drm_ioctl(u, DRM_IOCTL_SET_MASTER, NULL), -EACCES);
	n = vdgpu_open_primary();
	igt_assert_err(__drm_ioctl(m, DRM_IOCTL_SET_MASTER, NULL), -EBUSY);
	igt_assert_err(flink(n, vdgpu_gem_create_in(n, SZ_4K, GTT, 0), &name), 0);
	close(n);
	igt_assert_err(__drm_ioctl(m, DRM_IOCTL_SET_MASTER, NULL), 0);
	igt_cleanup_pop(true);

	gem_close(u, h);
	close(u);
	close(m);
}

/*
 * private-flink: a VM-private object stays with the file of its VM, even
 * on the primary node, whose authenticated clients can give any object
 * a global flink name (the core has no hook to refuse it).  Another file
 * opening that name is refused (-EINVAL, as for mapping the object in a
 * VM not its own): it would get a handle to an object it can map in none
 * of its VMs, with which it could read it, purge it or add its fences to
 * the other file's VM.  The file of the VM may open the name.  The object
 * keeps its contents and state.
 */
static void test_private_flink(void)
{
	const uint64_t size = 64 * KIB;
	struct drm_vdgpu_gem_info info;
	uint32_t vm, p, name, h;
	void *ptr;
	int a, b, ret;

	a = vdgpu_open_primary();
	vdgpu_require_exec(a);
	b = vdgpu_open_primary();
	vm = vdgpu_vm_create(a);
	p = vdgpu_gem_create_vm(a, size, (const uint32_t[]){ GTT }, 1, 0, vm);
	ptr = map_object(a, p, size);
	fill_secret(ptr, size, 1300);
	unmap_object(ptr, size);
	ret = flink(a, p, &name);
	igt_require_f(ret == 0, "cannot flink on the primary node: %s\n",
		      igt_errno_name(ret));

	ret = gem_open_name(b, name, &h);
	if (ret == 0) {
		ptr = map_object(b, h, size);
		check_secret(ptr, size, 1300, "another file's handle");
		unmap_object(ptr, size);
	}
	igt_assert_f(ret == -EINVAL,
		     "another file opened a VM-private object by its flink name: %d (%s)\n",
		     ret, igt_errno_name(ret));
	igt_assert_err(gem_open_name(a, name, &h), 0);
	gem_close(a, h);

	vdgpu_gem_info(a, p, &info);
	igt_assert_eq(info.state, 0);
	check_object_secret(a, p, size, 1300, "the private object");
	gem_close(a, p);
	vdgpu_vm_destroy(a, vm);
	close(b);
	close(a);
}

static const struct igt_subtest subtests[] = {
	{ "cross-file-handles", test_cross_file_handles,
	  "another file's GEM handles: -ENOENT/-EINVAL everywhere, A untouched" },
	{ "cross-file-vms", test_cross_file_vms,
	  "another file's VM ids: -ENOENT everywhere, A's VMs untouched" },
	{ "cross-file-queues", test_cross_file_queues,
	  "another file's exec queues: -ENOENT, A's queues still run" },
	{ "cross-file-syncobjs", test_cross_file_syncobjs,
	  "another file's syncobjs: core and vdgpu ioctls refuse them" },
	{ "cross-file-mmap", test_cross_file_mmap,
	  "another file's mmap offsets: EACCES, also after A closed its handle" },
	{ "cross-process", test_cross_process,
	  "a forked child's own file reaches nothing of its parent's" },
	{ "dmabuf-mmap", test_dmabuf_mmap,
	  "a dma-buf maps only the pages of its object" },
	{ "mmap-bounds", test_mmap_bounds,
	  "CPU mappings cannot reach past their object" },
	{ "unmapped-va-faults", test_unmapped_va_faults,
	  "GPU reads of unmapped addresses fault and copy nothing" },
	{ "gpu-bounds", test_gpu_bounds,
	  "batches with overflowing sizes and addresses fault inside their VM" },
	{ "render-node", test_render_node,
	  "the render node refuses the primary node's ioctls and allows vdgpu's" },
	{ "primary-node", test_primary_node,
	  "an unauthenticated primary client: DRM_AUTH/master ioctls refused, vdgpu's allowed" },
	{ "high-priority", test_high_priority,
	  "a HIGH-priority exec queue needs CAP_SYS_NICE" },
	{ "private-flink", test_private_flink,
	  "another file cannot open a VM-private object by its flink name" },
	{ "clear-on-alloc", test_clear_on_alloc,
	  "new objects in every region read zero after secrets were freed" },
	{ "clear-on-alloc-sizes", test_clear_on_alloc_sizes,
	  "new objects of odd sizes, WC and contiguous, read zero in every page" },
	{ "evict", test_evict,
	  "evicted objects keep their bytes; their VRAM's new owners read zero" },
	{ "swap", test_swap,
	  "swapped objects keep their bytes; new objects read zero" },
	{ "purge", test_purge,
	  "purged objects SIGBUS, then read zero; their memory's new owners too" },
	{ "vm-private", test_vm_private,
	  "VM-private objects keep their bytes under eviction; new ones read zero" },
	{ "purge-swapped", test_purge_swapped,
	  "swapped-out objects purged read zero, never their swapped secret" },
	{ "destroyed-vm", test_destroyed_vm,
	  "a destroyed VM's queue and private objects stay away from a new VM" },
	{ "closed-handle-mapped", test_closed_handle_mapped,
	  "a mapped object whose handle is closed keeps its memory and bytes" },
	{ "unmap-evicted", test_unmap_evicted,
	  "unmapping an evicted object leaves no entry to another file's memory" },
	{ "purge-gpu", test_purge_gpu,
	  "a batch reading a purged object sees zeroes or fails, never others' bytes" },
	{ "stale-page-tables", test_stale_page_tables,
	  "a new VM's tables do not map what a destroyed VM mapped" },
};

int main(int argc, char **argv)
{
	return igt_run(argc, argv,
		       "Isolation between files, no stale bytes, render and primary node rules.",
		       subtests, ARRAY_SIZE(subtests));
}
