-- One database per service, each owned by its own login role; no service can connect to
-- another service's database.
--
-- Run by psql as a superuser: by the postgres image on the first start of an empty data
-- volume (docker-compose.yml mounts it into /docker-entrypoint-initdb.d), or by hand against a
-- managed server:
--
--   LISTING_DB_PASSWORD=... LICENSE_DB_PASSWORD=... PLEDGE_DB_PASSWORD=... \
--   REGISTRY_SYNC_DB_PASSWORD=... WEBHOOKS_DB_PASSWORD=... MATCHING_DB_PASSWORD=... \
--   psql "host=... user=postgres dbname=postgres" -f deploy/postgres/init-databases.sql
--
-- The passwords come from those environment variables (psql \getenv, psql 15 or newer); an
-- unset variable makes the script stop with a syntax error at `:'..._password'`.
-- The databases inherit the cluster's locale: it must have a UTF-8 LC_CTYPE (C.UTF-8 or
-- zh_CN.UTF-8), or pg_trgm extracts nothing from Chinese text. Each role owns its database, so
-- its migrations can create the trusted extension pg_trgm themselves.

\set ON_ERROR_STOP on

\getenv listing_password LISTING_DB_PASSWORD
\getenv license_password LICENSE_DB_PASSWORD
\getenv pledge_password PLEDGE_DB_PASSWORD
\getenv registry_sync_password REGISTRY_SYNC_DB_PASSWORD
\getenv webhooks_password WEBHOOKS_DB_PASSWORD
\getenv matching_password MATCHING_DB_PASSWORD
\getenv statistics_password STATISTICS_DB_PASSWORD

CREATE ROLE listing LOGIN PASSWORD :'listing_password';
CREATE DATABASE listing OWNER listing ENCODING 'UTF8' TEMPLATE template0;
REVOKE ALL ON DATABASE listing FROM PUBLIC;

CREATE ROLE license LOGIN PASSWORD :'license_password';
CREATE DATABASE license OWNER license ENCODING 'UTF8' TEMPLATE template0;
REVOKE ALL ON DATABASE license FROM PUBLIC;

CREATE ROLE pledge LOGIN PASSWORD :'pledge_password';
CREATE DATABASE pledge OWNER pledge ENCODING 'UTF8' TEMPLATE template0;
REVOKE ALL ON DATABASE pledge FROM PUBLIC;

CREATE ROLE registry_sync LOGIN PASSWORD :'registry_sync_password';
CREATE DATABASE registry_sync OWNER registry_sync ENCODING 'UTF8' TEMPLATE template0;
REVOKE ALL ON DATABASE registry_sync FROM PUBLIC;

CREATE ROLE webhooks LOGIN PASSWORD :'webhooks_password';
CREATE DATABASE webhooks OWNER webhooks ENCODING 'UTF8' TEMPLATE template0;
REVOKE ALL ON DATABASE webhooks FROM PUBLIC;

CREATE ROLE matching LOGIN PASSWORD :'matching_password';
CREATE DATABASE matching OWNER matching ENCODING 'UTF8' TEMPLATE template0;
REVOKE ALL ON DATABASE matching FROM PUBLIC;

CREATE ROLE statistics LOGIN PASSWORD :'statistics_password';
CREATE DATABASE statistics OWNER statistics ENCODING 'UTF8' TEMPLATE template0;
REVOKE ALL ON DATABASE statistics FROM PUBLIC;
