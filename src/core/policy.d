src/core/policy.o: src/core/policy.cpp \
 include/schema_oracle/core/policy.hpp \
 include/schema_oracle/core/pure.hpp include/schema_oracle/core/rule.hpp
include/schema_oracle/core/policy.hpp:
include/schema_oracle/core/pure.hpp:
include/schema_oracle/core/rule.hpp:
