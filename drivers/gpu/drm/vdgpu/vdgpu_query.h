/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright © 2026 The vdgpu authors
 */

#ifndef _VDGPU_QUERY_H_
#define _VDGPU_QUERY_H_

struct drm_device;
struct drm_file;

int vdgpu_query_ioctl(struct drm_device *drm, void *data,
		      struct drm_file *file);

#endif
