/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright © 2026 The vdgpu authors
 */

#ifndef _VDGPU_TTM_H_
#define _VDGPU_TTM_H_

struct vdgpu_device;

int vdgpu_ttm_init(struct vdgpu_device *vdev);
void vdgpu_ttm_fini(struct vdgpu_device *vdev);

#endif
