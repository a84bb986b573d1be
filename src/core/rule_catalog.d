src/core/rule_catalog.o: src/core/rule_catalog.cpp \
 include/schema_oracle/core/rule.hpp include/schema_oracle/core/pure.hpp
include/schema_oracle/core/rule.hpp:
include/schema_oracle/core/pure.hpp:
