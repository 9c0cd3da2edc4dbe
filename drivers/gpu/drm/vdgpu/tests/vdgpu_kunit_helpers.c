// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The vdgpu authors
 */

#include <linux/platform_device.h>
#include <linux/sizes.h>

#include <drm/drm_drv.h>
#include <drm/drm_gem.h>
#include <drm/drm_kunit_helpers.h>
#include <drm/ttm/ttm_bo.h>
#include <drm/ttm/ttm_placement.h>
#include <drm/ttm/ttm_tt.h>

#include <kunit/resource.h>
#include <kunit/test.h>

#include "../vdgpu_device.h"
#include "../vdgpu_drv.h"
#include "vdgpu_kunit_helpers.h"

/*
 * Devices made by tests get ids from here on, clear of the module's own
 * vdgpu.0; each one gets a fresh id so that a test never sees a sysfs name
 * clash with a device still being torn down.
 */
static atomic_t vdgpu_kunit_next_id = ATOMIC_INIT(100);

/**
 * vdgpu_kunit_default_params() - a small, valid device configuration
 * @params: filled with 64 MiB of VRAM, all visible, and 64 MiB of GTT
 */
void vdgpu_kunit_default_params(struct vdgpu_params *params)
{
	params->vram_size = SZ_64M;
	params->visible_vram_size = SZ_64M;
	params->gart_size = SZ_64M;
}

static void vdgpu_kunit_pdev_unregister(void *pdev)
{
	platform_device_unregister(pdev);
}

/**
 * vdgpu_kunit_add_pdev() - create a vdgpu platform device for a test
 * @test: the test; the device is removed when it ends
 * @params: the configuration handed to probe, or NULL for none
 *
 * The driver probes the device synchronously, so on return it is bound, or
 * probe failed and it is not.
 *
 * Return: the platform device; the test fails if it cannot be created.
 */
struct platform_device *
vdgpu_kunit_add_pdev(struct kunit *test, const struct vdgpu_params *params)
{
	struct platform_device *pdev;
	int ret;

	pdev = platform_device_alloc(VDGPU_DRIVER_NAME,
				     atomic_inc_return(&vdgpu_kunit_next_id));
	KUNIT_ASSERT_NOT_NULL(test, pdev);

	if (params) {
		ret = platform_device_add_data(pdev, params, sizeof(*params));
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
 * vdgpu_kunit_remove_pdev() - remove a device made by vdgpu_kunit_add_pdev()
 * @test: the test that made it
 * @pdev: the device; it is unbound and gone on return
 */
void vdgpu_kunit_remove_pdev(struct kunit *test, struct platform_device *pdev)
{
	kunit_release_action(test, vdgpu_kunit_pdev_unregister, pdev);
}

/**
 * vdgpu_kunit_device() - a probed and registered vdgpu device for a test
 * @test: the test; the device is removed when it ends
 * @params: its configuration, or NULL for vdgpu_kunit_default_params()
 *
 * Return: the device; the test fails if probe does.
 */
struct vdgpu_device *vdgpu_kunit_device(struct kunit *test,
					const struct vdgpu_params *params)
{
	struct vdgpu_params defaults;
	struct platform_device *pdev;
	struct vdgpu_device *vdev;

	if (!params) {
		vdgpu_kunit_default_params(&defaults);
		params = &defaults;
	}
	pdev = vdgpu_kunit_add_pdev(test, params);
	vdev = platform_get_drvdata(pdev);
	KUNIT_ASSERT_NOT_NULL_MSG(test, vdev, "probe failed");
	return vdev;
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
