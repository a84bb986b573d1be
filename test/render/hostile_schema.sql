-- hostile_schema.sql: names of every kind, for the diagram and dictionary
-- tests (sql/erd_names.sql, test/cluster/erd_render.sh). Every name here must
-- come out as valid DOT, Mermaid and Markdown, drawn as itself.
SET client_min_messages = warning;
CREATE SCHEMA "we ird";
CREATE SCHEMA "Ünï ☃";
CREATE SCHEMA "select";
CREATE SCHEMA "select.a";

CREATE TABLE "we ird"."order" (                           -- reserved word
    "id" bigint PRIMARY KEY,
    "the ""quoted"" col" text NOT NULL,
    "back\slash\" text,
    "pk" int UNIQUE,                                       -- Mermaid's key word
    "a<b>&c" int,
    "{braces}|pipe" text
);
COMMENT ON TABLE "we ird"."order" IS 'Orders with "quotes", <b>tags</b>, a | pipe and a
newline';
COMMENT ON COLUMN "we ird"."order"."pk" IS '*not* _markdown_ `code` #quot; %% ~a~ [x](y)';

CREATE TABLE "we ird"."line
break" (
    "id" bigint PRIMARY KEY,
    "order id" bigint NOT NULL REFERENCES "we ird"."order" ("id") ON DELETE CASCADE,
    "tab	here" text
);

CREATE TABLE "Ünï ☃"."日本語テーブル" (
    "ключ" int PRIMARY KEY,
    "order" bigint UNIQUE REFERENCES "we ird"."order" ("id") ON DELETE SET NULL
);

CREATE TABLE "select"."end" (                               -- Mermaid keywords
    "class" int PRIMARY KEY,
    "style" int REFERENCES "select"."end" ("class")
);
CREATE TABLE "select"."direction TB" ("x" int);
CREATE TABLE "select"."%%{init}%% ]]> ﬂ°x¶ß" ("~T~" int, "`tick`" text);
CREATE TABLE "select"."#35; *bold* _it_ 1. - x" ("<script>alert(1)</script>" int);
CREATE TABLE "select".U&"ctl\0001bell\0007" (c int);
CREATE TABLE "select"."a.b" (c int);
CREATE TABLE "select.a"."b" (c int);
CREATE TABLE "select"."dollar $x$ @me :smile:" (c int);
CREATE TABLE "select"."a_very_long_table_name_that_is_exactly_sixty_three_bytes_long_x" (c int);
