/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vdgpu userspace device helpers.
 *
 * Plain helpers shared by the IGT-style tests (igt/) and the demo client
 * (tools/): find and open the vdgpu DRM nodes, read the module parameters
 * and parse the debugfs "regions" file.  Nothing in here knows about the
 * test harness: every function reports errors as a negative errno and
 * leaves the policy (skip, fail, print) to the caller.
 */
#ifndef VDGPU_DEV_H
#define VDGPU_DEV_H

#include <stddef.h>
#include <stdint.h>

#define VDGPU_DRIVER_NAME		"vdgpu"
#define VDGPU_DRI_DIR			"/dev/dri"
#define VDGPU_MODULE_PARAM_DIR		"/sys/module/vdgpu/parameters"
#define VDGPU_PLATFORM_DRIVER_DIR	"/sys/bus/platform/drivers/vdgpu"
#define VDGPU_DEBUGFS_ROOT		"/sys/kernel/debug"

#define VDGPU_MIB			(1024ull * 1024ull)

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)			(sizeof(a) / sizeof((a)[0]))
#endif
#define VDGPU_MAX_REGIONS		16

enum vdgpu_node_type {
	VDGPU_NODE_PRIMARY,	/* /dev/dri/cardN */
	VDGPU_NODE_RENDER,	/* /dev/dri/renderDN */
};

/**
 * vdgpu_dev_open - open the first DRM node of @type driven by @driver
 * @driver: DRM driver name to match (drmGetVersion()->name)
 * @type: primary or render node
 * @path: if not NULL, receives the path of the opened node
 * @path_len: size of @path
 *
 * Nodes are tried in ascending minor order.  Returns the file descriptor
 * (O_RDWR | O_CLOEXEC) or -ENODEV if no node of that type belongs to
 * @driver.
 */
int vdgpu_dev_open(const char *driver, enum vdgpu_node_type type,
		   char *path, size_t path_len);

/* Node type of an open DRM file descriptor, or negative errno. */
int vdgpu_dev_node_type(int fd);

/* Character device minor of an open DRM node, or negative errno. */
int vdgpu_dev_minor(int fd, unsigned int *minor);

/*
 * Canonical sysfs path of the parent device (for vdgpu
 * "/sys/devices/platform/vdgpu.0"), shared by all nodes of one device.
 */
int vdgpu_dev_sysfs_device(int fd, char *buf, size_t len);

/* Bus name of the parent device, e.g. "vdgpu.0". */
int vdgpu_dev_bus_name(int fd, char *buf, size_t len);

/*
 * Path in /dev/dri of the @type node of the device @fd belongs to (so a
 * render fd can find its primary node and vice versa), and its minor.
 */
int vdgpu_dev_sibling(int fd, enum vdgpu_node_type type,
		      char *path, size_t len, unsigned int *minor);

/*
 * Read a small text file (sysfs, debugfs) into @buf, NUL-terminated.
 * Returns the number of bytes read or a negative errno; -EFBIG if the
 * file does not fit.
 */
int vdgpu_read_file(const char *path, char *buf, size_t len);

/*
 * Read a whole file of any size (debugfs listings) into a NUL-terminated
 * buffer allocated with malloc(), *@out, which the caller frees.  Returns
 * its length or a negative errno; *@out is set only on success.
 */
int vdgpu_read_file_alloc(const char *path, char **out);

/* Read a file holding one unsigned decimal number. */
int vdgpu_read_u64(const char *path, uint64_t *val);

/* Write @str to a sysfs attribute. */
int vdgpu_write_file(const char *path, const char *str);

/* /sys/module/vdgpu/parameters/@name as a number / as a string. */
int vdgpu_module_param_u64(const char *name, uint64_t *val);
int vdgpu_module_param_str(const char *name, char *buf, size_t len);

struct vdgpu_region {
	char name[32];
	char type[16];
	uint64_t total;		/* bytes */
	uint64_t visible;	/* bytes */
};

/**
 * vdgpu_regions_parse - parse the text of the debugfs regions file
 * @text: NUL-terminated file contents
 * @regions: output array
 * @max: number of entries in @regions
 *
 * One region per line: "name=<name> type=<type> total=<bytes>
 * visible=<bytes>".  The four keys are required, each at most once;
 * other key=value tokens are ignored so the file may grow.  Blank lines
 * are ignored.  Returns the number of regions, -EINVAL on malformed
 * input or -E2BIG if there are more than @max regions.
 */
int vdgpu_regions_parse(const char *text, struct vdgpu_region *regions,
			int max);

/*
 * Make sure debugfs is mounted at VDGPU_DEBUGFS_ROOT, mounting it if we
 * are allowed to.  Returns 0 if debugfs is available.
 */
int vdgpu_debugfs_mount(void);

/* Path of the regions file of the device @fd (any node) belongs to. */
int vdgpu_regions_path(int fd, char *buf, size_t len);

/* Read and parse the regions file of the device @fd belongs to. */
int vdgpu_regions_read(int fd, struct vdgpu_region *regions, int max);

/* Region called @name, or NULL. */
const struct vdgpu_region *vdgpu_region_find(const struct vdgpu_region *regions,
					     int count, const char *name);

#endif /* VDGPU_DEV_H */
