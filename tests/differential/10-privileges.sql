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

SELECT grantor, grantee, table_catalog, table_schema, table_name, privilege_type, is_grantable, with_hierarchy FROM information_schema.table_privileges WHERE table_schema = 'public' AND table_name = 'products' ORDER BY grantee, privilege_type

SELECT grantor, grantee, table_name, privilege_type, is_grantable FROM information_schema.role_table_grants WHERE table_name = 'products' ORDER BY grantee, privilege_type

SELECT relacl::text, array_to_string(relacl, ', ') FROM pg_class WHERE relname = 'products'

SELECT nspname, nspacl FROM pg_namespace WHERE nspname = 'public'

-- binary
SELECT relacl FROM pg_class WHERE relname = 'products'

SELECT relacl[1], relacl[2] AS second FROM pg_class WHERE relname = 'products'

-- binary
SELECT relacl FROM pg_class WHERE false

-- binary
SELECT relname, relacl IS NULL FROM pg_class WHERE relname = 'products'

SELECT has_table_privilege('reader', 'products', 'SELECT WITH GRANT OPTION'), has_table_privilege('reader', 'products', ' select ,insert with grant option ')

SELECT has_table_privilege('reader', 'products', 'SELEC')

SELECT has_table_privilege('reader', 'products', 'USAGE')

SELECT has_table_privilege('reader', 'products', 'SELECT  WITH GRANT OPTION')

SELECT has_table_privilege('reader', 'products', 'RULE')

SELECT has_schema_privilege('reader', 'public', 'USAGE WITH GRANT OPTION'), has_schema_privilege('public', 'CREATE WITH GRANT OPTION')

SELECT has_schema_privilege('reader', 'public', 'SELECT')

SET ROLE reader

SELECT current_user

SHOW role

SELECT grantor, grantee, table_name, privilege_type FROM information_schema.table_privileges WHERE table_schema = 'public' ORDER BY table_name, grantee, privilege_type

SELECT grantor, grantee, table_name, privilege_type FROM information_schema.role_table_grants WHERE table_schema = 'public' ORDER BY table_name, grantee, privilege_type

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

REVOKE grp FROM reader

GRANT grp TO reader; GRANT grp TO reader; REVOKE grp FROM reader

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

GRANT SELECT ON products TO writer WITH GRANT OPTION

SELECT relacl FROM pg_class WHERE relname = 'products'

SELECT has_table_privilege('writer', 'products', 'SELECT WITH GRANT OPTION'), has_table_privilege('writer', 'products', 'INSERT WITH GRANT OPTION')

SELECT grantee, privilege_type, is_grantable FROM information_schema.table_privileges WHERE table_name = 'products' AND grantee = 'writer' ORDER BY privilege_type

SET ROLE writer

GRANT SELECT ON products TO reader

GRANT SELECT, INSERT ON products TO reader

GRANT ALL ON products TO reader

SELECT relacl FROM pg_class WHERE relname = 'products'

SELECT grantor, grantee, table_name, privilege_type FROM information_schema.table_privileges WHERE table_schema = 'public' ORDER BY table_name, grantor, grantee, privilege_type

RESET ROLE

REVOKE SELECT ON products FROM writer CASCADE

SELECT relacl FROM pg_class WHERE relname = 'products'

SELECT has_table_privilege('writer', 'products', 'DELETE'), has_table_privilege('writer', 'products', 'select, update')

SET ROLE writer

GRANT INSERT ON products TO reader

REVOKE INSERT ON products FROM reader

REVOKE DELETE ON products FROM reader

BEGIN; INSERT INTO products (id, data) VALUES ('p0001', '{}') ON CONFLICT DO NOTHING; ROLLBACK

INSERT INTO products (id, data) VALUES ('p0001', '{}') ON CONFLICT (id) DO NOTHING

INSERT INTO products (id, data) VALUES ('p0001', '{}') ON CONFLICT ON CONSTRAINT products_pkey DO UPDATE SET data = '{}'

RESET ROLE

CREATE VIEW products_v AS SELECT id, data FROM products

GRANT SELECT ON products_v TO writer

SET ROLE writer

REVOKE SELECT ON products_v FROM reader

RESET ROLE

REVOKE SELECT ON products_v FROM writer

DROP VIEW products_v

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

SELECT nspname, nspacl FROM pg_namespace WHERE nspname = 'public'

ALTER DEFAULT PRIVILEGES FOR ROLE writer GRANT SELECT ON TABLES TO reader

SELECT pg_get_userbyid(defaclrole), defaclnamespace, defaclobjtype, defaclacl FROM pg_default_acl

SELECT pg_catalog.pg_get_userbyid(d.defaclrole) AS "Owner", n.nspname AS "Schema", CASE d.defaclobjtype WHEN 'r' THEN 'table' WHEN 'S' THEN 'sequence' WHEN 'f' THEN 'function' WHEN 'T' THEN 'type' WHEN 'n' THEN 'schema' END AS "Type", pg_catalog.array_to_string(d.defaclacl, E'\n') AS "Access privileges" FROM pg_catalog.pg_default_acl d LEFT JOIN pg_catalog.pg_namespace n ON n.oid = d.defaclnamespace ORDER BY 1, 2, 3

SET ROLE writer

CREATE TABLE writer_table ()

SELECT relacl FROM pg_class WHERE relname = 'writer_table'

SELECT r.rolname FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner WHERE c.relname = 'writer_table'

ALTER TABLE writer_table OWNER TO reader

DROP TABLE writer_table

RESET ROLE

ALTER DEFAULT PRIVILEGES FOR ROLE writer REVOKE SELECT ON TABLES FROM reader

SELECT count(*) FROM pg_default_acl

ALTER TABLE scratch OWNER TO writer

SELECT r.rolname FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner WHERE c.relname = 'scratch'

DROP ROLE writer

ALTER TABLE scratch OWNER TO CURRENT_USER

REVOKE CREATE ON SCHEMA public FROM writer

DROP ROLE writer

REVOKE SELECT ON customers FROM grp

DROP ROLE reader, grp

CREATE ROLE opt_a NOLOGIN

CREATE ROLE opt_b NOLOGIN NOINHERIT

CREATE ROLE opt_g NOLOGIN

GRANT SELECT, UPDATE ON customers TO opt_a WITH GRANT OPTION

SET ROLE opt_a

GRANT SELECT ON customers TO opt_b

RESET ROLE

REVOKE GRANT OPTION FOR SELECT ON customers FROM opt_a

REVOKE GRANT OPTION FOR SELECT ON customers FROM opt_a RESTRICT

REVOKE GRANT OPTION FOR SELECT ON customers FROM opt_a CASCADE

SELECT has_table_privilege('opt_a', 'customers', 'SELECT'), has_table_privilege('opt_a', 'customers', 'SELECT WITH GRANT OPTION'), has_table_privilege('opt_a', 'customers', 'UPDATE WITH GRANT OPTION'), has_table_privilege('opt_b', 'customers', 'SELECT')

SELECT grantee, privilege_type, is_grantable FROM information_schema.table_privileges WHERE table_name = 'customers' AND grantee LIKE 'opt%' ORDER BY grantee, privilege_type

REVOKE GRANT OPTION FOR ALL ON customers FROM opt_a

SELECT grantee, privilege_type, is_grantable FROM information_schema.table_privileges WHERE table_name = 'customers' AND grantee LIKE 'opt%' ORDER BY grantee, privilege_type

REVOKE GRANT OPTION FOR SELECT ON customers FROM opt_b

revoke grant option for select on table customers from opt_a granted by current_user

REVOKE GRANT OPTION FOR SELECT ON customers FROM nosuch

REVOKE GRANT OPTION FOR SELECT ON nosuch FROM opt_a

REVOKE GRANT OPTION FOR opt_g FROM opt_a

REVOKE GRANT OPTION FOR SELECT FROM opt_a

SET ROLE opt_b

REVOKE GRANT OPTION FOR SELECT ON customers FROM opt_a

RESET ROLE

GRANT opt_g TO opt_a WITH ADMIN OPTION

GRANT opt_g TO opt_b

SELECT r.rolname, m.rolname AS member, a.admin_option FROM pg_auth_members a JOIN pg_roles r ON r.oid = a.roleid JOIN pg_roles m ON m.oid = a.member WHERE r.rolname = 'opt_g' ORDER BY 2

REVOKE ADMIN OPTION FOR opt_g FROM opt_a

REVOKE ADMIN OPTION FOR opt_g FROM opt_b

REVOKE ADMIN OPTION FOR opt_g FROM opt_g

SELECT r.rolname, m.rolname AS member, a.admin_option FROM pg_auth_members a JOIN pg_roles r ON r.oid = a.roleid JOIN pg_roles m ON m.oid = a.member WHERE r.rolname = 'opt_g' ORDER BY 2

SELECT pg_has_role('opt_a', 'opt_g', 'MEMBER'), pg_has_role('opt_a', 'opt_g', 'USAGE WITH ADMIN OPTION')

SELECT pg_has_role('opt_b', 'opt_g', 'USAGE'), pg_has_role('opt_b', 'opt_g', 'member with grant option'), pg_has_role('opt_g', 'opt_g', 'MEMBER'), pg_has_role('opt_g', 'USAGE'), pg_has_role('opt_a', 'opt_b', ' usage , member ')

SELECT pg_has_role('nosuch', 'opt_g', 'MEMBER')

SELECT pg_has_role('opt_a', 'nosuch', 'MEMBER')

SELECT pg_has_role('opt_a', 'opt_g', 'OWNER')

SELECT pg_has_role('opt_a', 'opt_g', NULL), pg_has_role(NULL, 'opt_g', 'MEMBER')

SELECT rolname, rolinherit FROM pg_roles WHERE rolname LIKE 'opt%' ORDER BY 1

ALTER ROLE opt_b INHERIT

SELECT pg_has_role('opt_b', 'opt_g', 'USAGE'), rolinherit FROM pg_roles WHERE rolname = 'opt_b'

ALTER ROLE opt_b WITH NOINHERIT

SELECT pg_has_role('opt_b', 'opt_g', 'USAGE'), pg_has_role('opt_b', 'opt_g', 'MEMBER')

GRANT SELECT ON orders TO opt_g

SET ROLE opt_b

SELECT count(*) FROM orders

RESET ROLE

ALTER ROLE opt_b INHERIT

SET ROLE opt_b

SELECT count(*) > 0 FROM orders

RESET ROLE

REVOKE SELECT ON orders FROM opt_g

SET ROLE opt_a

GRANT opt_g TO opt_b

RESET ROLE

REVOKE ALL ON customers FROM opt_a

DROP ROLE opt_a, opt_b, opt_g

CREATE ROLE mk_g NOLOGIN

CREATE ROLE mk_u NOLOGIN

CREATE ROLE mk_v NOLOGIN

CREATE ROLE mk_r IN ROLE mk_g ROLE mk_u ADMIN mk_v

SELECT r.rolname, m.rolname AS member, a.admin_option, g.rolname AS grantor FROM pg_auth_members a JOIN pg_roles r ON r.oid = a.roleid JOIN pg_roles m ON m.oid = a.member JOIN pg_roles g ON g.oid = a.grantor WHERE r.rolname LIKE 'mk%' ORDER BY 1, 2

CREATE ROLE mk_x IN ROLE nosuch

SELECT count(*) FROM pg_roles WHERE rolname = 'mk_x'

CREATE ROLE mk_y ROLE mk_y

CREATE ROLE mk_z IN GROUP mk_g USER mk_u, mk_u

CREATE ROLE mk_w NOSUPERUSER INHERIT NOCREATEROLE NOCREATEDB LOGIN NOREPLICATION NOBYPASSRLS VALID UNTIL 'infinity'

SELECT rolname, rolsuper, rolinherit, rolcreaterole, rolcreatedb, rolcanlogin, rolreplication, rolbypassrls, rolconnlimit FROM pg_roles WHERE rolname = 'mk_w'

ALTER ROLE mk_w WITH NOCREATEDB NOLOGIN NOREPLICATION

SELECT r.rolname, m.rolname AS member, a.admin_option FROM pg_auth_members a JOIN pg_roles r ON r.oid = a.roleid JOIN pg_roles m ON m.oid = a.member WHERE r.rolname LIKE 'mk%' ORDER BY 1, 2

DROP ROLE mk_r, mk_z, mk_w, mk_g, mk_u, mk_v

CREATE ROLE adp_w NOLOGIN

CREATE ROLE adp_r NOLOGIN

ALTER DEFAULT PRIVILEGES FOR ROLE adp_w GRANT SELECT, INSERT ON TABLES TO adp_r WITH GRANT OPTION

SELECT pg_get_userbyid(defaclrole), defaclnamespace, defaclobjtype, defaclacl FROM pg_default_acl

ALTER DEFAULT PRIVILEGES FOR ROLE adp_w REVOKE GRANT OPTION FOR SELECT ON TABLES FROM adp_r

SELECT pg_get_userbyid(defaclrole), defaclacl FROM pg_default_acl

alter default privileges for role adp_w revoke grant option for all on tables from adp_r cascade

SELECT pg_get_userbyid(defaclrole), defaclacl FROM pg_default_acl

ALTER DEFAULT PRIVILEGES FOR ROLE adp_w REVOKE ALL ON TABLES FROM adp_r

SELECT count(*) FROM pg_default_acl

DROP ROLE adp_w, adp_r

CREATE ROLE ads_w NOLOGIN

CREATE ROLE ads_r NOLOGIN

GRANT CREATE ON SCHEMA public TO ads_w

ALTER DEFAULT PRIVILEGES FOR ROLE ads_w IN SCHEMA public GRANT SELECT ON TABLES TO ads_r

SELECT pg_get_userbyid(defaclrole), defaclnamespace, defaclobjtype, defaclacl FROM pg_default_acl

ALTER DEFAULT PRIVILEGES FOR ROLE ads_w GRANT INSERT ON TABLES TO ads_r

SELECT pg_catalog.pg_get_userbyid(d.defaclrole) AS "Owner", n.nspname AS "Schema", CASE d.defaclobjtype WHEN 'r' THEN 'table' WHEN 'S' THEN 'sequence' WHEN 'f' THEN 'function' WHEN 'T' THEN 'type' WHEN 'n' THEN 'schema' END AS "Type", pg_catalog.array_to_string(d.defaclacl, E'\n') AS "Access privileges" FROM pg_catalog.pg_default_acl d LEFT JOIN pg_catalog.pg_namespace n ON n.oid = d.defaclnamespace ORDER BY 1, 2, 3

SET ROLE ads_w

CREATE TABLE ads_t ()

SELECT relacl FROM pg_class WHERE relname = 'ads_t'

DROP TABLE ads_t

RESET ROLE

ALTER DEFAULT PRIVILEGES FOR ROLE ads_w IN SCHEMA public REVOKE INSERT ON TABLES FROM ads_r

ALTER DEFAULT PRIVILEGES FOR ROLE ads_w IN SCHEMA public GRANT UPDATE ON TABLES TO ads_r WITH GRANT OPTION

ALTER DEFAULT PRIVILEGES FOR ROLE ads_w IN SCHEMA public REVOKE GRANT OPTION FOR UPDATE ON TABLES FROM ads_r

SELECT pg_get_userbyid(defaclrole), defaclnamespace, defaclacl FROM pg_default_acl ORDER BY defaclnamespace

DROP ROLE ads_r

ALTER DEFAULT PRIVILEGES FOR ROLE ads_w IN SCHEMA public REVOKE ALL ON TABLES FROM ads_r

SELECT pg_get_userbyid(defaclrole), defaclnamespace, defaclacl FROM pg_default_acl ORDER BY defaclnamespace

ALTER DEFAULT PRIVILEGES FOR ROLE ads_w REVOKE INSERT ON TABLES FROM ads_r

SELECT count(*) FROM pg_default_acl

ALTER DEFAULT PRIVILEGES IN SCHEMA nosuch GRANT SELECT ON TABLES TO ads_r

ALTER DEFAULT PRIVILEGES IN SCHEMA public, nosuch GRANT SELECT ON TABLES TO ads_r

SELECT count(*) FROM pg_default_acl

SELECT has_schema_privilege('ads_r', 'nosuch', 'USAGE')

SELECT 'nosuch'::regnamespace

GRANT USAGE ON SCHEMA nosuch TO ads_r

REVOKE CREATE ON SCHEMA public FROM ads_w

DROP ROLE ads_w, ads_r
