// erd_test.cpp: the pure text writers of erd() (core/erd.hpp): the escaping
// of hostile names for Mermaid, DOT and Markdown, the two diagram formats on
// a small model, the neighbourhood of `around` and the numbering of the
// findings. (sql/erd_equivalence.sql checks the same text against the SQL
// reference on a live catalog.)
#include <gtest/gtest.h>

#include "schema_oracle/core/erd.hpp"

using namespace schema_oracle::core::erd;

TEST(ErdEscape, MermaidPlainWordsPassUnchanged) {
    EXPECT_EQ(mermaid("orders"), "orders");
    EXPECT_EQ(mermaid("Order_Items2"), "Order_Items2");
    EXPECT_EQ(mermaid_type("character varying(20)"), "character varying(20)");
    EXPECT_EQ(mermaid_type("numeric(20,2)[]"), "numeric(20,2)[]");
    EXPECT_EQ(mermaid_type("timestamp(3) with time zone"), "timestamp(3) with time zone");
}

TEST(ErdEscape, MermaidCodesGrammarAndMarkdownCharacters) {
    EXPECT_EQ(mermaid("say \"hi\""), "say #34;hi#34;");
    EXPECT_EQ(mermaid("a|b"), "a#124;b");
    EXPECT_EQ(mermaid("*x* _y_"), "#42;x#42; #95;y#95;");
    EXPECT_EQ(mermaid("%%{init}%%"), "#37;#37;#123;init#125;#37;#37;");
    EXPECT_EQ(mermaid("#quot;"), "#35;quot;");
    // a non-letter first character could open a markdown block
    EXPECT_EQ(mermaid("1. item"), "#49;. item");
    EXPECT_EQ(mermaid("- x"), "#45; x");
    // "direction" anywhere: its white space is coded (the lexer's rule)
    EXPECT_EQ(mermaid("direction TB"), "direction#32;TB");
    EXPECT_EQ(mermaid("My Direction\xc2\xa0LR"), "My#32;Direction#160;LR");
    EXPECT_EQ(mermaid_type("direction"), "direction");  // a plain word
    EXPECT_EQ(mermaid_type("a direction"), "a#32;direction");
    // underscores open emphasis unless the word is plain
    EXPECT_EQ(mermaid("_a"), "#95;a");
}

TEST(ErdEscape, MermaidControlsAndPlaceholders) {
    EXPECT_EQ(mermaid("line\nbreak"),
              "line\xe2\x90\x8a"
              "break");                          // U+240A
    EXPECT_EQ(mermaid("\x7f"), "\xe2\x90\xa1");  // U+2421
    // U+FB02 U+00B0 and U+00B6 U+00DF get a WORD JOINER (U+2060) between them
    EXPECT_EQ(mermaid("\xef\xac\x82\xc2\xb0x\xc2\xb6\xc3\x9f"),
              "#64258;\xe2\x81\xa0#176;x#182;\xe2\x81\xa0#223;");
    EXPECT_EQ(mermaid("\xc3\x9cn\xc3\xaf \xe2\x98\x83"), "\xc3\x9cn\xc3\xaf \xe2\x98\x83");
}

TEST(ErdEscape, MermaidIds) {
    std::string id;
    append_mermaid_id(id, "market", "order_items", 7);
    EXPECT_EQ(id, "market__order_items");
    for (auto [nsp, rel] : {std::pair{"a__b", "c"},
                            {"a_", "b"},
                            {"a", "_b"},
                            {"we ird", "x"},
                            {"a", "b\"c"},
                            {"1a", "b"}}) {
        std::string other;
        append_mermaid_id(other, nsp, rel, 3);
        EXPECT_EQ(other, "t3") << nsp << "." << rel;
    }
}

TEST(ErdEscape, DotIdsAreQuotedAndDistinct) {
    EXPECT_EQ(dot_id("market.orders"), "\"market.orders\"");
    EXPECT_EQ(dot_id("\"we ird\".\"order\""), "\"\\\"we ird\\\".\\\"order\\\"\"");
    EXPECT_EQ(dot_id("back\\slash\\"), "\"back\\\\slash\\\\\"");
    // a newline is drawn as its picture; a picture in the name is marked
    EXPECT_EQ(dot_id("a\nb"),
              "\"a\xe2\x90\x8a"
              "b\"");
    EXPECT_EQ(dot_id("a\xe2\x90\x8a"
                     "b"),
              "\"a\\p\xe2\x90\x8a"
              "b\"");
    EXPECT_NE(dot_id("a\nb"), dot_id("a\xe2\x90\x8a"
                                     "b"));
    EXPECT_NE(dot_id("a\\\"b"), dot_id("a\"\\b"));
}

TEST(ErdEscape, HtmlAndMarkdown) {
    EXPECT_EQ(html("<b>&amp;</b> \"q\""), "&lt;b&gt;&amp;amp;&lt;/b&gt; &quot;q&quot;");
    EXPECT_EQ(md("plain_name"), "plain_name");
    EXPECT_EQ(md("a_b c"), "a\\_b c");
    EXPECT_EQ(md("a|b *c*"), "a\\|b \\*c\\*");
    EXPECT_EQ(md_code("x | y"), "`x \\| y`");
    EXPECT_EQ(md_code("`tick` ``two``"), "``` `tick` ``two`` ```");
}

namespace {

// customers <- orders (nullable FK, ON DELETE SET NULL) <- items (one-to-one)
Diagram shop() {
    Diagram d;
    Table customers;
    customers.oid = 10;
    customers.nsp = "shop";
    customers.name = "customers";
    customers.qualified = "shop.customers";
    customers.comment = std::string_view("People | who <buy>");
    Column id;
    id.attnum = 1;
    id.name = "id";
    id.type = "bigint";
    id.pk = id.nn = true;
    Column email;
    email.attnum = 2;
    email.name = "e-mail";
    email.type = "text";
    email.uq = email.nn = true;
    email.comment = std::string_view("login");
    customers.columns = {id, email};
    Table orders;
    orders.oid = 20;
    orders.nsp = "shop";
    orders.name = "orders";
    orders.qualified = "shop.orders";
    orders.kind = 'p';
    orders.partitions = 1;
    Column customer_id;
    customer_id.attnum = 2;
    customer_id.name = "customer_id";
    customer_id.type = "bigint";
    customer_id.fk = true;
    orders.columns = {id, customer_id};
    Table items;
    items.oid = 30;
    items.nsp = "we ird";
    items.name = "order \"items\"";
    items.qualified = "\"we ird\".\"order \"\"items\"\"\"";
    Column order_id = customer_id;
    order_id.name = "order_id";
    order_id.pk = order_id.nn = true;
    items.columns = {order_id};
    d.tables = {customers, orders, items};
    ForeignKey o;
    o.oid = 100;
    o.name = "orders_customer_id_fkey";
    o.child = 1;
    o.parent = 0;
    o.columns = {"customer_id"};
    o.nullable = true;
    o.on_delete = "SET NULL";
    ForeignKey i;
    i.oid = 101;
    i.name = "items_order_id_fkey";
    i.child = 2;
    i.parent = 1;
    i.columns = {"order_id"};
    i.unique = true;
    i.on_delete = "CASCADE";
    d.foreign_keys = {o, i};
    return d;
}

}  // namespace

TEST(ErdWriter, Mermaid) {
    Diagram d = shop();
    d.findings = {{30, "warning fk_missing_index: x"}, {10, "info y: z"}, {99, "not drawn"}};
    d.uncovered = {101};
    EXPECT_EQ(
        write_mermaid(d),
        "erDiagram\n"
        "    %% shop.customers: People | who <buy>\n"
        "    shop__customers[\"shop.customers \xe2\x9a\xa0 1\"] {\n"
        "        `bigint` `id` PK\n"
        "        `text` `e-mail` UK \"NOT NULL; login\"\n"
        "    }\n"
        "    shop__orders[\"shop.orders (partitioned, 1 partition)\"] {\n"
        "        `bigint` `id` PK\n"
        "        `bigint` `customer_id` FK\n"
        "    }\n"
        "    t3[\"we ird.order #34;items#34; \xe2\x9a\xa0 1\"] {\n"
        "        `bigint` `order_id` PK, FK\n"
        "    }\n"
        "    shop__customers |o--o{ shop__orders : \"orders_customer_id_fkey (customer_id), "
        "ON DELETE SET NULL\"\n"
        "    shop__orders ||..o| t3 : \"\xe2\x9a\xa0 no index: items_order_id_fkey (order_id), "
        "ON DELETE CASCADE\"\n"
        "    classDef finding fill:#f4c7c3,stroke:#b03a2e,stroke-width:2px\n"
        "    class shop__customers,t3 finding\n"
        "    %% [1] info y: z\n"
        "    %% [2] warning fk_missing_index: x\n");
}

TEST(ErdWriter, DotKeysOnly) {
    Diagram d = shop();
    d.keys_only = true;
    std::string dot = write_dot(d);
    EXPECT_EQ(dot.substr(0, 15), "digraph erd {\n ");
    EXPECT_NE(dot.find("  subgraph \"cluster_shop\" {\n    label=<<B>shop</B>>;"),
              std::string::npos);
    EXPECT_NE(dot.find("  subgraph \"cluster_we ird\" {"), std::string::npos);
    // the header spans the 4 cells of a table with a column comment
    EXPECT_NE(dot.find("    \"shop.customers\" [label=<<TABLE BORDER=\"0\" CELLBORDER=\"1\" "
                       "CELLSPACING=\"0\" CELLPADDING=\"3\"><TR><TD COLSPAN=\"4\" "
                       "BGCOLOR=\"#dbe6f4\"><B>shop.customers</B></TD></TR><TR><TD COLSPAN=\"4\" "
                       "ALIGN=\"LEFT\"><I>People | who &lt;buy&gt;</I></TD></TR>"
                       "<TR><TD ALIGN=\"LEFT\">PK</TD><TD ALIGN=\"LEFT\"><B>id</B></TD>"
                       "<TD ALIGN=\"LEFT\">bigint</TD><TD></TD></TR>"
                       "<TR><TD ALIGN=\"LEFT\">UQ NN</TD><TD ALIGN=\"LEFT\">e-mail</TD>"
                       "<TD ALIGN=\"LEFT\">text</TD><TD ALIGN=\"LEFT\"><I>login</I></TD></TR>"
                       "</TABLE>>];\n"),
              std::string::npos)
        << dot;
    EXPECT_NE(dot.find("<TR><TD COLSPAN=\"3\"><I>partitioned table, 1 partition</I></TD></TR>"),
              std::string::npos);
    EXPECT_NE(
        dot.find("  \"\\\"we ird\\\".\\\"order \\\"\\\"items\\\"\\\"\\\"\" -> \"shop.orders\" "
                 "[label=<items_order_id_fkey (order_id)<BR/>ON DELETE CASCADE>, "
                 "arrowtail=teeodot, arrowhead=teetee];\n"),
        std::string::npos)
        << dot;
    EXPECT_NE(dot.find("  \"shop.orders\" -> \"shop.customers\" [label=<orders_customer_id_fkey "
                       "(customer_id)<BR/>ON DELETE SET NULL>, arrowtail=crowodot, "
                       "arrowhead=teeodot];\n"),
              std::string::npos);
    EXPECT_EQ(dot.substr(dot.size() - 2), "}\n");
}

TEST(ErdWriter, EmptyDiagramsAreValid) {
    Diagram d;
    EXPECT_EQ(write_mermaid(d), "erDiagram\n");
    EXPECT_EQ(
        write_dot(d),
        "digraph erd {\n"
        "  graph [rankdir=LR, fontname=\"Helvetica\", fontsize=12, nodesep=0.4, ranksep=1.2];\n"
        "  node [shape=plain, fontname=\"Helvetica\", fontsize=11];\n"
        "  edge [fontname=\"Helvetica\", fontsize=9, color=\"#555555\", dir=both];\n"
        "}\n");
}

TEST(ErdNeighbourhood, DepthCountsForeignKeysEitherWay) {
    Diagram d = shop();
    EXPECT_EQ(neighbourhood(d, 0, 0), (std::vector<std::size_t>{0}));
    EXPECT_EQ(neighbourhood(d, 0, 1), (std::vector<std::size_t>{0, 1}));
    EXPECT_EQ(neighbourhood(d, 2, 2), (std::vector<std::size_t>{0, 1, 2}));
    restrict_to(d, neighbourhood(d, 2, 1));
    ASSERT_EQ(d.tables.size(), 2u);
    EXPECT_EQ(d.tables[0].name, "orders");
    ASSERT_EQ(d.foreign_keys.size(), 1u);
    EXPECT_EQ(d.foreign_keys[0].child, 1u);
    EXPECT_EQ(d.foreign_keys[0].parent, 0u);
    // Mermaid's t<n> ids follow the positions drawn
    EXPECT_NE(write_mermaid(d).find("    t2[\"we ird."), std::string::npos);
}

TEST(ErdDictionary, EmptyJsonIsJsonbPretty) {
    Dictionary d;
    d.database = "x\"y";
    // jsonb's key order (shorter first), 4 spaces, an empty array as "[" "]"
    EXPECT_EQ(write_dictionary_json(d),
              "{\n"
              "    \"tables\": [\n"
              "    ],\n"
              "    \"coverage\": {\n"
              "        \"tables\": 0,\n"
              "        \"columns\": 0,\n"
              "        \"tables_with_comment\": 0,\n"
              "        \"columns_with_comment\": 0,\n"
              "        \"tables_without_comment\": [\n"
              "        ],\n"
              "        \"columns_without_comment\": [\n"
              "        ]\n"
              "    },\n"
              "    \"database\": \"x\\\"y\"\n"
              "}");
    EXPECT_EQ(write_dictionary_markdown(d),
              "# Data dictionary: x\\\"y\n\n## Documentation coverage\n\n"
              "| | with a comment | total | coverage |\n|---|---:|---:|---:|\n"
              "| tables | 0 | 0 | \xe2\x80\x94 |\n| columns | 0 | 0 | \xe2\x80\x94 |\n\n");
}

TEST(ErdDictionary, OneTable) {
    Dictionary d;
    d.database = "db";
    DictTable t;
    t.schema = "s";
    t.name = "t|x";
    t.size_bytes = 16384;
    t.row_estimate = 3;
    DictColumn c;
    c.name = "id";
    c.type = "bigint";
    c.nullable = false;
    c.primary_key = true;
    c.identity = std::string_view("ALWAYS");
    c.comment = std::string_view("a\ttab");
    t.columns = {c};
    DictTrigger g;
    g.name = "g";
    g.definition = "CREATE TRIGGER g ...";
    g.enabled = "disabled";
    t.triggers = {g};
    d.tables = {t};
    std::string md = write_dictionary_markdown(d);
    EXPECT_NE(md.find("| tables | 0 | 1 | 0 % |\n| columns | 1 | 1 | 100 % |\n"), std::string::npos)
        << md;
    EXPECT_NE(md.find("Tables without a comment:\n\n- s.t\\|x\n\n"), std::string::npos);
    EXPECT_NE(md.find("## s.t\\|x\n\n*No comment.*\n\ntable \xc2\xb7 size 16 kB \xc2\xb7 rows "
                      "(estimate) 3\n\n"),
              std::string::npos)
        << md;
    EXPECT_NE(md.find("| id (PK) | `bigint` | NOT NULL | identity ALWAYS | a\xe2\x90\x89tab |\n"),
              std::string::npos)
        << md;
    EXPECT_NE(md.find("Triggers:\n\n| name | definition |\n|---|---|\n| g | `CREATE TRIGGER g ...` "
                      "(disabled) |\n\n"),
              std::string::npos)
        << md;
    std::string json = write_dictionary_json(d);
    EXPECT_NE(json.find("            \"comment\": \"a\\ttab\",\n"), std::string::npos) << json;
    EXPECT_NE(json.find("            \"partitions\": null,\n"), std::string::npos) << json;
}

// The writer writes each struct's keys in the order dictionary_fields.def
// lists them: that order must be jsonb's (shorter keys first, then
// bytewise), or the text would differ from jsonb_pretty()'s.
TEST(ErdDictionary, FieldsInJsonbOrder) {
    struct Keys {
        std::string_view type;
        std::vector<std::string_view> keys;
    };
    const std::vector<Keys> structs = {
// clang-format off
#define SO_DICT_STRUCT(Name) {#Name, {
#define SO_DICT_TEXT(member, key) key,
#define SO_DICT_OPTIONAL(member, key) key,
#define SO_DICT_FLAG(member, key, initial) key,
#define SO_DICT_COUNT(member, key) key,
#define SO_DICT_NAMES(member, key) key,
#define SO_DICT_OBJECTS(Type, member, key) key,
#define SO_DICT_KIND(member, key) key,
#define SO_DICT_END }},
// clang-format on
#include "schema_oracle/core/dictionary_fields.def"
    };
    ASSERT_EQ(structs.size(), 7u);
    for (const Keys& s : structs)
        for (std::size_t i = 1; i < s.keys.size(); ++i) {
            const std::string_view a = s.keys[i - 1], b = s.keys[i];
            EXPECT_TRUE(a.size() < b.size() || (a.size() == b.size() && a < b))
                << s.type << ": \"" << a << "\" before \"" << b << "\"";
        }
}
