/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright © 2026 The vdgpu authors
 */

#ifndef _VDGPU_SIM_BOARD_H_
#define _VDGPU_SIM_BOARD_H_

/*
 * The board interface of the device model: what plugs an emulated device in
 * and pulls it out again.  Only the module's init code and the KUnit fixtures
 * (which play the board for their own devices) include this; the driver
 * reaches the device through vdgpu_regs.h alone.
 */

struct platform_device;
struct vdgpu_params;
struct vdgpu_sim;

struct vdgpu_sim *vdgpu_sim_create(const struct vdgpu_params *params, int id);
struct platform_device *vdgpu_sim_pdev(struct vdgpu_sim *sim);
void vdgpu_sim_destroy(struct vdgpu_sim *sim);

#endif
