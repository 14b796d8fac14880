# SPDX-License-Identifier: Apache-2.0
# Board "rpi1": Raspberry Pi 1 / Zero / Zero W (ARM1176, ARMv6 armel).
# Static binaries against musl through Debian's wrapper arm-linux-musleabi-gcc (package musl-dev:armel),
# binutils from the GNU cross toolchain (arm-linux-gnueabi-*: there is no musl-prefixed ar).
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR arm)

set(CMAKE_C_COMPILER arm-linux-musleabi-gcc)
set(CMAKE_AR arm-linux-gnueabi-ar CACHE FILEPATH "")
set(CMAKE_RANLIB arm-linux-gnueabi-ranlib CACHE FILEPATH "")
set(CMAKE_STRIP arm-linux-gnueabi-strip CACHE FILEPATH "")
set(CMAKE_NM arm-linux-gnueabi-nm CACHE FILEPATH "")
set(CMAKE_OBJDUMP arm-linux-gnueabi-objdump CACHE FILEPATH "")
set(CMAKE_SIZE arm-linux-gnueabi-size CACHE FILEPATH "")

set(CMAKE_C_FLAGS_INIT "-mcpu=arm1176jzf-s -mfpu=vfp -mfloat-abi=softfp")
set(CMAKE_EXE_LINKER_FLAGS_INIT "-static")

# qemu-user with the board's CPU model runs the test programs (ctest) on the build host.
# The CPU must be given: qemu's default accepts instructions the real board rejects.
include(${CMAKE_CURRENT_LIST_DIR}/qemu.cmake)
set(CMAKE_CROSSCOMPILING_EMULATOR ${RIPC_QEMU_USER} -cpu ${RIPC_QEMU_CPU})

set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
