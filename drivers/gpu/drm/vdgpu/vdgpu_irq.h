/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright © 2026 The vdgpu authors
 */

#ifndef _VDGPU_IRQ_H_
#define _VDGPU_IRQ_H_

#include <linux/atomic.h>
#include <linux/types.h>

struct vdgpu_device;

/**
 * struct vdgpu_irq - the device's interrupt line
 */
struct vdgpu_irq {
	/** @irq: the Linux interrupt number */
	int irq;
	/**
	 * @enabled: INT_MASK as last written; the hard handler claims only
	 * these sources, so a late interrupt after vdgpu_irq_disable() is
	 * ignored
	 */
	u32 enabled;
	/** @pending: sources acknowledged by the hard handler for the thread */
	atomic_t pending;
};

int vdgpu_irq_init(struct vdgpu_device *vdev);
void vdgpu_irq_enable(struct vdgpu_device *vdev);
void vdgpu_irq_disable(struct vdgpu_device *vdev);

#endif
