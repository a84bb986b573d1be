-- sample_schema.sql: a realistic schema for the demo, with the mistakes
-- real schemas have. Two applications share the database:
--   blog:        users, profiles, posts, comments, tags, post_tags
--   marketplace: tokens, pools, transactions, sessions, orders,
--                order_items, payments, reviews
-- Deliberate mistakes (schema_oracle should find each one):
--   - foreign keys without a covering index (comments.post_id,
--     order_items.order_id, payments.order_id, reviews.token_id, ...)
--   - a table without a primary key (transactions)
--   - updated_at columns nobody maintains (posts has a trigger; orders does not)
--   - a duplicate index (tokens_symbol_idx duplicates the UNIQUE constraint's index)
--   - a redundant prefix index (orders_user_id_idx vs orders_user_id_status_idx)
--   - type habits: json, timestamp without time zone, varchar(255), char(n)
--   - an int4 serial key that will overflow some day
SET client_min_messages = warning;

CREATE SCHEMA blog;
CREATE SCHEMA market;

-------------------------------------------------------------------------------
-- blog
-------------------------------------------------------------------------------
CREATE TABLE blog.users (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email       varchar(255) NOT NULL UNIQUE,
    name        text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE blog.profiles (
    user_id     bigint PRIMARY KEY REFERENCES blog.users (id),
    bio         text,
    avatar_url  text,
    birthday    text,                              -- a date stored as text
    settings    json,                              -- json, not jsonb
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE blog.posts (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    author_id    bigint NOT NULL REFERENCES blog.users (id),   -- unindexed FK
    title        text NOT NULL,
    body         text NOT NULL,
    published_at timestamp,                                      -- no time zone
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE blog.comments (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    post_id     bigint NOT NULL REFERENCES blog.posts (id),      -- unindexed FK
    author_id   bigint NOT NULL REFERENCES blog.users (id),
    body        text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX comments_author_id_idx ON blog.comments (author_id);

CREATE TABLE blog.tags (
    id          serial PRIMARY KEY,                               -- int4 serial key
    name        text NOT NULL UNIQUE
);

CREATE TABLE blog.post_tags (
    post_id     bigint NOT NULL REFERENCES blog.posts (id),
    tag_id      int NOT NULL REFERENCES blog.tags (id),           -- covered? no: PK leads with post_id
    PRIMARY KEY (post_id, tag_id)
);

-- posts.updated_at is maintained by a trigger; other updated_at columns are not.
CREATE FUNCTION blog.touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END $$;
CREATE TRIGGER posts_touch_updated_at BEFORE UPDATE ON blog.posts
    FOR EACH ROW EXECUTE FUNCTION blog.touch_updated_at();

-------------------------------------------------------------------------------
-- market
-------------------------------------------------------------------------------
CREATE TABLE market.tokens (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    symbol      text NOT NULL,
    name        text NOT NULL,
    decimals    smallint NOT NULL DEFAULT 18,
    created_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT tokens_symbol_key UNIQUE (symbol)
);
CREATE INDEX tokens_symbol_idx ON market.tokens (symbol);        -- duplicate of tokens_symbol_key

CREATE TABLE market.pools (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    base_id     bigint NOT NULL REFERENCES market.tokens (id),
    quote_id    bigint NOT NULL REFERENCES market.tokens (id),
    fee_bps     int NOT NULL CHECK (fee_bps BETWEEN 0 AND 10000),
    created_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (base_id, quote_id)                                    -- covers base_id, not quote_id
);

CREATE TABLE market.transactions (                                -- no primary key
    pool_id     bigint NOT NULL REFERENCES market.pools (id),
    tx_hash     char(66) NOT NULL,                                -- char(n)
    amount      numeric(38, 18) NOT NULL,
    executed_at timestamptz NOT NULL
);

CREATE TABLE market.sessions (
    id          serial PRIMARY KEY,                               -- int4 serial key
    user_id     bigint NOT NULL REFERENCES blog.users (id),
    token       text NOT NULL,
    password    text,                                             -- plaintext password?
    expires_at  text                                              -- a timestamp stored as text
);

CREATE TABLE market.orders (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id     bigint NOT NULL REFERENCES blog.users (id),
    pool_id     bigint NOT NULL REFERENCES market.pools (id),     -- unindexed FK
    status      text NOT NULL DEFAULT 'new',
    total       numeric(20, 2) NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()                -- nobody maintains it
);
CREATE INDEX orders_user_id_idx ON market.orders (user_id);                      -- redundant
CREATE INDEX orders_user_id_status_idx ON market.orders (user_id, status);

CREATE TABLE market.order_items (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    order_id    bigint NOT NULL REFERENCES market.orders (id),    -- unindexed FK
    token_id    bigint NOT NULL REFERENCES market.tokens (id),    -- unindexed FK
    quantity    numeric(38, 18) NOT NULL,
    price       numeric(38, 18) NOT NULL
);

CREATE TABLE market.payments (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    order_id    bigint NOT NULL REFERENCES market.orders (id),    -- unindexed FK
    provider    varchar(255) NOT NULL,
    amount      numeric(20, 2) NOT NULL,
    paid_at     timestamptz,
    CONSTRAINT payments_provider_check CHECK (provider <> '') NOT VALID
);

CREATE TABLE market.reviews (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    token_id    int NOT NULL,                                     -- int vs bigint FK type
    user_id     bigint NOT NULL REFERENCES blog.users (id),
    rating      smallint NOT NULL CHECK (rating BETWEEN 1 AND 5),
    body        text
);
ALTER TABLE market.reviews ADD FOREIGN KEY (token_id) REFERENCES market.tokens (id);

-- Some of the schema is documented (schema_oracle.data_dictionary() shows
-- what is not).
COMMENT ON TABLE blog.users IS 'Accounts of the blog and the marketplace';
COMMENT ON COLUMN blog.users.email IS 'Login name, unique';
COMMENT ON TABLE blog.posts IS 'Articles, written by users';
COMMENT ON TABLE market.orders IS 'A user''s order in a pool';
COMMENT ON COLUMN market.orders.status IS 'new, paid or cancelled';
COMMENT ON COLUMN market.orders.total IS 'In the quote token, 2 decimals';

-------------------------------------------------------------------------------
-- data: enough rows that the big tables are above the guard's size threshold
-------------------------------------------------------------------------------
INSERT INTO blog.users (email, name)
SELECT 'user' || g || '@example.com', 'User ' || g FROM generate_series(1, 20000) g;
INSERT INTO blog.profiles (user_id, bio)
SELECT id, 'Bio of user ' || id FROM blog.users;
INSERT INTO blog.posts (author_id, title, body, published_at)
SELECT 1 + g % 20000, 'Post ' || g, repeat('Lorem ipsum dolor sit amet. ', 10), now()::timestamp
FROM generate_series(1, 100000) g;
INSERT INTO blog.comments (post_id, author_id, body)
SELECT 1 + g % 100000, 1 + g % 20000, 'Nice post #' || g FROM generate_series(1, 200000) g;
INSERT INTO blog.tags (name) SELECT 'tag' || g FROM generate_series(1, 50) g;
INSERT INTO blog.post_tags SELECT 1 + g % 100000, 1 + g % 50 FROM generate_series(1, 100000) g
ON CONFLICT DO NOTHING;

INSERT INTO market.tokens (symbol, name) SELECT 'TK' || g, 'Token ' || g FROM generate_series(1, 200) g;
INSERT INTO market.pools (base_id, quote_id, fee_bps)
SELECT b, q, 30 FROM generate_series(1, 20) b, generate_series(21, 40) q;
INSERT INTO market.transactions
SELECT 1 + g % 400, lpad(to_hex(g), 66, '0'), g * 0.001, now() - g * interval '1 second'
FROM generate_series(1, 100000) g;
INSERT INTO market.orders (user_id, pool_id, status, total)
SELECT 1 + g % 20000, 1 + g % 400, CASE WHEN g % 3 = 0 THEN 'paid' ELSE 'new' END, g % 1000
FROM generate_series(1, 200000) g;
INSERT INTO market.order_items (order_id, token_id, quantity, price)
SELECT 1 + g % 200000, 1 + g % 200, 1, g % 100 FROM generate_series(1, 200000) g;
INSERT INTO market.payments (order_id, provider, amount, paid_at)
SELECT id, 'stripe', total, now() FROM market.orders WHERE status = 'paid';
INSERT INTO market.reviews (token_id, user_id, rating, body)
SELECT 1 + g % 200, 1 + g % 20000, 1 + g % 5, 'ok' FROM generate_series(1, 5000) g;

ANALYZE;

-- Ten years of logins: the int4 sessions.id sequence is 80% used up.
INSERT INTO market.sessions (user_id, token, password, expires_at)
SELECT 1 + g % 20000, md5(g::text), NULL, (now() + interval '1 day')::text
FROM generate_series(1, 1000) g;
SELECT setval('market.sessions_id_seq', 1717986918);
