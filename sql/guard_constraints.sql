-- guard_constraints: FOREIGN KEY, CHECK, VALIDATE, UNIQUE, PRIMARY KEY, EXCLUDE.
SET schema_oracle.guard = warn;
SET schema_oracle.size_threshold = 0;
SET lock_timeout = '5s';
CREATE SCHEMA gk;
SET search_path = gk;
CREATE TABLE customers (id bigint PRIMARY KEY);
CREATE TABLE orders (id bigint, customer_id bigint, amount int, code text);
INSERT INTO customers VALUES (1), (2);
INSERT INTO orders VALUES (1, 1, 10, 'a'), (2, 2, 20, 'b');
ANALYZE customers, orders;

-- FOREIGN KEY: fires validated; silent NOT VALID.
ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id)
    REFERENCES customers (id) ON DELETE CASCADE;
ALTER TABLE orders DROP CONSTRAINT orders_customer_fk;
ALTER TABLE orders ADD FOREIGN KEY (customer_id) REFERENCES customers NOT VALID;

-- CHECK: fires validated; silent NOT VALID.
ALTER TABLE orders ADD CONSTRAINT orders_amount_positive CHECK (amount > 0);
ALTER TABLE orders ADD CONSTRAINT orders_amount_small CHECK (amount < 1000) NOT VALID;

-- VALIDATE in a new transaction: silent.
ALTER TABLE orders VALIDATE CONSTRAINT orders_amount_small;
-- VALIDATE in the transaction that added it NOT VALID: fires.
BEGIN;
ALTER TABLE orders ADD CONSTRAINT orders_amount_mid CHECK (amount < 500) NOT VALID;
ALTER TABLE orders VALIDATE CONSTRAINT orders_amount_mid;
COMMIT;

-- UNIQUE and PRIMARY KEY: fire when they build their index; silent USING INDEX
-- of a concurrently built index on NOT NULL columns.
ALTER TABLE orders ADD CONSTRAINT orders_code_key UNIQUE (code);
ALTER TABLE orders ADD PRIMARY KEY (id);
ALTER TABLE orders DROP CONSTRAINT orders_code_key, DROP CONSTRAINT orders_pkey;
ALTER TABLE orders ALTER COLUMN id DROP NOT NULL;
CREATE UNIQUE INDEX CONCURRENTLY orders_code_uidx ON orders (code);
ALTER TABLE orders ADD CONSTRAINT orders_code_uidx UNIQUE USING INDEX orders_code_uidx;
-- PRIMARY KEY USING INDEX over a nullable column: fires.
CREATE UNIQUE INDEX CONCURRENTLY orders_id_uidx ON orders (id);
ALTER TABLE orders ADD CONSTRAINT orders_pkey PRIMARY KEY USING INDEX orders_id_uidx;
-- ... and is silent once the column is NOT NULL (the first primary key
-- left id NOT NULL).
ALTER TABLE orders DROP CONSTRAINT orders_pkey;
CREATE UNIQUE INDEX CONCURRENTLY orders_id_uidx2 ON orders (id);
ALTER TABLE orders ADD CONSTRAINT orders_pkey PRIMARY KEY USING INDEX orders_id_uidx2;

-- ADD COLUMN ... UNIQUE builds the same index: fires.
ALTER TABLE orders ADD COLUMN ref text UNIQUE;

-- EXCLUDE: fires (there is no concurrent way).
ALTER TABLE orders ADD CONSTRAINT orders_excl EXCLUDE USING btree (customer_id WITH =);

-- New tables in the same transaction: all silent.
BEGIN;
CREATE TABLE lines (id bigint, order_id bigint, qty int);
ALTER TABLE lines ADD FOREIGN KEY (order_id) REFERENCES orders (id);
ALTER TABLE lines ADD CHECK (qty > 0);
ALTER TABLE lines ADD PRIMARY KEY (id);
ALTER TABLE lines ADD UNIQUE (order_id);
COMMIT;

SET schema_oracle.guard = off;
DROP SCHEMA gk CASCADE;
