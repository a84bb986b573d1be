src/core/guard.o: src/core/guard.cpp include/schema_oracle/core/guard.hpp \
 include/schema_oracle/core/pure.hpp include/schema_oracle/core/facts.hpp \
 include/schema_oracle/core/finding.hpp \
 include/schema_oracle/core/rule.hpp
include/schema_oracle/core/guard.hpp:
include/schema_oracle/core/pure.hpp:
include/schema_oracle/core/facts.hpp:
include/schema_oracle/core/finding.hpp:
include/schema_oracle/core/rule.hpp:
