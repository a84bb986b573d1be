-- schema_oracle 0.2.0, arch: one SQLSTATE per kind of mistake.
--
-- An unknown rule id is 42704 (undefined_object) everywhere: allow(),
-- explain_rule(), report(rules => ...) and this trigger on
-- schema_oracle.exemptions (0.1.0 said 22023 here only).
CREATE OR REPLACE FUNCTION schema_oracle.exemptions_check_rule()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF NOT EXISTS (SELECT FROM schema_oracle.rule_catalog() r
                   WHERE r.rule = NEW.rule AND r.judged_by LIKE '%report%') THEN
        RAISE EXCEPTION 'schema_oracle: report() has no rule "%"', NEW.rule
            USING ERRCODE = '42704',
                  HINT = 'SELECT rule FROM schema_oracle.rules WHERE judged_by LIKE ''%report%'' lists the rules report() judges.';
    END IF;
    RETURN NEW;
END
$$;
