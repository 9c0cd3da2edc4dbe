// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The vdgpu authors
 */

#include <linux/bitfield.h>
#include <linux/debugfs.h>
#include <linux/mutex.h>

#include "vdgpu_sim.h"

/**
 * DOC: Model test hooks
 *
 * Each emulated device has a directory /sys/kernel/debug/vdgpu_sim/<n>/,
 * where <n> is its platform device id, with hooks for breaking the device
 * on purpose.  They act on the hardware, behind the driver's back:
 *
 * engine<e>/hang (bool)
 *	While set, the engine stops fetching packets (INJECT.HANG).  Cleared by
 *	an engine reset.
 *
 * engine<e>/fail_next (u32, 0-255)
 *	The next so many packets fail with ERROR_CODE INJECTED
 *	(INJECT.FAIL_COUNT).
 *
 * vram_lost (write-only)
 *	Writing anything scrambles all of VRAM, as after a power loss.
 *
 * vram_bandwidth, pcie_bandwidth (u32, MB/s, 0 = unthrottled)
 *	The bandwidth model: engines take as long as moving their bytes through
 *	VRAM and over the bus at these rates would.
 *
 * The same injections are reachable through the INJECT and VRAM_LOST
 * registers, which is how KUnit tests use them.
 */

/* Serialises creation and removal of the shared top directory. */
static DEFINE_MUTEX(vdgpu_sim_debugfs_lock);
static struct dentry *vdgpu_sim_debugfs_root;
static unsigned int vdgpu_sim_debugfs_users;

static void vdgpu_sim_inject_update(struct vdgpu_sim_engine *e, int hang,
				    int fail_count)
{
	unsigned long flags;

	spin_lock_irqsave(&e->sim->lock, flags);
	if (hang >= 0)
		e->hang = hang;
	if (fail_count >= 0)
		e->fail_count = fail_count;
	spin_unlock_irqrestore(&e->sim->lock, flags);
	queue_work(e->sim->wq, &e->work);
}

static int vdgpu_sim_hang_get(void *data, u64 *val)
{
	struct vdgpu_sim_engine *e = data;

	*val = READ_ONCE(e->hang);
	return 0;
}

static int vdgpu_sim_hang_set(void *data, u64 val)
{
	vdgpu_sim_inject_update(data, !!val, -1);
	return 0;
}

DEFINE_DEBUGFS_ATTRIBUTE(vdgpu_sim_hang_fops, vdgpu_sim_hang_get,
			 vdgpu_sim_hang_set, "%llu\n");

static int vdgpu_sim_fail_get(void *data, u64 *val)
{
	struct vdgpu_sim_engine *e = data;

	*val = READ_ONCE(e->fail_count);
	return 0;
}

static int vdgpu_sim_fail_set(void *data, u64 val)
{
	if (val > FIELD_MAX(VDGPU_ENGINE_INJECT_FAIL_COUNT))
		return -EINVAL;
	vdgpu_sim_inject_update(data, -1, val);
	return 0;
}

DEFINE_DEBUGFS_ATTRIBUTE(vdgpu_sim_fail_fops, vdgpu_sim_fail_get,
			 vdgpu_sim_fail_set, "%llu\n");

static int vdgpu_sim_vram_lost_set(void *data, u64 val)
{
	struct vdgpu_sim *sim = data;

	vdgpu_sim_mmio_write(&sim->bus, VDGPU_REG_VRAM_LOST, 1);
	return 0;
}

DEFINE_DEBUGFS_ATTRIBUTE(vdgpu_sim_vram_lost_fops, NULL,
			 vdgpu_sim_vram_lost_set, "%llu\n");

/**
 * vdgpu_sim_debugfs_init() - create a device's test hooks
 * @sim: the device
 *
 * Failures are ignored, as debugfs wants.
 *
 * Context: Process context, may sleep.
 */
void vdgpu_sim_debugfs_init(struct vdgpu_sim *sim)
{
	char name[16];
	unsigned int i;

	mutex_lock(&vdgpu_sim_debugfs_lock);
	if (!vdgpu_sim_debugfs_users++)
		vdgpu_sim_debugfs_root = debugfs_create_dir("vdgpu_sim", NULL);
	snprintf(name, sizeof(name), "%d", sim->id);
	sim->debugfs = debugfs_create_dir(name, vdgpu_sim_debugfs_root);
	mutex_unlock(&vdgpu_sim_debugfs_lock);

	for (i = 0; i < VDGPU_NUM_ENGINES; i++) {
		struct vdgpu_sim_engine *e = &sim->engines[i];
		struct dentry *dir;

		snprintf(name, sizeof(name), "engine%u", i);
		dir = debugfs_create_dir(name, sim->debugfs);
		debugfs_create_file_unsafe("hang", 0600, dir, e,
					   &vdgpu_sim_hang_fops);
		debugfs_create_file_unsafe("fail_next", 0600, dir, e,
					   &vdgpu_sim_fail_fops);
	}
	debugfs_create_file_unsafe("vram_lost", 0200, sim->debugfs, sim,
				   &vdgpu_sim_vram_lost_fops);
	debugfs_create_u32("vram_bandwidth", 0600, sim->debugfs,
			   &sim->vram_bandwidth);
	debugfs_create_u32("pcie_bandwidth", 0600, sim->debugfs,
			   &sim->pcie_bandwidth);
}

/**
 * vdgpu_sim_debugfs_fini() - remove a device's test hooks
 * @sim: the device
 *
 * Context: Process context, may sleep.
 */
void vdgpu_sim_debugfs_fini(struct vdgpu_sim *sim)
{
	mutex_lock(&vdgpu_sim_debugfs_lock);
	debugfs_remove_recursive(sim->debugfs);
	if (!--vdgpu_sim_debugfs_users) {
		debugfs_remove(vdgpu_sim_debugfs_root);
		vdgpu_sim_debugfs_root = NULL;
	}
	mutex_unlock(&vdgpu_sim_debugfs_lock);
}
