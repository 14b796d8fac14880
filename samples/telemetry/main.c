/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief ripc telemetry sample: two boards, telemetry over a TCP link, alarms over UDP.
 *
 *   ripc-telemetry run [seconds]                 both boards on this machine (loopback),
 *                                                as two processes
 *   ripc-telemetry control <sensor-ip> [bind-ip] the control board
 *   ripc-telemetry sensor <control-ip> [seconds] [bind-ip]   the sensor board
 *
 * On two Raspberry Pis: start "control <ip of the sensor Pi>" on one, then
 * "sensor <ip of the control Pi>" on the other.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "telemetry.h"

static int run_both(int seconds)
{
	pid_t control = fork();
	int st_c = 0, st_s = 0, rc_s;

	if (control < 0)
		return 1;
	if (control == 0)
		_exit(control_board("127.0.0.1", "127.0.0.1"));
	/* fork, not exec: the same binary runs both boards, also under qemu-user. */
	rc_s = sensor_board("127.0.0.1", "127.0.0.1", seconds);
	if (rc_s != 0)
		kill(control, SIGTERM);
	waitpid(control, &st_c, 0);
	st_s = rc_s;
	if (!WIFEXITED(st_c) || WEXITSTATUS(st_c) != 0 || st_s != 0) {
		fprintf(stderr, "telemetry: failed (sensor %d, control status %d)\n", st_s, st_c);
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	alarm(600); /* a sample that hangs must not hang a test run */
	if (argc >= 2 && strcmp(argv[1], "run") == 0)
		return run_both(argc > 2 ? atoi(argv[2]) : 3);
	if (argc >= 3 && strcmp(argv[1], "control") == 0)
		return control_board(argv[2], argc > 3 ? argv[3] : "0.0.0.0");
	if (argc >= 3 && strcmp(argv[1], "sensor") == 0)
		return sensor_board(argv[2], argc > 4 ? argv[4] : "0.0.0.0",
				    argc > 3 ? atoi(argv[3]) : 10);
	fprintf(stderr, "usage: ripc-telemetry run [seconds] | control <sensor-ip> [bind-ip] | "
			"sensor <control-ip> [seconds] [bind-ip]\n");
	return 2;
}
