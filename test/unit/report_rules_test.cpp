// report_rules_test.cpp: report()'s rule families over hand-built catalog
// models, plus the option helpers (LIKE matching, rule and severity checks).
#include <gtest/gtest.h>

#include <algorithm>

#include "schema_oracle/core/error.hpp"
#include "schema_oracle/core/report.hpp"

using namespace schema_oracle::core;

namespace {

struct Builder {
    CatalogModel m;
    Oid next = 1000;

    // References returned by table()/index()/constraint() stay valid because
    // OIDs only grow (flat_map appends) and capacity is reserved up front.
    Builder() {
        m.relations.reserve(64);
        m.indexes.reserve(64);
        m.constraints.reserve(64);
        m.namespaces[10] = Namespace{10, "public", "public"};
        m.settings.audit_columns.clear();
        m.settings.audit_columns_quoted.clear();
    }
    Relation& table(const std::string& name, std::vector<std::pair<std::string, Oid>> cols,
                    char kind = 'r') {
        Relation r;
        r.oid = ++next;
        r.nsp = 10;
        r.name = r.qname = name;
        r.kind = kind;
        AttrNumber n = 0;
        for (auto& [cname, type] : cols) {
            Attribute a;
            a.attnum = ++n;
            a.name = a.qname = cname;
            a.type = type;
            r.attrs.push_back(a);
        }
        return m.relations[r.oid] = r;
    }
    Index& index(const Relation& t, const std::string& name, AttrList cols) {
        Index ix;
        ix.oid = ++next;
        ix.table = t.oid;
        ix.nsp = 10;
        ix.name = ix.qname = name;
        ix.am = "btree";
        ix.columns = cols;
        ix.nkey = static_cast<int>(cols.size());
        for (std::size_t i = 0; i < cols.size(); ++i) {
            ix.opclasses.push_back(1978);
            ix.collations.push_back(0);
            ix.options.push_back(0);
        }
        return m.indexes[ix.oid] = ix;
    }
    Constraint& constraint(const Relation& t, const std::string& name, char type, AttrList key) {
        Constraint c;
        c.oid = ++next;
        c.name = c.qname = name;
        c.type = type;
        c.table = t.oid;
        c.key = key;
        m.constraints.push_back(c);
        return m.constraints.back();
    }
    std::vector<ReportFinding> run(std::vector<std::string> rules = {}) {
        m.link();
        ReportOptions o;
        if (!rules.empty())
            o.rules = rules;
        return run_report(m, o);
    }
};

std::vector<std::string> ids(const std::vector<ReportFinding>& fs) {
    std::vector<std::string> out;
    for (const auto& f : fs) out.push_back(std::string(f.rule) + ":" + f.object_identity);
    return out;
}

}  // namespace

TEST(ReportOptions, LikeMatch) {
    EXPECT_TRUE(like_match("public.users", "public.%"));
    EXPECT_TRUE(like_match("public.users", "%.users"));
    EXPECT_TRUE(like_match("public.users", "public._sers"));
    EXPECT_FALSE(like_match("public.users", "public.user"));
    EXPECT_TRUE(like_match("a_b", "a\\_b"));
    EXPECT_FALSE(like_match("axb", "a\\_b"));
    EXPECT_TRUE(like_match("", "%"));
    EXPECT_TRUE(like_match("abcabc", "%abc"));
}

TEST(ReportOptions, RuleAndSeverityValidation) {
    EXPECT_NO_THROW(validate_rule_ids({"fk_missing_index", "json_column"}));
    try {
        validate_rule_ids({"nope"});
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.sqlstate(), "42704");
        EXPECT_FALSE(e.hint().empty());
    }
    EXPECT_THROW(validate_rule_ids({"create_index_not_concurrently"}), Error);
    EXPECT_EQ(parse_min_severity("warning"), Severity::warning);
    EXPECT_THROW(parse_min_severity("fatal"), Error);
}

TEST(ReportRules, EveryReportRuleIsInTheCatalog) {
    for (const char* id :
         {"fk_missing_index", "missing_primary_key", "updated_at_no_trigger", "duplicate_index",
          "redundant_index", "invalid_index", "constraint_not_valid", "sequence_near_overflow",
          "fk_type_mismatch", "unused_index", "too_many_indexes", "json_column",
          "timestamp_without_time_zone", "char_column", "varchar_255", "date_stored_as_text",
          "plaintext_password_column", "missing_audit_columns", "security_definer_search_path"}) {
        const RuleInfo* r = find_rule(id);
        ASSERT_NE(r, nullptr) << id;
        EXPECT_NE(r->scope, Scope::guard) << id;
    }
}

TEST(ReportRules, ForeignKeyJudgedAtTheParentOnly) {
    Builder b;
    Relation& users = b.table("users", {{"id", type_oid::int4}});
    b.constraint(users, "users_pkey", 'p', {1});
    Relation& ev = b.table("events", {{"id", type_oid::int8}, {"user_id", type_oid::int4}}, 'p');
    Relation& part = b.table("events_1", {{"id", type_oid::int8}, {"user_id", type_oid::int4}});
    part.is_partition = true;
    Constraint& fk = b.constraint(ev, "events_user_fk", 'f', {2});
    fk.ref_table = users.oid;
    fk.ref_key = {1};
    Oid parent_fk = fk.oid;
    Constraint& clone = b.constraint(part, "events_user_fk", 'f', {2});
    clone.parent = parent_fk;
    clone.ref_table = users.oid;
    clone.ref_key = {1};
    auto out = b.run({"fk_missing_index"});
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].object_identity, "events_user_fk on public.events");
    EXPECT_TRUE(out[0].fix.empty());  // no CONCURRENTLY on a partitioned table
}

TEST(ReportRules, ForeignKeyFixNameAvoidsClashes) {
    Builder b;
    Relation& p = b.table("posts", {{"id", type_oid::int8}});
    Relation& c = b.table("comments", {{"id", type_oid::int8}, {"post_id", type_oid::int8}});
    b.table("comments_post_id_idx", {{"x", type_oid::int4}});  // a table takes the name
    Constraint& fk = b.constraint(c, "comments_post_id_fkey", 'f', {2});
    fk.ref_table = p.oid;
    fk.ref_key = {1};
    auto out = b.run({"fk_missing_index"});
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].fix,
              "CREATE INDEX CONCURRENTLY IF NOT EXISTS comments_post_id_idx1 ON public.comments "
              "(post_id);");
}

// Any relation takes a name (a view, a composite type: the model holds them
// by name only), and so do the names given to earlier fixes of the report.
TEST(ReportRules, ForeignKeyFixNameFreeInTheWholeNamespace) {
    Builder b;
    Relation& p = b.table("posts", {{"id", type_oid::int8}});
    Relation& c = b.table("comments", {{"id", type_oid::int8}, {"post_id", type_oid::int8}});
    for (const char* name : {"comments_post_id_fkey", "comments_post_id_fkey2"}) {
        Constraint& fk = b.constraint(c, name, 'f', {2});
        fk.ref_table = p.oid;
        fk.ref_key = {1};
    }
    b.m.other_relation_names.emplace_back(c.nsp, "comments_post_id_idx");  // e.g. a view
    auto out = b.run({"fk_missing_index"});
    ASSERT_EQ(out.size(), 2u);
    EXPECT_NE(out[0].fix.find(" comments_post_id_idx1 "), std::string::npos) << out[0].fix;
    EXPECT_NE(out[1].fix.find(" comments_post_id_idx2 "), std::string::npos) << out[1].fix;
}

TEST(ReportRules, DuplicateKeepsConstraintIndex) {
    Builder b;
    Relation& t = b.table("users", {{"id", type_oid::int4}, {"email", type_oid::text}});
    Index& key = b.index(t, "users_email_key", {2});
    key.unique = true;
    Constraint& uc = b.constraint(t, "users_email_key", 'u', {2});
    uc.index = key.oid;
    b.index(t, "users_email_idx", {2});
    auto out = b.run({"duplicate_index"});
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].object_identity, "public.users_email_idx");
    EXPECT_EQ(out[0].fix, "DROP INDEX CONCURRENTLY IF EXISTS public.users_email_idx;");
}

TEST(ReportRules, DuplicateNeedsSameOpclassPredicateAndOptions) {
    Builder b;
    Relation& t = b.table("t", {{"a", type_oid::text}});
    b.index(t, "a1", {1});
    Index& other_class = b.index(t, "a2", {1});
    other_class.opclasses[0] = 10043;  // text_pattern_ops
    Index& partial = b.index(t, "a3", {1});
    partial.predicate = "(a IS NOT NULL)";
    Index& desc = b.index(t, "a4", {1});
    desc.options[0] = 3;
    Index& hash = b.index(t, "a5", {1});
    hash.am = "hash";
    EXPECT_TRUE(b.run({"duplicate_index"}).empty());
}

TEST(ReportRules, RedundantPrefixComparesAttnums) {
    Builder b;
    std::vector<std::pair<std::string, Oid>> cols;
    for (int i = 1; i <= 12; ++i) cols.push_back({"c" + std::to_string(i), type_oid::int4});
    Relation& t = b.table("wide", cols);
    b.index(t, "i_1", {1});
    b.index(t, "i_12_2", {12, 2});  // attnum 1 vs 12: never a text prefix match
    b.index(t, "i_2_1", {2, 1});    // (1) is not a prefix of (2, 1)
    Index& u = b.index(t, "u_3", {3});
    u.unique = true;
    b.index(t, "i_3_4", {3, 4});  // unique (3) is never redundant
    b.index(t, "i_5", {5});
    b.index(t, "i_5_6", {5, 6});
    auto out = b.run({"redundant_index"});
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].object_identity, "public.i_5");
    EXPECT_NE(out[0].message.find("public.i_5_6"), std::string::npos);
}

TEST(ReportRules, UnusedNeverUniqueOrFkCovering) {
    Builder b;
    Relation& p = b.table("p", {{"id", type_oid::int4}});
    Relation& t =
        b.table("t", {{"id", type_oid::int4}, {"p_id", type_oid::int4}, {"x", type_oid::int4}});
    Index& pk = b.index(t, "t_pkey", {1});
    pk.unique = pk.primary = true;
    pk.scans = 0;
    b.index(t, "t_p_idx", {2}).scans = 0;
    b.index(t, "t_x_idx", {3}).scans = 0;
    b.index(t, "t_x_used", {3, 1}).scans = 5;
    Constraint& fk = b.constraint(t, "t_p_fk", 'f', {2});
    fk.ref_table = p.oid;
    fk.ref_key = {1};
    auto out = b.run({"unused_index"});
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].object_identity, "public.t_x_idx");
    EXPECT_TRUE(out[0].fix.empty());
}

TEST(ReportRules, InvalidIndexSkipsBuildsInProgress) {
    Builder b;
    Relation& t = b.table("t", {{"a", type_oid::int4}});
    b.index(t, "t_a_idx", {1}).valid = false;
    Index& cc = b.index(t, "t_a_idx_ccnew", {1});
    cc.valid = false;
    auto out = b.run({"invalid_index"});
    ASSERT_EQ(out.size(), 2u);
    EXPECT_EQ(out[0].fix, "REINDEX INDEX CONCURRENTLY public.t_a_idx;");
    EXPECT_EQ(out[1].fix, "DROP INDEX CONCURRENTLY IF EXISTS public.t_a_idx_ccnew;");
    Builder b2;
    Relation& t2 = b2.table("t", {{"a", type_oid::int4}});
    b2.index(t2, "t_a_idx", {1}).valid = false;
    b2.m.index_builds_in_progress.insert(t2.oid);
    EXPECT_TRUE(b2.run({"invalid_index"}).empty());
}

TEST(ReportRules, SequenceThresholdsDirectionAndCycle) {
    auto run_seq = [](Sequence s, Oid col_type) {
        Builder b;
        Relation& t = b.table("t", {{"id", col_type}});
        Relation seq;
        seq.oid = 5000;
        seq.nsp = 10;
        seq.name = seq.qname = "t_id_seq";
        seq.kind = 'S';
        b.m.relations[seq.oid] = seq;
        s.oid = seq.oid;
        s.owner_table = t.oid;
        s.owner_column = 1;
        b.m.sequences.push_back(s);
        return b.run({"sequence_near_overflow"});
    };
    Sequence s;
    s.max = 2147483647;
    s.last = 1600000000;  // 74%
    EXPECT_TRUE(run_seq(s, type_oid::int4).empty());
    s.last = 1700000000;  // 79%
    auto w = run_seq(s, type_oid::int4);
    ASSERT_EQ(w.size(), 1u);
    EXPECT_EQ(w[0].severity, Severity::warning);
    s.last = 1940000000;  // 90.3%
    auto e = run_seq(s, type_oid::int4);
    ASSERT_EQ(e.size(), 1u);
    EXPECT_EQ(e[0].severity, Severity::error);
    EXPECT_TRUE(e[0].fix.empty());  // the column must be widened: no one-line fix
    // bigint column, integer sequence: the sequence's own max comes first
    auto own = run_seq(s, type_oid::int8);
    ASSERT_EQ(own.size(), 1u);
    EXPECT_EQ(own[0].fix, "ALTER SEQUENCE public.t_id_seq AS bigint MAXVALUE 9223372036854775807;");
    // cycling on a bigint column: no overflow
    s.cycle = true;
    EXPECT_TRUE(run_seq(s, type_oid::int8).empty());
    // descending
    Sequence d;
    d.increment = -1;
    d.min = -100;
    d.max = -1;
    d.last = -80;
    auto down = run_seq(d, type_oid::int8);
    ASSERT_EQ(down.size(), 1u);
    EXPECT_EQ(down[0].severity, Severity::warning);
    d.last = std::nullopt;  // unreadable or never used
    EXPECT_TRUE(run_seq(d, type_oid::int8).empty());
}

TEST(ReportRules, UpdatedAtMaintainers) {
    Builder b;
    Function touch;
    touch.oid = 1;
    touch.name = "touch";
    touch.language = "plpgsql";
    touch.source = "BEGIN\n  NEW.updated_at := now();\n  RETURN NEW;\nEND";
    Function cmp = touch;
    cmp.source =
        "BEGIN IF NEW.updated_at = OLD.updated_at THEN RETURN NULL; END IF; RETURN NEW; END";
    Function quoted = touch;
    quoted.source = "begin new . \"updated_at\" = clock_timestamp(); return new; end";
    Function other_col = touch;
    other_col.source = "BEGIN NEW.updated_at_x := now(); NEW.xupdated_at = 1; RETURN NEW; END";
    Function mod;
    mod.name = "moddatetime";
    mod.language = "c";
    Trigger tr;
    tr.type = 1 | 2 | 16;  // ROW, BEFORE, UPDATE
    EXPECT_TRUE(function_maintains_column(b.m, touch, tr, "updated_at"));
    EXPECT_FALSE(function_maintains_column(b.m, cmp, tr, "updated_at"));
    EXPECT_TRUE(function_maintains_column(b.m, quoted, tr, "updated_at"));
    EXPECT_FALSE(function_maintains_column(b.m, other_col, tr, "updated_at"));
    tr.first_arg = "updated_at";
    EXPECT_TRUE(function_maintains_column(b.m, mod, tr, "updated_at"));
    tr.first_arg = "seen_at";
    EXPECT_FALSE(function_maintains_column(b.m, mod, tr, "updated_at"));
    EXPECT_EQ(trigger_cannot_maintain(tr), "");
    tr.enabled = 'D';
    EXPECT_EQ(trigger_cannot_maintain(tr), "is disabled");
    tr.enabled = 'O';
    tr.type = 2 | 16;
    EXPECT_EQ(trigger_cannot_maintain(tr), "is statement-level");
    tr.type = 1 | 16;
    EXPECT_NE(trigger_cannot_maintain(tr).find("AFTER"), std::string::npos);
    tr.type = 1 | 2 | 4;
    EXPECT_EQ(trigger_cannot_maintain(tr), "fires on INSERT only");
}

TEST(ReportRules, ColumnsOnlyWhereDefined) {
    Builder b;
    Relation& parent = b.table("logs", {{"payload", type_oid::json}}, 'p');
    Relation& part = b.table("logs_1", {{"payload", type_oid::json}});
    part.is_partition = true;
    part.attrs[0].is_local = false;
    Relation& u = b.table("users", {{"password", type_oid::text},
                                    {"password_hash", type_oid::text},
                                    {"born_on", type_oid::varchar},
                                    {"format", type_oid::text}});
    (void)parent;
    (void)u;
    auto out = ids(b.run({"json_column", "plaintext_password_column", "date_stored_as_text"}));
    std::sort(out.begin(), out.end());
    std::vector<std::string> want = {"date_stored_as_text:public.users.born_on",
                                     "json_column:public.logs.payload",
                                     "plaintext_password_column:public.users.password"};
    EXPECT_EQ(out, want);
}

TEST(ReportRules, CancelFlagStopsTheReport) {
    Builder b;
    b.table("a", {{"x", type_oid::json}});
    b.m.link();
    ReportOptions o;
    volatile std::sig_atomic_t flag = 0;
    o.cancel_flags[0] = &flag;
    EXPECT_FALSE(run_report(b.m, o).empty());
    flag = 1;
    EXPECT_THROW(run_report(b.m, o), Cancelled);
}

TEST(ReportRules, FiltersExemptionsAndOrder) {
    Builder b;
    b.table("a", {{"x", type_oid::json}});
    b.table("b", {{"x", type_oid::int4}});
    b.m.link();
    ReportOptions o;
    auto all = run_report(b.m, o);
    ASSERT_GE(all.size(), 3u);
    EXPECT_GE(all.front().severity, all.back().severity);
    o.min_severity = Severity::warning;
    for (const auto& f : run_report(b.m, o)) EXPECT_GE(f.severity, Severity::warning);
    o = ReportOptions{};
    o.exemptions.push_back({"missing_primary_key", "public.%"});
    for (const auto& f : run_report(b.m, o)) EXPECT_NE(f.rule, "missing_primary_key");
    o.show_exempted = true;
    auto shown = run_report(b.m, o);
    EXPECT_EQ(std::count_if(shown.begin(), shown.end(),
                            [](const ReportFinding& f) { return f.exempted; }),
              2);
    o = ReportOptions{};
    o.exclude_schemas = {"public"};
    EXPECT_TRUE(run_report(b.m, o).empty());
}
