// error.hpp: the one exception type the core throws on purpose.
//
// A core::Error carries what a PostgreSQL ereport needs (SQLSTATE, message,
// detail, hint) as plain strings. The boundary (pg/boundary.hpp) turns it
// into a real ERROR only after every C++ frame has unwound.
#pragma once
#include "schema_oracle/core/pure.hpp"

#include <stdexcept>
#include <string>
#include <utility>

namespace schema_oracle::core {

class Error : public std::runtime_error {
public:
    // sqlstate is a five-character SQLSTATE such as "42704".
    Error(std::string sqlstate, std::string message, std::string detail = {}, std::string hint = {})
        : std::runtime_error(message),
          sqlstate_(std::move(sqlstate)),
          detail_(std::move(detail)),
          hint_(std::move(hint)) {}

    const std::string& sqlstate() const noexcept { return sqlstate_; }
    const std::string& detail() const noexcept { return detail_; }
    const std::string& hint() const noexcept { return hint_; }

private:
    std::string sqlstate_;
    std::string detail_;
    std::string hint_;
};

}  // namespace schema_oracle::core
