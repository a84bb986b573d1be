// rules_check.cpp: catalog entries for the rules only schema_oracle.check()
// judges: statements of a migration file that would fail when it runs, and
// malformed ignore comments. Every other finding of check() is a guard rule.
#include "schema_oracle/core/rule.hpp"

namespace schema_oracle::core {

const std::vector<RuleInfo>& check_rules() {
    static const std::vector<RuleInfo> table = {
        {
            "syntax_error",
            Category::integrity,
            Severity::error,
            Scope::check,
            "A statement of the migration file that PostgreSQL cannot parse.",
            "PostgreSQL's own parser rejects the text at this line and column. check() reports the "
            "position the parser reports, then goes on judging from the next `;`.",
            "The migration stops at this statement when it runs: everything before it in the same "
            "transaction is rolled back, everything before it in earlier transactions stays.",
            "",
            "Correct the statement. A missing `;` at the end of the previous statement, a psql "
            "meta-command (`\\i`, `\\set`) in a file run by another tool, or a keyword of a "
            "newer PostgreSQL version are common causes.",
        },
        {
            "unknown_object",
            Category::integrity,
            Severity::error,
            Scope::check,
            "A statement names a relation or column that neither exists nor is created earlier in "
            "the migration.",
            "A table, index, view, sequence or column a statement needs (`ALTER TABLE`, `CREATE "
            "INDEX`, `DROP` without `IF EXISTS`, `RENAME`, `TRUNCATE`, `CREATE TRIGGER`, the "
            "referenced table of a foreign key) that is not in the live catalog, or was dropped or "
            "renamed by an earlier statement of the file, and that no earlier statement creates.",
            "The statement fails when the migration runs. A migration written against a different "
            "schema than the target's is usually the cause: a missed earlier migration, a typo, or "
            "an object another team renamed.",
            "",
            "Create the object earlier in the migration, correct the name, or run the missing "
            "earlier migration first.",
        },
        {
            "statement_would_fail",
            Category::integrity,
            Severity::error,
            Scope::check,
            "A statement PostgreSQL would reject for another reason than syntax or a missing "
            "object.",
            "Analysing the statement against the live catalog raised an error of the classes "
            "PostgreSQL uses for invalid statements (42: access rule violation, 22: data "
            "exception, "
            "0A: feature not supported, 3F: invalid schema), e.g. a type change with no cast.",
            "The statement fails when the migration runs.",
            "",
            "Correct the statement as the message says.",
        },
        {
            "not_judged",
            Category::integrity,
            Severity::info,
            Scope::check,
            "check() could not judge a statement.",
            "An unexpected error while gathering the statement's facts. The statement is skipped; "
            "later statements are judged as if it had no effect.",
            "Its findings, if any, are unknown.",
            "",
            "Report it as a bug of schema_oracle, with the statement and the message.",
        },
        {
            "invalid_ignore_comment",
            Category::integrity,
            Severity::warning,
            Scope::check,
            "An ignore comment that names no rule, a rule check() does not judge, or gives no "
            "reason.",
            "A `-- schema_oracle: allow <rule> -- <reason>` comment before a statement whose rule "
            "is unknown or judged only by report(), or that has no reason after the second `--`.",
            "The comment waives nothing, so the finding it was meant to accept still stands, and "
            "an accepted hazard without a reason cannot be reviewed.",
            "",
            "Name the rule and say why the hazard is acceptable:\n\n"
            "```sql\n-- schema_oracle: allow rename_column -- column unused since v42\n"
            "ALTER TABLE users RENAME COLUMN name TO display_name;\n```",
        },
    };
    return table;
}

}  // namespace schema_oracle::core
