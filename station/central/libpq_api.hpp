// The libpq functions the central connection uses, looked up with dlsym() in libpq.so.5 loaded
// on first use (see pq.hpp for why). Internal to station/central.
#pragma once

#include <libpq-fe.h>

#include <station/core/result.hpp>

namespace station::central {

struct LibPq {
    decltype(&PQconnectdbParams) connectdb_params;
    decltype(&PQstatus) status;
    decltype(&PQerrorMessage) error_message;
    decltype(&PQfinish) finish;
    decltype(&PQexecParams) exec_params;
    decltype(&PQexec) exec;
    decltype(&PQresultStatus) result_status;
    decltype(&PQresultErrorMessage) result_error_message;
    decltype(&PQclear) clear;
    decltype(&PQntuples) ntuples;
    decltype(&PQnfields) nfields;
    decltype(&PQgetisnull) getisnull;
    decltype(&PQgetvalue) getvalue;
    decltype(&PQgetlength) getlength;
    decltype(&PQputCopyData) put_copy_data;
    decltype(&PQputCopyEnd) put_copy_end;
    decltype(&PQgetResult) get_result;
    decltype(&PQsetNoticeProcessor) set_notice_processor;
};

// libpq, loaded once (thread-safe); a store_error naming the library when it cannot be loaded.
core::Result<const LibPq*> libpq();

}  // namespace station::central
