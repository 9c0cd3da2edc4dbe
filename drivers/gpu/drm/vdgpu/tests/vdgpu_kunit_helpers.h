/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright © 2026 The vdgpu authors
 */

#ifndef _VDGPU_KUNIT_HELPERS_H_
#define _VDGPU_KUNIT_HELPERS_H_

#include <linux/types.h>

#include <drm/ttm/ttm_device.h>

struct drm_device;
struct kunit;
struct platform_device;
struct ttm_buffer_object;
struct ttm_placement;
struct vdgpu_device;
struct vdgpu_params;

void vdgpu_kunit_default_params(struct vdgpu_params *params);
struct platform_device *
vdgpu_kunit_add_pdev(struct kunit *test, const struct vdgpu_params *params);
void vdgpu_kunit_remove_pdev(struct kunit *test, struct platform_device *pdev);
struct vdgpu_device *vdgpu_kunit_device(struct kunit *test,
					const struct vdgpu_params *params);

/**
 * struct vdgpu_kunit_ttm - a fake TTM device for memory manager tests
 *
 * A bare DRM device with GEM, and a TTM device whose driver callbacks are
 * just enough to create, evict to system memory and destroy buffer objects
 * that hold no data.  Made by vdgpu_kunit_ttm_device().
 */
struct vdgpu_kunit_ttm {
	/** @drm: the DRM device, with a GEM vma offset manager */
	struct drm_device *drm;
	/** @bdev: the TTM device */
	struct ttm_device bdev;
};

struct vdgpu_kunit_ttm *vdgpu_kunit_ttm_device(struct kunit *test);
struct ttm_buffer_object *vdgpu_kunit_fake_bo(struct kunit *test,
					      struct vdgpu_kunit_ttm *ttm,
					      u64 size);
struct ttm_buffer_object *vdgpu_kunit_ttm_bo(struct kunit *test,
					     struct vdgpu_kunit_ttm *ttm,
					     u64 size,
					     struct ttm_placement *placement);

#endif
