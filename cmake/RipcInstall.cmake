# SPDX-License-Identifier: Apache-2.0
# `cmake --install <build> --prefix <dir>`: libripc.a, the public headers with this build's
# ripc/config.h, a CMake package (find_package(ripc) -> ripc::ripc) and ripc.pc.
#
# An installed ripc is one board and one Kconfig configuration: the package records both
# (RIPC_BOARD, ripc/board.h, ripc/config.h, the .config), so a firmware build can check that
# it links the library it was configured for.

include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(RIPC_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/ripc)
set(RIPC_BOARD_H ${CMAKE_BINARY_DIR}/generated/include/ripc/board.h)

# The board as C sees it: a string to print and a symbol to test with #ifdef.
string(TOUPPER "${RIPC_BOARD}" _board_upper)
string(MAKE_C_IDENTIFIER "${_board_upper}" _board_upper)
file(CONFIGURE OUTPUT ${RIPC_BOARD_H} @ONLY CONTENT [[
/* Generated at configure time: the board this ripc build targets. */
#ifndef RIPC_BOARD_H
#define RIPC_BOARD_H
#define RIPC_BOARD "@RIPC_BOARD@"
#define RIPC_BOARD_@_board_upper@ 1
#endif
]])

install(TARGETS ripc EXPORT ripcTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/ripc
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} FILES_MATCHING PATTERN "*.h")
install(FILES ${RIPC_CONFIG_H} ${RIPC_BOARD_H} DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/ripc)

install(EXPORT ripcTargets NAMESPACE ripc:: DESTINATION ${RIPC_CMAKE_DIR})
configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/ripcConfig.cmake.in
  ${CMAKE_BINARY_DIR}/ripcConfig.cmake
  INSTALL_DESTINATION ${RIPC_CMAKE_DIR}
  PATH_VARS CMAKE_INSTALL_INCLUDEDIR)
# 0.x: a minor release may change the API. Not ARCH_INDEPENDENT: the version file also
# refuses a package whose pointer size differs from the consumer's.
write_basic_package_version_file(${CMAKE_BINARY_DIR}/ripcConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_BINARY_DIR}/ripcConfig.cmake ${CMAKE_BINARY_DIR}/ripcConfigVersion.cmake
  DESTINATION ${RIPC_CMAKE_DIR})
install(FILES ${RIPC_DOTCONFIG} DESTINATION ${RIPC_CMAKE_DIR} RENAME ripc.config)
# The board's toolchain file, so an application is compiled exactly as the library was.
install(FILES ${RIPC_BOARD_DIR}/toolchain.cmake ${RIPC_BOARD_DIR}/qemu.cmake
  DESTINATION ${RIPC_CMAKE_DIR}/board)

# ripc.pc finds its prefix from its own location (${pcfiledir}), so it stays right when
# `cmake --install --prefix` or DESTDIR puts the files somewhere else than configured.
if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}")
  set(RIPC_PC_PREFIX "${CMAKE_INSTALL_PREFIX}")
else()
  file(RELATIVE_PATH _up /p/${CMAKE_INSTALL_LIBDIR}/pkgconfig /p)
  string(REGEX REPLACE "/$" "" _up "${_up}")
  set(RIPC_PC_PREFIX "\${pcfiledir}/${_up}")
endif()
configure_file(${PROJECT_SOURCE_DIR}/cmake/ripc.pc.in ${CMAKE_BINARY_DIR}/ripc.pc @ONLY)
install(FILES ${CMAKE_BINARY_DIR}/ripc.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
