// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The vdgpu authors
 */

#include <linux/dma-fence.h>
#include <linux/error-injection.h>
#include <linux/interrupt.h>
#include <linux/platform_device.h>

#include <drm/drm_print.h>

#include "vdgpu_device.h"
#include "vdgpu_engine.h"
#include "vdgpu_irq.h"
#include "vdgpu_mmio.h"

/**
 * DOC: Interrupt handling
 *
 * The device has one interrupt line, requested as a threaded interrupt.
 * The hard handler reads INT_STATUS, keeps the sources the driver enabled,
 * acknowledges them by writing them back and hands them to the thread in
 * &vdgpu_irq.pending; the thread dispatches them to the engines, signalling
 * fences (FENCE) and logging and scheduling resets (FAULT, ERROR).  The
 * thread is the fence-signalling path: it takes only the engines' fence
 * locks and allocates nothing.
 *
 * vdgpu_irq_disable() masks every source at the device and waits for the
 * handler and its thread; after it no handler touches the engines.  The
 * interrupt itself stays requested (devm) until the driver is unbound.
 */

static irqreturn_t vdgpu_irq_handler(int irq, void *arg)
{
	struct vdgpu_device *vdev = arg;
	u32 status;

	status = vdgpu_mmio_read32(vdev, VDGPU_REG_INT_STATUS) &
		 READ_ONCE(vdev->irq.enabled);
	if (!status)
		return IRQ_NONE;
	vdgpu_mmio_write32(vdev, VDGPU_REG_INT_STATUS, status);
	atomic_or(status, &vdev->irq.pending);
	return IRQ_WAKE_THREAD;
}

static irqreturn_t vdgpu_irq_thread(int irq, void *arg)
{
	struct vdgpu_device *vdev = arg;
	u32 pending = atomic_xchg(&vdev->irq.pending, 0);
	unsigned int i;
	bool cookie;

	cookie = dma_fence_begin_signalling();
	for (i = 0; i < VDGPU_NUM_ENGINES; i++) {
		if (pending & VDGPU_INT_ENGINE(i))
			vdgpu_engine_irq(&vdev->engines[i], pending);
	}
	dma_fence_end_signalling(cookie);
	return IRQ_HANDLED;
}

/**
 * vdgpu_irq_init() - request the interrupt, all sources masked
 * @vdev: the device
 *
 * Context: Process context, may sleep; from probe.
 * Return: 0 or a negative errno.
 */
int vdgpu_irq_init(struct vdgpu_device *vdev)
{
	struct platform_device *pdev = to_platform_device(vdev->drm.dev);
	int ret;

	vdgpu_mmio_write32(vdev, VDGPU_REG_INT_MASK, 0);
	vdgpu_mmio_write32(vdev, VDGPU_REG_INT_STATUS, ~0u);

	ret = platform_get_irq(pdev, 0);
	if (ret < 0)
		return ret;
	vdev->irq.irq = ret;

	ret = devm_request_threaded_irq(vdev->drm.dev, vdev->irq.irq,
					vdgpu_irq_handler, vdgpu_irq_thread, 0,
					dev_name(vdev->drm.dev), vdev);
	if (ret)
		return dev_err_probe(vdev->drm.dev, ret,
				     "cannot request interrupt %d\n",
				     vdev->irq.irq);
	return 0;
}
ALLOW_ERROR_INJECTION(vdgpu_irq_init, ERRNO);

/**
 * vdgpu_irq_enable() - unmask every engine's interrupts
 * @vdev: the device
 *
 * Context: Process context.
 */
void vdgpu_irq_enable(struct vdgpu_device *vdev)
{
	u32 mask = 0;
	unsigned int i;

	for (i = 0; i < VDGPU_NUM_ENGINES; i++)
		mask |= VDGPU_INT_ENGINE(i);
	WRITE_ONCE(vdev->irq.enabled, mask);
	vdgpu_mmio_write32(vdev, VDGPU_REG_INT_MASK, mask);
}

/**
 * vdgpu_irq_disable() - mask all interrupts and wait for their handlers
 * @vdev: the device
 *
 * Context: Process context, may sleep.
 */
void vdgpu_irq_disable(struct vdgpu_device *vdev)
{
	WRITE_ONCE(vdev->irq.enabled, 0);
	vdgpu_mmio_write32(vdev, VDGPU_REG_INT_MASK, 0);
	synchronize_irq(vdev->irq.irq);
}
