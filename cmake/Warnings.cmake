add_library(station_warnings INTERFACE)
target_compile_options(station_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion
  -Wnon-virtual-dtor -Wold-style-cast -Wcast-align -Woverloaded-virtual
  -Wnull-dereference -Wdouble-promotion -Wformat=2 -Wimplicit-fallthrough)
if(STATION_WERROR)
  target_compile_options(station_warnings INTERFACE -Werror)
endif()
