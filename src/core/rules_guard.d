src/core/rules_guard.o: src/core/rules_guard.cpp \
 include/schema_oracle/core/rule.hpp include/schema_oracle/core/pure.hpp
include/schema_oracle/core/rule.hpp:
include/schema_oracle/core/pure.hpp:
