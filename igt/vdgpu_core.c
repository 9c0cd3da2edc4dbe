// SPDX-License-Identifier: GPL-2.0-only
/*
 * vdgpu_core: what any DRM client sees of a vdgpu device through the core
 * DRM uAPI: identity, nodes, capabilities, syncobjs, per-file isolation,
 * the memory regions matching the module parameters, unknown ioctls, and
 * surviving an unbind with files open.
 *
 * Each subtest opens its own files and is documented where it is defined.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/sysinfo.h>
#include <time.h>
#include <unistd.h>

#include <xf86drm.h>
#include <drm/vdgpu_drm.h>

#include "igt_syncobj.h"
#include "vdgpu_igt.h"

#define WAIT_FOR_SUBMIT		DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT

static const char *errname(int err)
{
	return igt_errno_name(err);
}

/* DRM_IOCTL_VERSION with no buffers: 0 or a negative errno. */
static int version_ioctl(int fd)
{
	struct drm_version v = {};

	return __drm_ioctl(fd, DRM_IOCTL_VERSION, &v);
}

/*
 * version: DRM_IOCTL_VERSION names the driver "vdgpu" and reports a
 * non-empty description and date (the core reports "0" for the deprecated
 * date, which is fine: userspace only needs it non-empty).  The raw ioctl
 * follows the two-call
 * protocol libdrm relies on: with no buffers it reports the string
 * lengths, with a short buffer it fills exactly that many bytes and still
 * reports the full length.  The render node answers identically.
 */
static void test_version(void)
{
	struct drm_version raw = {};
	char name[3] = { 'x', 'x', 'x' };
	drmVersionPtr v, rv;
	int fd, rfd;

	fd = vdgpu_open_primary();
	v = drmGetVersion(fd);
	igt_assert(v);
	igt_info("driver %s %d.%d.%d, %s, %s\n", v->name, v->version_major,
		 v->version_minor, v->version_patchlevel, v->date, v->desc);

	igt_assert_eq_str(v->name, VDGPU_DRIVER_NAME);
	igt_assert_gt(v->desc_len, 0);
	igt_assert_eq(strlen(v->desc), v->desc_len);
	igt_assert_gt(v->date_len, 0);
	igt_assert_eq(strlen(v->date), v->date_len);
	igt_assert_gte(v->version_major, 1);

	/* Lengths only. */
	igt_assert_err(__drm_ioctl(fd, DRM_IOCTL_VERSION, &raw), 0);
	igt_assert_eq(raw.name_len, v->name_len);
	igt_assert_eq(raw.desc_len, v->desc_len);
	igt_assert_eq(raw.date_len, v->date_len);
	igt_assert_eq(raw.version_major, v->version_major);
	igt_assert_eq(raw.version_minor, v->version_minor);
	igt_assert_eq(raw.version_patchlevel, v->version_patchlevel);

	/* Truncated copy: two bytes written, full length reported. */
	memset(&raw, 0, sizeof(raw));
	raw.name = name;
	raw.name_len = 2;
	igt_assert_err(__drm_ioctl(fd, DRM_IOCTL_VERSION, &raw), 0);
	igt_assert_eq(raw.name_len, strlen(VDGPU_DRIVER_NAME));
	igt_assert(name[0] == 'v' && name[1] == 'd' && name[2] == 'x');

	rfd = vdgpu_open_render();
	rv = drmGetVersion(rfd);
	igt_assert(rv);
	igt_assert_eq_str(rv->name, v->name);
	igt_assert_eq_str(rv->desc, v->desc);
	igt_assert_eq_str(rv->date, v->date);
	igt_assert_eq(rv->version_major, v->version_major);
	igt_assert_eq(rv->version_minor, v->version_minor);
	igt_assert_eq(rv->version_patchlevel, v->version_patchlevel);

	drmFreeVersion(rv);
	drmFreeVersion(v);
	close(rfd);
	close(fd);
}

/*
 * render-node: the render node opens, is a render node of the same device
 * as the primary node, and answers what render clients may use (VERSION,
 * GET_CAP, syncobjs).  Ioctls reserved to primary clients are refused with
 * -EACCES, drm_ioctl_permit()'s answer for an ioctl without
 * DRM_RENDER_ALLOW: SET_MASTER, DROP_MASTER, GET_MAGIC, AUTH_MAGIC (what
 * drmAuthMagic() issues) and GET_UNIQUE.
 */
static void test_render_node(void)
{
	static const struct {
		const char *name;
		unsigned long request;
	} primary_only[] = {
		{ "SET_MASTER", DRM_IOCTL_SET_MASTER },
		{ "DROP_MASTER", DRM_IOCTL_DROP_MASTER },
		{ "GET_MAGIC", DRM_IOCTL_GET_MAGIC },
		{ "AUTH_MAGIC", DRM_IOCTL_AUTH_MAGIC },
		{ "GET_UNIQUE", DRM_IOCTL_GET_UNIQUE },
	};
	char rpath[PATH_MAX], ppath[PATH_MAX];
	char rdev[PATH_MAX], pdev[PATH_MAX];
	unsigned int minor;
	uint64_t value;
	drmVersionPtr v;
	size_t i;
	int fd, rfd;

	rfd = vdgpu_open(VDGPU_NODE_RENDER, rpath, sizeof(rpath));
	fd = vdgpu_open(VDGPU_NODE_PRIMARY, ppath, sizeof(ppath));
	igt_info("primary %s, render %s\n", ppath, rpath);

	igt_assert_eq(vdgpu_dev_node_type(rfd), VDGPU_NODE_RENDER);
	igt_assert_eq(vdgpu_dev_node_type(fd), VDGPU_NODE_PRIMARY);
	igt_assert_err(vdgpu_dev_minor(rfd, &minor), 0);
	igt_assert_gte(minor, 128);

	igt_assert_err(vdgpu_dev_sysfs_device(rfd, rdev, sizeof(rdev)), 0);
	igt_assert_err(vdgpu_dev_sysfs_device(fd, pdev, sizeof(pdev)), 0);
	igt_assert_eq_str(rdev, pdev);

	v = drmGetVersion(rfd);
	igt_assert(v);
	igt_assert_eq_str(v->name, VDGPU_DRIVER_NAME);
	drmFreeVersion(v);

	igt_assert_err(__drm_get_cap(rfd, DRM_CAP_SYNCOBJ, &value), 0);
	syncobj_destroy(rfd, syncobj_create(rfd, 0));

	for (i = 0; i < ARRAY_SIZE(primary_only); i++) {
		union {
			struct drm_auth auth;
			struct drm_unique unique;
		} arg;
		int ret;

		memset(&arg, 0, sizeof(arg));
		ret = __drm_ioctl(rfd, primary_only[i].request, &arg);
		igt_assert_f(ret == -EACCES,
			     "%s on the render node returned %d (%s), expected -EACCES\n",
			     primary_only[i].name, ret, errname(ret));
	}

	close(fd);
	close(rfd);
}

/*
 * caps: DRM_CAP_SYNCOBJ and DRM_CAP_SYNCOBJ_TIMELINE are 1 on both nodes,
 * as the driver declares DRIVER_SYNCOBJ and DRIVER_SYNCOBJ_TIMELINE, and
 * the core's unconditional caps are sane (PRIME import and export,
 * monotonic timestamps).  vdgpu has no KMS: DRM_CAP_DUMB_BUFFER is not
 * required, and the core refuses display caps and unknown caps alike
 * without KMS (-EOPNOTSUPP).
 */
static void test_caps(void)
{
	int fds[2], i;

	fds[0] = vdgpu_open_primary();
	fds[1] = vdgpu_open_render();

	for (i = 0; i < 2; i++) {
		int fd = fds[i];
		uint64_t value;
		int ret;

		value = 0;
		igt_assert_err(__drm_get_cap(fd, DRM_CAP_SYNCOBJ, &value), 0);
		igt_assert_eq_u64(value, 1);

		value = 0;
		igt_assert_err(__drm_get_cap(fd, DRM_CAP_SYNCOBJ_TIMELINE, &value), 0);
		igt_assert_eq_u64(value, 1);

		value = 0;
		igt_assert_err(__drm_get_cap(fd, DRM_CAP_PRIME, &value), 0);
		igt_assert_eq_u64(value, DRM_PRIME_CAP_IMPORT | DRM_PRIME_CAP_EXPORT);

		value = 0;
		igt_assert_err(__drm_get_cap(fd, DRM_CAP_TIMESTAMP_MONOTONIC, &value), 0);
		igt_assert_eq_u64(value, 1);

		value = 0;
		ret = __drm_get_cap(fd, DRM_CAP_DUMB_BUFFER, &value);
		igt_assert_f(ret == 0 || ret == -EOPNOTSUPP,
			     "DRM_CAP_DUMB_BUFFER returned %d (%s)\n", ret, errname(ret));
		igt_info("%s: DRM_CAP_DUMB_BUFFER %s\n", i ? "render" : "primary",
			 ret ? "not supported" : value ? "1" : "0");

		igt_assert_err(__drm_get_cap(fd, 0xdeadbeef, &value), -EOPNOTSUPP);
	}

	close(fds[1]);
	close(fds[0]);
}

/*
 * syncobj-create-destroy: binary syncobjs are created signaled or not,
 * waited on, signaled, reset and destroyed; a destroyed handle is gone (a
 * second destroy is -EINVAL, a wait -ENOENT); unknown create flags and
 * non-zero padding are -EINVAL; a timeline syncobj signals a point and
 * reports it; handles are recycled without leaking; the primary node
 * works as well as the render node.
 */
static void test_syncobj_create_destroy(void)
{
	struct drm_syncobj_destroy destroy;
	uint32_t h, s, t, handles[256];
	uint64_t point;
	int fd, pfd;
	size_t i;

	fd = vdgpu_open_render();

	h = syncobj_create(fd, 0);
	s = syncobj_create(fd, DRM_SYNCOBJ_CREATE_SIGNALED);
	igt_assert_neq(h, s);

	/* A signaled object is done; an empty one times out or has no fence. */
	igt_assert_err(__syncobj_wait(fd, s, 0), 0);
	igt_assert_err(__syncobj_wait(fd, h, WAIT_FOR_SUBMIT), -ETIME);
	igt_assert_err(__syncobj_wait(fd, h, 0), -EINVAL);

	igt_assert_err(__syncobj_signal(fd, h), 0);
	igt_assert_err(__syncobj_wait(fd, h, 0), 0);
	igt_assert_err(__syncobj_reset(fd, h), 0);
	igt_assert_err(__syncobj_wait(fd, h, WAIT_FOR_SUBMIT), -ETIME);

	syncobj_destroy(fd, h);
	igt_assert_err(__syncobj_destroy(fd, h), -EINVAL);
	igt_assert_err(__syncobj_wait(fd, h, 0), -ENOENT);
	igt_assert_err(__syncobj_signal(fd, h), -ENOENT);

	igt_assert_err(__syncobj_create(fd, ~DRM_SYNCOBJ_CREATE_SIGNALED, &h), -EINVAL);
	memset(&destroy, 0, sizeof(destroy));
	destroy.handle = s;
	destroy.pad = 1;
	igt_assert_err(__drm_ioctl(fd, DRM_IOCTL_SYNCOBJ_DESTROY, &destroy), -EINVAL);
	syncobj_destroy(fd, s);

	/* Timeline: signal point 5, which also completes every earlier point. */
	t = syncobj_create(fd, 0);
	igt_assert_err(__syncobj_timeline_signal(fd, t, 5), 0);
	point = 0;
	igt_assert_err(__syncobj_query(fd, t, &point), 0);
	igt_assert_eq_u64(point, 5);
	igt_assert_err(__syncobj_timeline_wait(fd, t, 3, 0), 0);
	igt_assert_err(__syncobj_timeline_wait(fd, t, 5, 0), 0);
	igt_assert_err(__syncobj_timeline_wait(fd, t, 7, WAIT_FOR_SUBMIT), -ETIME);
	syncobj_destroy(fd, t);

	/* Many at once, all distinct, all destroyable. */
	for (i = 0; i < ARRAY_SIZE(handles); i++) {
		size_t j;

		handles[i] = syncobj_create(fd, i & 1 ? DRM_SYNCOBJ_CREATE_SIGNALED : 0);
		for (j = 0; j < i; j++)
			igt_assert_neq(handles[i], handles[j]);
	}
	for (i = 0; i < ARRAY_SIZE(handles); i++)
		syncobj_destroy(fd, handles[i]);

	pfd = vdgpu_open_primary();
	h = syncobj_create(pfd, DRM_SYNCOBJ_CREATE_SIGNALED);
	igt_assert_err(__syncobj_wait(pfd, h, 0), 0);
	syncobj_destroy(pfd, h);

	close(pfd);
	close(fd);
}

/*
 * module-params: the memory regions in debugfs are the configuration the
 * module was loaded with.  vram0 (type vram) has vram_size MiB with a
 * CPU-visible window of visible_vram_size MiB, all of VRAM when that is 0;
 * gtt (type gtt) has gart_size MiB; system (type system) is the machine's
 * RAM.  Every region appears once, and none is more visible than it is
 * large.
 */
static void test_module_params(void)
{
	struct vdgpu_region r[VDGPU_MAX_REGIONS];
	uint64_t vram, visible, gart, ram, diff;
	const struct vdgpu_region *reg;
	struct sysinfo si;
	int fd, n, i, j;

	fd = vdgpu_open_primary();
	vram = vdgpu_require_param_u64("vram_size");
	visible = vdgpu_require_param_u64("visible_vram_size");
	gart = vdgpu_require_param_u64("gart_size");
	igt_info("vram_size=%llu visible_vram_size=%llu gart_size=%llu (MiB)\n",
		 (unsigned long long)vram, (unsigned long long)visible,
		 (unsigned long long)gart);

	n = vdgpu_require_regions(fd, r, ARRAY_SIZE(r));
	for (i = 0; i < n; i++) {
		igt_info("region %s: type %s, total %llu, visible %llu\n",
			 r[i].name, r[i].type, (unsigned long long)r[i].total,
			 (unsigned long long)r[i].visible);
		igt_assert_lte_u64(r[i].visible, r[i].total);
		for (j = 0; j < i; j++)
			igt_assert_f(strcmp(r[i].name, r[j].name),
				     "region %s listed twice\n", r[i].name);
	}

	reg = vdgpu_region_find(r, n, "vram0");
	igt_assert_f(reg, "no vram0 region\n");
	igt_assert_eq_str(reg->type, "vram");
	igt_assert_eq_u64(reg->total, vram * VDGPU_MIB);
	igt_assert_eq_u64(reg->visible, (visible ?: vram) * VDGPU_MIB);

	reg = vdgpu_region_find(r, n, "gtt");
	igt_assert_f(reg, "no gtt region\n");
	igt_assert_eq_str(reg->type, "gtt");
	igt_assert_eq_u64(reg->total, gart * VDGPU_MIB);

	/*
	 * The driver reports totalram_pages(), which is what sysinfo() says
	 * too; allow 1% for memory coming and going in between.
	 */
	reg = vdgpu_region_find(r, n, "system");
	igt_assert_f(reg, "no system region\n");
	igt_assert_eq_str(reg->type, "system");
	igt_assert_err(sysinfo(&si) ? -errno : 0, 0);
	ram = (uint64_t)si.totalram * si.mem_unit;
	diff = reg->total > ram ? reg->total - ram : ram - reg->total;
	igt_assert_f(diff <= ram / 100,
		     "system region %llu bytes, sysinfo() %llu bytes\n",
		     (unsigned long long)reg->total, (unsigned long long)ram);

	close(fd);
}

/*
 * Driver-private ioctls of the uAPI (include/uapi/drm/vdgpu_drm.h), as
 * offsets from DRM_COMMAND_BASE.  Version 1.0 has none, 1.1 the memory
 * uAPI (tested by vdgpu_gem); add a case for each new one so that
 * unknown-ioctl keeps probing only unused numbers.
 */
static bool vdgpu_ioctl_implemented(unsigned int offset)
{
	switch (offset) {
	case DRM_VDGPU_QUERY:
	case DRM_VDGPU_GEM_CREATE:
	case DRM_VDGPU_GEM_MMAP_OFFSET:
	case DRM_VDGPU_GEM_WAIT:
	case DRM_VDGPU_GEM_INFO:
	case DRM_VDGPU_GEM_MADVISE:
	case DRM_VDGPU_VM_CREATE:
	case DRM_VDGPU_VM_DESTROY:
	case DRM_VDGPU_VM_BIND:
	case DRM_VDGPU_EXEC_QUEUE_CREATE:
	case DRM_VDGPU_EXEC_QUEUE_DESTROY:
	case DRM_VDGPU_EXEC:
		return true;
	default:
		return false;
	}
}

/*
 * unknown-ioctl: every driver-private ioctl number vdgpu does not
 * implement, DRM_COMMAND_BASE to DRM_COMMAND_END - 1, fails with -EINVAL:
 * drm_ioctl() answers that for a number beyond the driver's table (and
 * for a hole in it), whatever direction and size the request encodes, on
 * both nodes and before looking at the argument.  A request of another
 * ioctl type is -ENOTTY.  The files keep working afterwards.
 */
static void test_unknown_ioctl(void)
{
	unsigned char buf[256];
	unsigned int nr, probed = 0;
	int fds[2], i;

	fds[0] = vdgpu_open_primary();
	fds[1] = vdgpu_open_render();

	for (i = 0; i < 2; i++) {
		for (nr = DRM_COMMAND_BASE; nr < DRM_COMMAND_END; nr++) {
			const unsigned long requests[] = {
				_IOC(_IOC_NONE, DRM_IOCTL_BASE, nr, 0),
				_IOC(_IOC_READ, DRM_IOCTL_BASE, nr, 8),
				_IOC(_IOC_WRITE, DRM_IOCTL_BASE, nr, 64),
				_IOC(_IOC_READ | _IOC_WRITE, DRM_IOCTL_BASE, nr, 256),
			};
			size_t k;

			if (vdgpu_ioctl_implemented(nr - DRM_COMMAND_BASE))
				continue;

			for (k = 0; k < ARRAY_SIZE(requests); k++) {
				int ret;

				memset(buf, 0, sizeof(buf));
				ret = __drm_ioctl(fds[i], requests[k], buf);
				igt_assert_f(ret == -EINVAL,
					     "%s node: ioctl 0x%08lx returned %d (%s)\n",
					     i ? "render" : "primary", requests[k],
					     ret, errname(ret));
				probed++;
			}
		}

		igt_assert_err(__drm_ioctl(fds[i], _IOWR('Z', 0x40, buf), buf), -ENOTTY);
	}
	igt_info("%u requests refused\n", probed);

	for (i = 0; i < 2; i++) {
		drmVersionPtr v = drmGetVersion(fds[i]);

		igt_assert(v);
		drmFreeVersion(v);
		close(fds[i]);
	}
}

/* Bus name of the device unbind-with-open-file works on, for the cleanup. */
static char unbind_dev[64];

static bool device_bound(const char *dev)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", VDGPU_PLATFORM_DRIVER_DIR, dev);
	return access(path, F_OK) == 0;
}

/* Cleanup: never leave the device unbound for the tests after us. */
static void rebind_device(void *data)
{
	const char *dev = data;
	int ret;

	if (device_bound(dev))
		return;
	ret = vdgpu_write_file(VDGPU_PLATFORM_DRIVER_DIR "/bind", dev);
	if (ret)
		igt_warn("Cannot bind %s again: %s\n", dev, strerror(-ret));
}

static int open_new_device(enum vdgpu_node_type type, char *path, size_t len)
{
	struct timespec delay = { .tv_nsec = 20 * 1000 * 1000 };
	int fd, tries;

	/*
	 * devtmpfs creates the nodes before bind returns; the retries are
	 * for a udev that may recreate them.
	 */
	for (tries = 0; tries < 250; tries++) {
		fd = vdgpu_dev_open(vdgpu_driver_name(), type, path, len);
		if (fd != -ENODEV)
			return fd;
		nanosleep(&delay, NULL);
	}
	return fd;
}

/*
 * unbind-with-open-file: unbinding the platform driver while a primary and
 * a render file are open (one holding a syncobj) unplugs the device: every
 * ioctl on those files fails with -ENODEV, the device's nodes go away,
 * and closing a file of the dead device is harmless, before and after the
 * driver is bound again.  Binding again registers a new, working device
 * whose nodes can be opened and used, while the old file stays dead.
 * Needs root and a writable sysfs; the device is rebound even if the test
 * fails.
 */
static void test_unbind_with_open_file(void)
{
	char ppath[PATH_MAX], rpath[PATH_MAX], path[PATH_MAX];
	drmVersionPtr v;
	int fd, rfd, old, ret;
	uint32_t h;

	fd = vdgpu_open(VDGPU_NODE_PRIMARY, ppath, sizeof(ppath));
	rfd = vdgpu_open(VDGPU_NODE_RENDER, rpath, sizeof(rpath));
	igt_require_f(geteuid() == 0, "Unbinding the driver needs root\n");
	igt_require_f(access(VDGPU_PLATFORM_DRIVER_DIR "/unbind", W_OK) == 0 &&
		      access(VDGPU_PLATFORM_DRIVER_DIR "/bind", W_OK) == 0,
		      "%s/{bind,unbind} not writable\n", VDGPU_PLATFORM_DRIVER_DIR);
	igt_assert_err(vdgpu_dev_bus_name(fd, unbind_dev, sizeof(unbind_dev)), 0);
	igt_assert_f(device_bound(unbind_dev), "%s is not bound to %s\n",
		     unbind_dev, VDGPU_PLATFORM_DRIVER_DIR);
	h = syncobj_create(rfd, DRM_SYNCOBJ_CREATE_SIGNALED);
	igt_info("unbinding %s with %s and %s open\n", unbind_dev, ppath, rpath);

	igt_cleanup_push(rebind_device, unbind_dev);
	ret = vdgpu_write_file(VDGPU_PLATFORM_DRIVER_DIR "/unbind", unbind_dev);
	igt_assert_err(ret, 0);
	igt_assert(!device_bound(unbind_dev));

	/* The open files now belong to an unplugged device. */
	igt_assert(!drmGetVersion(fd));
	igt_assert_err(version_ioctl(fd), -ENODEV);
	igt_assert_err(version_ioctl(rfd), -ENODEV);
	igt_assert_err(__syncobj_wait(rfd, h, 0), -ENODEV);
	igt_assert_err(__syncobj_destroy(rfd, h), -ENODEV);

	/* Its nodes are gone (or, reused, belong to someone else). */
	old = open(ppath, O_RDWR | O_CLOEXEC);
	if (old >= 0) {
		v = drmGetVersion(old);
		igt_assert_f(!v || strcmp(v->name, vdgpu_driver_name()),
			     "%s still is a %s node\n", ppath, v->name);
		drmFreeVersion(v);
		close(old);
	}

	/* Closing a file of the dead device is fine. */
	igt_assert_eq(close(fd), 0);

	ret = vdgpu_write_file(VDGPU_PLATFORM_DRIVER_DIR "/bind", unbind_dev);
	igt_assert_err(ret, 0);
	igt_assert(device_bound(unbind_dev));
	igt_cleanup_pop(false);

	/* The old render file stays dead after the rebind. */
	igt_assert_err(version_ioctl(rfd), -ENODEV);
	igt_assert_eq(close(rfd), 0);

	/* A new device, fully working. */
	fd = open_new_device(VDGPU_NODE_PRIMARY, path, sizeof(path));
	igt_assert_f(fd >= 0, "No %s primary node after rebinding: %s\n",
		     vdgpu_driver_name(), strerror(-fd));
	v = drmGetVersion(fd);
	igt_assert(v);
	igt_assert_eq_str(v->name, VDGPU_DRIVER_NAME);
	drmFreeVersion(v);

	rfd = open_new_device(VDGPU_NODE_RENDER, rpath, sizeof(rpath));
	igt_assert_f(rfd >= 0, "No %s render node after rebinding: %s\n",
		     vdgpu_driver_name(), strerror(-rfd));
	igt_info("rebound: %s and %s\n", path, rpath);
	h = syncobj_create(rfd, DRM_SYNCOBJ_CREATE_SIGNALED);
	igt_assert_err(__syncobj_wait(rfd, h, 0), 0);
	syncobj_destroy(rfd, h);

	close(rfd);
	close(fd);
}

/*
 * two-files-isolated: syncobj handles belong to the file that made them.
 * In another file of the same device the handle means nothing (-ENOENT to
 * wait or reset it, -EINVAL to destroy or export it, as drm_syncobj.c
 * answers); the same handle number in two files names two objects;
 * destroying one leaves the other alone.  Sharing takes an explicit export
 * to a file descriptor and import, after which both handles name one
 * object that outlives the exporting file.
 */
static void test_two_files_isolated(void)
{
	uint32_t ha, hb, shared;
	int a, b, obj_fd;

	a = vdgpu_open_render();
	b = vdgpu_open_render();

	ha = syncobj_create(a, DRM_SYNCOBJ_CREATE_SIGNALED);
	igt_assert_err(__syncobj_wait(b, ha, 0), -ENOENT);
	igt_assert_err(__syncobj_reset(b, ha), -ENOENT);
	igt_assert_err(__syncobj_destroy(b, ha), -EINVAL);
	igt_assert_err(__syncobj_handle_to_fd(b, ha, &obj_fd), -EINVAL);
	igt_assert_err(__syncobj_wait(a, ha, 0), 0);

	/* Per-file handle spaces: b's first handle is usually a's too. */
	hb = syncobj_create(b, 0);
	igt_info("handle %u in file a, %u in file b\n", ha, hb);
	igt_assert_err(__syncobj_wait(b, hb, WAIT_FOR_SUBMIT), -ETIME);
	igt_assert_err(__syncobj_wait(a, ha, 0), 0);
	syncobj_destroy(b, hb);
	igt_assert_err(__syncobj_wait(a, ha, 0), 0);

	/* Explicit sharing. */
	igt_assert_err(__syncobj_handle_to_fd(a, ha, &obj_fd), 0);
	igt_assert_err(__syncobj_fd_to_handle(b, obj_fd, &shared), 0);
	close(obj_fd);
	igt_assert_err(__syncobj_wait(b, shared, 0), 0);
	igt_assert_err(__syncobj_reset(b, shared), 0);
	igt_assert_err(__syncobj_wait(a, ha, WAIT_FOR_SUBMIT), -ETIME);

	/* The object lives on in b after a goes away. */
	close(a);
	igt_assert_err(__syncobj_signal(b, shared), 0);
	igt_assert_err(__syncobj_wait(b, shared, 0), 0);
	syncobj_destroy(b, shared);

	close(b);
}

static const struct igt_subtest subtests[] = {
	{ "version", test_version,
	  "Driver name, description, date and version, on both nodes." },
	{ "render-node", test_render_node,
	  "The render node works for render clients and refuses primary-only ioctls." },
	{ "caps", test_caps,
	  "Syncobj and timeline capabilities, no KMS capabilities." },
	{ "syncobj-create-destroy", test_syncobj_create_destroy,
	  "Binary and timeline syncobj life cycle and argument checks." },
	{ "module-params", test_module_params,
	  "The debugfs memory regions match the module parameters." },
	{ "unknown-ioctl", test_unknown_ioctl,
	  "Unimplemented driver ioctl numbers fail with -EINVAL." },
	{ "unbind-with-open-file", test_unbind_with_open_file,
	  "Unbinding with open files unplugs the device; rebinding brings a new one." },
	{ "two-files-isolated", test_two_files_isolated,
	  "Syncobj handles are private to the file that created them." },
};

int main(int argc, char **argv)
{
	return igt_run(argc, argv,
		       "Core DRM uAPI of vdgpu: identity, nodes, capabilities, "
		       "syncobjs, memory regions, unplug.",
		       subtests, ARRAY_SIZE(subtests));
}
