// module_init.hpp: what _PG_init sets up, one function per area.
#pragma once

namespace schema_oracle::pg {

// Defines every schema_oracle.* setting (src/pg/settings.cpp; declared in
// settings.hpp with the typed accessors).
void init_settings();

// Chains the ExecutorStart hook (src/pg/executor_hook.cpp; from init_hooks).
void init_executor_hook();

// Chains the ProcessUtility hook (src/pg/utility_hook.cpp).
void init_hooks();

}  // namespace schema_oracle::pg
