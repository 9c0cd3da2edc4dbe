/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright © 2026 The vdgpu authors
 */

#ifndef _VDGPU_KUNIT_HELPERS_H_
#define _VDGPU_KUNIT_HELPERS_H_

struct kunit;
struct platform_device;
struct vdgpu_device;
struct vdgpu_params;

void vdgpu_kunit_default_params(struct vdgpu_params *params);
struct platform_device *
vdgpu_kunit_add_pdev(struct kunit *test, const struct vdgpu_params *params);
void vdgpu_kunit_remove_pdev(struct kunit *test, struct platform_device *pdev);
struct vdgpu_device *vdgpu_kunit_device(struct kunit *test,
					const struct vdgpu_params *params);

#endif
