# SPDX-License-Identifier: Apache-2.0
cmake_policy(VERSION 3.20)
# Script behind the size-report target (cmake/RipcSizeReport.cmake). Prints one Markdown
# table row per profile: | board | profile | text | data | bss | total |

# Sum of text, data and bss over the members of archive LIB, from `size -t` (its TOTALS line).
function(archive_size lib out)
  execute_process(COMMAND ${SIZE} -t ${lib}
                  RESULT_VARIABLE rc OUTPUT_VARIABLE text ERROR_VARIABLE err)
  # The TOTALS line: text data bss dec hex; a number of 7 digits fills its column, no blank.
  set(totals "\n[ \t]*([0-9]+)[ \t]+([0-9]+)[ \t]+([0-9]+)[ \t]+[0-9]+[ \t]+[0-9a-f]+[ \t]+")
  if(NOT rc EQUAL 0 OR NOT text MATCHES "${totals}\\(TOTALS\\)")
    message(FATAL_ERROR "${SIZE} -t ${lib} gave no totals: ${text}${err}")
  endif()
  math(EXPR total "${CMAKE_MATCH_1} + ${CMAKE_MATCH_2} + ${CMAKE_MATCH_3}")
  set(${out} "${CMAKE_MATCH_1}" "${CMAKE_MATCH_2}" "${CMAKE_MATCH_3}" "${total}" PARENT_SCOPE)
endfunction()

function(print_row board profile sizes)
  list(JOIN sizes " | " cells)
  execute_process(COMMAND ${CMAKE_COMMAND} -E echo "| ${board} | ${profile} | ${cells} |")
endfunction()

if(NOT SIZE)
  message(FATAL_ERROR "no size tool (binutils) for board ${BOARD}")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -E echo "| board | profile | text | data | bss | total |")
execute_process(COMMAND ${CMAKE_COMMAND} -E echo "| --- | --- | ---: | ---: | ---: | ---: |")
# Profile name and fragment applied after the board defconfig ("default" adds none).
set(profiles minimal ${SRC}/configs/minimal.conf default "" all ${SRC}/configs/all.conf)
while(profiles)
  list(POP_FRONT profiles name fragment)
  set(dir ${WORK}/${name})
  execute_process(
    COMMAND ${CMAKE_COMMAND} -S ${SRC} -B ${dir} -G ${GENERATOR}
            -DRIPC_BOARD=${BOARD} -DCMAKE_TOOLCHAIN_FILE=${TOOLCHAIN} -DCMAKE_C_COMPILER=${CC}
            -DCMAKE_BUILD_TYPE=${BUILD_TYPE}
            -DRIPC_BUILD_TESTS=OFF -DRIPC_BUILD_SAMPLES=OFF -DRIPC_BUILD_BENCH=OFF
            -DRIPC_CONF_FRAGMENTS=${fragment}
    RESULT_VARIABLE rc OUTPUT_VARIABLE log ERROR_VARIABLE log)
  if(rc EQUAL 0)
    execute_process(COMMAND ${CMAKE_COMMAND} --build ${dir} --target ripc --parallel 2
                    RESULT_VARIABLE rc OUTPUT_VARIABLE log ERROR_VARIABLE log)
  endif()
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "profile ${name} for board ${BOARD} does not build:\n${log}")
  endif()
  file(GLOB lib ${dir}/*ripc.a)
  archive_size(${lib} sizes)
  print_row(${BOARD} ${name} "${sizes}")
endwhile()
archive_size(${THIS_LIB} sizes)
print_row(${BOARD} "this build (${BUILD_TYPE})" "${sizes}")
