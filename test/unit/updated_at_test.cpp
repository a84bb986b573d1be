// updated_at_test.cpp: the recogniser of trigger functions that keep a
// column current (core/updated_at.hpp), on PL/pgSQL as its scanner reads it.
#include <gtest/gtest.h>

#include "schema_oracle/core/updated_at.hpp"

using namespace schema_oracle::core;

namespace {
bool assigns(const char* src, const char* col = "updated_at") {
    return plpgsql_assigns_new_column(src, col);
}
}  // namespace

TEST(UpdatedAt, PlainAssignments) {
    EXPECT_TRUE(assigns("BEGIN NEW.updated_at := now(); RETURN NEW; END"));
    EXPECT_TRUE(assigns("begin new.updated_at = now(); return new; end"));
    EXPECT_TRUE(
        assigns("BEGIN IF TG_OP = 'UPDATE' THEN NEW . updated_at := clock_timestamp(); END IF; "
                "RETURN NEW; END"));
    EXPECT_TRUE(assigns("BEGIN <<main>> NEW.updated_at := now(); RETURN NEW; END"));
    EXPECT_TRUE(
        assigns("BEGIN -- keep it current\n  NEW.updated_at := now();\n  RETURN NEW;\nEND"));
    EXPECT_TRUE(assigns("BEGIN /* why: audits */ NEW.updated_at := now(); RETURN NEW; END"));
}

TEST(UpdatedAt, QuotingAndCase) {
    EXPECT_TRUE(assigns("BEGIN NEW.\"updated_at\" := now(); RETURN NEW; END"));
    EXPECT_TRUE(assigns("BEGIN NEW.UPDATED_AT := now(); RETURN NEW; END"));  // folds to lower case
    EXPECT_FALSE(assigns("BEGIN NEW.\"UPDATED_AT\" := now(); RETURN NEW; END"));  // another column
    EXPECT_TRUE(assigns("BEGIN NEW.\"UpdatedAt\" := now(); RETURN NEW; END", "UpdatedAt"));
    EXPECT_FALSE(assigns("BEGIN NEW.UpdatedAt := now(); RETURN NEW; END", "UpdatedAt"));
    EXPECT_FALSE(assigns("BEGIN NEW.updated_at_2 := now(); RETURN NEW; END"));
}

TEST(UpdatedAt, CommentsAndStringsHideNothing) {
    EXPECT_FALSE(assigns("BEGIN /* disabled; NEW.updated_at := now(); */ RETURN NEW; END"));
    EXPECT_FALSE(
        assigns("BEGIN /* outer /* nested */ ; NEW.updated_at := now(); */ RETURN NEW; END"));
    EXPECT_FALSE(assigns("BEGIN\n  -- ; NEW.updated_at := now();\n  RETURN NEW;\nEND"));
    EXPECT_FALSE(assigns("BEGIN RAISE NOTICE 'x; NEW.updated_at := now()'; RETURN NEW; END"));
    EXPECT_FALSE(assigns("BEGIN RAISE NOTICE E'it\\'s; NEW.updated_at := now()'; RETURN NEW; END"));
    EXPECT_FALSE(assigns("BEGIN EXECUTE $q$; NEW.updated_at := now()$q$; RETURN NEW; END"));
    EXPECT_FALSE(assigns("BEGIN PERFORM $1; RETURN NEW; END"));
}

TEST(UpdatedAt, ComparisonsAreNotAssignments) {
    EXPECT_FALSE(assigns(
        "BEGIN IF NEW.updated_at = OLD.updated_at THEN RAISE 'x'; END IF; RETURN NEW; END"));
    EXPECT_FALSE(assigns("BEGIN RETURN NEW; END"));
}

TEST(UpdatedAt, KnownCFunctions) {
    TriggerFunctionRef mod{"public", "moddatetime", "c", "moddatetime"};
    EXPECT_TRUE(trigger_function_maintains_column(mod, {"updated_at"}, "updated_at"));
    EXPECT_FALSE(trigger_function_maintains_column(mod, {"seen_at"}, "updated_at"));
    EXPECT_FALSE(trigger_function_maintains_column(mod, {}, "updated_at"));
    TriggerFunctionRef helper{"schema_oracle", "set_updated_at", "c", "set_updated_at"};
    EXPECT_TRUE(trigger_function_maintains_column(helper, {}, "updated_at"));
    EXPECT_FALSE(trigger_function_maintains_column(helper, {}, "modified_at"));
    EXPECT_TRUE(trigger_function_maintains_column(helper, {"modified_at"}, "modified_at"));
    EXPECT_FALSE(trigger_function_maintains_column(helper, {"modified_at"}, "updated_at"));
    TriggerFunctionRef imposter{"public", "set_updated_at", "c", "set_updated_at"};
    EXPECT_FALSE(trigger_function_maintains_column(imposter, {}, "updated_at"));
}
