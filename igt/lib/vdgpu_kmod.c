// SPDX-License-Identifier: GPL-2.0-only
/*
 * Loading and unloading the vdgpu module from a subtest, see vdgpu_kmod.h.
 */

#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include <xf86drm.h>

#include "vdgpu_igt.h"
#include "vdgpu_kmod.h"

#ifndef MODULE_INIT_COMPRESSED_FILE
#define MODULE_INIT_COMPRESSED_FILE	4
#endif

#define SYS_CLASS_DRM		"/sys/class/drm"

/* The module under test and the parameters to put back. */
static struct {
	char path[PATH_MAX];
	unsigned int flags;	/* finit_module() flags for the file */
	char params[1024];	/* "name=value ..." as found at the start */
} mod;

static bool path_exists(const char *path)
{
	struct stat st;

	return !lstat(path, &st);
}

static void sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

const char *vdgpu_kmod_path(void)
{
	return mod.path;
}

const char *vdgpu_kmod_saved_params(void)
{
	return mod.params;
}

int __vdgpu_kmod_unload(void)
{
	return syscall(SYS_delete_module, VDGPU_KMOD_NAME, O_NONBLOCK) ? -errno : 0;
}

int __vdgpu_kmod_load(const char *params)
{
	int fd, ret;

	fd = open(mod.path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = syscall(SYS_finit_module, fd, params, mod.flags) ? -errno : 0;
	close(fd);
	return ret;
}

bool vdgpu_kmod_loaded(void)
{
	return path_exists(VDGPU_KMOD_SYS_DIR);
}

int vdgpu_kmod_read_params(char *buf, size_t len)
{
	char *names[32], value[256], path[PATH_MAX];
	size_t n = 0, used = 0, i;
	struct dirent *de;
	int ret = 0;
	DIR *dir;

	dir = opendir(VDGPU_MODULE_PARAM_DIR);
	if (!dir)
		return -errno;
	while ((de = readdir(dir))) {
		if (de->d_name[0] == '.')
			continue;
		if (n == ARRAY_SIZE(names)) {
			ret = -E2BIG;
			break;
		}
		names[n++] = strdup(de->d_name);
	}
	closedir(dir);
	qsort(names, n, sizeof(*names), cmp_str);

	buf[0] = '\0';
	for (i = 0; i < n; i++) {
		int w;

		if (!ret) {
			snprintf(path, sizeof(path), "%s/%s",
				 VDGPU_MODULE_PARAM_DIR, names[i]);
			ret = vdgpu_read_file(path, value, sizeof(value));
			ret = ret < 0 ? ret : 0;
		}
		if (!ret) {
			value[strcspn(value, "\n")] = '\0';
			w = snprintf(buf + used, len - used, "%s%s=%s",
				     used ? " " : "", names[i], value);
			if (w < 0 || (size_t)w >= len - used)
				ret = -ENOSPC;
			else
				used += w;
		}
		free(names[i]);
	}
	return ret;
}

/* The file modules.dep names for vdgpu, relative to /lib/modules/<release>. */
static int find_module_file(void)
{
	char dir[128], dep[160], *line = NULL;
	size_t cap = 0;
	struct utsname u;
	ssize_t n;
	FILE *f;

	igt_assert(uname(&u) == 0);
	snprintf(dir, sizeof(dir), "/lib/modules/%s", u.release);
	snprintf(dep, sizeof(dep), "%s/modules.dep", dir);

	mod.path[0] = '\0';
	f = fopen(dep, "re");
	if (f) {
		while ((n = getline(&line, &cap, f)) > 0) {
			char *colon = strchr(line, ':'), *base, *ext;

			if (!colon)
				continue;
			*colon = '\0';
			base = strrchr(line, '/');
			base = base ? base + 1 : line;
			ext = strstr(base, ".ko");
			if (!ext || (size_t)(ext - base) != strlen(VDGPU_KMOD_NAME) ||
			    strncmp(base, VDGPU_KMOD_NAME, ext - base))
				continue;
			if ((size_t)snprintf(mod.path, sizeof(mod.path), "%s%s%s",
					     line[0] == '/' ? "" : dir,
					     line[0] == '/' ? "" : "/",
					     line) >= sizeof(mod.path))
				mod.path[0] = '\0';
			break;
		}
		free(line);
		fclose(f);
	}
	if (!mod.path[0])
		snprintf(mod.path, sizeof(mod.path), "%s/extra/%s.ko", dir,
			 VDGPU_KMOD_NAME);
	if (!path_exists(mod.path))
		return -ENOENT;

	/* A compressed module is decompressed by the kernel, if it can. */
	n = strlen(mod.path);
	mod.flags = (n > 3 && strcmp(mod.path + n - 3, ".ko") != 0) ?
		    MODULE_INIT_COMPRESSED_FILE : 0;
	return 0;
}

int vdgpu_kmod_count_nodes(void)
{
	char link[PATH_MAX], target[PATH_MAX];
	struct dirent *de;
	int count = 0;
	ssize_t n;
	DIR *dir;

	dir = opendir(SYS_CLASS_DRM);
	if (!dir)
		return 0;
	while ((de = readdir(dir))) {
		const char *base;

		if (strncmp(de->d_name, "card", 4) && strncmp(de->d_name, "render", 6))
			continue;
		if (strchr(de->d_name, '-'))	/* connectors */
			continue;
		snprintf(link, sizeof(link), "%s/%s/device/driver",
			 SYS_CLASS_DRM, de->d_name);
		n = readlink(link, target, sizeof(target) - 1);
		if (n < 0)
			continue;
		target[n] = '\0';
		base = strrchr(target, '/');
		base = base ? base + 1 : target;
		if (!strcmp(base, VDGPU_KMOD_NAME)) {
			igt_debug("%s is a vdgpu node\n", de->d_name);
			count++;
		}
	}
	closedir(dir);
	return count;
}

void vdgpu_kmod_check_device(struct vdgpu_kmod_nodes *nodes)
{
	struct vdgpu_kmod_nodes local;
	drmVersionPtr v;
	int fd, type;

	if (!nodes)
		nodes = &local;
	for (type = VDGPU_NODE_PRIMARY; type <= VDGPU_NODE_RENDER; type++) {
		char *path = type == VDGPU_NODE_RENDER ? nodes->render : nodes->primary;

		fd = vdgpu_dev_open(VDGPU_KMOD_NAME, type, path, PATH_MAX);
		igt_assert_f(fd >= 0, "no vdgpu %s node: %s\n",
			     type == VDGPU_NODE_RENDER ? "render" : "primary",
			     strerror(-fd));
		v = drmGetVersion(fd);
		igt_assert_f(v, "DRM_IOCTL_VERSION on %s failed\n", path);
		igt_assert_eq_str(v->name, VDGPU_KMOD_NAME);
		drmFreeVersion(v);
		close(fd);
	}
}

/* After a load: wait for the device to show up, then check it. */
static void wait_device(struct vdgpu_kmod_nodes *nodes)
{
	unsigned int ms;
	int fd = -ENODEV;

	for (ms = 0; ms < VDGPU_KMOD_SETTLE_MS; ms += 50) {
		fd = vdgpu_dev_open(VDGPU_KMOD_NAME, VDGPU_NODE_RENDER, NULL, 0);
		if (fd >= 0)
			break;
		sleep_ms(50);
	}
	igt_assert_f(fd >= 0, "vdgpu loaded but no render node after %u ms\n",
		     VDGPU_KMOD_SETTLE_MS);
	close(fd);
	vdgpu_kmod_check_device(nodes);
}

void vdgpu_kmod_assert_gone(const struct vdgpu_kmod_nodes *nodes)
{
	unsigned int ms;
	bool gone = false;

	for (ms = 0; ms < VDGPU_KMOD_SETTLE_MS && !gone; ms += 50) {
		gone = !vdgpu_kmod_loaded() &&
		       !path_exists(VDGPU_KMOD_PLATFORM_DEVICE) &&
		       !vdgpu_kmod_count_nodes() &&
		       (!nodes || (!path_exists(nodes->primary) &&
				   !path_exists(nodes->render)));
		if (!gone)
			sleep_ms(50);
	}
	igt_assert_f(!vdgpu_kmod_loaded(), "%s still exists\n", VDGPU_KMOD_SYS_DIR);
	igt_assert_f(!path_exists(VDGPU_KMOD_PLATFORM_DEVICE), "%s still exists\n",
		     VDGPU_KMOD_PLATFORM_DEVICE);
	igt_assert_eq(vdgpu_kmod_count_nodes(), 0);
	igt_assert_err(vdgpu_dev_open(VDGPU_KMOD_NAME, VDGPU_NODE_RENDER, NULL, 0),
		       -ENODEV);
	if (nodes) {
		igt_assert_f(!path_exists(nodes->primary), "%s still exists\n",
			     nodes->primary);
		igt_assert_f(!path_exists(nodes->render), "%s still exists\n",
			     nodes->render);
	}
}

/* Close every DRM file of this process, so that the module can go. */
static void close_drm_files(void)
{
	char link[64], target[PATH_MAX];
	struct dirent *de;
	ssize_t n;
	DIR *dir;

	dir = opendir("/proc/self/fd");
	if (!dir)
		return;
	while ((de = readdir(dir))) {
		int fd = atoi(de->d_name);

		if (!isdigit((unsigned char)de->d_name[0]) || fd == dirfd(dir))
			continue;
		snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
		n = readlink(link, target, sizeof(target) - 1);
		if (n < 0)
			continue;
		target[n] = '\0';
		if (!strncmp(target, VDGPU_DRI_DIR "/", strlen(VDGPU_DRI_DIR) + 1))
			close(fd);
	}
	closedir(dir);
}

/* Unload, retrying briefly if someone else holds the module for a moment. */
static int unload(void)
{
	unsigned int ms;
	int ret;

	for (ms = 0;; ms += 100) {
		ret = __vdgpu_kmod_unload();
		if (ret != -EWOULDBLOCK || ms >= VDGPU_KMOD_SETTLE_MS)
			return ret;
		sleep_ms(100);
	}
}

void vdgpu_kmod_unload(const struct vdgpu_kmod_nodes *nodes)
{
	igt_assert_err(unload(), 0);
	vdgpu_kmod_assert_gone(nodes);
}

void vdgpu_kmod_load(const char *params, struct vdgpu_kmod_nodes *nodes)
{
	igt_debug("loading %s %s\n", mod.path, params);
	igt_assert_err(__vdgpu_kmod_load(params), 0);
	wait_device(nodes);
}

void vdgpu_kmod_reload(const char *params)
{
	vdgpu_kmod_unload(NULL);
	vdgpu_kmod_load(params, NULL);
}

static bool device_bound(const char *bus)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", VDGPU_PLATFORM_DRIVER_DIR, bus);
	return path_exists(path);
}

void vdgpu_kmod_unbind(const char *bus)
{
	igt_assert_f(device_bound(bus), "%s is not bound to %s\n", bus,
		     VDGPU_PLATFORM_DRIVER_DIR);
	igt_assert_err(vdgpu_write_file(VDGPU_PLATFORM_DRIVER_DIR "/unbind", bus), 0);
	igt_assert_f(!device_bound(bus), "%s still bound after unbind\n", bus);
}

void vdgpu_kmod_bind(const char *bus, struct vdgpu_kmod_nodes *nodes)
{
	igt_assert_err(vdgpu_write_file(VDGPU_PLATFORM_DRIVER_DIR "/bind", bus), 0);
	igt_assert_f(device_bound(bus), "%s not bound after bind\n", bus);
	wait_device(nodes);
}

void vdgpu_kmod_assert_params(const char *expected)
{
	char now[sizeof(mod.params)];

	igt_assert_err(vdgpu_kmod_read_params(now, sizeof(now)), 0);
	igt_assert_eq_str(now, expected);
}

/*
 * Cleanup handler: leave vdgpu loaded with the parameters it had when the
 * subtest started, whatever state the subtest left.
 */
static void restore_module(void *data)
{
	char now[sizeof(mod.params)] = "";

	(void)data;
	close_drm_files();
	if (vdgpu_kmod_loaded()) {
		if (!vdgpu_kmod_read_params(now, sizeof(now)) &&
		    !strcmp(now, mod.params) &&
		    path_exists(VDGPU_KMOD_PLATFORM_DEVICE) &&
		    vdgpu_kmod_count_nodes() > 0)
			return;
		igt_info("restore: unloading vdgpu (%s)\n", now);
		igt_assert_err(unload(), 0);
		vdgpu_kmod_assert_gone(NULL);
	}
	igt_info("restore: loading vdgpu %s\n", mod.params);
	vdgpu_kmod_load(mod.params, NULL);
	vdgpu_kmod_assert_params(mod.params);
}

void vdgpu_kmod_prepare(void)
{
	int fd, ret;

	igt_require_f(!strcmp(vdgpu_driver_name(), VDGPU_KMOD_NAME),
		      "Reloading the module is for vdgpu only, not IGT_FORCE_DRIVER=%s\n",
		      vdgpu_driver_name());
	igt_require_f(geteuid() == 0, "Loading modules needs root\n");
	igt_require_f(vdgpu_kmod_loaded(), "Module vdgpu is not loaded\n");
	fd = vdgpu_open_render();	/* skips without a device */
	close(fd);

	ret = find_module_file();
	igt_require_f(ret == 0, "No vdgpu module file (tried %s)\n", mod.path);
	igt_assert_err(vdgpu_kmod_read_params(mod.params, sizeof(mod.params)), 0);
	igt_info("module %s, loaded with: %s\n", mod.path, mod.params);

	igt_cleanup_push(restore_module, NULL);
}
