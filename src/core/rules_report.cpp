// rules_report.cpp: catalog entries for the rules schema_oracle.report()
// judges over the whole database.
#include "schema_oracle/core/rule.hpp"

namespace schema_oracle::core {

const std::vector<RuleInfo>& report_rules() {
    static const std::vector<RuleInfo> table = {
        {
            "fk_missing_index",
            Category::performance,
            Severity::warning,
            Scope::report,
            "A foreign key whose referencing columns no index covers.",
            "A foreign key for which no valid, non-partial index on the referencing table has "
            "leading key columns equal, as a set, to the foreign key's columns. Judged once at a "
            "partitioned parent, never once per partition.",
            "Every DELETE or key UPDATE on the referenced table must find the referencing rows: "
            "without an index that is a sequential scan of the referencing table per row, under "
            "a lock, and joins on the key are slow too.",
            "",
            "Create the covering index concurrently:\n\n"
            "```sql\nCREATE INDEX CONCURRENTLY IF NOT EXISTS comments_post_id_idx ON comments (post_id);\n```",
        },
        {
            "missing_primary_key",
            Category::integrity,
            Severity::warning,
            Scope::report,
            "A table without a primary key.",
            "An ordinary or partitioned table (the parent once, not each partition) with no "
            "primary key constraint.",
            "Without a primary key, rows cannot be addressed reliably, logical replication cannot "
            "replicate UPDATE and DELETE, and duplicates creep in.",
            "",
            "Build a unique index concurrently, then attach it as the primary key:\n\n"
            "```sql\nCREATE UNIQUE INDEX CONCURRENTLY audit_logs_pkey ON audit_logs (id);\n"
            "ALTER TABLE audit_logs ADD CONSTRAINT audit_logs_pkey PRIMARY KEY USING INDEX audit_logs_pkey;\n```",
        },
    };
    return table;
}

}  // namespace schema_oracle::core
