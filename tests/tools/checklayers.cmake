# SPDX-License-Identifier: GPL-3.0-or-later
# Fails when an include crosses the layers of docs/style.md §2:
#   model/ includes nothing of server/, ui/ or app/;
#   server/ and ui/ never include each other; nothing includes app/.
# Run as: cmake -DSOURCE_DIR=<repo> -P checklayers.cmake

set(rules
    "model|server/|ui/|app/"
    "server|ui/|app/"
    "ui|server/|app/"
    "tests|app/")
set(violations "")
foreach(rule IN LISTS rules)
    string(REPLACE "|" ";" parts "${rule}")
    list(POP_FRONT parts folder)
    file(GLOB_RECURSE files "${SOURCE_DIR}/${folder}/*.h" "${SOURCE_DIR}/${folder}/*.cpp")
    foreach(file IN LISTS files)
        file(STRINGS "${file}" includes REGEX "^[ \t]*#[ \t]*include[ \t]*[\"<]")
        foreach(line IN LISTS includes)
            foreach(forbidden IN LISTS parts)
                if(line MATCHES "#[ \t]*include[ \t]*[\"<]${forbidden}")
                    file(RELATIVE_PATH relative "${SOURCE_DIR}" "${file}")
                    string(APPEND violations "  ${relative}: ${line}\n")
                endif()
            endforeach()
        endforeach()
    endforeach()
endforeach()

if(violations)
    message(FATAL_ERROR "Layering violations (see docs/style.md §2):\n${violations}")
endif()
message(STATUS "Layering: no include crosses a layer")
