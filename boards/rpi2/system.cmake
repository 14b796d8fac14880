# SPDX-License-Identifier: Apache-2.0
# Board "rpi2": the emulated board of the system test (label "system", cmake/RipcSystem.cmake).
# QEMU's raspi2b: BCM2836, four Cortex-A7 cores, 1 GiB.

set(RIPC_SYSTEM_KERNEL_PACKAGE linux-image-armmp:armhf)
set(RIPC_SYSTEM_QEMU qemu-system-arm -M raspi2b)
set(RIPC_SYSTEM_CPUS 4)
set(RIPC_SYSTEM_DTB bcm2836-rpi-2-b.dtb)
set(RIPC_SYSTEM_APPEND console=ttyAMA0)
# The machine powers off only through the BCM2835 watchdog, a module in Debian's armmp kernel.
set(RIPC_SYSTEM_MODULES bcm2835_wdt)
# Rounds of the stress and multi-process tests in the guest (RIPC_TEST_SCALE): a third of
# qemu-user's, which keeps the four boards within the CI budget.
set(RIPC_SYSTEM_TEST_SCALE 0.03)
set(RIPC_SYSTEM_TIMEOUT 900)
set(RIPC_SYSTEM_ALLOWED_SKIPS "")
