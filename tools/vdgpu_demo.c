// SPDX-License-Identifier: GPL-2.0-only
/*
 * vdgpu_demo: show what a client sees of the vdgpu device.
 *
 * Opens the device through its primary node and prints the driver's
 * identity, the device's nodes and capabilities, its memory regions (from
 * debugfs, sizes in MiB) and the module parameters it was loaded with.
 * This is what "make run" shows in the VM; later versions will exercise
 * the GEM uAPI as it appears.
 *
 * Exit status: 0 on success, 1 if there is no vdgpu device, 2 on usage
 * errors.  Missing debugfs or module parameters are reported, not fatal.
 */

#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xf86drm.h>

#include "vdgpu_dev.h"

static void usage(FILE *f, const char *prog)
{
	fprintf(f,
		"Usage: %s [-h]\n"
		"Show the vdgpu device: driver, nodes, capabilities, memory regions\n"
		"(needs debugfs, so root) and module parameters.\n", prog);
}

/* Sizes in MiB, whole when they are. */
static void print_mib(uint64_t bytes, int width)
{
	if (bytes % VDGPU_MIB)
		printf("%*.1f", width, (double)bytes / VDGPU_MIB);
	else
		printf("%*llu", width, (unsigned long long)(bytes / VDGPU_MIB));
}

static void show_driver(int fd)
{
	drmVersionPtr v = drmGetVersion(fd);

	if (!v) {
		printf("  driver         (DRM_IOCTL_VERSION failed: %s)\n",
		       strerror(errno));
		return;
	}
	printf("  driver         %s %d.%d.%d\n", v->name, v->version_major,
	       v->version_minor, v->version_patchlevel);
	printf("  description    %s\n", v->desc);
	/* The driver date is deprecated: 6.12 reports "0" for every driver. */
	printf("  date           %s%s\n", v->date,
	       strcmp(v->date, "0") ? "" : " (no longer reported by the kernel)");
	drmFreeVersion(v);
}

static void show_nodes(int fd, const char *primary)
{
	char dev[PATH_MAX], bus[64], render[PATH_MAX];

	if (!vdgpu_dev_sysfs_device(fd, dev, sizeof(dev)) &&
	    !vdgpu_dev_bus_name(fd, bus, sizeof(bus)))
		printf("  device         %s (%s)\n", bus, dev);
	printf("  primary node   %s\n", primary);
	if (!vdgpu_dev_sibling(fd, VDGPU_NODE_RENDER, render, sizeof(render), NULL))
		printf("  render node    %s\n", render);
	else
		printf("  render node    (none)\n");
}

static void show_caps(int fd)
{
	static const struct {
		const char *name;
		uint64_t cap;
	} caps[] = {
		{ "syncobj", DRM_CAP_SYNCOBJ },
		{ "timeline-syncobj", DRM_CAP_SYNCOBJ_TIMELINE },
		{ "prime", DRM_CAP_PRIME },
		{ "dumb-buffer", DRM_CAP_DUMB_BUFFER },
	};
	const char *sep = "";
	size_t i;

	printf("  capabilities   ");
	for (i = 0; i < ARRAY_SIZE(caps); i++) {
		uint64_t value;

		if (drmGetCap(fd, caps[i].cap, &value) || !value)
			continue;
		printf("%s%s", sep, caps[i].name);
		sep = " ";
	}
	printf("%s\n", *sep ? "" : "(none)");
}

static void show_regions(int fd)
{
	struct vdgpu_region regions[VDGPU_MAX_REGIONS];
	char path[PATH_MAX];
	int n, i, ret;

	ret = vdgpu_regions_path(fd, path, sizeof(path));
	if (ret) {
		printf("\nMemory regions: cannot locate the device in sysfs: %s\n",
		       strerror(-ret));
		return;
	}

	ret = vdgpu_debugfs_mount();
	n = ret ? ret : vdgpu_regions_read(fd, regions, VDGPU_MAX_REGIONS);
	if (n < 0) {
		printf("\nMemory regions: cannot read %s: %s%s\n", path,
		       strerror(-n), n == -EACCES || n == -EPERM ?
		       " (debugfs needs root)" : "");
		return;
	}

	printf("\nMemory regions (%s)\n", path);
	printf("  %-10s %-8s %12s %12s\n", "name", "type", "total MiB",
	       "visible MiB");
	for (i = 0; i < n; i++) {
		printf("  %-10s %-8s ", regions[i].name, regions[i].type);
		print_mib(regions[i].total, 12);
		printf(" ");
		print_mib(regions[i].visible, 12);
		printf("\n");
	}
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static const char *param_note(const char *name, const char *value)
{
	if (!strcmp(name, "visible_vram_size"))
		return strcmp(value, "0") ? " MiB" : " (all of VRAM)";
	if (!strcmp(name, "vram_size") || !strcmp(name, "gart_size"))
		return " MiB";
	return "";
}

static void show_params(void)
{
	char *names[64];
	struct dirent *de;
	size_t count = 0, i;
	DIR *dir;

	dir = opendir(VDGPU_MODULE_PARAM_DIR);
	if (!dir) {
		printf("\nModule parameters: cannot open %s: %s\n",
		       VDGPU_MODULE_PARAM_DIR, strerror(errno));
		return;
	}
	while ((de = readdir(dir)) && count < ARRAY_SIZE(names)) {
		if (de->d_name[0] == '.')
			continue;
		names[count] = strdup(de->d_name);
		if (names[count])
			count++;
	}
	closedir(dir);
	qsort(names, count, sizeof(names[0]), cmp_str);

	printf("\nModule parameters (%s)\n", VDGPU_MODULE_PARAM_DIR);
	for (i = 0; i < count; i++) {
		char value[256];

		if (vdgpu_module_param_str(names[i], value, sizeof(value)))
			snprintf(value, sizeof(value), "(unreadable)");
		printf("  %-20s %s%s\n", names[i], value,
		       param_note(names[i], value));
		free(names[i]);
	}
}

int main(int argc, char **argv)
{
	char primary[PATH_MAX];
	int fd;

	if (argc > 1) {
		if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
			usage(stdout, argv[0]);
			return 0;
		}
		usage(stderr, argv[0]);
		return 2;
	}

	fd = vdgpu_dev_open(VDGPU_DRIVER_NAME, VDGPU_NODE_PRIMARY,
			    primary, sizeof(primary));
	if (fd < 0) {
		fprintf(stderr, "%s: no %s device: %s\n", argv[0],
			VDGPU_DRIVER_NAME, fd == -ENODEV ?
			"no such DRM node in " VDGPU_DRI_DIR
			" (is the module loaded?)" : strerror(-fd));
		return 1;
	}

	printf("vdgpu device\n");
	show_driver(fd);
	show_nodes(fd, primary);
	show_caps(fd);
	show_regions(fd);
	show_params();

	close(fd);
	return 0;
}
