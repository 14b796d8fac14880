# SPDX-License-Identifier: Apache-2.0
# Board "rpi4": the emulated board of the system test (label "system", cmake/RipcSystem.cmake).
# QEMU 7.2 has no Raspberry Pi 4 machine: the generic "virt" board with the Pi 4's CPU model
# (Cortex-A72), two cores and 1 GiB. The CPU and the kernel are the Pi 4's; the peripherals
# are not (PL011 UART, PSCI power-off, no Broadcom device tree).

set(RIPC_SYSTEM_KERNEL_PACKAGE linux-image-arm64:arm64)
# -nic none: virt's default network card needs a boot ROM from another package (ipxe-qemu),
# and the tests only use loopback.
set(RIPC_SYSTEM_QEMU qemu-system-aarch64 -M virt -cpu cortex-a72 -smp 2 -m 1G -nic none)
set(RIPC_SYSTEM_CPUS 2)
# QEMU builds the device tree of "virt" itself.
set(RIPC_SYSTEM_DTB "")
set(RIPC_SYSTEM_APPEND console=ttyAMA0)
set(RIPC_SYSTEM_MODULES "")
# Rounds of the stress and multi-process tests in the guest (RIPC_TEST_SCALE): a third of
# qemu-user's, which keeps the four boards within the CI budget.
set(RIPC_SYSTEM_TEST_SCALE 0.03)
set(RIPC_SYSTEM_TIMEOUT 900)
# 64-bit time_t and long: there are no separate time64 system calls to refuse.
set(RIPC_SYSTEM_ALLOWED_SKIPS "port.faults: no time64 system calls on this target")
