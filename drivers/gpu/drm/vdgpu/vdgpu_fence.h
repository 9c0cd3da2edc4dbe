/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright © 2026 The vdgpu authors
 */

#ifndef _VDGPU_FENCE_H_
#define _VDGPU_FENCE_H_

#include <linux/types.h>

struct dma_fence;
struct vdgpu_engine;

struct dma_fence *vdgpu_fence_alloc(void);
void vdgpu_fence_free(struct dma_fence *fence);
void vdgpu_fence_init(struct vdgpu_engine *e, struct dma_fence *fence,
		      u32 seqno);
void vdgpu_fence_process(struct vdgpu_engine *e);
void vdgpu_fence_signal_all(struct vdgpu_engine *e, int error);
bool vdgpu_fence_seqno_passed(u32 seqno, u32 hw);

#endif
