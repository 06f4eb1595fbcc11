# Area 10 (issue 19): privileges inside a database. Owners, GRANT and REVOKE on tables and the
# schema, group roles, SET ROLE, ALTER DEFAULT PRIVILEGES, ALTER TABLE ... OWNER TO, and what
# the catalog and the privilege functions say. The corpus's user owns the seeded tables.
# A record that changes the current role is followed by its own RESET ROLE record, because a
# failing statement ends its record before anything after it runs.

CREATE ROLE reader NOLOGIN

CREATE ROLE writer NOLOGIN

CREATE ROLE grp NOLOGIN

SELECT relacl FROM pg_class WHERE relname = 'products'

SELECT has_table_privilege('reader', 'products', 'SELECT')

GRANT SELECT ON products TO reader

SELECT has_table_privilege('reader', 'products', 'SELECT'), has_table_privilege('reader', 'products', 'INSERT')

SELECT relacl FROM pg_class WHERE relname = 'products'

SET ROLE reader

SELECT current_user

SHOW role

SELECT count(*) FROM products

SELECT count(*) FROM customers

INSERT INTO scratch (id, data) VALUES ('p1', '{}')

UPDATE products SET data = data

DELETE FROM products

DELETE FROM products WHERE id = 'x'

CREATE TABLE reader_table ()

DROP TABLE products

ALTER TABLE products OWNER TO reader

GRANT SELECT ON products TO grp

RESET ROLE

SELECT current_user

SHOW role

GRANT grp TO reader

GRANT SELECT ON customers TO grp

SET ROLE reader

SELECT count(*) FROM customers

RESET ROLE

REVOKE grp FROM reader

SET ROLE reader

SELECT count(*) FROM customers

RESET ROLE

SET ROLE nosuch

SET ROLE grp; SELECT current_user

RESET ROLE

GRANT grp TO grp

GRANT SELECT ON nosuch TO reader

GRANT SELECT ON products TO nosuch

GRANT USAGE ON products TO reader

GRANT SELECT ON SCHEMA public TO reader

GRANT ALL ON products TO writer

SELECT has_table_privilege('writer', 'products', 'DELETE'), has_table_privilege('writer', 'products', 'select, update')

REVOKE ALL ON products FROM writer

REVOKE SELECT ON products FROM reader

SELECT relacl FROM pg_class WHERE relname = 'products'

GRANT SELECT ON ALL TABLES IN SCHEMA public TO reader

SELECT has_table_privilege('reader', 'orders', 'SELECT'), has_table_privilege('reader', 'articles', 'SELECT')

REVOKE SELECT ON ALL TABLES IN SCHEMA public FROM reader

SELECT has_table_privilege('reader', 'orders', 'SELECT')

SELECT has_schema_privilege('writer', 'public', 'CREATE'), has_schema_privilege('writer', 'public', 'USAGE')

GRANT CREATE ON SCHEMA public TO writer

SELECT has_schema_privilege('writer', 'public', 'CREATE')

ALTER DEFAULT PRIVILEGES FOR ROLE writer GRANT SELECT ON TABLES TO reader

SET ROLE writer

CREATE TABLE writer_table ()

SELECT relacl FROM pg_class WHERE relname = 'writer_table'

SELECT r.rolname FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner WHERE c.relname = 'writer_table'

ALTER TABLE writer_table OWNER TO reader

DROP TABLE writer_table

RESET ROLE

ALTER DEFAULT PRIVILEGES FOR ROLE writer REVOKE SELECT ON TABLES FROM reader

ALTER TABLE scratch OWNER TO writer

SELECT r.rolname FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner WHERE c.relname = 'scratch'

DROP ROLE writer

ALTER TABLE scratch OWNER TO CURRENT_USER

REVOKE CREATE ON SCHEMA public FROM writer

DROP ROLE writer

REVOKE SELECT ON customers FROM grp

DROP ROLE reader, grp
