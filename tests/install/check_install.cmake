# SPDX-License-Identifier: Apache-2.0
cmake_policy(VERSION 3.20)
# What a firmware project does with ripc, end to end, for one board:
#  1. install the build under test into a prefix and check what landed there;
#  2. configure ripc for the application (board defconfig + the application's ripc.conf),
#     build and install it into a second prefix;
#  3. build the application out of tree with CMake (find_package(ripc)) and run it (under
#     qemu-user with the board's CPU on the ARM boards);
#  4. build the same program with the board's compiler and `pkg-config --static`, run it;
#  5. build it against the prefix of step 1, which lacks the fragment: it must fail its
#     configuration checks, so the checks of steps 3 and 4 are known to bite;
#  6. on a board, configure the application for the host against the board's package:
#     find_package must refuse it (the version file refuses 32-bit packages, ripcConfig.cmake
#     a 64-bit one of another processor).

separate_arguments(CFLAGS UNIX_COMMAND "${CFLAGS}")
separate_arguments(LDFLAGS UNIX_COMMAND "${LDFLAGS}")
separate_arguments(EMULATOR UNIX_COMMAND "${EMULATOR}")
if(NOT PKG_CONFIG)
  message(FATAL_ERROR "pkg-config not found: install it (scripts/setup.sh)")
endif()

# run(<what> <command>...): run a step, stop the test with its output when it fails.
function(run what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${what} failed (${rc}):\n${out}")
  endif()
  set(out "${out}" PARENT_SCOPE)
endfunction()

function(expect_same a b)
  file(SHA256 ${a} ha)
  file(SHA256 ${b} hb)
  if(NOT ha STREQUAL hb)
    message(FATAL_ERROR "installed ${b} differs from ${a}")
  endif()
endfunction()

# pkg_config(<prefix> <out> <args>...): pkg-config seeing only ripc.pc of <prefix>.
function(pkg_config prefix outvar)
  execute_process(
    COMMAND ${CMAKE_COMMAND} -E env PKG_CONFIG_PATH= PKG_CONFIG_LIBDIR=${prefix}/${LIBDIR}/pkgconfig
            ${PKG_CONFIG} ${ARGN} ripc
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "pkg-config ${ARGN} ripc in ${prefix} failed: ${err}")
  endif()
  set(${outvar} "${out}" PARENT_SCOPE)
endfunction()

# pkg_build(<prefix> <exe>): the application from a plain compiler command, as a Makefile has it.
function(pkg_build prefix exe)
  pkg_config(${prefix} board --variable=board)
  if(NOT board STREQUAL BOARD)
    message(FATAL_ERROR "ripc.pc in ${prefix} says board '${board}', expected '${BOARD}'")
  endif()
  pkg_config(${prefix} flags --static --cflags --libs)
  separate_arguments(flags UNIX_COMMAND "${flags}")
  run("compiling the application with pkg-config flags (${flags})"
      ${CC} ${CFLAGS} -std=c11 -Wall -Wextra -Werror "-DAPP_BOARD=\"${BOARD}\""
      ${APP}/main.c ${flags} ${LDFLAGS} -o ${exe})
endfunction()

file(REMOVE_RECURSE ${WORK})
set(own ${WORK}/preset-prefix)
set(fw ${WORK}/app-prefix)

# 1. This build, installed.
run("cmake --install ${BUILD}" ${CMAKE_COMMAND} --install ${BUILD} --prefix ${own})
foreach(f ${LIBDIR}/libripc.a ${LIBDIR}/cmake/ripc/ripcConfig.cmake
          ${LIBDIR}/cmake/ripc/ripcConfigVersion.cmake ${LIBDIR}/cmake/ripc/ripcTargets.cmake
          ${LIBDIR}/cmake/ripc/board/toolchain.cmake ${LIBDIR}/pkgconfig/ripc.pc
          include/ripc/board.h)
  if(NOT EXISTS ${own}/${f})
    message(FATAL_ERROR "cmake --install did not install ${f}")
  endif()
endforeach()
file(GLOB headers RELATIVE ${SRC}/include ${SRC}/include/ripc/*.h)
foreach(h IN LISTS headers)
  expect_same(${SRC}/include/${h} ${own}/include/${h})
endforeach()
expect_same(${BUILD}/generated/include/ripc/config.h ${own}/include/ripc/config.h)
expect_same(${BUILD}/.config ${own}/${LIBDIR}/cmake/ripc/ripc.config)

# 2. ripc as the application configures it.
run("configuring ripc with ${APP}/ripc.conf"
    ${CMAKE_COMMAND} -S ${SRC} -B ${WORK}/ripc -G ${GENERATOR}
    -DRIPC_BOARD=${BOARD} -DCMAKE_TOOLCHAIN_FILE=${TOOLCHAIN} -DCMAKE_C_COMPILER=${CC}
    -DCMAKE_BUILD_TYPE=${BUILD_TYPE}
    -DRIPC_BUILD_TESTS=OFF -DRIPC_BUILD_SAMPLES=OFF -DRIPC_BUILD_BENCH=OFF
    -DRIPC_CONF_FRAGMENTS=${APP}/ripc.conf)
run("building ripc" ${CMAKE_COMMAND} --build ${WORK}/ripc --target ripc --parallel 2)
run("installing ripc" ${CMAKE_COMMAND} --install ${WORK}/ripc --prefix ${fw})

# 3. The application's own CMake project, with the toolchain file the package carries.
run("configuring the application"
    ${CMAKE_COMMAND} -S ${APP} -B ${WORK}/app -G ${GENERATOR}
    -DCMAKE_TOOLCHAIN_FILE=${fw}/${LIBDIR}/cmake/ripc/board/toolchain.cmake
    -DCMAKE_PREFIX_PATH=${fw} -DCMAKE_BUILD_TYPE=${BUILD_TYPE} -DAPP_BOARD=${BOARD})
run("building the application" ${CMAKE_COMMAND} --build ${WORK}/app)
set(ok "ripc-app: ok: board ${BOARD},")
run("running the CMake-built application" ${EMULATOR} ${WORK}/app/ripc-app)
if(NOT out MATCHES "${ok}")
  message(FATAL_ERROR "the CMake-built application did not report success:\n${out}")
endif()
message(STATUS "find_package(ripc): ${out}")

# 4. The same program from a compiler command line and pkg-config.
pkg_build(${fw} ${WORK}/app-pc)
run("running the pkg-config-built application" ${EMULATOR} ${WORK}/app-pc)
if(NOT out MATCHES "${ok}")
  message(FATAL_ERROR "the pkg-config-built application did not report success:\n${out}")
endif()
message(STATUS "pkg-config ripc: ${out}")

# 5. Against a ripc without the fragment the application must refuse to run, and say why:
#    from the installed header and from the library itself.
pkg_build(${own} ${WORK}/app-wrong)
execute_process(COMMAND ${EMULATOR} ${WORK}/app-wrong RESULT_VARIABLE rc OUTPUT_VARIABLE out
                ERROR_VARIABLE out)
if(rc EQUAL 0 OR NOT out MATCHES "config.h: CONFIG_RIPC_SPIN_ITERATIONS"
   OR NOT out MATCHES "libripc.a keeps statistics")
  message(FATAL_ERROR "the application accepted a ripc without its fragment (${rc}):\n${out}")
endif()
message(STATUS "without ripc.conf the application refuses to run, as it must")

# 6. A host build must not pick up a board's package (there is no other processor to try on
#    the native board).
if(NOT EMULATOR)
  return()
endif()
execute_process(
  COMMAND ${CMAKE_COMMAND} -S ${APP} -B ${WORK}/app-host -G ${GENERATOR}
          -DCMAKE_PREFIX_PATH=${fw} -DAPP_BOARD=${BOARD}
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
string(REGEX REPLACE "[ \t\r\n]+" " " flat "${out}") # CMake wraps its error messages
if(rc EQUAL 0 OR NOT flat MATCHES "was built for board ${BOARD} |version: [0-9.]+ \\(32bit\\)")
  message(FATAL_ERROR "a host build accepted ripc for board ${BOARD} (${rc}):\n${out}")
endif()
message(STATUS "a host build refuses ripc for board ${BOARD}, as it must")
