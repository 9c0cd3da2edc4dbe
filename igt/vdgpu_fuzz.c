// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The vdgpu authors
 *
 * vdgpu_fuzz: a seeded random ioctl fuzzer over the vdgpu uAPI (VMs,
 * VM_BIND, exec queues and EXEC included) and the core DRM ioctls it
 * relies on (GET_CAP, VERSION, GEM_CLOSE, GEM_FLINK and GEM_OPEN, PRIME,
 * and every syncobj ioctl: create, destroy, binary and timeline waits and
 * signals, reset, query, transfer, export and import as fds and
 * sync_files), across several files and threads, bounded in time.  Arguments mix boundary values, random bits,
 * live handles of the file, handles of other files and garbage; mappings
 * of whatever MMAP_OFFSET hands out are touched.  Every ioctl must return
 * success or one of the errnos the uAPI documents, the kernel log must stay
 * clean (the runner checks it), and once every file is closed the memory
 * regions must be back to their usage before the run: nothing leaks.
 *
 * IGT_SRANDOM reproduces a run; VDGPU_FUZZ_SECONDS sets its length
 * (default 6 s per subtest).
 */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <xf86drm.h>
#include <drm/vdgpu_drm.h>

#include "igt_syncobj.h"
#include "vdgpu_gem.h"
#include "vdgpu_igt.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define FUZZ_FILES	3
#define FUZZ_HANDLES	32
#define FUZZ_THREADS	4
#define FUZZ_MAX_MAP	(4ull << 20)
#define FUZZ_VMS	4
#define FUZZ_BIND_OPS	8
#define FUZZ_SYNCOBJS	8

struct fuzz_file {
	int fd;
	pthread_mutex_t lock;	/* protects the arrays below and their counts */
	uint32_t handles[FUZZ_HANDLES];
	unsigned int count;
	uint32_t vms[FUZZ_VMS];
	unsigned int vm_count;
	uint32_t queues[FUZZ_VMS];
	unsigned int queue_count;
	uint32_t syncobj;	/* a binary syncobj, for in- and out-syncs */
	uint32_t syncobjs[FUZZ_SYNCOBJS];	/* made by the fuzzer */
	unsigned int syncobj_count;
};

struct fuzz_ctx {
	struct fuzz_file files[FUZZ_FILES];
	uint64_t deadline_ns;
	uint64_t max_object_size;
};

struct fuzz_thread {
	struct fuzz_ctx *ctx;
	unsigned int index;
	uint64_t rng;
	unsigned long ops, ok, failed;
	int bad_errno;		/* first unexpected errno, 0 if none */
	char bad_what[64];
};

static uint64_t rnd(struct fuzz_thread *t)
{
	/* xorshift64*: per-thread, seeded from IGT_SRANDOM. */
	t->rng ^= t->rng >> 12;
	t->rng ^= t->rng << 25;
	t->rng ^= t->rng >> 27;
	return t->rng * 0x2545f4914f6cdd1dull;
}

static unsigned int rnd_below(struct fuzz_thread *t, unsigned int n)
{
	return rnd(t) % n;
}

static uint64_t pick_u64(struct fuzz_thread *t)
{
	static const uint64_t interesting[] = {
		0, 1, 2, 3, 4, 7, 8, 0xff, 0x100, 0xfff, 0x1000, 0x1001,
		0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xffffffff,
		0x100000000ull, 1ull << 40, 1ull << 47, 1ull << 48,
		0x7fffffffffffffffull, 0x8000000000000000ull, ~0ull,
		~0ull - 0xfff, ~0ull - 1,
	};

	switch (rnd_below(t, 4)) {
	case 0:
	case 1:
		return interesting[rnd_below(t, ARRAY_SIZE(interesting))];
	case 2:
		return rnd_below(t, 16);
	default:
		return rnd(t);
	}
}

static uint32_t pick_u32(struct fuzz_thread *t)
{
	return (uint32_t)pick_u64(t);
}

/* Mostly zero: pads, reserved words and extensions. */
static uint64_t pick_mbz(struct fuzz_thread *t)
{
	return rnd_below(t, 32) ? 0 : pick_u64(t);
}

/*
 * A valid size most of the time, small enough not to exhaust the VM (a
 * mapped object is populated whole on its first fault); otherwise one
 * just past the limit, or boundary values, which the kernel must refuse
 * or which are small.
 */
static uint64_t pick_size(struct fuzz_thread *t)
{
	uint64_t size;

	switch (rnd_below(t, 6)) {
	case 0:
		size = pick_u64(t);
		/* Valid but huge: keep it in reach of the VM's memory. */
		if (size > (2 << 20) && size <= t->ctx->max_object_size)
			size = 2 << 20;
		return size;
	case 1:
		return t->ctx->max_object_size + 1 + rnd_below(t, 4096);
	default:
		return 1 + rnd_below(t, 2 << 20);
	}
}

static uint32_t pick_handle(struct fuzz_thread *t, struct fuzz_file *f)
{
	struct fuzz_file *other;
	uint32_t h = 0;

	switch (rnd_below(t, 8)) {
	case 0:
		return pick_u32(t);
	case 1:
		other = &t->ctx->files[rnd_below(t, FUZZ_FILES)];
		f = other;
		/* a handle of another (or the same) file */
		__attribute__((fallthrough));
	default:
		pthread_mutex_lock(&f->lock);
		if (f->count)
			h = f->handles[rnd_below(t, f->count)];
		pthread_mutex_unlock(&f->lock);
		return h;
	}
}

/* A VM id: mostly one of the file's, else another file's or garbage. */
static uint32_t pick_vm(struct fuzz_thread *t, struct fuzz_file *f)
{
	uint32_t id = 0;

	switch (rnd_below(t, 8)) {
	case 0:
		return pick_u32(t);
	case 1:
		f = &t->ctx->files[rnd_below(t, FUZZ_FILES)];
		__attribute__((fallthrough));
	default:
		pthread_mutex_lock(&f->lock);
		if (f->vm_count)
			id = f->vms[rnd_below(t, f->vm_count)];
		pthread_mutex_unlock(&f->lock);
		return id;
	}
}

/*
 * A syncobj: mostly one of the file's (the fuzzer's or the one made at
 * the start), else another file's or garbage.
 */
static uint32_t pick_syncobj(struct fuzz_thread *t, struct fuzz_file *f)
{
	uint32_t h;

	switch (rnd_below(t, 8)) {
	case 0:
		return pick_u32(t);
	case 1:
		f = &t->ctx->files[rnd_below(t, FUZZ_FILES)];
		__attribute__((fallthrough));
	default:
		pthread_mutex_lock(&f->lock);
		h = f->syncobj_count && rnd_below(t, 2) ?
		    f->syncobjs[rnd_below(t, f->syncobj_count)] : f->syncobj;
		pthread_mutex_unlock(&f->lock);
		return h;
	}
}

/* Flags and point of a drm_vdgpu_sync: binary or timeline, in or out. */
static void pick_sync(struct fuzz_thread *t, struct fuzz_file *f,
		      struct drm_vdgpu_sync *sync)
{
	static const uint32_t flags[] = {
		0, DRM_VDGPU_SYNC_SIGNAL, DRM_VDGPU_SYNC_TIMELINE,
		DRM_VDGPU_SYNC_SIGNAL | DRM_VDGPU_SYNC_TIMELINE,
	};

	sync->flags = rnd_below(t, 8) ? flags[rnd_below(t, 4)] : pick_u32(t);
	sync->handle = pick_syncobj(t, f);
	sync->point = sync->flags & DRM_VDGPU_SYNC_TIMELINE && rnd_below(t, 8) ?
		      1 + rnd_below(t, 16) : pick_mbz(t);
	sync->reserved = pick_mbz(t);
}

static void track(struct fuzz_file *f, uint32_t handle)
{
	pthread_mutex_lock(&f->lock);
	if (f->count < FUZZ_HANDLES)
		f->handles[f->count++] = handle;
	pthread_mutex_unlock(&f->lock);
}

static void untrack(struct fuzz_file *f, uint32_t handle)
{
	unsigned int i;

	pthread_mutex_lock(&f->lock);
	for (i = 0; i < f->count; i++) {
		if (f->handles[i] == handle) {
			f->handles[i] = f->handles[--f->count];
			break;
		}
	}
	pthread_mutex_unlock(&f->lock);
}

/* Records the outcome; an errno outside @allowed is the first failure. */
static void outcome(struct fuzz_thread *t, const char *what, int ret,
		    const int *allowed, size_t n)
{
	size_t i;

	t->ops++;
	if (!ret) {
		t->ok++;
		return;
	}
	t->failed++;
	for (i = 0; i < n; i++)
		if (ret == -allowed[i])
			return;
	if (!t->bad_errno) {
		t->bad_errno = -ret;
		snprintf(t->bad_what, sizeof(t->bad_what), "%s", what);
	}
}

#define OUTCOME(t, what, ret, ...) do {					\
	static const int __allowed[] = { __VA_ARGS__ };			\
	outcome(t, what, ret, __allowed, ARRAY_SIZE(__allowed));	\
} while (0)

static void *pick_pointer(struct fuzz_thread *t, void *valid)
{
	switch (rnd_below(t, 10)) {
	case 0:
		return NULL;
	case 1:
		return (void *)(uintptr_t)0x1;
	case 2:
		return (void *)(uintptr_t)0xffff800000000000ull;
	default:
		return valid;
	}
}

static void fuzz_query(struct fuzz_thread *t, struct fuzz_file *f)
{
	uint8_t buf[4096];
	struct drm_vdgpu_query q = {
		.extensions = pick_mbz(t),
		.query = rnd_below(t, 4) ? rnd_below(t, 4) : pick_u32(t),
		.data = (uintptr_t)pick_pointer(t, buf),
		.reserved = { pick_mbz(t), pick_mbz(t) },
	};

	switch (rnd_below(t, 3)) {
	case 0:
		q.size = 0;
		break;
	case 1:
		q.size = sizeof(buf) - rnd_below(t, 8);
		break;
	default:
		q.size = pick_u32(t);
		if (q.size > sizeof(buf) && q.data == (uintptr_t)buf)
			q.size = sizeof(buf);
		break;
	}
	OUTCOME(t, "QUERY", __drm_ioctl(f->fd, DRM_IOCTL_VDGPU_QUERY, &q),
		EINVAL, EFAULT);
}

static void fuzz_create(struct fuzz_thread *t, struct fuzz_file *f)
{
	uint32_t regions[6];
	struct drm_vdgpu_gem_create c = {
		.extensions = pick_mbz(t),
		.size = pick_size(t),
		.regions = (uintptr_t)pick_pointer(t, regions),
		.num_regions = rnd_below(t, 6) ? 1 + rnd_below(t, 3) :
						 pick_u32(t),
		.flags = rnd_below(t, 3) ? rnd_below(t, 16) : pick_u32(t),
		.vm_id = rnd_below(t, 4) ? (uint32_t)pick_mbz(t) : pick_vm(t, f),
		.handle = (uint32_t)pick_mbz(t),
		.reserved = { pick_mbz(t), pick_mbz(t) },
	};
	unsigned int i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(regions); i++)
		regions[i] = rnd_below(t, 5) ? rnd_below(t, 3) : pick_u32(t);
	ret = __drm_ioctl(f->fd, DRM_IOCTL_VDGPU_GEM_CREATE, &c);
	OUTCOME(t, "GEM_CREATE", ret, EINVAL, EFAULT, ENOENT, ENOSPC, ENOMEM);
	if (!ret) {
		if (f->count >= FUZZ_HANDLES)
			__gem_close(f->fd, c.handle);
		else
			track(f, c.handle);
	}
}

static sigjmp_buf fuzz_jmp;
static __thread volatile int fuzz_in_touch;

static void fuzz_signal(int sig)
{
	if (!fuzz_in_touch)
		abort();
	siglongjmp(fuzz_jmp, sig);
}

static void fuzz_touch(struct fuzz_thread *t, struct fuzz_file *f,
		       uint64_t offset)
{
	uint64_t len = 4096ull << rnd_below(t, 11);
	volatile uint8_t *p;

	if (len > FUZZ_MAX_MAP)
		len = FUZZ_MAX_MAP;
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, f->fd, offset);
	if (p == MAP_FAILED)
		return;	/* longer than the object, or closed meanwhile */
	/* Purged DONTNEED objects raise SIGBUS; that is their contract. */
	fuzz_in_touch = 1;
	if (!sigsetjmp(fuzz_jmp, 1)) {
		p[0] ^= 1;
		p[len - 1] ^= 1;
		(void)p[rnd_below(t, len)];
	}
	fuzz_in_touch = 0;
	munmap((void *)p, len);
}

static void fuzz_mmap_offset(struct fuzz_thread *t, struct fuzz_file *f)
{
	struct drm_vdgpu_gem_mmap_offset m = {
		.extensions = pick_mbz(t),
		.handle = pick_handle(t, f),
		.flags = (uint32_t)pick_mbz(t),
		.offset = pick_mbz(t),
		.reserved = { pick_mbz(t), pick_mbz(t) },
	};
	int ret;

	ret = __drm_ioctl(f->fd, DRM_IOCTL_VDGPU_GEM_MMAP_OFFSET, &m);
	OUTCOME(t, "GEM_MMAP_OFFSET", ret, EINVAL, ENOENT);
	/* Threads share the jump buffer: only the first one touches. */
	if (!ret && !t->index && rnd_below(t, 3) == 0)
		fuzz_touch(t, f, m.offset);
}

static void fuzz_wait(struct fuzz_thread *t, struct fuzz_file *f)
{
	int64_t now = vdgpu_now_ns();
	struct drm_vdgpu_gem_wait w = {
		.extensions = pick_mbz(t),
		.handle = pick_handle(t, f),
		.flags = (uint32_t)pick_mbz(t),
		.reserved = { pick_mbz(t), pick_mbz(t) },
	};

	switch (rnd_below(t, 4)) {
	case 0:
		w.timeout_ns = (int64_t)pick_u64(t);
		if (w.timeout_ns > now + 10000000)
			w.timeout_ns = now + 10000000;
		break;
	case 1:
		w.timeout_ns = 0;
		break;
	default:
		w.timeout_ns = now + rnd_below(t, 5000000);
		break;
	}
	OUTCOME(t, "GEM_WAIT",
		__drm_ioctl(f->fd, DRM_IOCTL_VDGPU_GEM_WAIT, &w),
		EINVAL, ENOENT, ETIME, EINTR);
}

static void fuzz_info(struct fuzz_thread *t, struct fuzz_file *f)
{
	struct drm_vdgpu_gem_info i = {
		.extensions = pick_mbz(t),
		.handle = pick_handle(t, f),
		.pad = (uint32_t)pick_mbz(t),
		.size = pick_mbz(t),
		.region = (uint32_t)pick_mbz(t),
		.flags = (uint32_t)pick_mbz(t),
		.reserved = { pick_mbz(t), pick_mbz(t) },
	};

	OUTCOME(t, "GEM_INFO",
		__drm_ioctl(f->fd, DRM_IOCTL_VDGPU_GEM_INFO, &i),
		EINVAL, ENOENT, EINTR);
}

static void fuzz_madvise(struct fuzz_thread *t, struct fuzz_file *f)
{
	struct drm_vdgpu_gem_madvise m = {
		.extensions = pick_mbz(t),
		.handle = pick_handle(t, f),
		.advice = rnd_below(t, 4) ? rnd_below(t, 2) : pick_u32(t),
		.purged = (uint32_t)pick_mbz(t),
		.pad = (uint32_t)pick_mbz(t),
		.reserved = { pick_mbz(t), pick_mbz(t) },
	};

	OUTCOME(t, "GEM_MADVISE",
		__drm_ioctl(f->fd, DRM_IOCTL_VDGPU_GEM_MADVISE, &m),
		EINVAL, ENOENT, EINTR);
}

static void fuzz_close(struct fuzz_thread *t, struct fuzz_file *f)
{
	uint32_t handle = pick_handle(t, f);
	int ret;

	ret = __gem_close(f->fd, handle);
	OUTCOME(t, "GEM_CLOSE", ret, EINVAL);
	if (!ret)
		untrack(f, handle);
}

static void fuzz_prime(struct fuzz_thread *t, struct fuzz_file *f)
{
	struct fuzz_file *to = &t->ctx->files[rnd_below(t, FUZZ_FILES)];
	uint32_t handle = pick_handle(t, f), imported;
	int dmabuf, ret;

	ret = drmPrimeHandleToFD(f->fd, handle, DRM_CLOEXEC, &dmabuf);
	OUTCOME(t, "PRIME_HANDLE_TO_FD", ret ? -errno : 0, ENOENT, EINVAL);
	if (ret)
		return;
	ret = drmPrimeFDToHandle(to->fd, dmabuf, &imported);
	OUTCOME(t, "PRIME_FD_TO_HANDLE", ret ? -errno : 0, ENOMEM);
	close(dmabuf);
	if (!ret) {
		if (to->count >= FUZZ_HANDLES)
			__gem_close(to->fd, imported);
		else
			track(to, imported);
	}
}

static void fuzz_vm_create(struct fuzz_thread *t, struct fuzz_file *f)
{
	struct drm_vdgpu_vm_create c = {
		.extensions = pick_mbz(t),
		.flags = (uint32_t)pick_mbz(t),
		.vm_id = (uint32_t)pick_mbz(t),
		.reserved = { pick_mbz(t), pick_mbz(t) },
	};
	int ret;

	ret = __drm_ioctl(f->fd, DRM_IOCTL_VDGPU_VM_CREATE, &c);
	OUTCOME(t, "VM_CREATE", ret, EINVAL, ENOSPC, ENOMEM, EINTR);
	if (ret)
		return;
	pthread_mutex_lock(&f->lock);
	if (f->vm_count < FUZZ_VMS) {
		f->vms[f->vm_count++] = c.vm_id;
		c.vm_id = 0;
	}
	pthread_mutex_unlock(&f->lock);
	if (c.vm_id) {
		struct drm_vdgpu_vm_destroy d = { .vm_id = c.vm_id };

		__drm_ioctl(f->fd, DRM_IOCTL_VDGPU_VM_DESTROY, &d);
	}
}

static void fuzz_vm_destroy(struct fuzz_thread *t, struct fuzz_file *f)
{
	struct drm_vdgpu_vm_destroy d = {
		.extensions = pick_mbz(t),
		.vm_id = pick_vm(t, f),
		.pad = (uint32_t)pick_mbz(t),
		.reserved = { pick_mbz(t), pick_mbz(t) },
	};
	unsigned int i;
	int ret;

	/* Held across the ioctl, so that no other thread picks the id. */
	pthread_mutex_lock(&f->lock);
	ret = __drm_ioctl(f->fd, DRM_IOCTL_VDGPU_VM_DESTROY, &d);
	for (i = 0; !ret && i < f->vm_count; i++) {
		if (f->vms[i] == d.vm_id) {
			f->vms[i] = f->vms[--f->vm_count];
			break;
		}
	}
	pthread_mutex_unlock(&f->lock);
	OUTCOME(t, "VM_DESTROY", ret, EINVAL, ENOENT);
}

/* A 4 KiB-aligned address in a small window most of the time. */
static uint64_t pick_va(struct fuzz_thread *t)
{
	if (rnd_below(t, 8))
		return (uint64_t)rnd_below(t, 4096) << 12;
	return rnd_below(t, 2) ? pick_u64(t) & ~0xfffull : pick_u64(t);
}

static uint64_t pick_range(struct fuzz_thread *t)
{
	if (rnd_below(t, 8))
		return (1 + (uint64_t)rnd_below(t, 1024)) << 12;
	return pick_u64(t);
}

static void fuzz_vm_bind(struct fuzz_thread *t, struct fuzz_file *f)
{
	struct drm_vdgpu_vm_bind_op ops[FUZZ_BIND_OPS];
	struct drm_vdgpu_sync sync;
	struct drm_vdgpu_vm_bind b = {
		.extensions = pick_mbz(t),
		.vm_id = pick_vm(t, f),
		.flags = rnd_below(t, 2) ? DRM_VDGPU_VM_BIND_ASYNC :
					   (uint32_t)pick_mbz(t),
		.num_ops = rnd_below(t, 16) ? 1 + rnd_below(t, FUZZ_BIND_OPS) :
					      pick_u32(t),
		.op_stride = rnd_below(t, 16) ? sizeof(ops[0]) : pick_u32(t),
		.ops = (uintptr_t)pick_pointer(t, ops),
		.num_syncs = rnd_below(t, 3) ? 0 : 1,
		.sync_stride = rnd_below(t, 16) ? sizeof(sync) : pick_u32(t),
		.syncs = (uintptr_t)pick_pointer(t, &sync),
		.reserved = { pick_mbz(t), pick_mbz(t) },
	};
	unsigned int i;

	pick_sync(t, f, &sync);
	/* The kernel reads no further than the array it was given. */
	if (b.ops == (uintptr_t)ops && (b.num_ops > FUZZ_BIND_OPS ||
					b.op_stride > sizeof(ops[0])))
		b.op_stride = sizeof(ops[0]);
	if (b.ops == (uintptr_t)ops && b.num_ops > FUZZ_BIND_OPS)
		b.num_ops = FUZZ_BIND_OPS;
	if (b.syncs == (uintptr_t)&sync && b.sync_stride > sizeof(sync))
		b.sync_stride = sizeof(sync);
	for (i = 0; i < FUZZ_BIND_OPS; i++) {
		ops[i] = (struct drm_vdgpu_vm_bind_op){
			.op = rnd_below(t, 8) ? rnd_below(t, 3) : pick_u32(t),
			.flags = rnd_below(t, 4) ? 0 : (uint32_t)pick_mbz(t) | 1,
			.handle = pick_handle(t, f),
			.region = rnd_below(t, 3),
			.obj_offset = rnd_below(t, 4) ? 0 : pick_va(t),
			.addr = pick_va(t),
			.range = pick_range(t),
			.reserved = { pick_mbz(t), pick_mbz(t) },
		};
		if (ops[i].op != DRM_VDGPU_VM_BIND_OP_MAP && rnd_below(t, 8)) {
			ops[i].flags = 0;
			ops[i].handle = 0;
			ops[i].obj_offset = 0;
		}
		if (ops[i].op != DRM_VDGPU_VM_BIND_OP_PREFETCH &&
		    rnd_below(t, 8))
			ops[i].region = 0;
	}
	OUTCOME(t, "VM_BIND", __drm_ioctl(f->fd, DRM_IOCTL_VDGPU_VM_BIND, &b),
		EINVAL, ENOENT, EFAULT, ENOSPC, ENOMEM, EINTR);
}

static uint32_t pick_queue(struct fuzz_thread *t, struct fuzz_file *f)
{
	uint32_t id = 0;

	if (!rnd_below(t, 8))
		return pick_u32(t);
	pthread_mutex_lock(&f->lock);
	if (f->queue_count)
		id = f->queues[rnd_below(t, f->queue_count)];
	pthread_mutex_unlock(&f->lock);
	return id;
}

static void fuzz_queue_create(struct fuzz_thread *t, struct fuzz_file *f)
{
	struct drm_vdgpu_exec_queue_create c = {
		.extensions = pick_mbz(t),
		.vm_id = pick_vm(t, f),
		.engine_class = rnd_below(t, 4) ? DRM_VDGPU_ENGINE_CLASS_COMPUTE :
						  (uint16_t)pick_u32(t),
		.engine_instance = (uint16_t)pick_mbz(t),
		.priority = rnd_below(t, 4) ? rnd_below(t, 3) : pick_u32(t),
		.flags = (uint32_t)pick_mbz(t),
		.queue_id = (uint32_t)pick_mbz(t),
		.pad = (uint32_t)pick_mbz(t),
		.reserved = { pick_mbz(t), pick_mbz(t) },
	};
	int ret;

	ret = __drm_ioctl(f->fd, DRM_IOCTL_VDGPU_EXEC_QUEUE_CREATE, &c);
	OUTCOME(t, "EXEC_QUEUE_CREATE", ret, EINVAL, ENOENT, EPERM, ENOMEM);
	if (ret)
		return;
	pthread_mutex_lock(&f->lock);
	if (f->queue_count < FUZZ_VMS) {
		f->queues[f->queue_count++] = c.queue_id;
		c.queue_id = 0;
	}
	pthread_mutex_unlock(&f->lock);
	if (c.queue_id) {
		struct drm_vdgpu_exec_queue_destroy d = { .queue_id = c.queue_id };

		__drm_ioctl(f->fd, DRM_IOCTL_VDGPU_EXEC_QUEUE_DESTROY, &d);
	}
}

static void fuzz_queue_destroy(struct fuzz_thread *t, struct fuzz_file *f)
{
	struct drm_vdgpu_exec_queue_destroy d = {
		.extensions = pick_mbz(t),
		.queue_id = pick_queue(t, f),
		.pad = (uint32_t)pick_mbz(t),
		.reserved = { pick_mbz(t), pick_mbz(t) },
	};
	unsigned int i;
	int ret;

	pthread_mutex_lock(&f->lock);
	ret = __drm_ioctl(f->fd, DRM_IOCTL_VDGPU_EXEC_QUEUE_DESTROY, &d);
	for (i = 0; !ret && i < f->queue_count; i++) {
		if (f->queues[i] == d.queue_id) {
			f->queues[i] = f->queues[--f->queue_count];
			break;
		}
	}
	pthread_mutex_unlock(&f->lock);
	OUTCOME(t, "EXEC_QUEUE_DESTROY", ret, EINVAL, ENOENT);
}

/*
 * Batches at small addresses, where binds map objects (zeroes are NOPs) or
 * nothing is mapped (a fault): both end quickly.
 */
static void fuzz_exec(struct fuzz_thread *t, struct fuzz_file *f)
{
	uint32_t handles[4];
	struct drm_vdgpu_sync sync;
	struct drm_vdgpu_exec x = {
		.extensions = pick_mbz(t),
		.queue_id = pick_queue(t, f),
		.flags = rnd_below(t, 2) ? 0 : rnd_below(t, 4) ?
			 DRM_VDGPU_EXEC_IMPLICIT_SYNC : (uint32_t)pick_mbz(t),
		.batch_addr = rnd_below(t, 8) ? pick_va(t) : pick_u64(t),
		.batch_len = rnd_below(t, 8) ? 4 * (1 + rnd_below(t, 64)) :
					       pick_u32(t),
		.num_syncs = rnd_below(t, 3) ? 0 : 1,
		.syncs = (uintptr_t)pick_pointer(t, &sync),
		.sync_stride = rnd_below(t, 16) ? sizeof(sync) : pick_u32(t),
		.num_handles = rnd_below(t, 2) ? 0 : rnd_below(t, 5),
		.handles = (uintptr_t)pick_pointer(t, handles),
		.reserved = { pick_mbz(t), pick_mbz(t) },
	};
	unsigned int i;

	pick_sync(t, f, &sync);
	if (x.syncs == (uintptr_t)&sync && x.sync_stride > sizeof(sync))
		x.sync_stride = sizeof(sync);
	for (i = 0; i < ARRAY_SIZE(handles); i++)
		handles[i] = pick_handle(t, f);
	OUTCOME(t, "EXEC", __drm_ioctl(f->fd, DRM_IOCTL_VDGPU_EXEC, &x),
		EINVAL, ENOENT, EFAULT, ECANCELED, ENOSPC, ENOMEM, EINTR);
}

/*
 * The core ioctls vdgpu clients rely on: capabilities and version, and
 * every syncobj operation on the files' syncobjs (the fuzzer's own, the
 * ones VM_BIND and EXEC signal, other files' and garbage).  The errnos are
 * those drm_ioctl.c, drm_syncobj.c and dma-fence document.
 */
static void fuzz_get_cap(struct fuzz_thread *t, struct fuzz_file *f)
{
	struct drm_get_cap c = {
		.capability = rnd_below(t, 4) ? rnd_below(t, 0x20) : pick_u64(t),
	};

	/* KMS capabilities: -EOPNOTSUPP without modesetting. */
	OUTCOME(t, "GET_CAP", __drm_ioctl(f->fd, DRM_IOCTL_GET_CAP, &c), EINVAL,
		EOPNOTSUPP);
}

static void fuzz_version(struct fuzz_thread *t, struct fuzz_file *f)
{
	char buf[3][64];
	struct drm_version v = {
		.name_len = rnd_below(t, 4) ? rnd_below(t, 64) : pick_u64(t),
		.name = pick_pointer(t, buf[0]),
		.date_len = rnd_below(t, 64),
		.date = pick_pointer(t, buf[1]),
		.desc_len = rnd_below(t, 64),
		.desc = pick_pointer(t, buf[2]),
	};

	if (v.name == buf[0] && v.name_len > sizeof(buf[0]))
		v.name_len = sizeof(buf[0]);
	OUTCOME(t, "VERSION", __drm_ioctl(f->fd, DRM_IOCTL_VERSION, &v), EFAULT);
}

/* Keep a new syncobj of @f in its pool, or destroy it if the pool is full. */
static void track_syncobj(struct fuzz_file *f, uint32_t handle)
{
	pthread_mutex_lock(&f->lock);
	if (f->syncobj_count < FUZZ_SYNCOBJS) {
		f->syncobjs[f->syncobj_count++] = handle;
		handle = 0;
	}
	pthread_mutex_unlock(&f->lock);
	if (handle)
		__syncobj_destroy(f->fd, handle);
}

static void fuzz_syncobj_create(struct fuzz_thread *t, struct fuzz_file *f)
{
	struct drm_syncobj_create c = {
		.flags = rnd_below(t, 8) ? rnd_below(t, 2) : pick_u32(t),
	};
	int ret;

	ret = __drm_ioctl(f->fd, DRM_IOCTL_SYNCOBJ_CREATE, &c);
	OUTCOME(t, "SYNCOBJ_CREATE", ret, EINVAL, ENOMEM);
	if (!ret)
		track_syncobj(f, c.handle);
}

static void fuzz_syncobj_destroy(struct fuzz_thread *t, struct fuzz_file *f)
{
	struct drm_syncobj_destroy d = {
		.pad = (uint32_t)pick_mbz(t),
	};
	unsigned int i;
	int ret;

	/* Held across the ioctl, so that no other thread picks the handle. */
	pthread_mutex_lock(&f->lock);
	if (f->syncobj_count && rnd_below(t, 4))
		d.handle = f->syncobjs[rnd_below(t, f->syncobj_count)];
	else
		d.handle = pick_u32(t);
	if (d.handle == f->syncobj)
		d.handle = 0;
	ret = __drm_ioctl(f->fd, DRM_IOCTL_SYNCOBJ_DESTROY, &d);
	for (i = 0; !ret && i < f->syncobj_count; i++) {
		if (f->syncobjs[i] == d.handle) {
			f->syncobjs[i] = f->syncobjs[--f->syncobj_count];
			break;
		}
	}
	pthread_mutex_unlock(&f->lock);
	OUTCOME(t, "SYNCOBJ_DESTROY", ret, EINVAL);
}

/* WAIT and TIMELINE_WAIT, with a timeout at most 5 ms away. */
static void fuzz_syncobj_wait(struct fuzz_thread *t, struct fuzz_file *f)
{
	uint32_t handles[3];
	uint64_t points[3];
	struct drm_syncobj_timeline_wait w = {
		.handles = (uintptr_t)pick_pointer(t, handles),
		.points = (uintptr_t)pick_pointer(t, points),
		.timeout_nsec = rnd_below(t, 4) ?
				vdgpu_now_ns() + rnd_below(t, 5000000) : 0,
		/*
		 * The core allocates count_handles entries before reading
		 * them: a huge count is a page allocator warning, not ours.
		 */
		.count_handles = rnd_below(t, 8) ? 1 + rnd_below(t, 3) :
						   rnd_below(t, 4096),
		.flags = rnd_below(t, 8) ? rnd_below(t, 8) : pick_u32(t),
	};
	unsigned int i;
	int ret;

	if (w.handles == (uintptr_t)handles && w.count_handles > 3)
		w.count_handles = 3;
	if (w.points == (uintptr_t)points && w.count_handles > 3)
		w.count_handles = 3;
	for (i = 0; i < 3; i++) {
		handles[i] = pick_syncobj(t, f);
		points[i] = rnd_below(t, 4) ? rnd_below(t, 16) : pick_u64(t);
	}
	if (rnd_below(t, 2)) {
		ret = __drm_ioctl(f->fd, DRM_IOCTL_SYNCOBJ_TIMELINE_WAIT, &w);
		OUTCOME(t, "SYNCOBJ_TIMELINE_WAIT", ret, EINVAL, ENOENT, EFAULT,
			ETIME, EINTR, ENOMEM);
	} else {
		struct drm_syncobj_wait b = {
			.handles = w.handles,
			.timeout_nsec = w.timeout_nsec,
			.count_handles = w.count_handles,
			.flags = w.flags,
		};

		ret = __drm_ioctl(f->fd, DRM_IOCTL_SYNCOBJ_WAIT, &b);
		OUTCOME(t, "SYNCOBJ_WAIT", ret, EINVAL, ENOENT, EFAULT, ETIME,
			EINTR, ENOMEM);
	}
}

/* RESET, SIGNAL, TIMELINE_SIGNAL, QUERY and TRANSFER. */
static void fuzz_syncobj_signal(struct fuzz_thread *t, struct fuzz_file *f)
{
	uint32_t handles[2] = { pick_syncobj(t, f), pick_syncobj(t, f) };
	uint64_t points[2] = { 1 + rnd_below(t, 16), pick_u64(t) };
	struct drm_syncobj_timeline_array a = {
		.handles = (uintptr_t)pick_pointer(t, handles),
		.points = (uintptr_t)pick_pointer(t, points),
		.count_handles = rnd_below(t, 8) ? 1 + rnd_below(t, 2) :
						   rnd_below(t, 4096),
		.flags = rnd_below(t, 4) ? 0 : rnd_below(t, 4) ?
			 DRM_SYNCOBJ_QUERY_FLAGS_LAST_SUBMITTED : pick_u32(t),
	};
	struct drm_syncobj_array b = {
		.handles = a.handles,
		.count_handles = a.count_handles,
		.pad = (uint32_t)pick_mbz(t),
	};
	struct drm_syncobj_transfer x = {
		.src_handle = handles[0],
		.dst_handle = handles[1],
		.src_point = rnd_below(t, 2) ? 0 : points[0],
		.dst_point = rnd_below(t, 2) ? 0 : points[0] + 1,
		/* WAIT_FOR_SUBMIT would wait for ever: only 0 or garbage. */
		.flags = rnd_below(t, 8) ? 0 : pick_u32(t) &
			 ~DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT,
		.pad = (uint32_t)pick_mbz(t),
	};

	const struct {
		const char *what;
		unsigned long request;
		void *arg;
	} calls[] = {
		{ "SYNCOBJ_RESET", DRM_IOCTL_SYNCOBJ_RESET, &b },
		{ "SYNCOBJ_SIGNAL", DRM_IOCTL_SYNCOBJ_SIGNAL, &b },
		{ "SYNCOBJ_TIMELINE_SIGNAL", DRM_IOCTL_SYNCOBJ_TIMELINE_SIGNAL, &a },
		{ "SYNCOBJ_QUERY", DRM_IOCTL_SYNCOBJ_QUERY, &a },
		{ "SYNCOBJ_TRANSFER", DRM_IOCTL_SYNCOBJ_TRANSFER, &x },
	};
	unsigned int k = rnd_below(t, ARRAY_SIZE(calls));

	if ((a.handles == (uintptr_t)handles || a.points == (uintptr_t)points) &&
	    a.count_handles > 2)
		a.count_handles = b.count_handles = 2;
	OUTCOME(t, calls[k].what,
		__drm_ioctl(f->fd, calls[k].request, calls[k].arg),
		EINVAL, ENOENT, EFAULT, ENOMEM);
}

/*
 * HANDLE_TO_FD and FD_TO_HANDLE, as a syncobj file or a sync_file, into
 * another (or the same) file.
 */
static void fuzz_syncobj_fd(struct fuzz_thread *t, struct fuzz_file *f)
{
	struct fuzz_file *to = &t->ctx->files[rnd_below(t, FUZZ_FILES)];
	struct drm_syncobj_handle e = {
		.handle = pick_syncobj(t, f),
		.flags = rnd_below(t, 8) ? rnd_below(t, 2) : pick_u32(t),
		.pad = (uint32_t)pick_mbz(t),
	};
	struct drm_syncobj_handle i = { .pad = (uint32_t)pick_mbz(t) };
	int ret;

	ret = __drm_ioctl(f->fd, DRM_IOCTL_SYNCOBJ_HANDLE_TO_FD, &e);
	OUTCOME(t, "SYNCOBJ_HANDLE_TO_FD", ret, EINVAL, ENOENT, EMFILE, ENOMEM);
	if (ret)
		return;
	i.fd = e.fd;
	i.flags = rnd_below(t, 4) ? e.flags : rnd_below(t, 2);
	if (i.flags & DRM_SYNCOBJ_FD_TO_HANDLE_FLAGS_IMPORT_SYNC_FILE)
		i.handle = pick_syncobj(t, to);
	ret = __drm_ioctl(to->fd, DRM_IOCTL_SYNCOBJ_FD_TO_HANDLE, &i);
	close(e.fd);
	OUTCOME(t, "SYNCOBJ_FD_TO_HANDLE", ret, EINVAL, ENOENT, ENOMEM);
	if (!ret && !(i.flags & DRM_SYNCOBJ_FD_TO_HANDLE_FLAGS_IMPORT_SYNC_FILE))
		track_syncobj(to, i.handle);
}

/*
 * GEM_FLINK and GEM_OPEN: global names, on the primary node only (render
 * files get -EACCES); opening a VM-private object's name in another file
 * is -EINVAL.
 */
static void fuzz_flink(struct fuzz_thread *t, struct fuzz_file *f)
{
	struct fuzz_file *to = &t->ctx->files[rnd_below(t, FUZZ_FILES)];
	struct drm_gem_flink fl = { .handle = pick_handle(t, f) };
	struct drm_gem_open op = {};
	int ret;

	ret = __drm_ioctl(f->fd, DRM_IOCTL_GEM_FLINK, &fl);
	OUTCOME(t, "GEM_FLINK", ret, ENOENT, EACCES, ENOMEM, ENOSPC);
	op.name = ret || !rnd_below(t, 8) ? pick_u32(t) : fl.name;
	ret = __drm_ioctl(to->fd, DRM_IOCTL_GEM_OPEN, &op);
	OUTCOME(t, "GEM_OPEN", ret, ENOENT, EACCES, EINVAL, ENOMEM, ENOSPC);
	if (ret)
		return;
	if (to->count >= FUZZ_HANDLES)
		__gem_close(to->fd, op.handle);
	else
		track(to, op.handle);
}


static void (*const fuzz_ops[])(struct fuzz_thread *, struct fuzz_file *) = {
	fuzz_query, fuzz_create, fuzz_create, fuzz_mmap_offset, fuzz_wait,
	fuzz_info, fuzz_madvise, fuzz_close, fuzz_prime, fuzz_vm_create,
	fuzz_vm_destroy, fuzz_vm_bind, fuzz_vm_bind, fuzz_vm_bind,
	fuzz_queue_create, fuzz_queue_destroy, fuzz_exec, fuzz_exec,
	fuzz_get_cap, fuzz_version, fuzz_syncobj_create, fuzz_syncobj_destroy,
	fuzz_syncobj_wait, fuzz_syncobj_signal, fuzz_syncobj_fd, fuzz_flink,
};

static void *fuzz_thread_main(void *data)
{
	struct fuzz_thread *t = data;

	while ((uint64_t)vdgpu_now_ns() < t->ctx->deadline_ns) {
		struct fuzz_file *f = &t->ctx->files[rnd_below(t, FUZZ_FILES)];

		fuzz_ops[rnd_below(t, ARRAY_SIZE(fuzz_ops))](t, f);
	}
	return NULL;
}

static uint64_t fuzz_seconds(void)
{
	const char *env = getenv("VDGPU_FUZZ_SECONDS");
	long s = env ? strtol(env, NULL, 0) : 0;

	return s > 0 ? (uint64_t)s : 6;
}

/* Usage of VRAM and GTT, for the before/after comparison. */
static uint64_t fuzz_usage(int fd)
{
	return vdgpu_region_used(fd, DRM_VDGPU_REGION_VRAM0) +
	       vdgpu_region_used(fd, DRM_VDGPU_REGION_GTT) +
	       vdgpu_region_used(fd, DRM_VDGPU_REGION_SYSTEM);
}

static void fuzz_run(unsigned int nthreads)
{
	struct fuzz_thread threads[FUZZ_THREADS] = {};
	struct drm_vdgpu_query_device dev;
	struct fuzz_ctx ctx = {};
	struct sigaction sa = { .sa_handler = fuzz_signal };
	unsigned long ops = 0, ok = 0;
	pthread_t tids[FUZZ_THREADS];
	uint64_t before, after = 0;
	unsigned int i;
	int probe, tries;

	probe = vdgpu_open_render();
	vdgpu_require_gem(probe);
	vdgpu_query_device(probe, &dev);
	ctx.max_object_size = dev.max_object_size;
	before = fuzz_usage(probe);

	for (i = 0; i < FUZZ_FILES; i++) {
		ctx.files[i].fd = i ? vdgpu_open_render() : vdgpu_open_primary();
		pthread_mutex_init(&ctx.files[i].lock, NULL);
		ctx.files[i].syncobj = syncobj_create(ctx.files[i].fd, 0);
	}
	sigemptyset(&sa.sa_mask);
	igt_assert_eq(sigaction(SIGBUS, &sa, NULL), 0);
	igt_assert_eq(sigaction(SIGSEGV, &sa, NULL), 0);

	ctx.deadline_ns = vdgpu_now_ns() + fuzz_seconds() * 1000000000ull;
	for (i = 0; i < nthreads; i++) {
		threads[i].ctx = &ctx;
		threads[i].index = i;
		threads[i].rng = ((uint64_t)random() << 32 | random()) | 1;
		igt_assert_eq(pthread_create(&tids[i], NULL, fuzz_thread_main,
					     &threads[i]), 0);
	}
	for (i = 0; i < nthreads; i++) {
		igt_assert_eq(pthread_join(tids[i], NULL), 0);
		ops += threads[i].ops;
		ok += threads[i].ok;
	}
	signal(SIGBUS, SIG_DFL);
	signal(SIGSEGV, SIG_DFL);
	igt_info("%lu ioctls, %lu succeeded, %u thread(s)\n", ops, ok,
		 nthreads);

	for (i = 0; i < nthreads; i++)
		igt_assert_f(!threads[i].bad_errno,
			     "thread %u: %s returned an undocumented errno %d (%s)\n",
			     i, threads[i].bad_what, threads[i].bad_errno,
			     strerror(threads[i].bad_errno));
	igt_assert_f(ok > 0 && ok < ops,
		     "the fuzzer never succeeded or never failed (%lu of %lu)\n",
		     ok, ops);

	for (i = 0; i < FUZZ_FILES; i++)
		close(ctx.files[i].fd);
	/* Busy objects go when their fences signal: give them time. */
	for (tries = 0; tries < 200; tries++) {
		after = fuzz_usage(probe);
		if (after == before)
			break;
		usleep(10000);
	}
	igt_assert_f(after == before,
		     "memory in use went from %" PRIu64 " to %" PRIu64
		     " bytes with every fuzzed file closed\n", before, after);
	close(probe);
}

/*
 * single: one thread, three files (one primary, two render), every ioctl
 * of the uAPI with random and boundary arguments for VDGPU_FUZZ_SECONDS.
 */
static void test_single(void)
{
	fuzz_run(1);
}

/*
 * threads: the same from four threads at once on the same three files, so
 * that handles are closed, shared and madvised under each other's feet.
 */
static void test_threads(void)
{
	fuzz_run(FUZZ_THREADS);
}

static const struct igt_subtest subtests[] = {
	{ "single", test_single,
	  "Random ioctls from one thread: documented errnos, no leaks." },
	{ "threads", test_threads,
	  "Random ioctls from four threads on shared files." },
};

int main(int argc, char **argv)
{
	return igt_run(argc, argv,
		       "Seeded random fuzzing of the vdgpu uAPI.",
		       subtests, ARRAY_SIZE(subtests));
}
