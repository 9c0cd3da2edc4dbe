// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The vdgpu authors
 */

#include <linux/bitfield.h>
#include <linux/delay.h>
#include <linux/dma-fence.h>
#include <linux/dma-resv.h>
#include <linux/fcntl.h>
#include <linux/file.h>
#include <linux/iosys-map.h>
#include <linux/mman.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include <drm/drm_exec.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_gpuvm.h>
#include <drm/ttm/ttm_bo.h>
#include <drm/ttm/ttm_placement.h>
#include <drm/ttm/ttm_tt.h>
#include <drm/vdgpu_drm.h>

#include <kunit/test.h>

#include "../vdgpu_bo.h"
#include "../vdgpu_device.h"
#include "../vdgpu_engine.h"
#include "../vdgpu_mmio.h"
#include "../vdgpu_pt.h"
#include "../vdgpu_regs.h"
#include "../vdgpu_vm.h"
#include "../vdgpu_vram_mgr.h"
#include "vdgpu_kunit_helpers.h"

/*
 * GPU virtual address spaces on an emulated device, driven through the
 * ioctls on a mock DRM file: objects come from GEM_CREATE, VMs from
 * VM_CREATE, and VM_BIND reads its operation array from a page of user
 * memory (kunit_vm_mmap()), as it would from a process.
 *
 * After every update the suite checks the VM three ways: its &drm_gpuva
 * list against the mappings expected; the page-table shadow
 * (vdgpu_vm_lookup_pte()) for every 4 KiB page of the span touched,
 * against entries the test computes itself from where each object is now
 * and the page-size rules of "VM_BIND" (a 2 MiB page where one mapping
 * covers the chunk with one 2 MiB-aligned run of VRAM, a 64 KiB page where
 * 16 entries are one 64 KiB-aligned run with the same permissions); and
 * the tables the device walks, read back from VRAM, against the shadow.
 * Where it matters the copy engine then reads through the VA, with an MMU
 * context pointed at the VM's root table.
 */

/* Where the cases map: a 2 MiB-aligned VA; addresses below are relative. */
#define T_VA		SZ_4G
/* The span the split cases look at, from T_VA. */
#define T_SPAN		SZ_4M
/* The MMU context the tests point at the VM. */
#define T_CTX		3
#define T_MAX_BOS	4
#define T_MAX_OPS	4
/* Generous: the lane runs under UML with KASAN on two shared cores. */
#define T_TIMEOUT	(60 * HZ)

#define T_MAP		DRM_VDGPU_VM_BIND_OP_MAP
#define T_UNMAP		DRM_VDGPU_VM_BIND_OP_UNMAP
#define T_RO		DRM_VDGPU_VM_BIND_READ_ONLY

static const u32 t_vram[] = { DRM_VDGPU_REGION_VRAM0 };
static const u32 t_gtt[] = { DRM_VDGPU_REGION_GTT };
static const u32 t_vram_gtt[] = { DRM_VDGPU_REGION_VRAM0,
				  DRM_VDGPU_REGION_GTT };

/* One operation of a case, addresses relative to T_VA; range 0 ends a list. */
struct t_op {
	u32 op;
	/* MAP: the object, an index into &t_vm.bos */
	u32 bo;
	u64 offset;
	u64 addr;
	u64 range;
	u32 flags;
};

/* One mapping the VM must hold; range 0 ends a list. */
struct t_vma {
	u64 addr;
	u64 range;
	u32 bo;
	u64 offset;
	bool ro;
};

/* The device page that must map an address; size 0 ends a list. */
struct t_page {
	u64 addr;
	u64 size;
};

/* What one 2 MiB chunk must map, per 4 KiB page. */
struct t_chunk {
	u64 pte[VDGPU_PT_ENTRIES];
	u64 size[VDGPU_PT_ENTRIES];
};

/* A test's device, file, VM and objects. */
struct t_vm {
	struct kunit *test;
	struct vdgpu_device *vdev;
	struct drm_file *file;
	struct vdgpu_vm *vm;
	u32 vm_id;
	/* a page of user memory for the ioctls' arrays */
	u64 user;
	struct vdgpu_bo *bos[T_MAX_BOS];
	u32 handles[T_MAX_BOS];
	struct t_chunk *chunk;
	__le64 *table;
	/* pinned objects filling VRAM, see t_fill_vram() */
	struct vdgpu_bo *fillers[64];
	unsigned int num_fillers;
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

static void t_bo_put(void *bo)
{
	vdgpu_bo_put(bo);
}

/*
 * The test's references to its objects go after the file, so that closing
 * the file never drops an object's last reference.  vdgpu_vm_close() would
 * otherwise free objects inside drm_exec_fini(), which after a ww backoff
 * lockdep reports as "held lock freed" (it folds the ww locks of one acquire
 * context into one entry named after the first taken): a false positive
 * that depends on when CONFIG_DEBUG_WW_MUTEX_SLOWPATH injects a backoff.
 */
static void t_bos_put(void *data)
{
	struct t_vm *t = data;
	unsigned int i;

	for (i = 0; i < T_MAX_BOS; i++)
		vdgpu_bo_put(t->bos[i]);
}

/* A device, an open file on its render node and one VM of that file. */
static struct t_vm *t_init(struct kunit *test)
{
	struct drm_vdgpu_vm_create create = {};
	unsigned long user;
	struct file *file;
	struct t_vm *t;

	t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t);
	t->chunk = kunit_kzalloc(test, sizeof(*t->chunk), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t->chunk);
	t->table = kunit_kzalloc(test, SZ_4K, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t->table);
	t->test = test;
	t->vdev = vdgpu_kunit_device(test, NULL);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, t_bos_put, t), 0);

	file = mock_drm_getfile(t->vdev->drm.render, O_RDWR);
	KUNIT_ASSERT_FALSE(test, IS_ERR(file));
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, t_fput, file), 0);
	t->file = file->private_data;

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
	return t;
}

static void t_copy_to_user(struct t_vm *t, const void *buf, size_t len)
{
	KUNIT_ASSERT_LE(t->test, len, PAGE_SIZE);
	KUNIT_ASSERT_EQ(t->test,
			copy_to_user(u64_to_user_ptr(t->user), buf, len), 0);
}

/*
 * Object @i through GEM_CREATE: shared, or private to the VM; idle (a new
 * VRAM object is cleared by the copy engine).
 */
static struct vdgpu_bo *t_bo(struct t_vm *t, unsigned int i, u64 size,
			     const u32 *regions, u32 num_regions, u32 flags,
			     bool private)
{
	struct drm_vdgpu_gem_create args = {
		.size = size,
		.regions = t->user,
		.num_regions = num_regions,
		.flags = flags,
		.vm_id = private ? t->vm_id : 0,
	};
	struct kunit *test = t->test;
	struct drm_gem_object *obj;
	struct vdgpu_bo *bo;

	t_copy_to_user(t, regions, num_regions * sizeof(*regions));
	KUNIT_ASSERT_EQ(test, vdgpu_gem_create_ioctl(&t->vdev->drm, &args,
						     t->file), 0);
	KUNIT_ASSERT_NULL(test, t->bos[i]);
	obj = drm_gem_object_lookup(t->file, args.handle);
	KUNIT_ASSERT_NOT_NULL(test, obj);
	bo = gem_to_vdgpu_bo(obj);
	/* Put by t_bos_put(). */
	t->bos[i] = bo;
	t->handles[i] = args.handle;
	KUNIT_ASSERT_GT(test, dma_resv_wait_timeout(obj->resv,
						    DMA_RESV_USAGE_BOOKKEEP,
						    false, T_TIMEOUT), 0);
	return bo;
}

/* @bo filled with the pattern of @seed (see vdgpu_kunit_bo_fill()). */
static void t_fill(struct t_vm *t, struct vdgpu_bo *bo, u32 seed)
{
	dma_resv_lock(bo->tbo.base.resv, NULL);
	vdgpu_kunit_bo_fill(t->test, t->vdev, bo, seed);
	dma_resv_unlock(bo->tbo.base.resv);
}

static void t_raw_op(struct t_vm *t, const struct t_op *op,
		     struct drm_vdgpu_vm_bind_op *raw)
{
	*raw = (struct drm_vdgpu_vm_bind_op){
		.op = op->op,
		.flags = op->flags,
		.handle = op->op == T_MAP ? t->handles[op->bo] : 0,
		.obj_offset = op->offset,
		.addr = T_VA + op->addr,
		.range = op->range,
	};
}

/* A synchronous VM_BIND of @n raw operations; its errno. */
static int t_bind_raw(struct t_vm *t, const struct drm_vdgpu_vm_bind_op *ops,
		      u32 n)
{
	struct drm_vdgpu_vm_bind args = {
		.vm_id = t->vm_id,
		.num_ops = n,
		.op_stride = sizeof(*ops),
		.ops = t->user,
	};

	t_copy_to_user(t, ops, n * sizeof(*ops));
	return vdgpu_vm_bind_ioctl(&t->vdev->drm, &args, t->file);
}

/* A synchronous VM_BIND of the operations of @ops up to its end mark. */
static int t_bind(struct t_vm *t, const struct t_op *ops)
{
	struct drm_vdgpu_vm_bind_op raw[T_MAX_OPS];
	u32 n;

	for (n = 0; n < T_MAX_OPS && ops[n].range; n++)
		t_raw_op(t, &ops[n], &raw[n]);
	return t_bind_raw(t, raw, n);
}

static void t_map(struct t_vm *t, u32 bo, u64 offset, u64 addr, u64 range,
		  u32 flags)
{
	const struct t_op ops[] = {
		{ T_MAP, bo, offset, addr, range, flags }, {}
	};

	KUNIT_ASSERT_EQ(t->test, t_bind(t, ops), 0);
}

/* Waits for the VM's work: its binds' page-table writes. */
static void t_idle(struct t_vm *t)
{
	KUNIT_ASSERT_GT(t->test,
			dma_resv_wait_timeout(t->vm->gpuvm.r_obj->resv,
					      DMA_RESV_USAGE_BOOKKEEP, false,
					      T_TIMEOUT), 0);
}

/* Locks the VM and every object it maps, as a submission would. */
static void t_lock(struct t_vm *t, struct drm_exec *exec)
{
	int ret = 0;

	drm_exec_init(exec, 0, 0);
	drm_exec_until_all_locked(exec) {
		ret = vdgpu_vm_lock(t->vm, exec, 0);
		drm_exec_retry_on_contention(exec);
		if (ret)
			break;
	}
	if (ret)
		drm_exec_fini(exec);
	KUNIT_ASSERT_EQ(t->test, ret, 0);
}

/* What a submission does first: revalidate, then wait for the rewrite. */
static void t_revalidate(struct t_vm *t)
{
	struct dma_fence *fence = NULL;
	struct drm_exec exec;
	long timeout;
	int ret = 0;

	drm_exec_init(&exec, DRM_EXEC_INTERRUPTIBLE_WAIT, 0);
	/* Inside the loop, as the ioctls do: revalidation may evict. */
	drm_exec_until_all_locked(&exec) {
		ret = vdgpu_vm_lock(t->vm, &exec, 1);
		drm_exec_retry_on_contention(&exec);
		if (ret)
			break;
		fence = vdgpu_vm_revalidate(t->vm, &exec);
		if (IS_ERR(fence)) {
			ret = PTR_ERR(fence);
			fence = NULL;
		}
	}
	drm_exec_fini(&exec);
	KUNIT_ASSERT_EQ(t->test, ret, 0);

	timeout = dma_fence_wait_timeout(fence, false, T_TIMEOUT);
	ret = fence->error;
	dma_fence_put(fence);
	KUNIT_ASSERT_GT_MSG(t->test, timeout, 0, "rewrite did not complete");
	KUNIT_EXPECT_EQ(t->test, ret, 0);
	t_idle(t);
}

/*
 * The device address of byte @off of @bo where it is now: VRAM offset, or
 * bus address (@system) in GTT.  The object's resv is held.
 */
static u64 t_phys(struct t_vm *t, struct vdgpu_bo *bo, u64 off, bool *system)
{
	struct ttm_resource *res = bo->tbo.resource;

	*system = res->mem_type == TTM_PL_TT;
	if (*system)
		return bo->tbo.ttm->dma_address[off >> PAGE_SHIFT] +
		       offset_in_page(off);
	KUNIT_EXPECT_EQ(t->test, res->mem_type, TTM_PL_VRAM);
	return t->vdev->vram_base +
	       vdgpu_vram_mgr_resource_offset(&t->vdev->vram_mgr, res, off);
}

/* Reads bytes of @bo (resv held, idle, in VRAM or GTT) with the CPU. */
static void t_bo_read(struct t_vm *t, struct vdgpu_bo *bo, u64 off, void *buf,
		      u64 len)
{
	struct ttm_bo_kmap_obj map;
	bool system, iomem;
	u64 n;

	for (; len; off += n, buf += n, len -= n) {
		n = min_t(u64, len, PAGE_SIZE - offset_in_page(off));
		if (bo->tbo.resource->mem_type == TTM_PL_VRAM) {
			vdgpu_kunit_vram_read(t->vdev,
					      t_phys(t, bo, off, &system),
					      buf, n);
			continue;
		}
		if (ttm_bo_kmap(&bo->tbo, off >> PAGE_SHIFT, 1, &map)) {
			KUNIT_FAIL(t->test, "cannot map the object");
			return;
		}
		memcpy(buf, ttm_kmap_obj_virtual(&map, &iomem) +
		       offset_in_page(off), n);
		ttm_bo_kunmap(&map);
	}
}

/* Whether @n entries from @first are valid and one run of 4 KiB pages. */
static bool t_run(const u64 *pte, unsigned int first, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (!pte[first] || pte[first + i] != pte[first] + i * SZ_4K)
			return false;
	return true;
}

static const struct t_vma *t_find(const struct t_vma *exp, u64 va)
{
	for (; exp->range; exp++)
		if (va >= T_VA + exp->addr && va < T_VA + exp->addr + exp->range)
			return exp;
	return NULL;
}

/*
 * The entries the chunk at @start must hold by "VM_BIND": a 2 MiB page
 * where one mapping covers the chunk with one 2 MiB-aligned run of VRAM,
 * else 64 KiB pages where 16 entries make one 64 KiB-aligned run, else
 * 4 KiB pages.  The objects' resvs are held.
 */
static void t_expect_chunk(struct t_vm *t, const struct t_vma *exp, u64 start,
			   struct t_chunk *c)
{
	const struct t_vma *e, *cover = t_find(exp, start);
	unsigned int i, g;
	bool system;
	u64 va, phys;

	if (cover && T_VA + cover->addr + cover->range < start + SZ_2M)
		cover = NULL;
	for (i = 0; i < VDGPU_PT_ENTRIES; i++) {
		va = start + i * SZ_4K;
		e = t_find(exp, va);
		c->size[i] = e ? SZ_4K : 0;
		c->pte[i] = 0;
		if (!e)
			continue;
		phys = t_phys(t, t->bos[e->bo],
			      e->offset + va - (T_VA + e->addr), &system);
		c->pte[i] = phys | VDGPU_PTE_VALID |
			    (system ? VDGPU_PTE_SYSTEM : 0) |
			    (e->ro ? 0 : VDGPU_PTE_WRITABLE);
	}

	if (cover && !(c->pte[0] & VDGPU_PTE_SYSTEM) &&
	    IS_ALIGNED(c->pte[0] & VDGPU_PTE_ADDR, SZ_2M) &&
	    t_run(c->pte, 0, VDGPU_PT_ENTRIES)) {
		for (i = 0; i < VDGPU_PT_ENTRIES; i++) {
			c->pte[i] = c->pte[0] | VDGPU_PTE_HUGE;
			c->size[i] = SZ_2M;
		}
		return;
	}
	for (g = 0; g < VDGPU_PT_ENTRIES; g += 16) {
		if (!IS_ALIGNED(c->pte[g] & VDGPU_PTE_ADDR, SZ_64K) ||
		    !t_run(c->pte, g, 16))
			continue;
		for (i = g; i < g + 16; i++) {
			c->pte[i] |= VDGPU_PTE_64K;
			c->size[i] = SZ_64K;
		}
	}
}

/* The VM's mappings are exactly @exp, in address order; VM locked. */
static void t_check_vmas(struct t_vm *t, const struct t_vma *exp)
{
	struct kunit *test = t->test;
	struct drm_gpuva *va;
	unsigned int i = 0, n = 0;

	while (exp[n].range)
		n++;
	drm_gpuvm_for_each_va(va, &t->vm->gpuvm) {
		if (va == &t->vm->gpuvm.kernel_alloc_node)
			continue;
		if (i >= n) {
			KUNIT_FAIL(test, "unexpected mapping %#llx+%#llx",
				   va->va.addr, va->va.range);
			i++;
			continue;
		}
		KUNIT_EXPECT_EQ_MSG(test, va->va.addr, T_VA + exp[i].addr,
				    "mapping %u", i);
		KUNIT_EXPECT_EQ_MSG(test, va->va.range, exp[i].range,
				    "mapping %u", i);
		KUNIT_EXPECT_PTR_EQ_MSG(test, va->gem.obj,
					&t->bos[exp[i].bo]->tbo.base,
					"mapping %u", i);
		KUNIT_EXPECT_EQ_MSG(test, va->gem.offset, exp[i].offset,
				    "mapping %u", i);
		i++;
	}
	KUNIT_EXPECT_EQ(test, i, n);
}

/*
 * The shadow maps every 4 KiB page of [T_VA + @start, T_VA + @end) as @exp
 * says; VM locked.
 */
static void t_check_ptes(struct t_vm *t, const struct t_vma *exp, u64 start,
			 u64 end)
{
	struct t_chunk *c = t->chunk;
	unsigned int i, bad = 0;
	u64 chunk, va, pte, size;

	start += T_VA;
	end += T_VA;
	for (chunk = ALIGN_DOWN(start, SZ_2M); chunk < end; chunk += SZ_2M) {
		t_expect_chunk(t, exp, chunk, c);
		for (i = 0; i < VDGPU_PT_ENTRIES; i++) {
			va = chunk + i * SZ_4K;
			if (va < start || va >= end)
				continue;
			pte = vdgpu_vm_lookup_pte(t->vm, va, &size);
			if (pte == c->pte[i] && size == c->size[i])
				continue;
			KUNIT_FAIL(t->test,
				   "va %#llx: pte %#llx size %#llx, expected %#llx size %#llx",
				   va, pte, size, c->pte[i], c->size[i]);
			if (++bad == 4)
				return;
		}
	}
}

/* The VM holds @exp, and its shadow maps [@start, @end) accordingly. */
static void t_check(struct t_vm *t, const struct t_vma *exp, u64 start,
		    u64 end)
{
	struct drm_exec exec;

	t_lock(t, &exec);
	t_check_vmas(t, exp);
	t_check_ptes(t, exp, start, end);
	drm_exec_fini(&exec);
}

/* The device pages at @pages' addresses are of their sizes. */
static void t_check_pages(struct t_vm *t, const struct t_page *pages)
{
	struct drm_exec exec;
	u64 size;

	t_lock(t, &exec);
	for (; pages->size; pages++) {
		vdgpu_vm_lookup_pte(t->vm, T_VA + pages->addr, &size);
		KUNIT_EXPECT_EQ_MSG(t->test, size, pages->size, "at +%#llx",
				    pages->addr);
	}
	drm_exec_fini(&exec);
}

/* Entries of @pt and the tables below it that differ in VRAM. */
static unsigned int t_table_diffs(struct t_vm *t, const struct vdgpu_pt *pt)
{
	unsigned int i, diffs = 0;

	vdgpu_kunit_vram_read(t->vdev, pt->addr, t->table, SZ_4K);
	for (i = 0; i < VDGPU_PT_ENTRIES; i++)
		diffs += le64_to_cpu(t->table[i]) != pt->entries[i];
	if (pt->level)
		for (i = 0; i < VDGPU_PT_ENTRIES; i++)
			if (pt->children[i])
				diffs += t_table_diffs(t, pt->children[i]);
	return diffs;
}

/* Entries of the VM's tables in VRAM that differ from the shadow. */
static unsigned int t_tables_differ(struct t_vm *t)
{
	unsigned int diffs;

	t_idle(t);
	dma_resv_lock(t->vm->gpuvm.r_obj->resv, NULL);
	KUNIT_EXPECT_TRUE_MSG(t->test, list_empty(&t->vm->pt.dirty),
			      "entries left unwritten");
	diffs = t_table_diffs(t, t->vm->pt.root);
	dma_resv_unlock(t->vm->gpuvm.r_obj->resv);
	return diffs;
}

static u64 t_vram_read64(struct vdgpu_device *vdev, u64 offset)
{
	__le64 v;

	vdgpu_kunit_vram_read(vdev, offset, &v, sizeof(v));
	return le64_to_cpu(v);
}

/* The leaf the device finds for @va, walking the tables in VRAM. */
static u64 t_hw_lookup(struct t_vm *t, u64 va, u64 *page_size)
{
	u64 table = vdgpu_vm_root_addr(t->vm), pte;
	int level;

	*page_size = 0;
	for (level = VDGPU_PT_LEVELS - 1; level >= 0; level--) {
		if (table + SZ_4K > t->vdev->bus.bar_size) {
			KUNIT_FAIL(t->test, "table %#llx outside VRAM", table);
			return 0;
		}
		pte = t_vram_read64(t->vdev, table +
				    ((va >> VDGPU_PT_SHIFT(level)) %
				     VDGPU_PT_ENTRIES) * sizeof(u64));
		if (!(pte & VDGPU_PTE_VALID))
			return 0;
		if (level == 1 && (pte & VDGPU_PTE_HUGE)) {
			*page_size = SZ_2M;
			return pte;
		}
		if (!level) {
			*page_size = pte & VDGPU_PTE_64K ? SZ_64K : SZ_4K;
			return pte;
		}
		table = pte & VDGPU_PTE_ADDR;
	}
	return 0;
}

/* The device translates [T_VA + @start, T_VA + @end) as the shadow says. */
static void t_check_hw(struct t_vm *t, u64 start, u64 end)
{
	u64 va, pte, hw, size, hw_size;
	unsigned int bad = 0;

	t_idle(t);
	dma_resv_lock(t->vm->gpuvm.r_obj->resv, NULL);
	for (va = T_VA + start; va < T_VA + end && bad < 4; va += SZ_4K) {
		pte = vdgpu_vm_lookup_pte(t->vm, va, &size);
		hw = t_hw_lookup(t, va, &hw_size);
		if (pte == hw && size == hw_size)
			continue;
		KUNIT_FAIL(t->test,
			   "va %#llx: device %#llx size %#llx, shadow %#llx size %#llx",
			   va, hw, hw_size, pte, size);
		bad++;
	}
	dma_resv_unlock(t->vm->gpuvm.r_obj->resv);
}

static void t_ctx_disable(void *vdev)
{
	vdgpu_mmio_write64(vdev, VDGPU_REG_CTX_ROOT_LO(T_CTX), 0);
}

/* Points MMU context T_CTX at the VM, until the test ends. */
static void t_ctx_enable(struct t_vm *t)
{
	int ret;

	vdgpu_mmio_write64(t->vdev, VDGPU_REG_CTX_ROOT_LO(T_CTX),
			   vdgpu_vm_root_addr(t->vm) | VDGPU_CTX_ROOT_ENABLE);
	ret = kunit_add_action_or_reset(t->test, t_ctx_disable, t->vdev);
	KUNIT_ASSERT_EQ(t->test, ret, 0);
}

/*
 * The VRAM offset of contiguous VRAM @bo, validated back there (a suspend
 * moved everything out) and idle.
 */
static u64 t_bo_addr(struct t_vm *t, struct vdgpu_bo *bo)
{
	struct ttm_operation_ctx ctx = { .interruptible = false };
	long timeout;
	bool system;
	u64 addr;
	int ret;

	dma_resv_lock(bo->tbo.base.resv, NULL);
	ret = vdgpu_bo_validate(bo, &ctx);
	timeout = dma_resv_wait_timeout(bo->tbo.base.resv,
					DMA_RESV_USAGE_BOOKKEEP, false,
					T_TIMEOUT);
	addr = t_phys(t, bo, 0, &system);
	dma_resv_unlock(bo->tbo.base.resv);
	KUNIT_EXPECT_EQ(t->test, ret, 0);
	KUNIT_EXPECT_GT(t->test, timeout, 0);
	return addr;
}

/*
 * COPY of @size bytes on the second copy engine (the VM's page-table jobs
 * run on the first) between T_VA + @addr and physical @bo's start; to the
 * VA with @to_va.  The fence's error.
 */
static int t_copy_va(struct t_vm *t, u64 addr, struct vdgpu_bo *bo, u64 size,
		     bool to_va)
{
	struct vdgpu_engine *e = &t->vdev->engines[VDGPU_ENGINE_COPY1];
	u64 phys = t_bo_addr(t, bo);
	u32 dw[VDGPU_PKT_COPY_LEN + 1], n;

	if (to_va)
		n = vdgpu_engine_pkt_copy(dw, VDGPU_PKT_COPY_DST_VIRT, T_CTX,
					  phys, T_VA + addr, size);
	else
		n = vdgpu_engine_pkt_copy(dw, VDGPU_PKT_COPY_SRC_VIRT, T_CTX,
					  T_VA + addr, phys, size);
	return vdgpu_kunit_run(t->test, e, dw, n);
}

/*
 * The copy engine reads through T_VA + @addr the @size bytes at @offset of
 * @bo: they land in @dst, a contiguous VRAM object, and equal what the CPU
 * reads of @bo.
 */
static void t_check_copy(struct t_vm *t, u64 addr, struct vdgpu_bo *bo,
			 u64 offset, struct vdgpu_bo *dst, u64 size)
{
	struct kunit *test = t->test;
	u8 *want, *got;

	want = kunit_kmalloc(test, size, GFP_KERNEL);
	got = kunit_kmalloc(test, size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, want);
	KUNIT_ASSERT_NOT_NULL(test, got);

	KUNIT_ASSERT_EQ(test, t_copy_va(t, addr, dst, size, false), 0);
	dma_resv_lock(bo->tbo.base.resv, NULL);
	t_bo_read(t, bo, offset, want, size);
	dma_resv_unlock(bo->tbo.base.resv);
	dma_resv_lock(dst->tbo.base.resv, NULL);
	t_bo_read(t, dst, 0, got, size);
	dma_resv_unlock(dst->tbo.base.resv);
	KUNIT_EXPECT_TRUE_MSG(test, !memcmp(want, got, size),
			      "the GPU read other bytes through the VA");
	kunit_kfree(test, want);
	kunit_kfree(test, got);
}

/* Split and merge */

struct t_split_case {
	const char *name;
	/* mappings made first, which must not overlap */
	struct t_op setup[T_MAX_OPS];
	/* page sizes then */
	struct t_page before[4];
	/* the operation under test */
	struct t_op op;
	/* the mappings afterwards, and some of their page sizes */
	struct t_vma after[4];
	struct t_page pages[6];
};

/*
 * Two 4 MiB objects, each one run of VRAM, so large pages are possible
 * wherever the VA and the offset allow.  Boundaries that are not 64 KiB
 * aligned leave a 4 KiB-page group beside them.
 */
static const struct t_split_case t_split_cases[] = {
	{
		.name = "map_over_middle",
		.setup = { { T_MAP, 0, 0, 0, SZ_4M } },
		.before = { { 0, SZ_2M }, { SZ_2M, SZ_2M } },
		.op = { T_MAP, 1, SZ_64K, SZ_1M, SZ_512K },
		.after = {
			{ 0, SZ_1M, 0, 0 },
			{ SZ_1M, SZ_512K, 1, SZ_64K },
			{ SZ_1M + SZ_512K, SZ_2M + SZ_512K, 0,
			  SZ_1M + SZ_512K },
		},
		.pages = { { 0, SZ_64K }, { SZ_1M, SZ_64K }, { SZ_2M, SZ_2M } },
	},
	{
		.name = "split_keeps_read_only",
		.setup = { { T_MAP, 0, 0, 0, SZ_4M, T_RO } },
		.op = { T_MAP, 1, 0, SZ_1M, SZ_4K },
		.after = {
			{ 0, SZ_1M, 0, 0, true },
			{ SZ_1M, SZ_4K, 1, 0 },
			{ SZ_1M + SZ_4K, SZ_1M * 3 - SZ_4K, 0, SZ_1M + SZ_4K,
			  true },
		},
		.pages = { { SZ_2M, SZ_2M } },
	},
	{
		.name = "unmap_front",
		.setup = { { T_MAP, 0, 0, 0, SZ_4M } },
		.op = { T_UNMAP, 0, 0, 0, SZ_1M + SZ_4K },
		.after = {
			{ SZ_1M + SZ_4K, SZ_1M * 3 - SZ_4K, 0, SZ_1M + SZ_4K },
		},
		.pages = { { SZ_1M + SZ_4K, SZ_4K }, { SZ_1M + SZ_64K, SZ_64K },
			   { SZ_2M, SZ_2M } },
	},
	{
		.name = "unmap_back",
		.setup = { { T_MAP, 0, 0, 0, SZ_4M } },
		.op = { T_UNMAP, 0, 0, SZ_1M * 3 - SZ_4K, SZ_1M + SZ_4K },
		.after = { { 0, SZ_1M * 3 - SZ_4K, 0, 0 } },
		.pages = { { 0, SZ_2M }, { SZ_2M, SZ_64K },
			   { SZ_1M * 3 - SZ_8K, SZ_4K } },
	},
	{
		.name = "unmap_middle",
		.setup = { { T_MAP, 0, 0, 0, SZ_4M } },
		.op = { T_UNMAP, 0, 0, SZ_1M, SZ_8K },
		.after = {
			{ 0, SZ_1M, 0, 0 },
			{ SZ_1M + SZ_8K, SZ_1M * 3 - SZ_8K, 0, SZ_1M + SZ_8K },
		},
		.pages = { { 0, SZ_64K }, { SZ_1M + SZ_8K, SZ_4K },
			   { SZ_1M + SZ_64K, SZ_64K }, { SZ_2M, SZ_2M } },
	},
	{
		.name = "unmap_spanning_mappings",
		.setup = {
			{ T_MAP, 0, 0, 0, SZ_1M },
			{ T_MAP, 1, 0, SZ_1M, SZ_1M },
			{ T_MAP, 0, SZ_2M, SZ_2M, SZ_2M },
		},
		.before = { { SZ_2M, SZ_2M } },
		.op = { T_UNMAP, 0, 0, SZ_512K, SZ_2M + SZ_512K },
		.after = {
			{ 0, SZ_512K, 0, 0 },
			{ SZ_1M * 3, SZ_1M, 0, SZ_1M * 3 },
		},
		.pages = { { 0, SZ_64K }, { SZ_1M * 3, SZ_64K } },
	},
	{
		.name = "unmap_unmapped_range",
		.setup = { { T_MAP, 0, 0, 0, SZ_1M } },
		.op = { T_UNMAP, 0, 0, SZ_2M, SZ_1M },
		.after = { { 0, SZ_1M, 0, 0 } },
		.pages = { { 0, SZ_64K } },
	},
	{
		.name = "unmap_4k_hole_in_2m_pages",
		.setup = { { T_MAP, 0, 0, 0, SZ_4M } },
		.before = { { 0, SZ_2M }, { SZ_2M, SZ_2M } },
		.op = { T_UNMAP, 0, 0, SZ_1M, SZ_4K },
		.after = {
			{ 0, SZ_1M, 0, 0 },
			{ SZ_1M + SZ_4K, SZ_1M * 3 - SZ_4K, 0, SZ_1M + SZ_4K },
		},
		.pages = { { 0, SZ_64K }, { SZ_1M + SZ_4K, SZ_4K },
			   { SZ_1M + SZ_64K, SZ_64K }, { SZ_2M, SZ_2M } },
	},
	{
		.name = "map_4k_into_2m_pages",
		.setup = { { T_MAP, 0, 0, 0, SZ_4M } },
		.before = { { 0, SZ_2M }, { SZ_2M, SZ_2M } },
		.op = { T_MAP, 1, 0, SZ_1M, SZ_4K },
		.after = {
			{ 0, SZ_1M, 0, 0 },
			{ SZ_1M, SZ_4K, 1, 0 },
			{ SZ_1M + SZ_4K, SZ_1M * 3 - SZ_4K, 0, SZ_1M + SZ_4K },
		},
		.pages = { { 0, SZ_64K }, { SZ_1M, SZ_4K }, { SZ_1M + SZ_4K, SZ_4K },
			   { SZ_1M + SZ_64K, SZ_64K }, { SZ_2M, SZ_2M } },
	},
};

KUNIT_ARRAY_PARAM_DESC(t_split, t_split_cases, name);

/*
 * MAP over part of a mapping and UNMAP of part of one or of several split
 * them like mmap() and munmap(): the remnants keep their object, offset and
 * permission.  Every page of the span is rewritten from the result, with
 * the largest page each remnant allows, in the shadow and in VRAM.
 */
static void vm_bind_splits_mappings(struct kunit *test)
{
	const struct t_split_case *c = test->param_value;
	struct t_vma before[T_MAX_OPS + 1] = {};
	struct t_vm *t = t_init(test);
	unsigned int i;

	t_bo(t, 0, SZ_4M, t_vram, 1, DRM_VDGPU_GEM_CREATE_CONTIGUOUS, false);
	t_bo(t, 1, SZ_4M, t_vram, 1, DRM_VDGPU_GEM_CREATE_CONTIGUOUS, false);

	KUNIT_ASSERT_EQ(test, t_bind(t, c->setup), 0);
	for (i = 0; c->setup[i].range; i++)
		before[i] = (struct t_vma){
			c->setup[i].addr, c->setup[i].range, c->setup[i].bo,
			c->setup[i].offset, c->setup[i].flags & T_RO,
		};
	t_check(t, before, 0, T_SPAN);
	t_check_pages(t, c->before);

	KUNIT_ASSERT_EQ(test, t_bind(t, (const struct t_op[]){ c->op, {} }), 0);
	t_check(t, c->after, 0, T_SPAN);
	t_check_pages(t, c->pages);
	KUNIT_EXPECT_EQ(test, t_tables_differ(t), 0);
	t_check_hw(t, 0, T_SPAN);
}

/* Page sizes */

struct t_size_case {
	const char *name;
	const u32 *region;
	u32 flags;
	u64 bo_size;
	u64 addr;
	u64 offset;
	u64 range;
	/* of every page, or 0 for whatever the object's memory allows */
	u64 page_size;
};

static const struct t_size_case t_size_cases[] = {
	{ "vram_2m", t_vram, DRM_VDGPU_GEM_CREATE_CONTIGUOUS, SZ_4M,
	  0, 0, SZ_4M, SZ_2M },
	{ "vram_2m_at_2m_offset", t_vram, DRM_VDGPU_GEM_CREATE_CONTIGUOUS,
	  SZ_4M, SZ_2M, SZ_2M, SZ_2M, SZ_2M },
	{ "vram_64k_va_not_2m_aligned", t_vram,
	  DRM_VDGPU_GEM_CREATE_CONTIGUOUS, SZ_4M, SZ_64K, 0, SZ_2M, SZ_64K },
	{ "vram_4k_va_not_64k_aligned", t_vram,
	  DRM_VDGPU_GEM_CREATE_CONTIGUOUS, SZ_4M, SZ_4K, 0, SZ_1M, SZ_4K },
	{ "vram_4k_offset_not_64k_aligned", t_vram,
	  DRM_VDGPU_GEM_CREATE_CONTIGUOUS, SZ_4M, 0, SZ_4K, SZ_1M, SZ_4K },
	{ "gtt_system_pages", t_gtt, 0, SZ_2M, 0, 0, SZ_2M, 0 },
};

KUNIT_ARRAY_PARAM_DESC(t_size, t_size_cases, name);

/*
 * A mapping uses the largest device page its VA, its object's memory and
 * its extent allow: 2 MiB pages for a 2 MiB-aligned VA and offset of
 * contiguous VRAM, 64 KiB pages when only 64 KiB alignment holds, 4 KiB
 * pages otherwise; GTT objects are mapped by bus address with SYSTEM set
 * and never with 2 MiB pages.  The tables in VRAM, once the bind's fence
 * signalled, hold what the shadow says.
 */
static void vm_bind_uses_largest_page(struct kunit *test)
{
	const struct t_size_case *c = test->param_value;
	const bool gtt = c->region == t_gtt;
	struct t_vma exp[] = {
		{ c->addr, c->range, 0, c->offset }, {}
	};
	struct t_vm *t = t_init(test);
	u64 va, pte, size, sizes = 0;
	unsigned int system = 0;
	struct drm_exec exec;

	t_bo(t, 0, c->bo_size, c->region, 1, c->flags, false);
	t_map(t, 0, c->offset, c->addr, c->range, 0);
	/* Unmapped pages around the mapping, up to the next chunk. */
	t_check(t, exp, 0, ALIGN(c->addr + c->range + 1, SZ_2M));

	t_lock(t, &exec);
	for (va = T_VA + c->addr; va < T_VA + c->addr + c->range;
	     va += SZ_4K) {
		pte = vdgpu_vm_lookup_pte(t->vm, va, &size);
		system += !!(pte & VDGPU_PTE_SYSTEM);
		sizes |= size;
	}
	drm_exec_fini(&exec);
	KUNIT_EXPECT_EQ(test, system, gtt ? c->range / SZ_4K : 0);
	if (c->page_size)
		KUNIT_EXPECT_EQ(test, sizes, c->page_size);
	else
		KUNIT_EXPECT_FALSE(test, sizes & SZ_2M);
	kunit_info(test, "page sizes used: %#llx\n", sizes);

	KUNIT_EXPECT_EQ(test, t_tables_differ(t), 0);
	t_check_hw(t, 0, ALIGN(c->addr + c->range, SZ_2M));
}

/* Through the copy engine */

struct t_region_case {
	const char *name;
	const u32 *region;
};

static const struct t_region_case t_region_cases[] = {
	{ "vram", t_vram },
	{ "gtt", t_gtt },
};

KUNIT_ARRAY_PARAM_DESC(t_region, t_region_cases, name);

/*
 * What the page tables say is what the device does: the copy engine,
 * reading through an MMU context pointed at the VM's root table, gets the
 * object's bytes from the mapped offset on, in VRAM and in GTT.
 */
static void vm_copy_engine_reads_through_mapping(struct kunit *test)
{
	const struct t_region_case *c = test->param_value;
	struct t_vm *t = t_init(test);
	struct vdgpu_bo *src, *dst;

	src = t_bo(t, 0, SZ_1M, c->region, 1, 0, false);
	dst = t_bo(t, 1, SZ_512K, t_vram, 1, DRM_VDGPU_GEM_CREATE_CONTIGUOUS,
		   false);
	t_fill(t, src, 0x766d7276);
	t_map(t, 0, SZ_64K, SZ_2M, SZ_512K, 0);
	t_idle(t);
	t_ctx_enable(t);

	t_check_copy(t, SZ_2M, src, SZ_64K, dst, SZ_512K);
}

/*
 * A read-only mapping reads but refuses writes: a COPY into it halts the
 * engine with a READ_ONLY write FAULT at the address, writes nothing, and
 * the engine is reset and runs again.
 */
static void vm_read_only_mapping_faults_on_write(struct kunit *test)
{
	struct t_vm *t = t_init(test);
	struct vdgpu_engine *e = &t->vdev->engines[VDGPU_ENGINE_COPY1];
	struct vdgpu_bo *bo, *dst;
	int resets;
	u32 dw[4];

	bo = t_bo(t, 0, SZ_64K, t_vram, 1, 0, false);
	dst = t_bo(t, 1, SZ_64K, t_vram, 1, DRM_VDGPU_GEM_CREATE_CONTIGUOUS,
		   false);
	t_fill(t, bo, 0x726f);
	t_map(t, 0, 0, 0, SZ_64K, T_RO);
	t_idle(t);
	t_ctx_enable(t);

	t_check_copy(t, 0, bo, 0, dst, SZ_64K);

	resets = atomic_read(&e->resets);
	KUNIT_EXPECT_EQ(test, t_copy_va(t, SZ_4K, dst, SZ_4K, true), -EIO);
	KUNIT_EXPECT_EQ(test, READ_ONCE(e->last_fault_info),
			FIELD_PREP(VDGPU_FAULT_INFO_CTX, T_CTX) |
			FIELD_PREP(VDGPU_FAULT_INFO_REASON,
				   VDGPU_FAULT_READ_ONLY) |
			VDGPU_FAULT_INFO_WRITE);
	KUNIT_EXPECT_EQ(test, READ_ONCE(e->last_fault_addr), T_VA + SZ_4K);
	KUNIT_EXPECT_EQ(test, atomic_read(&e->resets), resets + 1);

	dma_resv_lock(bo->tbo.base.resv, NULL);
	vdgpu_kunit_bo_check(test, t->vdev, bo, 0x726f);
	dma_resv_unlock(bo->tbo.base.resv);
	KUNIT_EXPECT_EQ(test, vdgpu_kunit_run(test, e, dw,
					      vdgpu_engine_pkt_nop(dw, 0)), 0);
}

/* Revalidation */

struct t_evict_case {
	const char *name;
	bool private;
	u32 mem_type;
	/* where revalidation puts the object back */
	u32 back;
};

static const struct t_evict_case t_evict_cases[] = {
	{ "shared_to_gtt", false, TTM_PL_TT, TTM_PL_TT },
	{ "shared_to_system", false, TTM_PL_SYSTEM, TTM_PL_VRAM },
	{ "private_to_gtt", true, TTM_PL_TT, TTM_PL_TT },
	{ "private_to_system", true, TTM_PL_SYSTEM, TTM_PL_VRAM },
};

KUNIT_ARRAY_PARAM_DESC(t_evict, t_evict_cases, name);

/* Whether the VM's &drm_gpuvm_bo of @bo is marked evicted; VM locked. */
static bool t_evicted(struct t_vm *t, struct vdgpu_bo *bo)
{
	struct drm_gpuvm_bo *vm_bo;
	bool evicted;

	vm_bo = drm_gpuvm_bo_find(&t->vm->gpuvm, &bo->tbo.base);
	if (!vm_bo) {
		KUNIT_FAIL(t->test, "object not in the VM");
		return false;
	}
	evicted = vm_bo->evicted;
	drm_gpuvm_bo_put(vm_bo);
	return evicted;
}

/* The shadow's entries for [T_VA + @addr, + @range), one per 4 KiB page. */
static void t_snapshot(struct t_vm *t, u64 addr, u64 range, u64 *ptes)
{
	struct drm_exec exec;
	u64 i, size;

	t_lock(t, &exec);
	for (i = 0; i < range / SZ_4K; i++)
		ptes[i] = vdgpu_vm_lookup_pte(t->vm, T_VA + addr + i * SZ_4K,
					      &size);
	drm_exec_fini(&exec);
}

/*
 * Moving a mapped object marks its &drm_gpuvm_bo evicted and leaves the
 * tables alone; revalidation brings it back where the GPU reaches it and
 * rewrites its entries, and only its: the other object's stay as they were.
 * The GPU then reads the moved object's bytes through the VA.  For objects
 * shared (on the VM's external object list) and private to the VM.
 */
static void vm_revalidate_rewrites_moved_object(struct kunit *test)
{
	const struct t_evict_case *c = test->param_value;
	const struct t_vma exp[] = {
		{ 0, SZ_1M, 0, 0 }, { SZ_2M, SZ_1M, 1, 0 }, {}
	};
	struct t_vm *t = t_init(test);
	struct vdgpu_bo *a, *b, *dst;
	u64 *old_a, *old_b, *now;
	struct drm_exec exec;
	unsigned int i, changed = 0;

	old_a = kunit_kcalloc(test, SZ_1M / SZ_4K, sizeof(u64), GFP_KERNEL);
	old_b = kunit_kcalloc(test, SZ_1M / SZ_4K, sizeof(u64), GFP_KERNEL);
	now = kunit_kcalloc(test, SZ_1M / SZ_4K, sizeof(u64), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, old_a);
	KUNIT_ASSERT_NOT_NULL(test, old_b);
	KUNIT_ASSERT_NOT_NULL(test, now);

	a = t_bo(t, 0, SZ_1M, t_vram_gtt, 2, 0, c->private);
	b = t_bo(t, 1, SZ_1M, t_vram_gtt, 2, 0, c->private);
	dst = t_bo(t, 2, SZ_1M, t_vram, 1, DRM_VDGPU_GEM_CREATE_CONTIGUOUS,
		   false);
	t_fill(t, a, 0x61);
	t_fill(t, b, 0x62);
	t_map(t, 0, 0, 0, SZ_1M, 0);
	t_map(t, 1, 0, SZ_2M, SZ_1M, 0);
	t_check(t, exp, 0, T_SPAN);
	t_snapshot(t, 0, SZ_1M, old_a);
	t_snapshot(t, SZ_2M, SZ_1M, old_b);

	vdgpu_kunit_bo_move(t->test, a, c->mem_type);
	t_lock(t, &exec);
	KUNIT_EXPECT_TRUE(test, t_evicted(t, a));
	KUNIT_EXPECT_FALSE(test, t_evicted(t, b));
	drm_exec_fini(&exec);
	/* Nothing runs in the VM meanwhile: the tables are left as they were. */
	t_snapshot(t, 0, SZ_1M, now);
	KUNIT_EXPECT_TRUE(test, !memcmp(now, old_a, SZ_1M / SZ_4K * sizeof(u64)));

	t_revalidate(t);
	t_lock(t, &exec);
	KUNIT_EXPECT_FALSE(test, t_evicted(t, a));
	KUNIT_EXPECT_FALSE(test, t_evicted(t, b));
	drm_exec_fini(&exec);
	KUNIT_EXPECT_EQ(test, a->tbo.resource->mem_type, c->back);

	t_check(t, exp, 0, T_SPAN);
	t_snapshot(t, SZ_2M, SZ_1M, now);
	KUNIT_EXPECT_TRUE_MSG(test,
			      !memcmp(now, old_b, SZ_1M / SZ_4K * sizeof(u64)),
			      "the other object's entries changed");
	t_snapshot(t, 0, SZ_1M, now);
	for (i = 0; i < SZ_1M / SZ_4K; i++)
		changed += now[i] != old_a[i];
	/* Back in VRAM the object may land where it was. */
	if (c->back == TTM_PL_TT)
		KUNIT_EXPECT_EQ(test, changed, SZ_1M / SZ_4K);
	kunit_info(test, "%u of the moved object's entries changed\n", changed);
	KUNIT_EXPECT_EQ(test, t_tables_differ(t), 0);

	t_ctx_enable(t);
	t_check_copy(t, 0, a, 0, dst, SZ_1M);
	t_check_copy(t, SZ_2M, b, 0, dst, SZ_1M);
}

/* VRAM loss */

/* Overwrites every table of the VM in VRAM with garbage. */
static void t_scramble(struct t_vm *t, const struct vdgpu_pt *pt)
{
	unsigned int i;

	iosys_map_memset(&t->vdev->bus.bar, pt->addr, 0xa5, SZ_4K);
	if (pt->level)
		for (i = 0; i < VDGPU_PT_ENTRIES; i++)
			if (pt->children[i])
				t_scramble(t, pt->children[i]);
}

static void t_lose_tables(struct t_vm *t)
{
	dma_resv_lock(t->vm->gpuvm.r_obj->resv, NULL);
	t_scramble(t, t->vm->pt.root);
	dma_resv_unlock(t->vm->gpuvm.r_obj->resv);
	atomic_inc(&t->vdev->vram_epoch);
}

/* Suspend, VRAM_LOST and resume, as in the device suite. */
static void t_suspend_lose_vram_resume(struct t_vm *t)
{
	struct vdgpu_device *vdev = t->vdev;
	unsigned int i;

	KUNIT_ASSERT_EQ(t->test, vdgpu_device_suspend(vdev), 0);
	vdgpu_mmio_write32(vdev, VDGPU_REG_VRAM_LOST, 1);
	for (i = 0; i < 10000 && vdgpu_mmio_read32(vdev, VDGPU_REG_VRAM_LOST);
	     i++)
		usleep_range(100, 200);
	KUNIT_ASSERT_EQ(t->test, vdgpu_mmio_read32(vdev, VDGPU_REG_VRAM_LOST),
			0);
	KUNIT_ASSERT_EQ(t->test, vdgpu_device_resume(vdev), 0);
}

struct t_loss_case {
	const char *name;
	void (*lose)(struct t_vm *t);
};

static const struct t_loss_case t_loss_cases[] = {
	{ "tables_scrambled_epoch_bumped", t_lose_tables },
	{ "suspend_vram_lost_resume", t_suspend_lose_vram_resume },
};

KUNIT_ARRAY_PARAM_DESC(t_loss, t_loss_cases, name);

/*
 * Once VRAM lost its contents (a new &vdgpu_device.vram_epoch) the next
 * revalidation writes every table again from the shadow, whether or not
 * an object moved, and the GPU reads the objects through their mappings.
 */
static void vm_vram_loss_rewrites_every_table(struct kunit *test)
{
	const struct t_loss_case *c = test->param_value;
	const struct t_vma exp[] = {
		{ 0, SZ_4M, 0, 0 }, { SZ_1G, SZ_1M, 1, 0 }, {}
	};
	struct t_vm *t = t_init(test);
	struct vdgpu_bo *v, *g, *dst;

	v = t_bo(t, 0, SZ_4M, t_vram, 1, 0, false);
	g = t_bo(t, 1, SZ_1M, t_gtt, 1, 0, false);
	dst = t_bo(t, 2, SZ_4M, t_vram, 1, DRM_VDGPU_GEM_CREATE_CONTIGUOUS,
		   false);
	t_fill(t, v, 0x76);
	t_fill(t, g, 0x67);
	t_map(t, 0, 0, 0, SZ_4M, 0);
	t_map(t, 1, 0, SZ_1G, SZ_1M, 0);
	KUNIT_ASSERT_EQ(test, t_tables_differ(t), 0);

	c->lose(t);
	KUNIT_ASSERT_GT_MSG(test, t_tables_differ(t), 0,
			    "the tables survived");

	t_revalidate(t);
	KUNIT_EXPECT_EQ(test, t_tables_differ(t), 0);
	t_check(t, exp, 0, T_SPAN);
	t_check(t, exp, SZ_1G, SZ_1G + SZ_2M);
	t_check_hw(t, 0, T_SPAN);
	t_check_hw(t, SZ_1G, SZ_1G + SZ_2M);

	t_ctx_enable(t);
	t_check_copy(t, 0, v, 0, dst, SZ_4M);
	t_check_copy(t, SZ_1G, g, 0, dst, SZ_1M);
}

/* Bad input */

struct t_bad_case {
	const char *name;
	/* turns a valid operation into the refused one */
	void (*spoil)(struct t_vm *t, struct drm_vdgpu_vm_bind_op *op);
	int error;
};

static void t_unknown_op(struct t_vm *t, struct drm_vdgpu_vm_bind_op *op)
{
	op->op = DRM_VDGPU_VM_BIND_OP_PREFETCH + 1;
}

static void t_bad_handle(struct t_vm *t, struct drm_vdgpu_vm_bind_op *op)
{
	op->handle = 0x7fffffff;
}

static void t_beyond_object(struct t_vm *t, struct drm_vdgpu_vm_bind_op *op)
{
	op->obj_offset = SZ_1M - SZ_4K;
}

static void t_kernel_range(struct t_vm *t, struct drm_vdgpu_vm_bind_op *op)
{
	op->addr = VDGPU_VM_KERNEL_START;
}

static void t_misaligned(struct t_vm *t, struct drm_vdgpu_vm_bind_op *op)
{
	op->range += SZ_2K;
}

static void t_reserved(struct t_vm *t, struct drm_vdgpu_vm_bind_op *op)
{
	op->reserved[1] = 1;
}

/*
 * Into a region the objects there do not allow: refused only once the VM
 * and the objects are locked.
 */
static void t_prefetch_refused(struct t_vm *t, struct drm_vdgpu_vm_bind_op *op)
{
	*op = (struct drm_vdgpu_vm_bind_op){
		.op = DRM_VDGPU_VM_BIND_OP_PREFETCH,
		.region = DRM_VDGPU_REGION_GTT,
		.addr = T_VA,
		.range = SZ_1M,
	};
}

static const struct t_bad_case t_bad_cases[] = {
	{ "unknown_op", t_unknown_op, -EINVAL },
	{ "bad_handle", t_bad_handle, -ENOENT },
	{ "beyond_object", t_beyond_object, -EINVAL },
	{ "kernel_range", t_kernel_range, -EINVAL },
	{ "misaligned_range", t_misaligned, -EINVAL },
	{ "nonzero_reserved", t_reserved, -EINVAL },
	{ "prefetch_to_refused_region", t_prefetch_refused, -EINVAL },
};

KUNIT_ARRAY_PARAM_DESC(t_bad, t_bad_cases, name);

/*
 * An array whose second operation is refused changes nothing, though its
 * first would have split a mapping and needed new tables: the VA tree, the
 * shadow and the tables are as before, the object of the first operation
 * is not in the VM, and the next bind behaves as if the refused one had
 * never been made.
 */
static void vm_bind_refused_array_changes_nothing(struct kunit *test)
{
	const struct t_bad_case *c = test->param_value;
	const struct t_vma exp[] = { { 0, SZ_1M, 0, 0 }, {} };
	const struct t_vma next[] = {
		{ 0, SZ_1M, 0, 0 }, { SZ_2M, SZ_64K, 2, 0 }, {}
	};
	struct drm_vdgpu_vm_bind_op ops[2];
	struct t_vm *t = t_init(test);
	struct drm_gpuvm_bo *vm_bo;
	struct vdgpu_bo *b;
	struct drm_exec exec;
	u32 num_pts;

	t_bo(t, 0, SZ_1M, t_vram, 1, 0, false);
	b = t_bo(t, 1, SZ_1M, t_vram, 1, 0, false);
	t_bo(t, 2, SZ_64K, t_vram, 1, 0, false);
	t_map(t, 0, 0, 0, SZ_1M, 0);

	/* Would split the mapping, then map at a VA without tables. */
	t_raw_op(t, &(struct t_op){ T_MAP, 1, 0, SZ_256K, SZ_256K }, &ops[0]);
	t_raw_op(t, &(struct t_op){ T_MAP, 1, 0, SZ_1G, SZ_1M }, &ops[1]);
	c->spoil(t, &ops[1]);
	num_pts = t->vm->pt.num_pts;
	KUNIT_EXPECT_EQ(test, t_bind_raw(t, ops, 2), c->error);

	t_check(t, exp, 0, T_SPAN);
	t_check(t, exp, SZ_1G, SZ_1G + SZ_2M);
	t_lock(t, &exec);
	vm_bo = drm_gpuvm_bo_find(&t->vm->gpuvm, &b->tbo.base);
	KUNIT_EXPECT_NULL(test, vm_bo);
	if (vm_bo)
		drm_gpuvm_bo_put(vm_bo);
	drm_exec_fini(&exec);
	KUNIT_EXPECT_EQ(test, t_tables_differ(t), 0);
	kunit_info(test, "tables: %u before, %u after\n", num_pts,
		   t->vm->pt.num_pts);

	t_map(t, 2, 0, SZ_2M, SZ_64K, 0);
	t_check(t, next, 0, T_SPAN);
	KUNIT_EXPECT_EQ(test, t_tables_differ(t), 0);
}

static void t_unpin(void *bo)
{
	dma_resv_lock(((struct vdgpu_bo *)bo)->tbo.base.resv, NULL);
	vdgpu_bo_unpin(bo);
	dma_resv_unlock(((struct vdgpu_bo *)bo)->tbo.base.resv);
}

/*
 * Fills VRAM with pinned objects, down to the last 4 KiB, so that nothing
 * more fits even after eviction; until t_unfill_vram() or the test's end.
 */
static void t_fill_vram(struct t_vm *t)
{
	struct ttm_operation_ctx ctx = { .interruptible = false };
	u32 region = DRM_VDGPU_REGION_VRAM0;
	struct kunit *test = t->test;
	struct vdgpu_bo *bo;
	u64 size;
	int ret;

	for (size = SZ_4M; size >= SZ_4K; size /= 4) {
		while (!vdgpu_bo_create(t->vdev, size, &region, 1, 0,
					ttm_bo_type_device, &bo)) {
			KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test,
									t_bo_put,
									bo), 0);
			KUNIT_ASSERT_LT(test, t->num_fillers,
					ARRAY_SIZE(t->fillers));
			t->fillers[t->num_fillers++] = bo;
			dma_resv_lock(bo->tbo.base.resv, NULL);
			ret = vdgpu_bo_pin(bo, &ctx);
			dma_resv_unlock(bo->tbo.base.resv);
			KUNIT_ASSERT_EQ(test, ret, 0);
			KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test,
									t_unpin,
									bo), 0);
		}
	}
}

static void t_unfill_vram(struct t_vm *t)
{
	while (t->num_fillers) {
		struct vdgpu_bo *bo = t->fillers[--t->num_fillers];

		kunit_release_action(t->test, t_unpin, bo);
		kunit_release_action(t->test, t_bo_put, bo);
	}
}

/*
 * A bind that fails after revalidation moved an evicted object back (here
 * the page tables it needs do not fit in VRAM) changes no mapping, but the
 * object did move: its entries must still be rewritten, by the next
 * revalidation at the latest, before the GPU uses the VM.
 */
static void vm_failed_bind_still_rebinds_moved_object(struct kunit *test)
{
	const struct t_vma exp[] = { { 0, SZ_1M, 0, 0 }, {} };
	struct t_vm *t = t_init(test);
	struct vdgpu_bo *a, *dst;
	struct drm_exec exec;
	int ret;

	a = t_bo(t, 0, SZ_1M, t_vram_gtt, 2, 0, false);
	t_bo(t, 1, SZ_64K, t_gtt, 1, 0, false);
	t_fill(t, a, 0x61);
	t_map(t, 0, 0, 0, SZ_1M, 0);
	/* Out of VRAM, which then fills: it can only come back into GTT. */
	vdgpu_kunit_bo_move(t->test, a, TTM_PL_SYSTEM);
	t_fill_vram(t);

	/* A new top-level slot: three new tables, for which VRAM is full. */
	ret = t_bind(t, (const struct t_op[]){
		{ T_MAP, 1, 0, SZ_512G, SZ_64K }, {}
	});
	KUNIT_EXPECT_EQ(test, ret, -ENOSPC);
	KUNIT_ASSERT_EQ(test, a->tbo.resource->mem_type, TTM_PL_TT);
	t_lock(t, &exec);
	t_check_vmas(t, exp);
	drm_exec_fini(&exec);
	t_unfill_vram(t);

	t_revalidate(t);
	t_check(t, exp, 0, SZ_2M);
	KUNIT_EXPECT_EQ(test, t_tables_differ(t), 0);
	dst = t_bo(t, 2, SZ_1M, t_vram, 1, DRM_VDGPU_GEM_CREATE_CONTIGUOUS,
		   false);
	t_ctx_enable(t);
	t_check_copy(t, 0, a, 0, dst, SZ_1M);
}

static struct kunit_case vdgpu_vm_tests[] = {
	KUNIT_CASE_PARAM(vm_bind_splits_mappings, t_split_gen_params),
	KUNIT_CASE_PARAM(vm_bind_uses_largest_page, t_size_gen_params),
	KUNIT_CASE_PARAM(vm_copy_engine_reads_through_mapping,
			 t_region_gen_params),
	KUNIT_CASE(vm_read_only_mapping_faults_on_write),
	KUNIT_CASE_PARAM(vm_revalidate_rewrites_moved_object,
			 t_evict_gen_params),
	KUNIT_CASE_PARAM(vm_vram_loss_rewrites_every_table, t_loss_gen_params),
	KUNIT_CASE_PARAM(vm_bind_refused_array_changes_nothing,
			 t_bad_gen_params),
	KUNIT_CASE(vm_failed_bind_still_rebinds_moved_object),
	{}
};

static struct kunit_suite vdgpu_vm_suite = {
	.name = "vdgpu_vm",
	.test_cases = vdgpu_vm_tests,
};

kunit_test_suite(vdgpu_vm_suite);
