// report.hpp: report()'s settings, defined in src/pg/report_settings.cpp.
#pragma once

namespace schema_oracle::pg {

// schema_oracle.max_indexes_per_table (too_many_indexes threshold).
int report_max_indexes_per_table();

}  // namespace schema_oracle::pg
