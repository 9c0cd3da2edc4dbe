// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The vdgpu authors
 */

#include <linux/dma-mapping.h>
#include <linux/err.h>
#include <linux/ioport.h>
#include <linux/mm.h>
#include <linux/platform_device.h>
#include <linux/slab.h>

#include "vdgpu_sim.h"
#include "vdgpu_sim_board.h"

/**
 * DOC: Board
 *
 * vdgpu_sim_create() builds one emulated device (VRAM, register file,
 * engines, interrupt controller, test hooks) and plugs it in: it registers a
 * platform device named ``vdgpu.<id>`` whose platform data is a
 * &struct vdgpu_platform_data (the configuration and the &struct vdgpu_bus
 * with the register accessors and the BAR window) and whose IRQ resource is
 * the device's interrupt line.  If the vdgpu platform driver is registered it
 * probes the device synchronously.  vdgpu_sim_destroy() pulls the device out:
 * it unregisters the platform device, which unbinds the driver, and only
 * then stops the engines and frees the device, so the driver never sees the
 * hardware vanish under it.
 */

static unsigned long vdgpu_sim_bar_pfn(const struct vdgpu_bus *bus, u64 offset)
{
	struct vdgpu_sim *sim = bus->priv;

	if (WARN_ON(offset >= sim->params.visible_vram_size))
		return 0;
	return page_to_pfn(sim->pages[offset >> PAGE_SHIFT]);
}

static const struct vdgpu_bus_ops vdgpu_sim_bus_ops = {
	.read32 = vdgpu_sim_mmio_read,
	.write32 = vdgpu_sim_mmio_write,
	.bar_pfn = vdgpu_sim_bar_pfn,
};

static void vdgpu_sim_vram_lost_work(struct work_struct *work)
{
	struct vdgpu_sim *sim = container_of(work, struct vdgpu_sim,
					     vram_lost_work);
	unsigned long flags;

	vdgpu_sim_vram_scramble(sim);
	spin_lock_irqsave(&sim->lock, flags);
	sim->vram_lost = false;
	spin_unlock_irqrestore(&sim->lock, flags);
}

static int vdgpu_sim_plug(struct vdgpu_sim *sim)
{
	struct vdgpu_platform_data pdata = {
		.params = sim->params,
		.bus = sim->bus,
	};
	struct resource res = DEFINE_RES_IRQ_NAMED(sim->virq, "vdgpu");
	struct platform_device_info info = {
		.name = VDGPU_DEVICE_NAME,
		.id = sim->id,
		.res = &res,
		.num_res = 1,
		.data = &pdata,
		.size_data = sizeof(pdata),
		.dma_mask = DMA_BIT_MASK(64),
	};

	sim->pdev = platform_device_register_full(&info);
	return PTR_ERR_OR_ZERO(sim->pdev);
}

/**
 * vdgpu_sim_create() - build an emulated device and plug it in
 * @params: its configuration
 * @id: the platform device id
 *
 * Context: Process context, may sleep.
 * Return: the device, or an ERR_PTR(): -EINVAL for a configuration
 * vdgpu_params_check() rejects, -ENOMEM, or what registering the platform
 * device returned.  The driver failing to probe is not an error here.
 */
struct vdgpu_sim *vdgpu_sim_create(const struct vdgpu_params *params, int id)
{
	struct vdgpu_sim *sim;
	int ret;

	if (vdgpu_params_check(params))
		return ERR_PTR(-EINVAL);

	sim = kzalloc(sizeof(*sim), GFP_KERNEL);
	if (!sim)
		return ERR_PTR(-ENOMEM);
	sim->params = *params;
	sim->id = id;
	sim->vram_bandwidth = params->vram_bandwidth;
	sim->pcie_bandwidth = params->pcie_bandwidth;
	spin_lock_init(&sim->lock);
	INIT_WORK(&sim->vram_lost_work, vdgpu_sim_vram_lost_work);
	vdgpu_sim_engines_init(sim);

	ret = vdgpu_sim_vram_init(sim);
	if (ret)
		goto err_free_sim;
	sim->bus.ops = &vdgpu_sim_bus_ops;
	sim->bus.priv = sim;
	iosys_map_set_vaddr(&sim->bus.bar, sim->bar);
	sim->bus.bar_size = params->visible_vram_size;

	/*
	 * The engines complete the driver's fences, and reclaim may wait for
	 * those: like silicon, they must not need memory to make progress.
	 */
	sim->wq = alloc_workqueue("vdgpu-sim.%d", WQ_UNBOUND | WQ_MEM_RECLAIM, 0,
				  id);
	if (!sim->wq) {
		ret = -ENOMEM;
		goto err_vram_fini;
	}

	ret = vdgpu_sim_irq_init(sim);
	if (ret)
		goto err_destroy_wq;

	ret = vdgpu_sim_plug(sim);
	if (ret)
		goto err_irq_fini;

	vdgpu_sim_debugfs_init(sim);
	return sim;

err_irq_fini:
	vdgpu_sim_irq_fini(sim);
err_destroy_wq:
	destroy_workqueue(sim->wq);
err_vram_fini:
	vdgpu_sim_vram_fini(sim);
err_free_sim:
	kfree(sim);
	return ERR_PTR(ret);
}

/**
 * vdgpu_sim_pdev() - the platform device presenting an emulated device
 * @sim: the device
 *
 * Context: Any context.
 * Return: the platform device, valid until vdgpu_sim_destroy().
 */
struct platform_device *vdgpu_sim_pdev(struct vdgpu_sim *sim)
{
	return sim->pdev;
}

/**
 * vdgpu_sim_destroy() - unplug an emulated device and free it
 * @sim: the device
 *
 * Context: Process context, may sleep.
 */
void vdgpu_sim_destroy(struct vdgpu_sim *sim)
{
	/* The hooks go first: they queue engine work. */
	vdgpu_sim_debugfs_fini(sim);
	platform_device_unregister(sim->pdev);
	vdgpu_sim_engines_fini(sim);
	/* Waits for the engines' workers and any VRAM scramble too. */
	destroy_workqueue(sim->wq);
	vdgpu_sim_irq_fini(sim);
	vdgpu_sim_vram_fini(sim);
	kfree(sim);
}
