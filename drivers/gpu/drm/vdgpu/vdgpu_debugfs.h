/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright © 2026 The vdgpu authors
 */

#ifndef _VDGPU_DEBUGFS_H_
#define _VDGPU_DEBUGFS_H_

struct vdgpu_device;

#if IS_ENABLED(CONFIG_DEBUG_FS)
void vdgpu_debugfs_init(struct vdgpu_device *vdev);
#else
static inline void vdgpu_debugfs_init(struct vdgpu_device *vdev) { }
#endif

#endif
