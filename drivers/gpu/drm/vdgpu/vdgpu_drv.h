/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright © 2026 The vdgpu authors
 */

#ifndef _VDGPU_DRV_H_
#define _VDGPU_DRV_H_

#define VDGPU_DRIVER_NAME	"vdgpu"
#define VDGPU_DRIVER_DESC	"Virtual discrete GPU"
#define VDGPU_DRIVER_DATE	"20261125"
#define VDGPU_DRIVER_MAJOR	1
#define VDGPU_DRIVER_MINOR	3
#define VDGPU_DRIVER_PATCHLEVEL	0

#endif
