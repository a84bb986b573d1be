// finding.hpp: a verdict of one rule on one action, as data.
//
// The guard turns findings into NOTICE/WARNING/ERROR; the roadmap's audit
// log will store the same fields. The message parts follow one layout
// (docs/guard.md): message = what and why in one line ending in [rule],
// detail = the lock and what it blocks, hint = the exact safe statements.
#pragma once
#include "schema_oracle/core/pure.hpp"

#include <cstdint>
#include <string>
#include <string_view>

#include "schema_oracle/core/rule.hpp"

namespace schema_oracle::core {

struct Finding {
    std::string_view rule;  // a rule id from the catalog (static storage)
    Severity severity;      // the rule's default severity
    std::string table;      // the object judged (quoted, qualified), may be empty
    std::string message;    // errmsg
    std::string detail;     // errdetail
    std::string hint;       // errhint
    bool rewrite = false;   // the finding is about a table rewrite (the backstop then stays quiet)
    // The object's identity, so callers never match findings by name: the
    // index of the action judged in the statement's action list (-1: none,
    // e.g. statement_after_access_exclusive) and the relation's OID (0: none).
    int action = -1;
    std::uint32_t oid = 0;
};

}  // namespace schema_oracle::core
