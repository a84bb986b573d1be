src/core/rules_report.o: src/core/rules_report.cpp \
 include/schema_oracle/core/rule.hpp include/schema_oracle/core/pure.hpp
include/schema_oracle/core/rule.hpp:
include/schema_oracle/core/pure.hpp:
