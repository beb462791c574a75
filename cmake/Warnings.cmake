# -Wnull-dereference is left out: GCC 12 reports false positives inside libstdc++ at -O2.
add_library(station_warnings INTERFACE)
target_compile_options(station_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion
  -Wnon-virtual-dtor -Wold-style-cast -Wcast-align -Woverloaded-virtual
  -Wdouble-promotion -Wformat=2 -Wimplicit-fallthrough)
if(STATION_WERROR)
  target_compile_options(station_warnings INTERFACE -Werror)
endif()
