# SPDX-License-Identifier: Apache-2.0
# Board "rpi1": the emulated board of the system test (label "system", cmake/RipcSystem.cmake).
# QEMU's raspi0: BCM2835, one ARM1176 core, 512 MiB; Debian's ARMv6 "rpi" kernel.

set(RIPC_SYSTEM_KERNEL_PACKAGE linux-image-rpi:armel)
# -icount shift=auto: guest time advances with the instructions executed, not with the host
# clock. Without it the board froze now and then on a loaded host (no output, no timer
# interrupt, in a test or on the way to power-off): the kernel programs the BCM2835 system
# timer's compare register a few microseconds ahead, and when the host deschedules QEMU in
# between, the match is missed until the 32-bit counter wraps. Possible on one core only.
set(RIPC_SYSTEM_QEMU qemu-system-arm -M raspi0 -icount shift=auto)
set(RIPC_SYSTEM_CPUS 1)
set(RIPC_SYSTEM_DTB bcm2835-rpi-zero-w.dtb)
# Edits of that device tree, each "<fdtput type> <node> <property> <value>...": the kernel
# crashes in bcm2835_power_probe on QEMU 7.2 unless the watchdog node keeps only its first
# register range ("pm"); QEMU does not emulate the second ("asb").
set(RIPC_SYSTEM_DTB_EDITS
    "x /soc/watchdog@7e100000 reg 7e100000 114"
    "s /soc/watchdog@7e100000 reg-names pm")
set(RIPC_SYSTEM_APPEND console=ttyAMA0)
# The watchdog driver is built into Debian's rpi kernel: power-off needs no module.
set(RIPC_SYSTEM_MODULES "")
# Rounds of the stress and multi-process tests in the guest (RIPC_TEST_SCALE): a third of
# qemu-user's, which keeps the four boards within the CI budget.
set(RIPC_SYSTEM_TEST_SCALE 0.03)
set(RIPC_SYSTEM_TIMEOUT 900)
set(RIPC_SYSTEM_ALLOWED_SKIPS "")
