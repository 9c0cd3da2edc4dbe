/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright © 2026 The vdgpu authors
 */

#ifndef _VDGPU_FDINFO_H_
#define _VDGPU_FDINFO_H_

struct drm_file;
struct drm_printer;

void vdgpu_show_fdinfo(struct drm_printer *p, struct drm_file *file);

#endif
