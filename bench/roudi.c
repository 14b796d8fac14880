/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief iceoryx's RouDi daemon, started and stopped by the benchmark itself.
 *
 * iceoryx 2.0 allows one RouDi per machine (it locks /tmp/roudi.lock and uses fixed
 * shared-memory names), so the benchmark first checks that none is running and that no
 * other ripc-bench holds iceoryx; otherwise iceoryx is reported unavailable with that
 * reason. RouDi gets a private configuration (mempools for 8 B to 1 MiB payloads) and log in
 * a private temporary folder. It is killed on every exit path: the runner's exit hook and
 * signal handlers, and the kernel's parent-death signal if the runner itself crashes.
 */
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "roudi.h"
#include "run.h"

#define ROUDI_READY_LINE "RouDi is ready for clients"
#define ROUDI_START_S    10

static const char roudi_config[] = "[general]\nversion = 1\n\n[[segment]]\n\n"
				   "[[segment.mempool]]\nsize = 128\ncount = 20000\n\n"
				   "[[segment.mempool]]\nsize = 2048\ncount = 2000\n\n"
				   "[[segment.mempool]]\nsize = 1049600\ncount = 40\n";

static pid_t roudi_pid;
static char dir[64];
static int bench_lock_fd = -1;
/* iceoryx 2.0's fixed shared-memory names: management, and the user's payload segment. */
static char shm_user[64];

static bool path_in_dir(char *out, size_t len, const char *name)
{
	return (size_t)snprintf(out, len, "%s/%s", dir, name) < len;
}

/* A RouDi of anybody holds /tmp/roudi.lock. */
static bool roudi_running(void)
{
	int fd = open("/tmp/roudi.lock", O_RDONLY | O_CLOEXEC);
	bool held;

	if (fd < 0)
		return false;
	held = flock(fd, LOCK_EX | LOCK_NB) != 0 && errno == EWOULDBLOCK;
	if (!held)
		flock(fd, LOCK_UN);
	close(fd);
	return held;
}

static bool in_path(const char *prog)
{
	const char *path = getenv("PATH");
	char buf[512];

	while (path != NULL && *path != '\0') {
		size_t n = strcspn(path, ":");

		if (snprintf(buf, sizeof(buf), "%.*s/%s", (int)n, path, prog) < (int)sizeof(buf) &&
		    access(buf, X_OK) == 0)
			return true;
		path += n + (path[n] == ':');
	}
	return false;
}

const char *bench_roudi_probe(void)
{
	if (!in_path("iox-roudi"))
		return "iox-roudi not found in PATH (Debian package iceoryx)";
	if (bench_lock_fd < 0) {
		bench_lock_fd =
			open("/tmp/ripc-bench-iceoryx.lock", O_RDWR | O_CREAT | O_CLOEXEC, 0600);
		if (bench_lock_fd < 0 || flock(bench_lock_fd, LOCK_EX | LOCK_NB) != 0) {
			if (bench_lock_fd >= 0)
				close(bench_lock_fd);
			bench_lock_fd = -1;
			return "another ripc-bench is using iceoryx (one RouDi per machine)";
		}
	}
	if (roudi_pid == 0 && roudi_running())
		return "a RouDi is already running on this machine (iceoryx 2.0 allows one)";
	return NULL;
}

/*
 * RouDi asserts when a registered process died without deregistering (a side killed by a
 * timeout or by Ctrl-C) and then leaves its segments behind; they are ours (no other RouDi
 * ran when this one started), so remove them.
 */
static void remove_leftovers(void)
{
	shm_unlink("/iceoryx_mgmt");
	if (shm_user[0] != '\0')
		shm_unlink(shm_user);
	unlink("/tmp/roudi");
	unlink("/tmp/roudi.lock");
	unlink("/tmp/iox-unique-roudi.lock");
}

static void roudi_stop(void)
{
	char path[128];
	int i, status = 0;

	if (roudi_pid > 0) {
		kill(roudi_pid, SIGTERM);
		for (i = 0; i < 300 && waitpid(roudi_pid, &status, WNOHANG) == 0; i++)
			usleep(10000);
		if (i == 300) {
			kill(roudi_pid, SIGKILL);
			waitpid(roudi_pid, &status, 0);
		}
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			remove_leftovers();
		roudi_pid = 0;
	}
	if (dir[0] != '\0') {
		if (path_in_dir(path, sizeof(path), "roudi.toml"))
			unlink(path);
		if (path_in_dir(path, sizeof(path), "roudi.log"))
			unlink(path);
		rmdir(dir);
		dir[0] = '\0';
	}
}

static int write_config(char *cfg, size_t len)
{
	FILE *f;

	if (!path_in_dir(cfg, len, "roudi.toml"))
		return -ENAMETOOLONG;
	f = fopen(cfg, "w");
	if (f == NULL)
		return -errno;
	fputs(roudi_config, f);
	return fclose(f) == 0 ? 0 : -EIO;
}

static bool log_says_ready(const char *log)
{
	char line[512];
	bool ready = false;
	FILE *f = fopen(log, "r");

	while (f != NULL && !ready && fgets(line, sizeof(line), f) != NULL)
		ready = strstr(line, ROUDI_READY_LINE) != NULL;
	if (f != NULL)
		fclose(f);
	return ready;
}

static void exec_roudi(const char *cfg, const char *log)
{
	int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	/* Dies with the runner even if the runner cannot clean up. */
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (fd >= 0) {
		dup2(fd, STDOUT_FILENO);
		dup2(fd, STDERR_FILENO);
	}
	execlp("iox-roudi", "iox-roudi", "-c", cfg, "-l", "info", "-m", "on", (char *)NULL);
	_exit(127);
}

int bench_roudi_start(void)
{
	struct passwd *pw = getpwuid(geteuid());
	char cfg[128], log[128];
	int64_t deadline;
	int rc;

	if (roudi_pid > 0)
		return 0;
	if (pw != NULL)
		snprintf(shm_user, sizeof(shm_user), "/%s", pw->pw_name);
	snprintf(dir, sizeof(dir), "/tmp/ripc-bench-iox.XXXXXX");
	if (mkdtemp(dir) == NULL) {
		dir[0] = '\0';
		return -errno;
	}
	bench_cleanup_register(roudi_stop);
	rc = write_config(cfg, sizeof(cfg));
	if (rc != 0 || !path_in_dir(log, sizeof(log), "roudi.log"))
		return rc != 0 ? rc : -ENAMETOOLONG;
	fflush(NULL);
	roudi_pid = fork();
	if (roudi_pid < 0)
		return -errno;
	if (roudi_pid == 0)
		exec_roudi(cfg, log);
	deadline = bench_now_ns() + ROUDI_START_S * 1000000000LL;
	while (!log_says_ready(log)) {
		int status;

		if (waitpid(roudi_pid, &status, WNOHANG) == roudi_pid) {
			roudi_pid = 0;
			return -ECHILD;
		}
		if (bench_now_ns() > deadline)
			return -ETIMEDOUT;
		usleep(10000);
	}
	return 0;
}
