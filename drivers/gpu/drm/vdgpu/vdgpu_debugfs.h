/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright © 2026 The vdgpu authors
 */

#ifndef _VDGPU_DEBUGFS_H_
#define _VDGPU_DEBUGFS_H_

#include <linux/errno.h>

struct drm_printer;
struct vdgpu_device;

#if IS_ENABLED(CONFIG_DEBUG_FS)
void vdgpu_debugfs_init(struct vdgpu_device *vdev);
int vdgpu_debugfs_print_vram_map(struct vdgpu_device *vdev,
				 struct drm_printer *p);
int vdgpu_debugfs_print_gtt_map(struct vdgpu_device *vdev,
				struct drm_printer *p);
int vdgpu_debugfs_print_lru(struct vdgpu_device *vdev, struct drm_printer *p);
int vdgpu_debugfs_print_bo_moves(struct vdgpu_device *vdev,
				 struct drm_printer *p);
#else
static inline void vdgpu_debugfs_init(struct vdgpu_device *vdev) { }

static inline int vdgpu_debugfs_print_vram_map(struct vdgpu_device *vdev,
					       struct drm_printer *p)
{
	return -ENODEV;
}

static inline int vdgpu_debugfs_print_gtt_map(struct vdgpu_device *vdev,
					      struct drm_printer *p)
{
	return -ENODEV;
}

static inline int vdgpu_debugfs_print_lru(struct vdgpu_device *vdev,
					  struct drm_printer *p)
{
	return -ENODEV;
}

static inline int vdgpu_debugfs_print_bo_moves(struct vdgpu_device *vdev,
					       struct drm_printer *p)
{
	return -ENODEV;
}
#endif

#endif
