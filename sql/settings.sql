-- settings: list settings are parsed once, when set, and a bad value is
-- refused right there with a clear message (never later, by the statement
-- or report() that reads it).
-- (Once the library is loaded in the session, as shared_preload_libraries
-- makes it everywhere; before that, PostgreSQL keeps placeholders and checks
-- them when the library loads.)
\set VERBOSITY default
LOAD 'schema_oracle';
SET schema_oracle.audit_columns = 'created_at, "Updated At"';
SHOW schema_oracle.audit_columns;
SET schema_oracle.audit_columns = 'created_at, "unterminated';
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SHOW schema_oracle.audit_columns;
RESET schema_oracle.audit_columns;
SET schema_oracle.rule_levels = 'rename_column=block,, drop_table=off';
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SET schema_oracle.rule_levels = 'rename_column=block, drop_table=off';
SHOW schema_oracle.rule_levels;
RESET schema_oracle.rule_levels;
