/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright © 2026 The vdgpu authors
 */

#ifndef _VDGPU_DMA_BUF_H_
#define _VDGPU_DMA_BUF_H_

struct dma_buf_attachment;
struct drm_device;
struct drm_gem_object;
struct iosys_map;
struct sg_table;
struct vm_area_struct;

int vdgpu_gem_pin(struct drm_gem_object *obj);
void vdgpu_gem_unpin(struct drm_gem_object *obj);
struct sg_table *vdgpu_gem_get_sg_table(struct drm_gem_object *obj);
int vdgpu_gem_vmap(struct drm_gem_object *obj, struct iosys_map *map);
int vdgpu_gem_mmap_imported(struct drm_gem_object *obj,
			    struct vm_area_struct *vma);
struct drm_gem_object *
vdgpu_gem_prime_import_sg_table(struct drm_device *drm,
				struct dma_buf_attachment *attach,
				struct sg_table *sgt);

#endif
