// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The vdgpu authors
 */

#include <linux/dma-fence.h>
#include <linux/dma-mapping.h>
#include <linux/dma-resv.h>
#include <linux/iosys-map.h>
#include <linux/platform_device.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#include <drm/drm_drv.h>
#include <drm/drm_gem.h>
#include <drm/drm_kunit_helpers.h>
#include <drm/ttm/ttm_bo.h>
#include <drm/ttm/ttm_placement.h>
#include <drm/ttm/ttm_tt.h>

#include <kunit/resource.h>
#include <kunit/test.h>

#include "../sim/vdgpu_sim_board.h"
#include "../vdgpu_bo.h"
#include "../vdgpu_device.h"
#include "../vdgpu_engine.h"
#include "../vdgpu_mmio.h"
#include "../vdgpu_regs.h"
#include "../vdgpu_vram_mgr.h"
#include "vdgpu_kunit_helpers.h"

/*
 * Devices made by tests get ids from here on, clear of the module's own
 * vdgpu.0; each one gets a fresh id so that a test never sees a sysfs name
 * clash with a device still being torn down.
 */
static atomic_t vdgpu_kunit_next_id = ATOMIC_INIT(100);

/* Generous: the lane runs under UML with KASAN on two shared cores. */
#define VDGPU_KUNIT_FENCE_TIMEOUT	(60 * HZ)

/**
 * vdgpu_kunit_default_params() - a small, valid device configuration
 * @params: overwritten with 32 MiB of VRAM, all visible, 32 MiB of GTT and
 *	the rest zero (unthrottled engines)
 *
 * Context: Any context.
 */
void vdgpu_kunit_default_params(struct vdgpu_params *params)
{
	*params = (struct vdgpu_params){
		.vram_size = SZ_32M,
		.visible_vram_size = SZ_32M,
		.gart_size = SZ_32M,
	};
}

static void vdgpu_kunit_pdev_unregister(void *pdev)
{
	platform_device_unregister(pdev);
}

/**
 * vdgpu_kunit_add_pdev() - a vdgpu platform device without hardware
 * @test: the test; the device is removed when it ends
 * @params: the configuration handed to probe, or NULL for no platform data
 *
 * The platform data carry @params and an empty bus, for testing how probe
 * rejects what it cannot use.
 *
 * Context: A KUnit test, may sleep.
 * Return: the platform device; the test fails if it cannot be created.
 */
struct platform_device *
vdgpu_kunit_add_pdev(struct kunit *test, const struct vdgpu_params *params)
{
	struct vdgpu_platform_data pdata = {};
	struct platform_device *pdev;
	int ret;

	pdev = platform_device_alloc(VDGPU_DEVICE_NAME,
				     atomic_inc_return(&vdgpu_kunit_next_id));
	KUNIT_ASSERT_NOT_NULL(test, pdev);

	if (params) {
		pdata.params = *params;
		ret = platform_device_add_data(pdev, &pdata, sizeof(pdata));
		if (ret)
			platform_device_put(pdev);
		KUNIT_ASSERT_EQ(test, ret, 0);
	}

	ret = platform_device_add(pdev);
	if (ret)
		platform_device_put(pdev);
	KUNIT_ASSERT_EQ(test, ret, 0);

	ret = kunit_add_action_or_reset(test, vdgpu_kunit_pdev_unregister, pdev);
	KUNIT_ASSERT_EQ(test, ret, 0);
	return pdev;
}

/**
 * vdgpu_kunit_probe() - probe an unbound vdgpu platform device again
 * @test: the test
 * @pdev: the device, which the driver failed to bind
 *
 * The driver core only logs why a probe failed; this tells a test which
 * check refused the device.
 *
 * Context: A KUnit test, may sleep.
 * Return: what the driver's probe returned, 0 or a negative errno.
 */
int vdgpu_kunit_probe(struct kunit *test, struct platform_device *pdev)
{
	struct device_driver *drv = driver_find(VDGPU_DEVICE_NAME,
						&platform_bus_type);

	KUNIT_ASSERT_NOT_NULL(test, drv);
	return device_driver_attach(drv, &pdev->dev);
}

static void vdgpu_kunit_sim_destroy(void *sim)
{
	vdgpu_sim_destroy(sim);
}

/**
 * vdgpu_kunit_add_board() - plug in an emulated device for a test
 * @test: the test; the device is unplugged when it ends
 * @params: its configuration
 *
 * The driver probes the device synchronously, so on return it is bound, or
 * probe failed and it is not.
 *
 * Context: A KUnit test, may sleep.
 * Return: the emulated device; the test fails if it cannot be built.
 */
struct vdgpu_sim *vdgpu_kunit_add_board(struct kunit *test,
					const struct vdgpu_params *params)
{
	struct vdgpu_sim *sim;
	int ret;

	sim = vdgpu_sim_create(params, atomic_inc_return(&vdgpu_kunit_next_id));
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, sim);
	ret = kunit_add_action_or_reset(test, vdgpu_kunit_sim_destroy, sim);
	KUNIT_ASSERT_EQ(test, ret, 0);
	return sim;
}

/**
 * vdgpu_kunit_remove_board() - unplug a device from vdgpu_kunit_add_board()
 * @test: the test that made it
 * @sim: the device; it is gone on return
 *
 * Context: A KUnit test, may sleep.
 */
void vdgpu_kunit_remove_board(struct kunit *test, struct vdgpu_sim *sim)
{
	kunit_release_action(test, vdgpu_kunit_sim_destroy, sim);
}

/**
 * vdgpu_kunit_device() - a probed and registered vdgpu device for a test
 * @test: the test; the device is removed when it ends
 * @params: its configuration, or NULL for vdgpu_kunit_default_params()
 *
 * Context: A KUnit test, may sleep.
 * Return: the device; the test fails if probe does.
 */
struct vdgpu_device *vdgpu_kunit_device(struct kunit *test,
					const struct vdgpu_params *params)
{
	struct vdgpu_params defaults;
	struct vdgpu_device *vdev;
	struct vdgpu_sim *sim;

	if (!params) {
		vdgpu_kunit_default_params(&defaults);
		params = &defaults;
	}
	sim = vdgpu_kunit_add_board(test, params);
	vdev = platform_get_drvdata(vdgpu_sim_pdev(sim));
	KUNIT_ASSERT_NOT_NULL_MSG(test, vdev, "probe failed");
	return vdev;
}

/**
 * vdgpu_kunit_run() - submit packets and wait for their fence
 * @test: the test; it fails if the fence does not signal in time
 * @e: the engine
 * @dw: the packets
 * @ndw: their length in dwords
 *
 * Context: A KUnit test, may sleep.
 * Return: the fence's error: 0 if the packets executed.
 */
int vdgpu_kunit_run(struct kunit *test, struct vdgpu_engine *e,
		    const u32 *dw, u32 ndw)
{
	struct dma_fence *fence;
	long ret;
	int error;

	ret = vdgpu_engine_submit(e, dw, ndw, &fence);
	KUNIT_ASSERT_EQ(test, ret, 0);
	ret = dma_fence_wait_timeout(fence, false, VDGPU_KUNIT_FENCE_TIMEOUT);
	if (ret <= 0)
		dma_fence_put(fence);
	KUNIT_ASSERT_GT_MSG(test, ret, 0, "fence did not signal");
	error = fence->error;
	dma_fence_put(fence);
	return error;
}

struct vdgpu_kunit_sysmem {
	struct device *dev;
	size_t size;
	void *cpu;
	dma_addr_t dma;
};

static void vdgpu_kunit_sysmem_free(void *data)
{
	struct vdgpu_kunit_sysmem *mem = data;

	dma_free_coherent(mem->dev, mem->size, mem->cpu, mem->dma);
}

/**
 * vdgpu_kunit_sysmem() - system memory the device can reach by bus address
 * @test: the test; the memory is freed when it ends
 * @vdev: the device
 * @size: bytes, a multiple of the page size
 * @dma: its bus address
 *
 * Context: A KUnit test, may sleep.
 * Return: the CPU address; the test fails if the allocation does.
 */
void *vdgpu_kunit_sysmem(struct kunit *test, struct vdgpu_device *vdev,
			 size_t size, dma_addr_t *dma)
{
	struct vdgpu_kunit_sysmem *mem;
	int ret;

	mem = kunit_kzalloc(test, sizeof(*mem), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, mem);
	mem->dev = vdev->drm.dev;
	mem->size = size;
	mem->cpu = dma_alloc_coherent(mem->dev, size, &mem->dma, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, mem->cpu);
	ret = kunit_add_action_or_reset(test, vdgpu_kunit_sysmem_free, mem);
	KUNIT_ASSERT_EQ(test, ret, 0);
	*dma = mem->dma;
	return mem->cpu;
}

/**
 * vdgpu_kunit_vram_write() - write VRAM through the BAR window
 * @vdev: the device
 * @offset: VRAM offset, inside the window
 * @buf: the data
 * @len: its length
 *
 * Context: Any context.
 */
void vdgpu_kunit_vram_write(struct vdgpu_device *vdev, u64 offset,
			    const void *buf, size_t len)
{
	iosys_map_memcpy_to(&vdev->bus.bar, offset, buf, len);
}

/**
 * vdgpu_kunit_vram_read() - read VRAM through the BAR window
 * @vdev: the device
 * @offset: VRAM offset, inside the window
 * @buf: where to put the data
 * @len: its length
 *
 * Context: Any context.
 */
void vdgpu_kunit_vram_read(struct vdgpu_device *vdev, u64 offset, void *buf,
			   size_t len)
{
	iosys_map_memcpy_from(buf, &vdev->bus.bar, offset, len);
}

/**
 * vdgpu_kunit_vram_write64() - write one little-endian qword of VRAM
 * @vdev: the device
 * @offset: VRAM offset, 8-byte aligned, inside the window
 * @val: the value
 *
 * Context: Any context.
 */
void vdgpu_kunit_vram_write64(struct vdgpu_device *vdev, u64 offset, u64 val)
{
	__le64 le = cpu_to_le64(val);

	iosys_map_memcpy_to(&vdev->bus.bar, offset, &le, sizeof(le));
}

/**
 * vdgpu_kunit_gart_enable() - point the GART at an empty table and enable it
 * @vdev: the device
 * @table: VRAM offset of the table, 4 KiB aligned, inside the window
 *
 * Context: A KUnit test, may sleep.
 */
void vdgpu_kunit_gart_enable(struct vdgpu_device *vdev, u64 table)
{
	u64 entries = vdev->params.gart_size / VDGPU_GPU_PAGE_SIZE;

	iosys_map_memset(&vdev->bus.bar, table, 0, entries * sizeof(u64));
	vdgpu_mmio_write32(vdev, VDGPU_REG_GART_CTRL, 0);
	vdgpu_mmio_write64(vdev, VDGPU_REG_GART_BASE_LO, table);
	vdgpu_mmio_write32(vdev, VDGPU_REG_GART_CTRL, VDGPU_GART_CTRL_ENABLE);
}

/**
 * vdgpu_kunit_gart_map() - write one GART entry
 * @vdev: the device
 * @table: the table's VRAM offset
 * @index: the GTT page
 * @pte: the entry
 *
 * Context: Any context.
 */
void vdgpu_kunit_gart_map(struct vdgpu_device *vdev, u64 table, u64 index,
			  u64 pte)
{
	vdgpu_kunit_vram_write64(vdev, table + index * sizeof(u64), pte);
}

static u64 vdgpu_kunit_vm_table(struct kunit *test, struct vdgpu_kunit_vm *vm)
{
	u64 table = vm->next_table;

	KUNIT_ASSERT_LE(test, table + SZ_4K, vm->end);
	iosys_map_memset(&vm->vdev->bus.bar, table, 0, SZ_4K);
	vm->next_table += SZ_4K;
	return table;
}

/**
 * vdgpu_kunit_vm_init() - build an empty address space and enable it
 * @test: the test
 * @vm: the address space
 * @vdev: the device
 * @ctx: the MMU context to use
 * @tables: VRAM offset of a range for the page tables, inside the window
 * @size: size of that range
 *
 * Context: A KUnit test, may sleep.
 */
void vdgpu_kunit_vm_init(struct kunit *test, struct vdgpu_kunit_vm *vm,
			 struct vdgpu_device *vdev, u32 ctx, u64 tables,
			 u64 size)
{
	vm->vdev = vdev;
	vm->ctx = ctx;
	vm->next_table = tables;
	vm->end = tables + size;
	vm->root = vdgpu_kunit_vm_table(test, vm);
	vdgpu_mmio_write64(vdev, VDGPU_REG_CTX_ROOT_LO(ctx),
			   vm->root | VDGPU_CTX_ROOT_ENABLE);
}

/**
 * vdgpu_kunit_vm_map() - write one leaf entry, making tables on the way
 * @test: the test
 * @vm: the address space
 * @va: the virtual address the entry maps
 * @pte: the leaf entry
 * @level: its level: 0 for 4 KiB and 64 KiB pages, 1 for 2 MiB pages
 *
 * Context: A KUnit test, may sleep.
 */
void vdgpu_kunit_vm_map(struct kunit *test, struct vdgpu_kunit_vm *vm,
			u64 va, u64 pte, unsigned int level)
{
	u64 table = vm->root;
	unsigned int l;

	for (l = VDGPU_PT_LEVELS - 1; l > level; l--) {
		u64 slot = table + ((va >> VDGPU_PT_SHIFT(l)) %
				    VDGPU_PT_ENTRIES) * sizeof(u64);
		__le64 le;
		u64 entry;

		iosys_map_memcpy_from(&le, &vm->vdev->bus.bar, slot, sizeof(le));
		entry = le64_to_cpu(le);
		if (!(entry & VDGPU_PTE_VALID)) {
			entry = vdgpu_kunit_vm_table(test, vm) | VDGPU_PTE_VALID;
			vdgpu_kunit_vram_write64(vm->vdev, slot, entry);
		}
		table = entry & VDGPU_PTE_ADDR;
	}
	vdgpu_kunit_vram_write64(vm->vdev, table +
				 ((va >> VDGPU_PT_SHIFT(level)) %
				  VDGPU_PT_ENTRIES) * sizeof(u64), pte);
}

static struct ttm_tt *vdgpu_kunit_tt_create(struct ttm_buffer_object *bo,
					    u32 page_flags)
{
	struct ttm_tt *tt;

	tt = kzalloc(sizeof(*tt), GFP_KERNEL);
	if (!tt)
		return NULL;
	if (ttm_tt_init(tt, bo, page_flags, ttm_cached, 0)) {
		kfree(tt);
		return NULL;
	}
	return tt;
}

static void vdgpu_kunit_tt_destroy(struct ttm_device *bdev, struct ttm_tt *tt)
{
	ttm_tt_fini(tt);
	kfree(tt);
}

static const struct ttm_place vdgpu_kunit_sys_place = {
	.mem_type = TTM_PL_SYSTEM,
};

static void vdgpu_kunit_evict_flags(struct ttm_buffer_object *bo,
				    struct ttm_placement *placement)
{
	placement->num_placement = 1;
	placement->placement = &vdgpu_kunit_sys_place;
}

/* The objects hold no data: every move only swaps the resource. */
static int vdgpu_kunit_move(struct ttm_buffer_object *bo, bool evict,
			    struct ttm_operation_ctx *ctx,
			    struct ttm_resource *new_mem,
			    struct ttm_place *hop)
{
	ttm_bo_move_null(bo, new_mem);
	return 0;
}

static const struct ttm_device_funcs vdgpu_kunit_ttm_funcs = {
	.ttm_tt_create = vdgpu_kunit_tt_create,
	.ttm_tt_destroy = vdgpu_kunit_tt_destroy,
	.eviction_valuable = ttm_bo_eviction_valuable,
	.evict_flags = vdgpu_kunit_evict_flags,
	.move = vdgpu_kunit_move,
};

static void vdgpu_kunit_ttm_device_fini(void *bdev)
{
	ttm_device_fini(bdev);
}

/**
 * vdgpu_kunit_ttm_device() - a fake TTM device for a test
 * @test: the test; the device goes when it ends, after everything the test
 *	set up on it later
 *
 * Return: the device; the test fails if it cannot be made.
 */
struct vdgpu_kunit_ttm *vdgpu_kunit_ttm_device(struct kunit *test)
{
	struct vdgpu_kunit_ttm *ttm;
	struct device *dev;
	int ret;

	ttm = kunit_kzalloc(test, sizeof(*ttm), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ttm);

	dev = drm_kunit_helper_alloc_device(test);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, dev);
	ttm->drm = __drm_kunit_helper_alloc_drm_device(test, dev,
						       sizeof(*ttm->drm), 0,
						       DRIVER_GEM);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, ttm->drm);

	ret = ttm_device_init(&ttm->bdev, &vdgpu_kunit_ttm_funcs, dev,
			      ttm->drm->anon_inode->i_mapping,
			      ttm->drm->vma_offset_manager, false, false);
	KUNIT_ASSERT_EQ(test, ret, 0);
	ret = kunit_add_action_or_reset(test, vdgpu_kunit_ttm_device_fini,
					&ttm->bdev);
	KUNIT_ASSERT_EQ(test, ret, 0);
	return ttm;
}

/**
 * vdgpu_kunit_fake_bo() - a buffer object shell to allocate resources for
 * @test: the test; the memory goes when it ends
 * @ttm: the device
 * @size: the object's size in bytes, page aligned
 *
 * Not a real object: it has no reference count, reservation or resource,
 * only what a resource manager reads (device, size, alignment, priority).
 * Resources allocated for it with ttm_resource_alloc() sit on the LRU but
 * cannot be evicted, so the test must free them with ttm_resource_free()
 * before the manager goes.
 *
 * Return: the object; the test fails if it cannot be allocated.
 */
struct ttm_buffer_object *vdgpu_kunit_fake_bo(struct kunit *test,
					      struct vdgpu_kunit_ttm *ttm,
					      u64 size)
{
	struct ttm_buffer_object *bo;

	bo = kunit_kzalloc(test, sizeof(*bo), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, bo);
	bo->bdev = &ttm->bdev;
	bo->base.size = size;
	return bo;
}

static void vdgpu_kunit_ttm_bo_destroy(struct ttm_buffer_object *bo)
{
	drm_gem_object_release(&bo->base);
	kfree(bo);
}

static void vdgpu_kunit_ttm_bo_put(void *bo)
{
	ttm_bo_put(bo);
}

/**
 * vdgpu_kunit_ttm_bo() - a real, unreserved TTM buffer object
 * @test: the test; the reference is dropped when it ends
 * @ttm: the device
 * @size: the object's size in bytes, page aligned
 * @placement: where to validate it
 *
 * A kernel object validated into @placement through TTM, so that its
 * resource can be evicted.  It holds no data.
 *
 * Return: the object; the test fails if it cannot be created.
 */
struct ttm_buffer_object *vdgpu_kunit_ttm_bo(struct kunit *test,
					     struct vdgpu_kunit_ttm *ttm,
					     u64 size,
					     struct ttm_placement *placement)
{
	struct ttm_operation_ctx ctx = { .interruptible = false };
	struct ttm_buffer_object *bo;
	int ret;

	bo = kzalloc(sizeof(*bo), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, bo);
	drm_gem_private_object_init(ttm->drm, &bo->base, size);

	/* On failure TTM calls the destroy callback itself. */
	ret = ttm_bo_init_reserved(&ttm->bdev, bo, ttm_bo_type_kernel,
				   placement, 0, &ctx, NULL, NULL,
				   vdgpu_kunit_ttm_bo_destroy);
	KUNIT_ASSERT_EQ(test, ret, 0);
	ttm_bo_unreserve(bo);

	ret = kunit_add_action_or_reset(test, vdgpu_kunit_ttm_bo_put, bo);
	KUNIT_ASSERT_EQ(test, ret, 0);
	return bo;
}

static u32 vdgpu_kunit_pattern(u32 seed, u64 off)
{
	return lower_32_bits(off * 0x9e3779b1u) ^ seed;
}

/* The address of byte @off of a VRAM resource, in the BAR. */
static u64 vdgpu_kunit_vram_addr(struct vdgpu_device *vdev,
				 struct ttm_resource *res, u64 off)
{
	return vdev->vram_base +
	       vdgpu_vram_mgr_resource_offset(&vdev->vram_mgr, res, off);
}

/*
 * Walks @bo's memory a dword at a time, through the BAR for VRAM (which
 * must be CPU-visible) or a kernel map of its pages, writing the pattern
 * of @seed or checking it.  The caller holds the resv; the object is idle.
 */
static void vdgpu_kunit_bo_walk(struct kunit *test, struct vdgpu_device *vdev,
				struct vdgpu_bo *bo, u32 seed, bool write,
				bool zero)
{
	struct ttm_resource *res = bo->tbo.resource;
	struct ttm_bo_kmap_obj map;
	u64 off, size = bo->tbo.base.size;
	u32 *cpu = NULL, v;
	bool is_iomem;

	KUNIT_ASSERT_NOT_NULL(test, res);
	if (res->mem_type != TTM_PL_VRAM) {
		KUNIT_ASSERT_EQ(test, ttm_bo_kmap(&bo->tbo, 0, PFN_UP(size),
						  &map), 0);
		cpu = ttm_kmap_obj_virtual(&map, &is_iomem);
	}
	for (off = 0; off < size; off += 4) {
		u64 addr = cpu ? 0 : vdgpu_kunit_vram_addr(vdev, res, off);

		if (write) {
			if (cpu)
				cpu[off / 4] = vdgpu_kunit_pattern(seed, off);
			else
				iosys_map_wr(&vdev->bus.bar, addr, u32,
					     vdgpu_kunit_pattern(seed, off));
			continue;
		}
		v = cpu ? cpu[off / 4] : iosys_map_rd(&vdev->bus.bar, addr, u32);
		if (v != (zero ? 0 : vdgpu_kunit_pattern(seed, off))) {
			KUNIT_FAIL(test, "byte %llu: %#x, expected %#x", off, v,
				   zero ? 0 : vdgpu_kunit_pattern(seed, off));
			break;
		}
	}
	if (cpu)
		ttm_bo_kunmap(&map);
}

/**
 * vdgpu_kunit_bo_fill() - write a pattern into an object's memory
 * @test: the test
 * @vdev: the device
 * @bo: the object, idle, its resv held, in CPU-visible VRAM, GTT or SYSTEM
 * @seed: selects the pattern
 */
void vdgpu_kunit_bo_fill(struct kunit *test, struct vdgpu_device *vdev,
			 struct vdgpu_bo *bo, u32 seed)
{
	vdgpu_kunit_bo_walk(test, vdev, bo, seed, true, false);
}

/**
 * vdgpu_kunit_bo_check() - check the pattern of vdgpu_kunit_bo_fill()
 * @test: the test, failed at the first wrong dword
 * @vdev: the device
 * @bo: the object, idle, its resv held, in CPU-visible VRAM, GTT or SYSTEM
 * @seed: the pattern's seed
 */
void vdgpu_kunit_bo_check(struct kunit *test, struct vdgpu_device *vdev,
			  struct vdgpu_bo *bo, u32 seed)
{
	vdgpu_kunit_bo_walk(test, vdev, bo, seed, false, false);
}

/**
 * vdgpu_kunit_bo_check_zero() - check that an object reads all zeroes
 * @test: the test, failed at the first nonzero dword
 * @vdev: the device
 * @bo: the object, idle, its resv held, in CPU-visible VRAM, GTT or SYSTEM
 */
void vdgpu_kunit_bo_check_zero(struct kunit *test, struct vdgpu_device *vdev,
			       struct vdgpu_bo *bo)
{
	vdgpu_kunit_bo_walk(test, vdev, bo, 0, false, true);
}

static void vdgpu_kunit_bo_put_action(void *bo)
{
	vdgpu_bo_put(bo);
}

/**
 * vdgpu_kunit_bo_try_create() - create an object that may fail to be made
 * @test: the test; the object is put when it ends unless
 *	vdgpu_kunit_bo_put() puts it first
 * @vdev: the device
 * @size: its size in bytes
 * @regions: the regions it may go in, in order of preference
 * @num_regions: how many
 * @flags: DRM_VDGPU_GEM_CREATE_* flags
 * @type: ttm_bo_type_device for a user object, ttm_bo_type_kernel for a
 *	kernel one
 * @out: set to the object, on success only
 *
 * Context: A KUnit test, may sleep.
 * Return: vdgpu_bo_create()'s errno: 0 if the object was made.
 */
int vdgpu_kunit_bo_try_create(struct kunit *test, struct vdgpu_device *vdev,
			      u64 size, const u32 *regions, u32 num_regions,
			      u32 flags, enum ttm_bo_type type,
			      struct vdgpu_bo **out)
{
	struct vdgpu_bo *bo;
	int ret;

	ret = vdgpu_bo_create(vdev, size, regions, num_regions, flags, type,
			      &bo);
	if (ret)
		return ret;
	ret = kunit_add_action_or_reset(test, vdgpu_kunit_bo_put_action, bo);
	KUNIT_ASSERT_EQ(test, ret, 0);
	*out = bo;
	return 0;
}

/**
 * vdgpu_kunit_bo_create() - create a user object that must be made
 * @test: the test, failed if the object cannot be made; the object is put
 *	when it ends unless vdgpu_kunit_bo_put() puts it first
 * @vdev: the device
 * @size: its size in bytes
 * @regions: the regions it may go in, in order of preference
 * @num_regions: how many
 * @flags: DRM_VDGPU_GEM_CREATE_* flags
 *
 * Context: A KUnit test, may sleep.
 * Return: the object.
 */
struct vdgpu_bo *vdgpu_kunit_bo_create(struct kunit *test,
				       struct vdgpu_device *vdev, u64 size,
				       const u32 *regions, u32 num_regions,
				       u32 flags)
{
	struct vdgpu_bo *bo;
	int ret;

	ret = vdgpu_kunit_bo_try_create(test, vdev, size, regions, num_regions,
					flags, ttm_bo_type_device, &bo);
	KUNIT_ASSERT_EQ(test, ret, 0);
	return bo;
}

/**
 * vdgpu_kunit_bo_put() - put an object of vdgpu_kunit_bo_create() now
 * @test: the test
 * @bo: the object, made by vdgpu_kunit_bo_create() or
 *	vdgpu_kunit_bo_try_create() and not put yet
 *
 * Context: A KUnit test, may sleep.
 */
void vdgpu_kunit_bo_put(struct kunit *test, struct vdgpu_bo *bo)
{
	kunit_release_action(test, vdgpu_kunit_bo_put_action, bo);
}

static void vdgpu_kunit_bo_unpin_action(void *data)
{
	struct vdgpu_bo *bo = data;

	dma_resv_lock(bo->tbo.base.resv, NULL);
	vdgpu_bo_unpin(bo);
	dma_resv_unlock(bo->tbo.base.resv);
}

/**
 * vdgpu_kunit_bo_pin() - pin an object once more
 * @test: the test, failed if the pin fails; the pin goes when it ends
 *	unless vdgpu_kunit_bo_unpin() drops it first
 * @bo: the object, its resv not held
 *
 * Context: A KUnit test, may sleep; takes the object's resv.
 */
void vdgpu_kunit_bo_pin(struct kunit *test, struct vdgpu_bo *bo)
{
	struct ttm_operation_ctx ctx = { .interruptible = false };
	int ret;

	dma_resv_lock(bo->tbo.base.resv, NULL);
	ret = vdgpu_bo_pin(bo, &ctx);
	dma_resv_unlock(bo->tbo.base.resv);
	KUNIT_ASSERT_EQ(test, ret, 0);
	ret = kunit_add_action_or_reset(test, vdgpu_kunit_bo_unpin_action, bo);
	KUNIT_ASSERT_EQ(test, ret, 0);
}

/**
 * vdgpu_kunit_bo_unpin() - drop a pin of vdgpu_kunit_bo_pin() now
 * @test: the test
 * @bo: the object, its resv not held
 *
 * Context: A KUnit test, may sleep; takes the object's resv.
 */
void vdgpu_kunit_bo_unpin(struct kunit *test, struct vdgpu_bo *bo)
{
	kunit_release_action(test, vdgpu_kunit_bo_unpin_action, bo);
}

/**
 * vdgpu_kunit_bo_region() - the region an object is in now
 * @bo: the object, its resv not held
 *
 * Context: May sleep; takes the object's resv.
 * Return: vdgpu_bo_region() of @bo.
 */
u32 vdgpu_kunit_bo_region(struct vdgpu_bo *bo)
{
	u32 region;

	dma_resv_lock(bo->tbo.base.resv, NULL);
	region = vdgpu_bo_region(bo);
	dma_resv_unlock(bo->tbo.base.resv);
	return region;
}

/**
 * vdgpu_kunit_bo_madvise() - mark an object as GEM_MADVISE would
 * @bo: the object, its resv not held
 * @advice: DRM_VDGPU_MADV_WILLNEED or DRM_VDGPU_MADV_DONTNEED
 *
 * Context: May sleep; takes the object's resv.
 * Return: vdgpu_bo_madvise()'s answer: true if the object was purged.
 */
bool vdgpu_kunit_bo_madvise(struct vdgpu_bo *bo, u32 advice)
{
	bool purged;

	dma_resv_lock(bo->tbo.base.resv, NULL);
	purged = vdgpu_bo_madvise(bo, advice);
	dma_resv_unlock(bo->tbo.base.resv);
	return purged;
}

/**
 * vdgpu_kunit_bo_wait_idle() - wait until all of an object's work is done
 * @test: the test, failed if the object is still busy after a minute
 * @bo: the object
 *
 * Context: A KUnit test, may sleep.
 */
void vdgpu_kunit_bo_wait_idle(struct kunit *test, struct vdgpu_bo *bo)
{
	long ret;

	ret = dma_resv_wait_timeout(bo->tbo.base.resv, DMA_RESV_USAGE_BOOKKEEP,
				    false, VDGPU_KUNIT_FENCE_TIMEOUT);
	KUNIT_ASSERT_GT_MSG(test, ret, 0, "the object did not become idle");
}

/**
 * vdgpu_kunit_bo_move() - move an object as an eviction would, and wait
 * @test: the test, failed if the move fails or does not complete
 * @bo: the object, unlocked
 * @mem_type: the TTM placement to move it to
 *
 * Context: A KUnit test, may sleep; takes the object's resv.
 */
void vdgpu_kunit_bo_move(struct kunit *test, struct vdgpu_bo *bo, u32 mem_type)
{
	struct ttm_operation_ctx ctx = { .interruptible = false };
	const struct ttm_place place = { .mem_type = mem_type };
	struct ttm_placement placement = {
		.num_placement = 1, .placement = &place,
	};
	long timeout;
	int ret;

	dma_resv_lock(bo->tbo.base.resv, NULL);
	ret = ttm_bo_validate(&bo->tbo, &placement, &ctx);
	timeout = dma_resv_wait_timeout(bo->tbo.base.resv,
					DMA_RESV_USAGE_BOOKKEEP, false,
					VDGPU_KUNIT_FENCE_TIMEOUT);
	dma_resv_unlock(bo->tbo.base.resv);
	KUNIT_ASSERT_EQ(test, ret, 0);
	KUNIT_ASSERT_GT(test, timeout, 0);
	KUNIT_ASSERT_EQ(test, bo->tbo.resource->mem_type, mem_type);
}

/**
 * vdgpu_kunit_bo_flush() - let TTM destroy the objects put while busy
 * @vdev: the device
 *
 * Context: May sleep.
 */
void vdgpu_kunit_bo_flush(struct vdgpu_device *vdev)
{
	flush_workqueue(vdev->ttm.wq);
}

/*
 * A fence for GPU work on an object, signalled by the test, or (lazy) as
 * soon as someone waits for it: then it keeps its object busy until that
 * wait, yet the eviction copy, which waits for the object on the CPU
 * before copying, does not block.
 */
struct vdgpu_kunit_fence {
	struct dma_fence base;
	/* The fence's lock, which guards its signalling state. */
	spinlock_t lock;
};

static const char *vdgpu_kunit_fence_name(struct dma_fence *fence)
{
	return "vdgpu_kunit";
}

static bool vdgpu_kunit_fence_enable_signaling(struct dma_fence *fence)
{
	/* false: the fence signals now. */
	return false;
}

static const struct dma_fence_ops vdgpu_kunit_lazy_fence_ops = {
	.get_driver_name = vdgpu_kunit_fence_name,
	.get_timeline_name = vdgpu_kunit_fence_name,
	.enable_signaling = vdgpu_kunit_fence_enable_signaling,
};

static const struct dma_fence_ops vdgpu_kunit_held_fence_ops = {
	.get_driver_name = vdgpu_kunit_fence_name,
	.get_timeline_name = vdgpu_kunit_fence_name,
};

static void vdgpu_kunit_fence_release(void *fence)
{
	dma_fence_signal(fence);
	dma_fence_put(fence);
}

/**
 * vdgpu_kunit_bo_add_fence() - make an object busy with fake GPU work
 * @test: the test; the fence is signalled when it ends at the latest
 * @bo: the object, its resv not held
 * @lazy: the fence signals as soon as someone waits for it; otherwise
 *	only when the test signals it
 *
 * Adds an unsignalled fence to @bo's resv, with DMA_RESV_USAGE_WRITE.
 *
 * Context: A KUnit test, may sleep; takes the object's resv.
 * Return: the fence; the test's reference, valid until the test ends.
 */
struct dma_fence *vdgpu_kunit_bo_add_fence(struct kunit *test,
					   struct vdgpu_bo *bo, bool lazy)
{
	struct vdgpu_kunit_fence *f;
	int ret;

	f = kzalloc(sizeof(*f), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, f);
	spin_lock_init(&f->lock);
	dma_fence_init(&f->base, lazy ? &vdgpu_kunit_lazy_fence_ops :
		       &vdgpu_kunit_held_fence_ops, &f->lock,
		       dma_fence_context_alloc(1), 1);
	ret = kunit_add_action_or_reset(test, vdgpu_kunit_fence_release,
					&f->base);
	KUNIT_ASSERT_EQ(test, ret, 0);

	dma_resv_lock(bo->tbo.base.resv, NULL);
	ret = dma_resv_reserve_fences(bo->tbo.base.resv, 1);
	if (!ret)
		dma_resv_add_fence(bo->tbo.base.resv, &f->base,
				   DMA_RESV_USAGE_WRITE);
	dma_resv_unlock(bo->tbo.base.resv);
	KUNIT_ASSERT_EQ(test, ret, 0);
	KUNIT_ASSERT_FALSE(test, dma_resv_test_signaled(bo->tbo.base.resv,
							DMA_RESV_USAGE_BOOKKEEP));
	return &f->base;
}
