// module_init.hpp: what _PG_init sets up, one function per area.
#pragma once

namespace schema_oracle::pg {

// Defines the schema_oracle.* settings (src/pg/settings.cpp).
void init_settings();

// Defines report()'s settings (src/pg/report_settings.cpp).
void init_report_settings();

// Defines the commit check's and the DDL log's settings (before
// init_settings() reserves the prefix).
void init_commit_check_settings();

// Chains the ExecutorStart hook (src/pg/executor_hook.cpp; from init_hooks).
void init_executor_hook();

// Chains the ProcessUtility hook (src/pg/utility_hook.cpp).
void init_hooks();

}  // namespace schema_oracle::pg
