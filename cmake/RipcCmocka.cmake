# SPDX-License-Identifier: Apache-2.0
# CMocka for the test programs, as the imported target ripc::cmocka.
# - Host builds use Debian's libcmocka-dev.
# - Board builds (static musl) compile CMocka from Debian's source package, which
#   scripts/setup.sh unpacks into RIPC_DEPS_DIR; Debian's binary package is a glibc shared
#   library and cannot be linked into a static musl program.

set(RIPC_DEPS_DIR "$ENV{HOME}/.cache/ripc" CACHE PATH
    "Where scripts/setup.sh keeps build dependencies (CMocka source)")
if(DEFINED ENV{RIPC_DEPS_DIR})
  set(RIPC_DEPS_DIR "$ENV{RIPC_DEPS_DIR}" CACHE PATH "" FORCE)
endif()

if(NOT CMAKE_CROSSCOMPILING)
  find_path(RIPC_CMOCKA_INCLUDE cmocka.h)
  find_library(RIPC_CMOCKA_LIB NAMES cmocka)
  if(NOT RIPC_CMOCKA_INCLUDE OR NOT RIPC_CMOCKA_LIB)
    message(FATAL_ERROR "CMocka not found: run scripts/setup.sh (Debian libcmocka-dev)")
  endif()
  add_library(ripc::cmocka UNKNOWN IMPORTED)
  set_target_properties(ripc::cmocka PROPERTIES
    IMPORTED_LOCATION ${RIPC_CMOCKA_LIB}
    INTERFACE_INCLUDE_DIRECTORIES ${RIPC_CMOCKA_INCLUDE})
  return()
endif()

set(_src ${RIPC_DEPS_DIR}/cmocka-src/cmocka-source)
if(NOT EXISTS ${_src}/src/cmocka.c)
  message(FATAL_ERROR "CMocka source not found in ${_src}: run scripts/setup.sh")
endif()

# CMocka 1.1.5 guesses the word size from the architecture and gets aarch64 wrong
# (it then redefines uintptr_t); tell it. -w: third-party warnings are not ours to fix.
set(_flags "${CMAKE_C_FLAGS} -w")
if(CMAKE_SIZEOF_VOID_P EQUAL 8)
  string(APPEND _flags " -D__WORDSIZE=64")
endif()

include(ExternalProject)
set(_bin ${CMAKE_BINARY_DIR}/_deps/cmocka)
set(_lib ${_bin}/src/${CMAKE_STATIC_LIBRARY_PREFIX}cmocka-static${CMAKE_STATIC_LIBRARY_SUFFIX})
ExternalProject_Add(cmocka_build
  SOURCE_DIR ${_src}
  BINARY_DIR ${_bin}
  CMAKE_ARGS
    -DCMAKE_TOOLCHAIN_FILE=${CMAKE_TOOLCHAIN_FILE}
    -DCMAKE_BUILD_TYPE=Release
    -DWITH_STATIC_LIB=ON
    -DWITH_EXAMPLES=OFF
    -DUNIT_TESTING=OFF
    "-DCMAKE_C_FLAGS=${_flags}"
  BUILD_COMMAND ${CMAKE_COMMAND} --build ${_bin} --target cmocka-static
  INSTALL_COMMAND ""
  BUILD_BYPRODUCTS ${_lib})

add_library(ripc::cmocka STATIC IMPORTED)
set_target_properties(ripc::cmocka PROPERTIES
  IMPORTED_LOCATION ${_lib}
  INTERFACE_INCLUDE_DIRECTORIES ${_src}/include)
add_dependencies(ripc::cmocka cmocka_build)
