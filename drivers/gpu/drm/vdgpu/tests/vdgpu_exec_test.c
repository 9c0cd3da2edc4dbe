// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The vdgpu authors
 */

#include <linux/bitfield.h>
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/dma-fence.h>
#include <linux/dma-resv.h>
#include <linux/fcntl.h>
#include <linux/file.h>
#include <linux/iosys-map.h>
#include <linux/ktime.h>
#include <linux/mman.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/wait_bit.h>

#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_print.h>
#include <drm/drm_syncobj.h>
#include <drm/gpu_scheduler.h>
#include <drm/ttm/ttm_bo.h>
#include <drm/ttm/ttm_placement.h>
#include <drm/vdgpu_drm.h>

#include <kunit/test.h>

#include "../vdgpu_bo.h"
#include "../vdgpu_device.h"
#include "../vdgpu_exec.h"
#include "../vdgpu_regs.h"
#include "../vdgpu_vm.h"
#include "../vdgpu_vram_mgr.h"
#include "vdgpu_kunit_helpers.h"

/*
 * Command submission on an emulated device, driven through the ioctls on a
 * mock DRM file as a process would: objects from GEM_CREATE mapped with
 * VM_BIND, queues from EXEC_QUEUE_CREATE, and EXEC reading its syncs and
 * handles from a page of user memory (kunit_vm_mmap()).  Batches are
 * written by the CPU into object 0, mapped at T_VA; the other objects are
 * mapped 2 MiB apart after it.  Out-syncs are syncobjs of the file, whose
 * fence is the batch's scheduler fence.
 *
 * Every case ends by closing the file and waiting for the exec queues to
 * be released (by a work item once their last job is freed): none may
 * leak, or the device's teardown would wait for it forever.
 */

/* Object i is mapped, whole, at T_BO_VA(i); T_HOLE_VA is mapped by none. */
#define T_VA		SZ_4G
#define T_BO_VA(i)	(T_VA + (u64)(i) * SZ_2M)
#define T_HOLE_VA	(T_VA + SZ_1G)
#define T_BO_SIZE	SZ_64K
#define T_MAX_BOS	4
#define T_BATCH_DW	80
/* What the batches store where a case looks for a batch having run. */
#define T_MARK		0x3a4b5c6d
/* Where the ioctls' arrays go in the page of user memory. */
#define T_USER_SYNCS	0
#define T_USER_HANDLES	2048
/* Generous: the lane runs under UML with KASAN on two shared cores. */
#define T_TIMEOUT	(60 * HZ)

static const u32 t_vram[] = { DRM_VDGPU_REGION_VRAM0 };
static const u32 t_gtt[] = { DRM_VDGPU_REGION_GTT };
static const u32 t_vram_gtt[] = { DRM_VDGPU_REGION_VRAM0,
				  DRM_VDGPU_REGION_GTT };

/* A test's device, file, VM and objects. */
struct t_env {
	struct kunit *test;
	struct vdgpu_device *vdev;
	struct file *filp;
	struct drm_file *file;
	struct vdgpu_vm *vm;
	u32 vm_id;
	/* a page of user memory for the ioctls' arrays */
	u64 user;
	struct vdgpu_bo *bos[T_MAX_BOS];
	u32 handles[T_MAX_BOS];
	/* where the next batch goes in object 0 */
	u32 batch_off;
};

/* A batch being written; one too long fails the test in t_place(). */
struct t_batch {
	u32 dw[T_BATCH_DW];
	u32 len;
};

static void t_fput(void *file)
{
	fput(file);
	flush_delayed_fput();
}

static void t_vm_put(void *vm)
{
	vdgpu_vm_put(vm);
}

/* After the file, so that closing it never drops an object's last ref. */
static void t_bos_put(void *data)
{
	struct t_env *t = data;
	unsigned int i;

	for (i = 0; i < T_MAX_BOS; i++)
		vdgpu_bo_put(t->bos[i]);
}

static void t_copy_to_user(struct t_env *t, u64 off, const void *buf,
			   size_t len)
{
	KUNIT_ASSERT_LE(t->test, off + len, PAGE_SIZE);
	KUNIT_ASSERT_EQ(t->test, copy_to_user(u64_to_user_ptr(t->user + off),
					      buf, len), 0);
}

/* Object @i through GEM_CREATE, shared or private to the VM; idle. */
static struct vdgpu_bo *t_bo(struct t_env *t, unsigned int i,
			     const u32 *regions, u32 num_regions, bool private)
{
	struct drm_vdgpu_gem_create args = {
		.size = T_BO_SIZE,
		.regions = t->user,
		.num_regions = num_regions,
		.vm_id = private ? t->vm_id : 0,
	};
	struct kunit *test = t->test;
	struct drm_gem_object *obj;

	t_copy_to_user(t, 0, regions, num_regions * sizeof(*regions));
	KUNIT_ASSERT_EQ(test, vdgpu_gem_create_ioctl(&t->vdev->drm, &args,
						     t->file), 0);
	obj = drm_gem_object_lookup(t->file, args.handle);
	KUNIT_ASSERT_NOT_NULL(test, obj);
	/* Put by t_bos_put(). */
	t->bos[i] = gem_to_vdgpu_bo(obj);
	t->handles[i] = args.handle;
	KUNIT_ASSERT_GT(test, dma_resv_wait_timeout(obj->resv,
						    DMA_RESV_USAGE_BOOKKEEP,
						    false, T_TIMEOUT), 0);
	return t->bos[i];
}

/* Maps object @i at T_BO_VA(@i) of VM @vm_id, synchronously. */
static void t_map_in(struct t_env *t, u32 vm_id, unsigned int i)
{
	struct drm_vdgpu_vm_bind_op op = {
		.op = DRM_VDGPU_VM_BIND_OP_MAP,
		.handle = t->handles[i],
		.addr = T_BO_VA(i),
		.range = T_BO_SIZE,
	};
	struct drm_vdgpu_vm_bind args = {
		.vm_id = vm_id,
		.num_ops = 1,
		.op_stride = sizeof(op),
		.ops = t->user,
	};

	t_copy_to_user(t, 0, &op, sizeof(op));
	KUNIT_ASSERT_EQ(t->test, vdgpu_vm_bind_ioctl(&t->vdev->drm, &args,
						     t->file), 0);
}

static void t_map(struct t_env *t, unsigned int i)
{
	t_map_in(t, t->vm_id, i);
}

/* A device, an open file on its render node, a VM, the batch object. */
static struct t_env *t_init(struct kunit *test)
{
	struct drm_vdgpu_vm_create create = {};
	unsigned long user;
	struct t_env *t;

	t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t);
	t->test = test;
	t->vdev = vdgpu_kunit_device(test, NULL);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, t_bos_put, t), 0);

	t->filp = mock_drm_getfile(t->vdev->drm.render, O_RDWR);
	KUNIT_ASSERT_FALSE(test, IS_ERR(t->filp));
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, t_fput, t->filp),
			0);
	t->file = t->filp->private_data;

	user = kunit_vm_mmap(test, NULL, 0, PAGE_SIZE, PROT_READ | PROT_WRITE,
			     MAP_ANONYMOUS | MAP_PRIVATE, 0);
	KUNIT_ASSERT_NE_MSG(test, user, 0, "no user memory");
	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR_VALUE(user), "no user memory");
	t->user = user;

	KUNIT_ASSERT_EQ(test, vdgpu_vm_create_ioctl(&t->vdev->drm, &create,
						    t->file), 0);
	t->vm_id = create.vm_id;
	t->vm = vdgpu_vm_lookup(t->file, t->vm_id);
	KUNIT_ASSERT_NOT_NULL(test, t->vm);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, t_vm_put, t->vm),
			0);

	t_bo(t, 0, t_vram, 1, false);
	t_map(t, 0);
	return t;
}

/*
 * Closes the file: its queues go, each released by a work item once its
 * last job is freed, and none may be left.
 */
static void t_close(struct t_env *t)
{
	atomic_t *queues = &t->vdev->exec.queues;

	kunit_release_action(t->test, t_fput, t->filp);
	t->file = NULL;
	wait_var_event_timeout(queues, !atomic_read(queues), T_TIMEOUT);
	KUNIT_EXPECT_EQ_MSG(t->test, atomic_read(queues), 0,
			    "exec queues left after the file closed");
}

/*
 * Reads or writes dword @off of @bo with the CPU where the object is now:
 * through the BAR in VRAM, through a kernel map of its pages elsewhere.
 */
static void t_access(struct t_env *t, struct vdgpu_bo *bo, u64 off, u32 *val,
		     bool write)
{
	struct iosys_map *bar = &t->vdev->bus.bar;
	struct ttm_bo_kmap_obj map;
	struct ttm_resource *res;
	bool iomem;
	u32 *cpu;
	u64 addr;
	int ret = 0;

	dma_resv_lock(bo->tbo.base.resv, NULL);
	res = bo->tbo.resource;
	if (res->mem_type == TTM_PL_VRAM) {
		addr = t->vdev->vram_base +
		       vdgpu_vram_mgr_resource_offset(&t->vdev->vram_mgr, res,
						      off);
		if (write)
			iosys_map_wr(bar, addr, u32, *val);
		else
			*val = iosys_map_rd(bar, addr, u32);
	} else {
		ret = ttm_bo_kmap(&bo->tbo, off >> PAGE_SHIFT, 1, &map);
		if (!ret) {
			cpu = ttm_kmap_obj_virtual(&map, &iomem) +
			      offset_in_page(off);
			if (write)
				WRITE_ONCE(*cpu, *val);
			else
				*val = READ_ONCE(*cpu);
			ttm_bo_kunmap(&map);
		}
	}
	dma_resv_unlock(bo->tbo.base.resv);
	KUNIT_ASSERT_EQ_MSG(t->test, ret, 0, "cannot map the object");
}

static u32 t_read(struct t_env *t, struct vdgpu_bo *bo, u64 off)
{
	u32 val = 0;

	t_access(t, bo, off, &val, false);
	return val;
}

static void t_write(struct t_env *t, struct vdgpu_bo *bo, u64 off, u32 val)
{
	t_access(t, bo, off, &val, true);
}

static u32 t_mem_type(struct vdgpu_bo *bo)
{
	u32 mem_type;

	dma_resv_lock(bo->tbo.base.resv, NULL);
	mem_type = bo->tbo.resource->mem_type;
	dma_resv_unlock(bo->tbo.base.resv);
	return mem_type;
}

/* Batches, in the encoding of "Batches" in vdgpu_regs.h */

static void t_emit(struct t_batch *b, u32 dw)
{
	if (b->len < T_BATCH_DW)
		b->dw[b->len] = dw;
	b->len++;
}

static void t_cmd(struct t_batch *b, u32 opcode, u32 len, u64 va)
{
	t_emit(b, FIELD_PREP(VDGPU_PKT_HDR_OPCODE, opcode) |
		  FIELD_PREP(VDGPU_PKT_HDR_LEN, len));
	t_emit(b, lower_32_bits(va));
	t_emit(b, upper_32_bits(va));
}

static void t_store(struct t_batch *b, u64 va, u32 value)
{
	t_cmd(b, VDGPU_CMD_STORE_DWORD, VDGPU_CMD_STORE_DWORD_LEN, va);
	t_emit(b, value);
}

/* WAIT until the dword at @va equals @value. */
static void t_wait_for(struct t_batch *b, u64 va, u32 value)
{
	t_cmd(b, VDGPU_CMD_WAIT, VDGPU_CMD_WAIT_LEN, va);
	t_emit(b, value);
	t_emit(b, ~0u);
}

/* Writes @b after the batches already in object 0; its VA. */
static u64 t_place(struct t_env *t, const struct t_batch *b)
{
	u64 off = t->batch_off;
	u32 i;

	KUNIT_ASSERT_LE(t->test, b->len, T_BATCH_DW);
	KUNIT_ASSERT_LE(t->test, off + b->len * 4, T_BO_SIZE);
	for (i = 0; i < b->len; i++)
		t_write(t, t->bos[0], off + i * 4, b->dw[i]);
	t->batch_off = ALIGN(off + b->len * 4, 64);
	return T_VA + off;
}

/* Queues, syncobjs, EXEC */

static u32 t_queue_in(struct t_env *t, u32 vm_id)
{
	struct drm_vdgpu_exec_queue_create args = {
		.vm_id = vm_id,
		.engine_class = DRM_VDGPU_ENGINE_CLASS_COMPUTE,
		.priority = DRM_VDGPU_EXEC_QUEUE_PRIORITY_NORMAL,
	};
	int ret;

	ret = vdgpu_exec_queue_create_ioctl(&t->vdev->drm, &args, t->file);
	KUNIT_ASSERT_EQ(t->test, ret, 0);
	KUNIT_EXPECT_NE(t->test, args.queue_id, 0);
	return args.queue_id;
}

static u32 t_queue(struct t_env *t)
{
	return t_queue_in(t, t->vm_id);
}

/* A binary syncobj of the file, without a fence; its handle. */
static u32 t_syncobj(struct t_env *t)
{
	struct drm_syncobj *syncobj;
	u32 handle;
	int ret;

	KUNIT_ASSERT_EQ(t->test, drm_syncobj_create(&syncobj, 0, NULL), 0);
	ret = drm_syncobj_get_handle(t->file, syncobj, &handle);
	drm_syncobj_put(syncobj);
	KUNIT_ASSERT_EQ(t->test, ret, 0);
	return handle;
}

/* The fence of syncobj @handle, referenced, or NULL. */
static struct dma_fence *t_sync_fence(struct t_env *t, u32 handle)
{
	struct drm_syncobj *syncobj = drm_syncobj_find(t->file, handle);
	struct dma_fence *fence;

	KUNIT_ASSERT_NOT_NULL(t->test, syncobj);
	fence = drm_syncobj_fence_get(syncobj);
	drm_syncobj_put(syncobj);
	return fence;
}

/* Waits for @fence, which the test fails on if it does not signal. */
static int t_wait(struct t_env *t, struct dma_fence *fence)
{
	long ret = dma_fence_wait_timeout(fence, false, T_TIMEOUT);

	KUNIT_ASSERT_GT_MSG(t->test, ret, 0, "fence did not signal");
	return fence->error;
}

/* Waits for the fence of syncobj @handle; its error. */
static int t_wait_sync(struct t_env *t, u32 handle)
{
	struct dma_fence *fence = t_sync_fence(t, handle);
	long ret;
	int error;

	KUNIT_ASSERT_NOT_NULL_MSG(t->test, fence, "no fence in the syncobj");
	ret = dma_fence_wait_timeout(fence, false, T_TIMEOUT);
	error = fence->error;
	dma_fence_put(fence);
	KUNIT_ASSERT_GT_MSG(t->test, ret, 0, "fence did not signal");
	return error;
}

/*
 * EXEC of @b on @queue, signalling syncobj @out (none for 0), with
 * implicit sync on @handles if @num_handles; the ioctl's errno.
 */
static int t_exec(struct t_env *t, u32 queue, const struct t_batch *b,
		  u32 out, const u32 *handles, u32 num_handles)
{
	const struct drm_vdgpu_sync sync = {
		.flags = DRM_VDGPU_SYNC_SIGNAL,
		.handle = out,
	};
	struct drm_vdgpu_exec args = {
		.queue_id = queue,
		.flags = num_handles ? DRM_VDGPU_EXEC_IMPLICIT_SYNC : 0,
		.batch_addr = t_place(t, b),
		.batch_len = b->len * 4,
		.num_syncs = out ? 1 : 0,
		.syncs = t->user + T_USER_SYNCS,
		.sync_stride = sizeof(sync),
		.num_handles = num_handles,
		.handles = t->user + T_USER_HANDLES,
	};

	t_copy_to_user(t, T_USER_SYNCS, &sync, sizeof(sync));
	if (num_handles)
		t_copy_to_user(t, T_USER_HANDLES, handles,
			       num_handles * sizeof(*handles));
	return vdgpu_exec_ioctl(&t->vdev->drm, &args, t->file);
}

/* Running batches */

struct t_region_case {
	const char *name;
	const u32 *regions;
	u32 num_regions;
	bool private;
};

static const struct t_region_case t_region_cases[] = {
	{ "vram", t_vram, 1, false },
	{ "gtt", t_gtt, 1, false },
	{ "vram_private", t_vram, 1, true },
};

KUNIT_ARRAY_PARAM_DESC(t_region, t_region_cases, name);

#define T_STORES	16

/* Store @i of exec_runs_batch_in_vm: one per 4 KiB page, and its value. */
static u64 t_store_off(u32 i)
{
	return i * (T_BO_SIZE / T_STORES) + i * 4;
}

static u32 t_store_value(u32 i)
{
	return 0x5eed0000 | i;
}

/*
 * A batch of STORE_DWORDs into every page of an object the VM maps
 * completes: its out-sync's fence signals without error, the engine ran
 * it once, and the CPU reads the values where the object is.  For objects
 * in VRAM and GTT, shared or private to the VM.
 */
static void exec_runs_batch_in_vm(struct kunit *test)
{
	const struct t_region_case *c = test->param_value;
	struct t_env *t = t_init(test);
	struct t_batch b = {};
	struct vdgpu_bo *bo;
	u32 q, out, i;

	bo = t_bo(t, 1, c->regions, c->num_regions, c->private);
	t_map(t, 1);
	q = t_queue(t);
	out = t_syncobj(t);
	for (i = 0; i < T_STORES; i++)
		t_store(&b, T_BO_VA(1) + t_store_off(i), t_store_value(i));

	KUNIT_ASSERT_EQ(test, t_exec(t, q, &b, out, NULL, 0), 0);
	KUNIT_EXPECT_EQ(test, t_wait_sync(t, out), 0);
	KUNIT_EXPECT_EQ(test, atomic64_read(&t->vdev->exec.jobs), 1);
	for (i = 0; i < T_STORES; i++)
		KUNIT_EXPECT_EQ_MSG(test, t_read(t, bo, t_store_off(i)),
				    t_store_value(i), "store %u", i);
	t_close(t);
}

/* Revalidation */

struct t_evict_case {
	const char *name;
	const u32 *regions;
	u32 num_regions;
	bool private;
	/* where the object is moved, and where EXEC must have put it */
	u32 mem_type;
	u32 back;
};

static const struct t_evict_case t_evict_cases[] = {
	{ "shared_from_system", t_vram, 1, false, TTM_PL_SYSTEM, TTM_PL_VRAM },
	{ "private_from_system", t_vram, 1, true, TTM_PL_SYSTEM, TTM_PL_VRAM },
	{ "shared_moved_to_gtt", t_vram_gtt, 2, false, TTM_PL_TT, TTM_PL_TT },
};

KUNIT_ARRAY_PARAM_DESC(t_evict, t_evict_cases, name);

/* The VM's last page-table update, referenced. */
static struct dma_fence *t_last_update(struct t_env *t)
{
	struct dma_resv *resv = t->vm->gpuvm.r_obj->resv;
	struct dma_fence *fence;

	dma_resv_lock(resv, NULL);
	fence = dma_fence_get(t->vm->last_update);
	dma_resv_unlock(resv);
	return fence;
}

/* Whether @fence signalled and its timestamp is set. */
static bool t_stamped(struct dma_fence *fence)
{
	return test_bit(DMA_FENCE_FLAG_TIMESTAMP_BIT, &fence->flags);
}

static void t_sched_start(void *sched)
{
	drm_sched_wqueue_start(sched);
}

/*
 * A queue of a second VM of the file, which maps the batch object too:
 * its batches wait for nothing of the first VM.
 */
static u32 t_other_vm_queue(struct t_env *t)
{
	struct drm_vdgpu_vm_create create = {};

	KUNIT_ASSERT_EQ(t->test, vdgpu_vm_create_ioctl(&t->vdev->drm, &create,
						       t->file), 0);
	t_map_in(t, create.vm_id, 0);
	return t_queue_in(t, create.vm_id);
}

/*
 * EXEC of a batch writing an object that was moved since it was mapped
 * brings the object back where the GPU reaches it before returning, and
 * queues the batch after the page-table update that rewrites its entries.
 * While the first copy engine, which writes page tables, is held, a batch
 * of another VM runs but this one is not handed to the engine; released,
 * the update signals before the batch starts, and the value lands in the
 * object where it is now.  (Out of SYSTEM, the batch also waits for the
 * move, on the same engine; moved to GTT, the object stays there and only
 * its entries change.)
 */
static void exec_waits_for_revalidation(struct kunit *test)
{
	const struct t_evict_case *c = test->param_value;
	struct t_env *t = t_init(test);
	struct drm_gpu_scheduler *copy0 = &t->vdev->migrate.sched[0];
	struct dma_fence *before, *update, *batch;
	struct t_batch b = {}, barrier = {};
	struct drm_sched_fence *s_fence;
	u32 q, other, out, done;
	struct vdgpu_bo *bo;

	bo = t_bo(t, 1, c->regions, c->num_regions, c->private);
	t_map(t, 1);
	q = t_queue(t);
	other = t_other_vm_queue(t);
	out = t_syncobj(t);
	done = t_syncobj(t);
	before = t_last_update(t);
	vdgpu_kunit_bo_move(t->test, bo, c->mem_type);

	drm_sched_wqueue_stop(copy0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, t_sched_start,
							copy0), 0);
	t_store(&b, T_BO_VA(1) + SZ_8K + 12, 0x4e770000);
	KUNIT_ASSERT_EQ(test, t_exec(t, q, &b, out, NULL, 0), 0);
	/* EXEC never waits for the GPU, but validates before queueing. */
	KUNIT_EXPECT_EQ(test, t_mem_type(bo), c->back);
	update = t_last_update(t);
	batch = t_sync_fence(t, out);
	KUNIT_EXPECT_PTR_NE_MSG(test, update, before, "no page-table update");
	dma_fence_put(before);
	KUNIT_ASSERT_NOT_NULL(test, update);
	KUNIT_ASSERT_NOT_NULL(test, batch);
	s_fence = to_drm_sched_fence(batch);
	KUNIT_ASSERT_NOT_NULL(test, s_fence);

	t_store(&barrier, T_VA + T_BO_SIZE - 4, T_MARK);
	KUNIT_ASSERT_EQ(test, t_exec(t, other, &barrier, done, NULL, 0), 0);
	KUNIT_EXPECT_EQ(test, t_wait_sync(t, done), 0);
	KUNIT_EXPECT_FALSE(test, dma_fence_is_signaled(update));
	KUNIT_EXPECT_FALSE_MSG(test, dma_fence_is_signaled(&s_fence->scheduled),
			       "the batch ran before its page tables were written");
	kunit_release_action(test, t_sched_start, copy0);

	KUNIT_EXPECT_EQ(test, t_wait(t, batch), 0);
	KUNIT_ASSERT_TRUE_MSG(test, t_stamped(update), "update still pending");
	KUNIT_ASSERT_TRUE(test, t_stamped(&s_fence->scheduled));
	KUNIT_EXPECT_EQ(test, update->error, 0);
	KUNIT_EXPECT_LE_MSG(test, ktime_compare(update->timestamp,
						s_fence->scheduled.timestamp),
			    0, "the batch ran before the page-table update");
	dma_fence_put(update);
	dma_fence_put(batch);

	KUNIT_EXPECT_EQ(test, t_mem_type(bo), c->back);
	KUNIT_EXPECT_EQ(test, t_read(t, bo, SZ_8K + 12), 0x4e770000);
	t_close(t);
}

/* Fences */

/* A fence the test signals itself. */
struct t_fence {
	struct dma_fence base;
	/* the fence's lock, which dma_fence takes */
	spinlock_t lock;
};

static const char *t_fence_name(struct dma_fence *fence)
{
	return "vdgpu_exec_test";
}

/* No release: dma_fence_free() frees the structure, base first. */
static const struct dma_fence_ops t_fence_ops = {
	.get_driver_name = t_fence_name,
	.get_timeline_name = t_fence_name,
};

static void t_fence_release(void *fence)
{
	dma_fence_signal(fence);
	dma_fence_put(fence);
}

/* An unsignalled fence, signalled at the latest when the test ends. */
static struct dma_fence *t_fence(struct kunit *test)
{
	struct t_fence *f;

	f = kzalloc(sizeof(*f), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, f);
	spin_lock_init(&f->lock);
	dma_fence_init(&f->base, &t_fence_ops, &f->lock,
		       dma_fence_context_alloc(1), 1);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, t_fence_release,
							&f->base), 0);
	return &f->base;
}

/* The usage @fence has in @resv, or -1 if it is not there. */
static int t_usage(struct dma_resv *resv, struct dma_fence *fence)
{
	struct dma_resv_iter cursor;
	struct dma_fence *f;
	int usage = -1;

	dma_resv_lock(resv, NULL);
	dma_resv_for_each_fence(&cursor, resv, DMA_RESV_USAGE_BOOKKEEP, f)
		if (f == fence)
			usage = dma_resv_iter_usage(&cursor);
	dma_resv_unlock(resv);
	return usage;
}

/*
 * The batch's fence is on the VM's reservation object (shared by its
 * private objects) and on its external objects' with usage BOOKKEEP, and
 * on an implicit-sync object's as a writer's.  The batch waits for the
 * writer already on that object: while that fence is unsignalled, a batch
 * of another queue runs and completes, but this one is never handed to
 * the engine and its stores are not made; once it signals, the batch runs.
 */
static void exec_fence_bookkeeping(struct kunit *test)
{
	struct t_env *t = t_init(test);
	struct vdgpu_bo *shared, *private, *sync;
	struct t_batch b = {}, other_b = {};
	struct dma_fence *blocker, *batch;
	struct drm_sched_fence *s_fence;
	u32 q, other, out, done;

	shared = t_bo(t, 1, t_vram, 1, false);
	t_map(t, 1);
	private = t_bo(t, 2, t_vram, 1, true);
	t_map(t, 2);
	/* Not mapped: only synchronised with. */
	sync = t_bo(t, 3, t_vram, 1, false);
	q = t_queue(t);
	other = t_queue(t);
	out = t_syncobj(t);
	done = t_syncobj(t);

	blocker = t_fence(test);
	dma_resv_lock(sync->tbo.base.resv, NULL);
	KUNIT_ASSERT_EQ(test, dma_resv_reserve_fences(sync->tbo.base.resv, 1),
			0);
	dma_resv_add_fence(sync->tbo.base.resv, blocker, DMA_RESV_USAGE_WRITE);
	dma_resv_unlock(sync->tbo.base.resv);

	t_store(&b, T_BO_VA(1), T_MARK);
	t_store(&b, T_BO_VA(2), T_MARK);
	KUNIT_ASSERT_EQ(test, t_exec(t, q, &b, out, &t->handles[3], 1), 0);
	batch = t_sync_fence(t, out);
	KUNIT_ASSERT_NOT_NULL(test, batch);

	KUNIT_EXPECT_EQ(test, t_usage(t->vm->gpuvm.r_obj->resv, batch),
			DMA_RESV_USAGE_BOOKKEEP);
	KUNIT_EXPECT_EQ(test, t_usage(shared->tbo.base.resv, batch),
			DMA_RESV_USAGE_BOOKKEEP);
	KUNIT_EXPECT_EQ(test, t_usage(sync->tbo.base.resv, batch),
			DMA_RESV_USAGE_WRITE);
	KUNIT_EXPECT_EQ(test, t_usage(sync->tbo.base.resv, blocker),
			DMA_RESV_USAGE_WRITE);

	t_store(&other_b, T_BO_VA(1) + 4, T_MARK);
	KUNIT_ASSERT_EQ(test, t_exec(t, other, &other_b, done, NULL, 0), 0);
	KUNIT_EXPECT_EQ(test, t_wait_sync(t, done), 0);
	KUNIT_EXPECT_EQ(test, t_read(t, shared, 4), T_MARK);

	KUNIT_EXPECT_FALSE(test, dma_fence_is_signaled(batch));
	s_fence = to_drm_sched_fence(batch);
	KUNIT_ASSERT_NOT_NULL(test, s_fence);
	KUNIT_EXPECT_FALSE_MSG(test, dma_fence_is_signaled(&s_fence->scheduled),
			       "handed to the engine before its dependency");
	KUNIT_EXPECT_EQ(test, atomic64_read(&t->vdev->exec.jobs), 1);
	KUNIT_EXPECT_EQ(test, t_read(t, shared, 0), 0);
	KUNIT_EXPECT_EQ(test, t_read(t, private, 0), 0);

	dma_fence_signal(blocker);
	KUNIT_EXPECT_EQ(test, t_wait(t, batch), 0);
	dma_fence_put(batch);
	KUNIT_EXPECT_EQ(test, t_read(t, shared, 0), T_MARK);
	KUNIT_EXPECT_EQ(test, t_read(t, private, 0), T_MARK);
	t_close(t);
}

/* Faults and hangs */

/* The last error error_state recorded, and how it prints it. */
static struct vdgpu_exec_error t_last_error(struct t_env *t, char *buf,
					    size_t size)
{
	struct vdgpu_exec *x = &t->vdev->exec;
	struct drm_print_iterator iter = {
		.data = buf, .start = 0, .remain = size - 1,
	};
	struct drm_printer p = drm_coredump_printer(&iter);
	struct vdgpu_exec_error err = {};

	memset(buf, 0, size);
	vdgpu_exec_print_errors(t->vdev, &p);
	spin_lock_irq(&x->error_lock);
	if (x->num_errors)
		err = x->errors[(x->num_errors - 1) % VDGPU_EXEC_ERRORS];
	spin_unlock_irq(&x->error_lock);
	return err;
}

/*
 * A batch storing to an address the VM does not map faults: its fence
 * signals -EIO, its queue is banned by then (EXEC on it: -ECANCELED),
 * another queue of the same VM still runs a batch, and error_state
 * records the client, the queue, the address and a write.
 */
static void exec_fault_bans_queue(struct kunit *test)
{
	struct t_env *t = t_init(test);
	struct t_batch bad = {}, good = {};
	struct vdgpu_exec_error err;
	struct vdgpu_bo *bo;
	u32 q, other, out, done;
	char want[96];
	char *buf;

	buf = kunit_kzalloc(test, 1024, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	bo = t_bo(t, 1, t_vram, 1, false);
	t_map(t, 1);
	q = t_queue(t);
	other = t_queue(t);
	out = t_syncobj(t);
	done = t_syncobj(t);

	t_store(&bad, T_HOLE_VA + 8, 0xbad);
	KUNIT_ASSERT_EQ(test, t_exec(t, q, &bad, out, NULL, 0), 0);
	KUNIT_EXPECT_EQ(test, t_wait_sync(t, out), -EIO);

	t_store(&good, T_BO_VA(1), T_MARK);
	KUNIT_EXPECT_EQ(test, t_exec(t, q, &good, 0, NULL, 0), -ECANCELED);
	KUNIT_ASSERT_EQ(test, t_exec(t, other, &good, done, NULL, 0), 0);
	KUNIT_EXPECT_EQ(test, t_wait_sync(t, done), 0);
	KUNIT_EXPECT_EQ(test, t_read(t, bo, 0), T_MARK);

	err = t_last_error(t, buf, 1024);
	kunit_info(test, "error_state:\n%s", buf);
	KUNIT_EXPECT_EQ(test, t->vdev->exec.num_errors, 1);
	KUNIT_EXPECT_EQ(test, err.error, -EIO);
	KUNIT_EXPECT_EQ(test, err.client_id, t->file->client_id);
	KUNIT_EXPECT_EQ(test, err.queue_id, q);
	KUNIT_EXPECT_EQ(test, err.fault_addr, T_HOLE_VA + 8);
	KUNIT_EXPECT_TRUE(test, err.fault_info & VDGPU_FAULT_INFO_WRITE);
	KUNIT_EXPECT_EQ(test, FIELD_GET(VDGPU_FAULT_INFO_REASON,
					err.fault_info),
			VDGPU_FAULT_NOT_PRESENT);
	snprintf(want, sizeof(want),
		 " client %llu queue %u error %d fault 0x%llx write not-present\n",
		 t->file->client_id, q, -EIO, T_HOLE_VA + 8);
	KUNIT_EXPECT_NOT_NULL_MSG(test, strstr(buf, want), "no line \"%s\"",
				  want);
	t_close(t);
}

/*
 * A batch that WAITs forever is stopped by the scheduler's timeout (5 s):
 * its fence signals -ETIMEDOUT and its queue is banned, so the batch
 * queued behind it on that queue is cancelled (-ECANCELED, its store not
 * made) and EXEC on it fails, while a batch of another queue, queued
 * behind it on the engine, completes.
 */
static void exec_timeout_bans_queue(struct kunit *test)
{
	struct t_env *t = t_init(test);
	struct t_batch hang = {}, behind = {}, good = {};
	struct vdgpu_exec_error err;
	u32 q, other, hung, cancelled, done;
	struct vdgpu_bo *bo;
	ktime_t start;
	char *buf;

	buf = kunit_kzalloc(test, 1024, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	bo = t_bo(t, 1, t_vram, 1, false);
	t_map(t, 1);
	q = t_queue(t);
	other = t_queue(t);
	hung = t_syncobj(t);
	cancelled = t_syncobj(t);
	done = t_syncobj(t);

	/* The dword stays 0. */
	t_wait_for(&hang, T_BO_VA(1), 1);
	t_store(&behind, T_BO_VA(1) + 4, T_MARK);
	t_store(&good, T_BO_VA(1) + 8, T_MARK);
	start = ktime_get();
	KUNIT_ASSERT_EQ(test, t_exec(t, q, &hang, hung, NULL, 0), 0);
	KUNIT_ASSERT_EQ(test, t_exec(t, q, &behind, cancelled, NULL, 0), 0);
	KUNIT_ASSERT_EQ(test, t_exec(t, other, &good, done, NULL, 0), 0);

	KUNIT_EXPECT_EQ(test, t_wait_sync(t, hung), -ETIMEDOUT);
	kunit_info(test, "stopped after %lld ms\n",
		   ktime_ms_delta(ktime_get(), start));
	KUNIT_EXPECT_EQ(test, t_wait_sync(t, cancelled), -ECANCELED);
	KUNIT_EXPECT_EQ(test, t_wait_sync(t, done), 0);
	KUNIT_EXPECT_EQ(test, t_exec(t, q, &good, 0, NULL, 0), -ECANCELED);
	KUNIT_EXPECT_EQ(test, t_read(t, bo, 4), 0);
	KUNIT_EXPECT_EQ(test, t_read(t, bo, 8), T_MARK);

	KUNIT_EXPECT_EQ(test, atomic64_read(&t->vdev->exec.timeouts), 1);
	err = t_last_error(t, buf, 1024);
	kunit_info(test, "error_state:\n%s", buf);
	KUNIT_EXPECT_EQ(test, t->vdev->exec.num_errors, 1);
	KUNIT_EXPECT_EQ(test, err.error, -ETIMEDOUT);
	KUNIT_EXPECT_EQ(test, err.queue_id, q);
	KUNIT_EXPECT_EQ(test, err.fault_info, 0);
	t_close(t);
}

/* Bad input */

/*
 * The arguments of a case: a queue's, and an EXEC's with its arrays, whose
 * second sync and handle are unused until a case uses them.
 */
struct t_bad_args {
	struct drm_vdgpu_exec_queue_create create;
	struct drm_vdgpu_exec exec;
	struct drm_vdgpu_sync syncs[2];
	u32 handles[2];
};

struct t_bad_case {
	const char *name;
	/* EXEC_QUEUE_CREATE is refused, else EXEC */
	bool create;
	/* turns valid arguments into the refused ones */
	void (*spoil)(struct t_env *t, struct t_bad_args *a);
	int error;
};

static void t_create_extensions(struct t_env *t, struct t_bad_args *a)
{
	a->create.extensions = 1;
}

static void t_create_flags(struct t_env *t, struct t_bad_args *a)
{
	a->create.flags = 1;
}

static void t_create_queue_id(struct t_env *t, struct t_bad_args *a)
{
	a->create.queue_id = 1;
}

static void t_create_pad(struct t_env *t, struct t_bad_args *a)
{
	a->create.pad = 1;
}

static void t_create_reserved(struct t_env *t, struct t_bad_args *a)
{
	a->create.reserved[1] = 1;
}

static void t_create_priority(struct t_env *t, struct t_bad_args *a)
{
	a->create.priority = DRM_VDGPU_EXEC_QUEUE_PRIORITY_HIGH + 1;
}

static void t_create_copy_engine(struct t_env *t, struct t_bad_args *a)
{
	a->create.engine_class = DRM_VDGPU_ENGINE_CLASS_COPY;
}

static void t_create_instance(struct t_env *t, struct t_bad_args *a)
{
	a->create.engine_instance = 1;
}

static void t_create_unknown_vm(struct t_env *t, struct t_bad_args *a)
{
	a->create.vm_id = 0x7fffffff;
}

static void t_extensions(struct t_env *t, struct t_bad_args *a)
{
	a->exec.extensions = 1;
}

static void t_reserved(struct t_env *t, struct t_bad_args *a)
{
	a->exec.reserved[0] = 1;
}

static void t_unknown_flag(struct t_env *t, struct t_bad_args *a)
{
	a->exec.flags = DRM_VDGPU_EXEC_IMPLICIT_SYNC << 1;
}

static void t_batch_misaligned(struct t_env *t, struct t_bad_args *a)
{
	a->exec.batch_addr += 2;
}

static void t_batch_empty(struct t_env *t, struct t_bad_args *a)
{
	a->exec.batch_len = 0;
}

static void t_batch_len_unaligned(struct t_env *t, struct t_bad_args *a)
{
	a->exec.batch_len += 2;
}

static void t_batch_too_long(struct t_env *t, struct t_bad_args *a)
{
	a->exec.batch_len = SZ_1M + 4;
}

static void t_too_many_syncs(struct t_env *t, struct t_bad_args *a)
{
	/* The uAPI's limit is 64, as for handles. */
	a->exec.num_syncs = 65;
}

static void t_too_many_handles(struct t_env *t, struct t_bad_args *a)
{
	a->exec.flags = DRM_VDGPU_EXEC_IMPLICIT_SYNC;
	a->exec.num_handles = 65;
}

static void t_handles_not_implicit(struct t_env *t, struct t_bad_args *a)
{
	a->exec.num_handles = 1;
}

static void t_stride_zero(struct t_env *t, struct t_bad_args *a)
{
	a->exec.sync_stride = 0;
}

static void t_stride_unaligned(struct t_env *t, struct t_bad_args *a)
{
	a->exec.sync_stride = 12;
}

/* The bytes of the first sync beyond the kernel's struct: the second's. */
static void t_stride_tail(struct t_env *t, struct t_bad_args *a)
{
	a->exec.sync_stride = sizeof(a->syncs[0]) + 8;
	a->syncs[1].flags = DRM_VDGPU_SYNC_SIGNAL;
}

/* A second out-sync, which the test then spoils. */
static struct drm_vdgpu_sync *t_sync2(struct t_env *t, struct t_bad_args *a)
{
	a->exec.num_syncs = 2;
	a->syncs[1] = (struct drm_vdgpu_sync){
		.flags = DRM_VDGPU_SYNC_SIGNAL,
		.handle = t_syncobj(t),
	};
	return &a->syncs[1];
}

static void t_sync_unknown_flag(struct t_env *t, struct t_bad_args *a)
{
	t_sync2(t, a)->flags |= DRM_VDGPU_SYNC_TIMELINE << 1;
}

static void t_sync_reserved(struct t_env *t, struct t_bad_args *a)
{
	t_sync2(t, a)->reserved = 1;
}

static void t_sync_no_point(struct t_env *t, struct t_bad_args *a)
{
	t_sync2(t, a)->flags |= DRM_VDGPU_SYNC_TIMELINE;
}

static void t_sync_binary_point(struct t_env *t, struct t_bad_args *a)
{
	t_sync2(t, a)->point = 1;
}

/* Its syncobj has no fence. */
static void t_sync_in_no_fence(struct t_env *t, struct t_bad_args *a)
{
	t_sync2(t, a)->flags = 0;
}

static void t_sync_unknown(struct t_env *t, struct t_bad_args *a)
{
	t_sync2(t, a)->handle = 0x7fffffff;
}

static void t_unknown_queue(struct t_env *t, struct t_bad_args *a)
{
	a->exec.queue_id = 0x7fffffff;
}

static void t_unknown_object(struct t_env *t, struct t_bad_args *a)
{
	a->exec.flags = DRM_VDGPU_EXEC_IMPLICIT_SYNC;
	a->exec.num_handles = 2;
	a->handles[1] = 0x7fffffff;
}

/* A queue whose VM was destroyed after the queue was created. */
static void t_vm_destroyed(struct t_env *t, struct t_bad_args *a)
{
	struct drm_vdgpu_exec_queue_create queue = a->create;
	struct drm_vdgpu_vm_destroy destroy = {};
	struct drm_vdgpu_vm_create create = {};
	struct drm_device *drm = &t->vdev->drm;
	int ret;

	ret = vdgpu_vm_create_ioctl(drm, &create, t->file);
	KUNIT_ASSERT_EQ(t->test, ret, 0);
	queue.vm_id = create.vm_id;
	ret = vdgpu_exec_queue_create_ioctl(drm, &queue, t->file);
	KUNIT_ASSERT_EQ(t->test, ret, 0);
	destroy.vm_id = create.vm_id;
	ret = vdgpu_vm_destroy_ioctl(drm, &destroy, t->file);
	KUNIT_ASSERT_EQ(t->test, ret, 0);
	a->exec.queue_id = queue.queue_id;
}

static void t_syncs_unreadable(struct t_env *t, struct t_bad_args *a)
{
	a->exec.syncs = 0;
}

static void t_handles_unreadable(struct t_env *t, struct t_bad_args *a)
{
	a->exec.flags = DRM_VDGPU_EXEC_IMPLICIT_SYNC;
	a->exec.num_handles = 1;
	a->exec.handles = 0;
}

static const struct t_bad_case t_bad_cases[] = {
	{ "create_extensions", true, t_create_extensions, -EINVAL },
	{ "create_flags", true, t_create_flags, -EINVAL },
	{ "create_queue_id", true, t_create_queue_id, -EINVAL },
	{ "create_pad", true, t_create_pad, -EINVAL },
	{ "create_reserved", true, t_create_reserved, -EINVAL },
	{ "create_unknown_priority", true, t_create_priority, -EINVAL },
	{ "create_copy_engine", true, t_create_copy_engine, -EINVAL },
	{ "create_engine_instance", true, t_create_instance, -EINVAL },
	{ "create_unknown_vm", true, t_create_unknown_vm, -ENOENT },
	{ "exec_extensions", false, t_extensions, -EINVAL },
	{ "exec_reserved", false, t_reserved, -EINVAL },
	{ "exec_unknown_flag", false, t_unknown_flag, -EINVAL },
	{ "exec_batch_misaligned", false, t_batch_misaligned, -EINVAL },
	{ "exec_batch_empty", false, t_batch_empty, -EINVAL },
	{ "exec_batch_len_unaligned", false, t_batch_len_unaligned, -EINVAL },
	{ "exec_batch_too_long", false, t_batch_too_long, -EINVAL },
	{ "exec_too_many_syncs", false, t_too_many_syncs, -EINVAL },
	{ "exec_too_many_handles", false, t_too_many_handles, -EINVAL },
	{ "exec_handles_without_implicit_sync", false, t_handles_not_implicit,
	  -EINVAL },
	{ "exec_sync_stride_zero", false, t_stride_zero, -EINVAL },
	{ "exec_sync_stride_unaligned", false, t_stride_unaligned, -EINVAL },
	{ "exec_sync_stride_tail_nonzero", false, t_stride_tail, -EINVAL },
	{ "exec_sync_unknown_flag", false, t_sync_unknown_flag, -EINVAL },
	{ "exec_sync_reserved", false, t_sync_reserved, -EINVAL },
	{ "exec_sync_timeline_without_point", false, t_sync_no_point, -EINVAL },
	{ "exec_sync_binary_with_point", false, t_sync_binary_point, -EINVAL },
	{ "exec_in_sync_without_fence", false, t_sync_in_no_fence, -EINVAL },
	{ "exec_unknown_syncobj", false, t_sync_unknown, -ENOENT },
	{ "exec_unknown_queue", false, t_unknown_queue, -ENOENT },
	{ "exec_unknown_object", false, t_unknown_object, -ENOENT },
	{ "exec_vm_destroyed", false, t_vm_destroyed, -ENOENT },
	{ "exec_syncs_unreadable", false, t_syncs_unreadable, -EFAULT },
	{ "exec_handles_unreadable", false, t_handles_unreadable, -EFAULT },
};

KUNIT_ARRAY_PARAM_DESC(t_bad, t_bad_cases, name);

/*
 * Each field EXEC_QUEUE_CREATE or EXEC refuses, with otherwise valid
 * arguments, gives its errno and queues nothing: no queue is added, the
 * out-sync that comes first in the array gets no fence, and a valid batch
 * on the same queue afterwards is the only one the engine runs.
 */
static void exec_rejects_bad_input(struct kunit *test)
{
	const struct t_bad_case *c = test->param_value;
	struct t_env *t = t_init(test);
	struct vdgpu_exec *x = &t->vdev->exec;
	struct t_batch b = {}, good = {};
	struct t_bad_args a = {};
	struct dma_fence *fence;
	u32 q, out, done;
	int queues, ret;
	s64 jobs;

	t_bo(t, 1, t_vram, 1, false);
	t_map(t, 1);
	q = t_queue(t);
	out = t_syncobj(t);
	done = t_syncobj(t);
	t_store(&b, T_BO_VA(1), T_MARK);

	a.create = (struct drm_vdgpu_exec_queue_create){
		.vm_id = t->vm_id,
		.engine_class = DRM_VDGPU_ENGINE_CLASS_COMPUTE,
		.priority = DRM_VDGPU_EXEC_QUEUE_PRIORITY_NORMAL,
	};
	a.exec = (struct drm_vdgpu_exec){
		.queue_id = q,
		.batch_addr = t_place(t, &b),
		.batch_len = b.len * 4,
		.num_syncs = 1,
		.syncs = t->user + T_USER_SYNCS,
		.sync_stride = sizeof(a.syncs[0]),
		.handles = t->user + T_USER_HANDLES,
	};
	KUNIT_ASSERT_EQ(test, a.exec.batch_addr, T_VA);
	a.syncs[0] = (struct drm_vdgpu_sync){
		.flags = DRM_VDGPU_SYNC_SIGNAL,
		.handle = out,
	};
	a.handles[0] = t->handles[1];
	c->spoil(t, &a);

	queues = atomic_read(&x->queues);
	jobs = atomic64_read(&x->jobs);
	if (c->create) {
		ret = vdgpu_exec_queue_create_ioctl(&t->vdev->drm, &a.create,
						    t->file);
	} else {
		t_copy_to_user(t, T_USER_SYNCS, a.syncs, sizeof(a.syncs));
		t_copy_to_user(t, T_USER_HANDLES, a.handles, sizeof(a.handles));
		ret = vdgpu_exec_ioctl(&t->vdev->drm, &a.exec, t->file);
	}
	KUNIT_EXPECT_EQ(test, ret, c->error);
	KUNIT_EXPECT_EQ(test, atomic_read(&x->queues), queues);

	/* Were anything queued on q, it would run before this. */
	t_store(&good, T_BO_VA(1) + 4, T_MARK);
	KUNIT_ASSERT_EQ(test, t_exec(t, q, &good, done, NULL, 0), 0);
	KUNIT_EXPECT_EQ(test, t_wait_sync(t, done), 0);
	KUNIT_EXPECT_EQ(test, atomic64_read(&x->jobs), jobs + 1);
	KUNIT_EXPECT_EQ(test, t_read(t, t->bos[1], 0), 0);
	fence = t_sync_fence(t, out);
	KUNIT_EXPECT_NULL_MSG(test, fence, "the out-sync got a fence");
	dma_fence_put(fence);
	t_close(t);
}

/*
 * A queue of HIGH priority takes CAP_SYS_NICE, as a negative nice value
 * does: without it EXEC_QUEUE_CREATE fails with -EPERM and adds no queue;
 * with it (the test's thread has every capability) the queue runs batches.
 */
static void exec_queue_high_priority_needs_cap_sys_nice(struct kunit *test)
{
	struct t_env *t = t_init(test);
	struct drm_vdgpu_exec_queue_create args = {
		.vm_id = t->vm_id,
		.engine_class = DRM_VDGPU_ENGINE_CLASS_COMPUTE,
		.priority = DRM_VDGPU_EXEC_QUEUE_PRIORITY_HIGH,
	};
	struct t_batch b = {};
	const struct cred *old;
	struct vdgpu_bo *bo;
	struct cred *cred;
	u32 out;
	int ret;

	bo = t_bo(t, 1, t_vram, 1, false);
	t_map(t, 1);
	out = t_syncobj(t);
	cred = prepare_creds();
	KUNIT_ASSERT_NOT_NULL(test, cred);
	cap_lower(cred->cap_effective, CAP_SYS_NICE);
	old = override_creds(cred);
	ret = vdgpu_exec_queue_create_ioctl(&t->vdev->drm, &args, t->file);
	revert_creds(old);
	put_cred(cred);
	KUNIT_EXPECT_EQ(test, ret, -EPERM);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->vdev->exec.queues), 0);

	KUNIT_ASSERT_TRUE(test, capable(CAP_SYS_NICE));
	KUNIT_ASSERT_EQ(test, vdgpu_exec_queue_create_ioctl(&t->vdev->drm,
							    &args, t->file), 0);
	t_store(&b, T_BO_VA(1), T_MARK);
	KUNIT_ASSERT_EQ(test, t_exec(t, args.queue_id, &b, out, NULL, 0), 0);
	KUNIT_EXPECT_EQ(test, t_wait_sync(t, out), 0);
	KUNIT_EXPECT_EQ(test, t_read(t, bo, 0), T_MARK);
	t_close(t);
}

/* Destroying queues */

#define T_RELEASE	0x600d

/*
 * Destroying a queue whose batch is still WAITing returns at once and
 * frees the queue's id, but the batch keeps its queue: once the CPU writes
 * the dword the WAIT wants, the batch completes without error, and the
 * queue is released after its last job, the file still open.
 */
static void exec_queue_destroy_keeps_pending(struct kunit *test)
{
	struct t_env *t = t_init(test);
	struct drm_vdgpu_exec_queue_destroy destroy = {};
	atomic_t *queues = &t->vdev->exec.queues;
	struct drm_device *drm = &t->vdev->drm;
	struct t_batch b = {};
	struct dma_fence *fence;
	struct vdgpu_bo *bo;
	u32 q, out;

	bo = t_bo(t, 1, t_vram, 1, false);
	t_map(t, 1);
	q = t_queue(t);
	out = t_syncobj(t);
	t_wait_for(&b, T_BO_VA(1), T_RELEASE);
	t_store(&b, T_BO_VA(1) + 4, T_MARK);
	KUNIT_ASSERT_EQ(test, t_exec(t, q, &b, out, NULL, 0), 0);
	fence = t_sync_fence(t, out);
	KUNIT_ASSERT_NOT_NULL(test, fence);

	destroy.queue_id = q;
	destroy.pad = 1;
	KUNIT_EXPECT_EQ(test, vdgpu_exec_queue_destroy_ioctl(drm, &destroy,
							     t->file), -EINVAL);
	destroy.pad = 0;
	KUNIT_EXPECT_EQ(test, vdgpu_exec_queue_destroy_ioctl(drm, &destroy,
							     t->file), 0);
	KUNIT_EXPECT_EQ(test, vdgpu_exec_queue_destroy_ioctl(drm, &destroy,
							     t->file), -ENOENT);
	KUNIT_EXPECT_EQ(test, t_exec(t, q, &b, 0, NULL, 0), -ENOENT);
	KUNIT_EXPECT_FALSE(test, dma_fence_is_signaled(fence));
	KUNIT_EXPECT_EQ(test, atomic_read(queues), 1);

	t_write(t, bo, 0, T_RELEASE);
	KUNIT_EXPECT_EQ(test, t_wait(t, fence), 0);
	dma_fence_put(fence);
	KUNIT_EXPECT_EQ(test, t_read(t, bo, 4), T_MARK);
	wait_var_event_timeout(queues, !atomic_read(queues), T_TIMEOUT);
	KUNIT_EXPECT_EQ(test, atomic_read(queues), 0);
	t_close(t);
}

static struct kunit_case vdgpu_exec_tests[] = {
	KUNIT_CASE_PARAM(exec_runs_batch_in_vm, t_region_gen_params),
	KUNIT_CASE_PARAM(exec_waits_for_revalidation, t_evict_gen_params),
	KUNIT_CASE(exec_fence_bookkeeping),
	KUNIT_CASE(exec_fault_bans_queue),
	KUNIT_CASE_SLOW(exec_timeout_bans_queue),
	KUNIT_CASE_PARAM(exec_rejects_bad_input, t_bad_gen_params),
	KUNIT_CASE(exec_queue_high_priority_needs_cap_sys_nice),
	KUNIT_CASE(exec_queue_destroy_keeps_pending),
	{}
};

static struct kunit_suite vdgpu_exec_suite = {
	.name = "vdgpu_exec",
	.test_cases = vdgpu_exec_tests,
};

kunit_test_suite(vdgpu_exec_suite);
