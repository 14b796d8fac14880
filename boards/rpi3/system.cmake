# SPDX-License-Identifier: Apache-2.0
# Board "rpi3": the emulated board of the system test (label "system", cmake/RipcSystem.cmake).
# QEMU's raspi3b: BCM2837, four Cortex-A53 cores, 1 GiB (the only size it accepts).

# Debian's kernel for the architecture; scripts/fetch-kernels.sh reads this line.
set(RIPC_SYSTEM_KERNEL_PACKAGE linux-image-arm64:arm64)
set(RIPC_SYSTEM_QEMU qemu-system-aarch64 -M raspi3b -m 1G)
set(RIPC_SYSTEM_CPUS 4)
# The Broadcom device tree from the same kernel package.
set(RIPC_SYSTEM_DTB broadcom/bcm2837-rpi-3-b.dtb)
set(RIPC_SYSTEM_APPEND console=ttyAMA0)
# The machine powers off only through the BCM2835 watchdog, a module in Debian's arm64 kernel.
set(RIPC_SYSTEM_MODULES bcm2835_wdt)
# Rounds of the stress and multi-process tests in the guest (RIPC_TEST_SCALE): a third of
# qemu-user's, which keeps the four boards within the CI budget.
set(RIPC_SYSTEM_TEST_SCALE 0.03)
# Seconds for the whole run (boot, every program, power-off) before the host gives up.
set(RIPC_SYSTEM_TIMEOUT 900)
# Skips that are right on this board ("<test>: <reason>" prefixes); any other skip fails.
# 64-bit time_t and long: there are no separate time64 system calls to refuse.
set(RIPC_SYSTEM_ALLOWED_SKIPS "port.faults: no time64 system calls on this target")
