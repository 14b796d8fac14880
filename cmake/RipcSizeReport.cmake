# SPDX-License-Identifier: Apache-2.0
# `cmake --build <build> --target size-report`: text/data/bss of libripc.a (all members
# summed, with the board's binutils `size`) for this board under each Kconfig profile:
# minimal (configs/minimal.conf), default (the board defconfig alone) and all
# (configs/all.conf), plus this build's own configuration. Each profile is built in a
# private folder under <build>/size-report with this build's toolchain and build type.

find_program(RIPC_SIZE_TOOL NAMES ${CMAKE_SIZE} size)
add_custom_target(size-report
  COMMAND ${CMAKE_COMMAND}
          -DSRC=${PROJECT_SOURCE_DIR}
          -DBOARD=${RIPC_BOARD}
          -DBUILD_TYPE=${CMAKE_BUILD_TYPE}
          -DGENERATOR=${CMAKE_GENERATOR}
          -DTOOLCHAIN=${CMAKE_TOOLCHAIN_FILE}
          -DCC=${CMAKE_C_COMPILER}
          -DSIZE=${RIPC_SIZE_TOOL}
          -DWORK=${CMAKE_BINARY_DIR}/size-report
          -DTHIS_LIB=$<TARGET_FILE:ripc>
          -P ${PROJECT_SOURCE_DIR}/cmake/size_report.cmake
  DEPENDS ripc
  USES_TERMINAL VERBATIM
  COMMENT "Size of libripc.a for board ${RIPC_BOARD} per Kconfig profile")
