// report.hpp: report()'s settings, defined in src/pg/report_settings.cpp.
#pragma once

namespace schema_oracle::pg {

// schema_oracle.max_indexes_per_table (too_many_indexes threshold).
int report_max_indexes_per_table();
// schema_oracle.stats_min_rows (the statistics-aware rules' row threshold).
int report_stats_min_rows();

// schema_oracle.audit_columns as its check hook parsed it (a bad list is
// refused at SET): the column names, unquoted; returns how many.
int report_audit_columns(const char* const** names);

}  // namespace schema_oracle::pg
