// Process exit codes, stable for scripts.
#pragma once

#include <station/core/reason.hpp>

namespace station::app {

// temporary_failure (EX_TEMPFAIL): work is left that a later run will do (`register push` with
// rows waiting for their next attempt).
enum class ExitCode : int {
    pass = 0,
    fail = 1,
    error = 2,
    aborted = 3,
    usage = 64,
    temporary_failure = 75
};

// The exit code of an outcome: PASS 0, FAIL 1, ERROR 2, ABORTED 3.
constexpr ExitCode exit_code_of(core::Outcome outcome) {
    switch (outcome) {
        case core::Outcome::pass:
            return ExitCode::pass;
        case core::Outcome::fail:
            return ExitCode::fail;
        case core::Outcome::error:
            return ExitCode::error;
        case core::Outcome::aborted:
            return ExitCode::aborted;
    }
    return ExitCode::error;
}

}  // namespace station::app
