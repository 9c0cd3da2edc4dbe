// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The vdgpu authors
 */

#include <linux/irq.h>
#include <linux/irqdomain.h>
#include <linux/platform_device.h>

#include "vdgpu_sim.h"

/**
 * DOC: Model interrupts
 *
 * The device is its own one-line interrupt controller: an irq_domain with a
 * single hwirq and a trivial irq_chip, whose Linux interrupt is the platform
 * device's IRQ resource.  Raising a source latches it in INT_STATUS; if the
 * source is unmasked, the model queues a hard irq_work, which runs in hard
 * interrupt context and hands the interrupt to the core with
 * generic_handle_domain_irq(), exactly as a parent interrupt controller
 * would.  The driver therefore sees an ordinary Linux interrupt: it requests
 * it, the core disables and synchronises it, and its handler runs in hard
 * interrupt context with its thread behind it.
 *
 * The line is edge-triggered, and the flow handler is handle_edge_irq(): an
 * interrupt that arrives while the handler still runs on another CPU is
 * marked pending and the handler runs again, instead of being dropped as
 * handle_simple_irq() would, which lost fence interrupts under SMP.
 *
 * Masking at the irq_chip level (disable_irq()) is handled by the core,
 * which marks the interrupt pending and asks the chip to retrigger it on
 * enable; the chip does so by queueing the irq_work again.
 */

static void vdgpu_sim_irq_deliver(struct irq_work *work)
{
	struct vdgpu_sim *sim = container_of(work, struct vdgpu_sim, irq_work);

	generic_handle_domain_irq(sim->domain, 0);
}

/**
 * __vdgpu_sim_irq_update() - deliver the interrupt if the line is asserted
 * @sim: the device
 *
 * Context: &vdgpu_sim.lock held.
 */
void __vdgpu_sim_irq_update(struct vdgpu_sim *sim)
{
	lockdep_assert_held(&sim->lock);
	if (sim->int_status & sim->int_mask)
		irq_work_queue(&sim->irq_work);
}

/**
 * __vdgpu_sim_irq_raise() - latch interrupt sources
 * @sim: the device
 * @bits: INT_STATUS bits to set
 *
 * Context: &vdgpu_sim.lock held.
 */
void __vdgpu_sim_irq_raise(struct vdgpu_sim *sim, u32 bits)
{
	lockdep_assert_held(&sim->lock);
	sim->int_status |= bits;
	if (bits & sim->int_mask)
		irq_work_queue(&sim->irq_work);
}

static void vdgpu_sim_irq_noop(struct irq_data *d)
{
}

static int vdgpu_sim_irq_retrigger(struct irq_data *d)
{
	struct vdgpu_sim *sim = irq_data_get_irq_chip_data(d);

	irq_work_queue(&sim->irq_work);
	return 1;
}

static struct irq_chip vdgpu_sim_irq_chip = {
	.name = "vdgpu-sim",
	.irq_ack = vdgpu_sim_irq_noop,
	.irq_mask = vdgpu_sim_irq_noop,
	.irq_unmask = vdgpu_sim_irq_noop,
	.irq_retrigger = vdgpu_sim_irq_retrigger,
};

static int vdgpu_sim_irq_map(struct irq_domain *d, unsigned int virq,
			     irq_hw_number_t hwirq)
{
	irq_set_chip_data(virq, d->host_data);
	irq_set_chip_and_handler(virq, &vdgpu_sim_irq_chip, handle_edge_irq);
	irq_set_noprobe(virq);
	return 0;
}

static void vdgpu_sim_irq_unmap(struct irq_domain *d, unsigned int virq)
{
	irq_set_chip_and_handler(virq, NULL, NULL);
	irq_set_chip_data(virq, NULL);
}

static const struct irq_domain_ops vdgpu_sim_irq_domain_ops = {
	.map = vdgpu_sim_irq_map,
	.unmap = vdgpu_sim_irq_unmap,
	.xlate = irq_domain_xlate_onecell,
};

/**
 * vdgpu_sim_irq_init() - create the device's interrupt controller
 * @sim: the device
 *
 * Context: Process context, may sleep.
 * Return: 0 or a negative errno.
 */
int vdgpu_sim_irq_init(struct vdgpu_sim *sim)
{
	int ret;

	sim->irq_work = IRQ_WORK_INIT_HARD(vdgpu_sim_irq_deliver);

	sim->fwnode = irq_domain_alloc_named_id_fwnode("vdgpu-sim", sim->id);
	if (!sim->fwnode)
		return -ENOMEM;

	sim->domain = irq_domain_create_linear(sim->fwnode, 1,
					       &vdgpu_sim_irq_domain_ops, sim);
	if (!sim->domain) {
		ret = -ENOMEM;
		goto err_free_fwnode;
	}

	sim->virq = irq_create_mapping(sim->domain, 0);
	if (!sim->virq) {
		ret = -ENOSPC;
		goto err_remove_domain;
	}
	return 0;

err_remove_domain:
	irq_domain_remove(sim->domain);
err_free_fwnode:
	irq_domain_free_fwnode(sim->fwnode);
	return ret;
}

/**
 * vdgpu_sim_irq_fini() - remove the device's interrupt controller
 * @sim: the device, whose platform device is gone and engines stopped
 *
 * Context: Process context, may sleep.
 */
void vdgpu_sim_irq_fini(struct vdgpu_sim *sim)
{
	irq_work_sync(&sim->irq_work);
	irq_dispose_mapping(sim->virq);
	irq_domain_remove(sim->domain);
	irq_domain_free_fwnode(sim->fwnode);
}
