/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright © 2026 The vdgpu authors
 */

#ifndef _VDGPU_MIGRATE_H_
#define _VDGPU_MIGRATE_H_

#include <linux/types.h>

struct dma_fence;
struct ttm_resource;
struct vdgpu_device;

struct dma_fence *vdgpu_migrate_copy(struct vdgpu_device *vdev,
				     struct ttm_resource *src,
				     struct ttm_resource *dst);
struct dma_fence *vdgpu_migrate_clear(struct vdgpu_device *vdev,
				      struct ttm_resource *dst);

#endif
