# Unit tests: at (pure response parsers and result codes; captured replies in captures/)
station_add_test(at_parsers_test
  SOURCES at/ati_parser_test.cpp at/cgsn_parser_test.cpp at/cimi_parser_test.cpp
          at/cpin_parser_test.cpp at/iccid_parser_test.cpp at/sierra_parser_test.cpp
          at/result_code_test.cpp at/captures_test.cpp at/garbage_test.cpp
  LIBS drivers)

# Round trips measured from a transcript (issue 17), by hand-built transcripts and a channel.
station_add_test(at_round_trips_test
  SOURCES at/round_trips_test.cpp
  LIBS drivers test_support)
