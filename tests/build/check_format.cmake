# SPDX-License-Identifier: Apache-2.0
cmake_policy(VERSION 3.20)
# Every C file follows the project's .clang-format.
file(GLOB_RECURSE files ${SRC}/include/*.h ${SRC}/core/*.[ch] ${SRC}/port/*.[ch]
     ${SRC}/tests/*.[ch] ${SRC}/samples/*.[ch] ${SRC}/bench/*.[ch])
set(bad "")
foreach(f IN LISTS files)
  execute_process(COMMAND ${CLANG_FORMAT} --dry-run -Werror ${f}
                  RESULT_VARIABLE rc OUTPUT_QUIET ERROR_QUIET)
  if(NOT rc EQUAL 0)
    list(APPEND bad ${f})
  endif()
endforeach()
if(bad)
  list(JOIN bad "\n  " lines)
  message(FATAL_ERROR "not formatted (clang-format -i):\n  ${lines}")
endif()
