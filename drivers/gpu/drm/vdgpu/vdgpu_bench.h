/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright © 2026 The vdgpu authors
 */

#ifndef _VDGPU_BENCH_H_
#define _VDGPU_BENCH_H_

struct vdgpu_device;

void vdgpu_bench_debugfs_init(struct vdgpu_device *vdev);

#endif
