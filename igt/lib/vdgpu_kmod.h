/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Loading and unloading the vdgpu module from a subtest.
 *
 * A subtest that needs the device in another configuration (a small BAR,
 * little VRAM) or that tests the module's life cycle calls
 * vdgpu_kmod_prepare() first: it skips unless we are root on a machine
 * with vdgpu loaded and its module file installed, records the parameters
 * the module is loaded with, and registers a cleanup handler that, whatever
 * the outcome, closes the DRM files of the process and loads the module
 * again with exactly those parameters.
 *
 * The module is loaded with finit_module(2) from the file modules.dep
 * names for "vdgpu" (what "modinfo -n vdgpu" prints), so that the kernel's
 * answer reaches the test unchanged; its dependencies (drm, ttm...) stay
 * loaded while vdgpu is out.  Needs root (CAP_SYS_MODULE).
 *
 * These helpers use the harness (igt_assert and friends): call them only
 * from a subtest.
 */
#ifndef VDGPU_KMOD_H
#define VDGPU_KMOD_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#define VDGPU_KMOD_NAME			"vdgpu"
#define VDGPU_KMOD_SYS_DIR		"/sys/module/" VDGPU_KMOD_NAME
#define VDGPU_KMOD_PLATFORM_DEVICE	"/sys/bus/platform/devices/vdgpu.0"

/* How long the kernel may take to settle after a load or an unload. */
#define VDGPU_KMOD_SETTLE_MS		10000

/* Paths of the DRM nodes of a device, as found by vdgpu_kmod_check_device(). */
struct vdgpu_kmod_nodes {
	char primary[PATH_MAX];
	char render[PATH_MAX];
};

/*
 * Skip unless the module can be reloaded, record its parameters and
 * register the cleanup handler that restores them.  Once per subtest.
 */
void vdgpu_kmod_prepare(void);

/* What vdgpu_kmod_prepare() recorded: the module file and its parameters. */
const char *vdgpu_kmod_path(void);
const char *vdgpu_kmod_saved_params(void);

/*
 * The current parameters as one "name=value ..." string sorted by name,
 * which is both what finit_module() takes and what we compare.  0 or a
 * negative errno.
 */
int vdgpu_kmod_read_params(char *buf, size_t len);

bool vdgpu_kmod_loaded(void);

/* Number of /sys/class/drm entries (cardN, renderDN) driven by vdgpu. */
int vdgpu_kmod_count_nodes(void);

/* The raw system calls: 0 or a negative errno. */
int __vdgpu_kmod_load(const char *params);	/* finit_module() */
int __vdgpu_kmod_unload(void);			/* delete_module(O_NONBLOCK) */

/*
 * Open both nodes, check they answer DRM_IOCTL_VERSION as vdgpu, record
 * their paths in @nodes (may be NULL) and close them.
 */
void vdgpu_kmod_check_device(struct vdgpu_kmod_nodes *nodes);

/*
 * After an unload or a failed load: no module, no platform device, no DRM
 * node of vdgpu, and none of the node paths in @nodes (may be NULL).
 */
void vdgpu_kmod_assert_gone(const struct vdgpu_kmod_nodes *nodes);

/* Load with @params and wait for a working device (@nodes may be NULL). */
void vdgpu_kmod_load(const char *params, struct vdgpu_kmod_nodes *nodes);

/*
 * Unload, retrying for a while if someone holds the module for a moment,
 * and check that the device and its nodes are gone.
 */
void vdgpu_kmod_unload(const struct vdgpu_kmod_nodes *nodes);

/* Unload and load again with @params. */
void vdgpu_kmod_reload(const char *params);

/*
 * Unbind the platform driver from device @bus (e.g. "vdgpu.0") through
 * sysfs and check it is unbound; bind it again and wait for a working
 * device (@nodes may be NULL).  The cleanup of vdgpu_kmod_prepare()
 * reloads the module if a subtest leaves the device unbound.
 */
void vdgpu_kmod_unbind(const char *bus);
void vdgpu_kmod_bind(const char *bus, struct vdgpu_kmod_nodes *nodes);

/* The current parameters are @expected ("name=value ...", sorted). */
void vdgpu_kmod_assert_params(const char *expected);

#endif /* VDGPU_KMOD_H */
